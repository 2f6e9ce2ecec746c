"""Which of the contract's operations this panel serves at all: a panel older than an operation's
``x-since`` generation answers it 404 as an unknown route, which is its age, not a departure.

The suite asks once per run. The probes are the read-only ``GET`` operations of that generation that
need no path parameter, called with the administrator's token; only when *every* probe answers 404,
and nothing else marks the panel as that generation or later, does the panel predate it. Then every
operation of that generation is listed as not served and skipped by all phases; otherwise each is
judged like any other, so a panel of the generation that lost one route still fails the gate.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pytest
import requests

if TYPE_CHECKING:
    from contract_model import Contract, Operation
    from contract_tests.run.client import ApiClient

#: Where the run keeps its ``Serving`` (set once, by the plugin's session fixture).
SERVING = pytest.StashKey["Serving"]()
#: What ``run.generation`` calls a panel of each ``x-since`` generation (it then serves that generation).
KNOWN_AS = {"2.x": "OpenAdmin 2.x (Go)"}


@dataclass(frozen=True)
class Serving:
    """The operations a panel does not serve, and why the suite thinks so."""

    unserved: frozenset[str] = frozenset()
    #: One line per generation the panel predates: what the probes answered.
    evidence: list[str] = field(default_factory=list)

    def serves(self, operation: Operation) -> bool:
        return operation.operation_id not in self.unserved

    def skip_unserved(self, operation: Operation) -> None:
        """Skip the calling test when the panel predates ``operation``."""
        if not self.serves(operation):
            pytest.skip(f"not served: this panel predates {operation.since} (x-since), see the report")


def survey(client: ApiClient, contract: Contract, generation_name: str) -> Serving:
    """Ask each ``x-since`` generation's probes; ``generation_name`` is ``run.generation``'s verdict."""
    unserved: set[str] = set()
    evidence: list[str] = []
    for since in sorted({op.since for op in contract.operations if op.since}):
        members = [op for op in contract.operations if op.since == since]
        probes = [op for op in members if op.method == "GET" and op.safety == "read" and "{" not in op.path]
        if not probes or generation_name == KNOWN_AS.get(since):
            continue
        statuses = [_status(client, op) for op in probes]
        if all(status == 404 for status in statuses):
            unserved.update(op.operation_id for op in members)
            named = ", ".join(op.label for op in probes[:3]) + (
                f" and {len(probes) - 3} more" if len(probes) > 3 else ""
            )
            evidence.append(
                f"predates {since}: {named} all answered 404, "
                f"so its {len(members)} operations marked x-since {since} are not served"
            )
    return Serving(frozenset(unserved), evidence)


def _status(client: ApiClient, operation: Operation) -> int | None:
    try:
        return client.call(operation.operation_id).status_code
    except requests.RequestException:
        return None
