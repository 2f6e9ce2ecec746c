"""The conformance suite has teeth: it passes the clean mock and fails every deliberately broken one.

Each case starts ``openpanel-mock --fault NAME`` as a real process and runs ``openpanel-contract``
against it in another, then asserts on the exit code and on the reason the suite gives.
"""

from __future__ import annotations

import pytest

from contract_tests.config.settings import SANDBOX_PREFIX, Target
from contract_tests.run.client import ApiClient
from contract_tests.run.local_mock import DEMO_PASSWORD, DEMO_USERNAME, running_mock
from contract_tests.run.readers import listed_names
from mock_server.variants import FAULT, load_all
from tests.suite_runs import run_suite

#: fault → (needs --mutating, text the suite's report must contain)
EXPECTED = {
    "skip-auth": (False, "expected 401"),
    "drop-required-field": (False, "logged_in_as"),
    "wrong-type": (False, 'is not of type "integer"'),
    "undocumented-status": (False, "410"),
    # Only an undocumented extra status: a warning unless --strict (see test_gate).
    "extra-status": (False, "422"),
    "server-error": (False, "Server error"),
    "wrong-content-type": (False, "text/html"),
    "create-not-persisted": (True, "test_created_account_is_readable_and_listed"),
    "delete-not-deleting": (True, "test_deleted_account_is_gone"),
    "accept-invalid-body": (True, "POST /api/users"),
    "roles-unchecked": (False, "roles: administrator required"),
}


def test_every_fault_has_an_expectation():
    assert set(EXPECTED) == {fault.name for fault in load_all().group(FAULT)}


@pytest.mark.parametrize("fault", sorted(EXPECTED))
def test_suite_fails_a_broken_mock(fault: str):
    mutating, evidence = EXPECTED[fault]
    with running_mock("--fault", fault) as url:
        strict = ["--strict"] if fault == "extra-status" else []
        result = run_suite(url, *(["--mutating"] if mutating else []), *strict)
    output = result.stdout + result.stderr
    assert result.returncode == 1, f"fault {fault} went unnoticed (exit {result.returncode}):\n{output[-3000:]}"
    assert evidence in output, f"fault {fault}: the report does not explain it:\n{output[-3000:]}"
    assert DEMO_PASSWORD not in output, "credentials leaked into the report"


@pytest.mark.parametrize("mode", [(), ("--mutating",)], ids=["read-only", "mutating"])
def test_suite_passes_the_clean_mock_and_leaves_nothing_behind(mode: tuple[str, ...]):
    with running_mock() as url:
        result = run_suite(url, *mode)
        session = ApiClient(Target(base_url=url, username=DEMO_USERNAME, password=DEMO_PASSWORD))
        names = listed_names(session.request("GET", "/api/users").json())
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    assert " passed" in result.stdout
    assert not [name for name in names if SANDBOX_PREFIX in name], f"sandbox accounts left behind: {names}"
