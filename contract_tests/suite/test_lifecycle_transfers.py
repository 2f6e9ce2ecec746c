"""Transfers from another server (``--server-control``): a started transfer is listed at once, under
its account, with a readable log.

A transfer cannot be removed through the API, so the suite starts exactly one, of an account name of
its own, from a documentation address (192.0.2.0/24, never a real host): on a real panel it fails at
the SSH step and leaves one log file (and the firewall rule the panel adds for that address).
"""

from __future__ import annotations

import pytest

from contract_tests.config.settings import Target
from contract_tests.run.sandbox import Sandbox
from contract_tests.run.scenario import Scenario

NOWHERE = "192.0.2.10"


@pytest.fixture(autouse=True)
def _needs_server_control(target: Target) -> None:
    if not target.server_control:
        pytest.skip("starts an SSH transfer on the machine: needs --server-control")


def test_a_started_transfer_is_listed_with_its_log(api: Scenario, sandbox: Sandbox):
    if api.client.call("listTransfers").status_code == 404:
        pytest.skip("the panel does not serve the 2.x transfer routes")
    account = sandbox.new_name()
    api.call("startTransfer", {"openpanel_username": account, "server": NOWHERE, "password": "no-such-password"})
    mine = api.body(api.call("listUserTransfers", username=account))
    api.expect(len(mine) == 1, f"the account's transfers are {mine!r}, not the one started")
    files = api.body(api.call("listTransfers"))
    api.expect(mine[0]["file"] in files, f"{mine[0]['file']} is missing from GET /api/import/transfers")
    log = api.body(api.call("getTransferLog", log_filename=mine[0]["filename"]))
    api.expect(bool(log.get("log")), "the started transfer's log is empty")
