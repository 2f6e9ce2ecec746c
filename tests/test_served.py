"""Which operations a panel serves at all (``contract_tests.run.served``): only a panel that answers
every 2.x-only read with 404, and gives no other sign of 2.x, predates them."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import requests

from contract_model import Contract
from contract_tests.run.served import survey

CONTRACT = Contract.load()
PROBES = [op for op in CONTRACT.operations if op.since == "2.x" and op.method == "GET" and "{" not in op.path]


class Panel:
    """A client whose answers are one status per operation (``default`` for the rest)."""

    def __init__(self, default: int, **statuses: int | Exception) -> None:
        self.default, self.statuses, self.asked = default, statuses, []

    def call(self, operation_id: str) -> SimpleNamespace:
        self.asked.append(operation_id)
        status = self.statuses.get(operation_id, self.default)
        if isinstance(status, Exception):
            raise status
        return SimpleNamespace(status_code=status)


def test_a_panel_that_answers_every_later_read_404_predates_them():
    serving = survey(Panel(404), CONTRACT, "contract (Python 1.x-like)")
    later = {op.operation_id for op in CONTRACT.operations if op.since == "2.x"}
    assert serving.unserved == later and len(serving.evidence) == 1
    assert f"{len(later)} operations" in serving.evidence[0]
    assert all(serving.serves(op) for op in CONTRACT.operations if op.since is None)


@pytest.mark.parametrize("answered", [200, 401, 500])
def test_one_later_read_answered_otherwise_means_the_panel_serves_them_all(answered: int):
    # A 2.x panel that lost some routes must still fail on them, not have them skipped.
    one = PROBES[len(PROBES) // 2].operation_id
    serving = survey(Panel(404, **{one: answered}), CONTRACT, "unknown")
    assert serving.unserved == frozenset() and serving.evidence == []


def test_a_panel_known_as_2x_is_never_said_to_predate_2x():
    panel = Panel(404)
    assert survey(panel, CONTRACT, "OpenAdmin 2.x (Go)").unserved == frozenset()
    assert panel.asked == [], "no probe is sent once the generation is known"


def test_an_unreachable_probe_is_not_a_404():
    one = PROBES[0].operation_id
    serving = survey(Panel(404, **{one: requests.ConnectionError("reset")}), CONTRACT, "unknown")
    assert serving.unserved == frozenset()


def test_probes_are_read_only():
    panel = Panel(404)
    survey(panel, CONTRACT, "unknown")
    assert panel.asked and all(CONTRACT.operation(name).safety == "read" for name in panel.asked)
