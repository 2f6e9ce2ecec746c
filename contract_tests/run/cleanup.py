"""Remove what earlier, interrupted runs left on a panel: everything the journal says a run may have
created on this target, and everything prefixed the panel lists."""

from __future__ import annotations

from contract_tests.run.client import ApiClient
from contract_tests.run.journal import Journal
from contract_tests.run.resources import RESOURCES
from contract_tests.run.sandbox import Sandbox


def find_leftovers(client: ApiClient, journal: Journal) -> Sandbox:
    """A sandbox holding every possible leftover (2.x lists no accounts: the journal knows them)."""
    sandbox = Sandbox(client, journal)
    for resource in RESOURCES.values():
        for name, entry in resource.listed(client).items():
            sandbox.tracked[resource.noun].setdefault(name, {}).update(entry)
    for (kind, name), entry in journal.entries().items():
        sandbox.adopt(kind, name, entry)
    return sandbox


def count(sandbox: Sandbox) -> int:
    return sum(len(names) for names in sandbox.tracked.values())
