"""The 2.x flavor: the suite reports each documented deviation of the Go server, and nothing else."""

from __future__ import annotations

import re

import pytest

from contract_tests.run.local_mock import DEMO_PASSWORD, DEMO_USERNAME, running_mock
from mock_server import create_app
from mock_server.variants import load_all
from tests.suite_runs import failures, run_suite

#: How the suite's report shows each deviation that departs from the contract.
EVIDENCE = {
    "created-201": r"answered 201, which is not documented|Received: 201",
    "command-failures-500": r"answered 500, expected 409|Received: 500|Username is not allowed",
    "empty-user-list": r"missing from GET /api/users|the reseller.s list misses its own account",
    "connect-not-routed": r"CONNECT autologin answered 404",
    "autologin-unchecked": r"/autologin answered 200, expected 404",
    "go-auth-errors": r"expected 401, got 404|Got 404 when missing required 'Authorization'|Expected 401 or 403, got "
    r"`404|Received: 404[\s|]+Documented: [0-9, ]*401\b|\"error\": ?\"User not found\"",
    "slashless-login-csrf": r"CSRF error",
    "plan-id-not-numeric": r"404 page not found",
    "plan-patch-resets": r"PATCH changes only what it sends",
    "plan-create-without-plan": r"[\"']plan[\"'] is a required property",
    "disk-usage-keys": r"'disk_usage' is a required property",
    # Those three paths are not routed at all on 2.x: whatever the suite finds there is this deviation.
    "removed-endpoints": r"API is working!|label='GET /api/(usage|usage/stats|usage/disk/{username}|docker/context)'",
    "domain-commands-always-200": r"/api/domains/\S+ answered 200, expected 404|\"returncode\":1",
    "service-errors-400": r"Invalid service: ",
    "notifications-raw-lines": r"Invalid line number",
}


def test_every_departing_deviation_has_evidence_and_conforming_ones_have_none():
    departing = {item.name for item in load_all().group("v2") if not item.conforms}
    assert set(EVIDENCE) == departing


@pytest.fixture(scope="module")
def v2_report() -> str:
    with running_mock("--flavor", "v2") as url:
        result = run_suite(url, "--destructive")
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-2000:]
    return result.stdout


def test_suite_reports_each_known_deviation(v2_report: str):
    found = failures(v2_report)
    missing = [
        name for name, pattern in EVIDENCE.items() if not any(re.search(pattern, f"{f.test}\n{f.text}") for f in found)
    ]
    assert not missing, f"deviations the suite did not report: {missing}"


def test_suite_reports_nothing_else(v2_report: str):
    found = failures(v2_report)
    assert found, "no failures parsed from the report"
    unexplained = [
        f for f in found if not any(re.search(pattern, f"{f.test}\n{f.text}") for pattern in EVIDENCE.values())
    ]
    assert not unexplained, "failures no listed deviation explains:\n" + "\n---\n".join(
        f"{f.test}: {f.text[:600]}" for f in unexplained[:5]
    )


def test_conforming_variants_pass_the_mocks_own_validation():
    # Deviations that claim to stay within the contract are checked by the mock's response validation.
    app = create_app(flavor="v2", raise_on_contract_violation=True, password_hash_method="pbkdf2:sha256:1000")
    client = app.test_client()
    token = client.post("/api/", json={"username": DEMO_USERNAME, "password": DEMO_PASSWORD}).json["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    system = client.get("/api/system", headers=auth).json
    assert isinstance(system["running_processes"], str) and isinstance(system["package_updates"], str)
    notes = client.get("/api/notifications", headers=auth).json["notifications"]
    assert all(isinstance(line, str) and " MESSAGE: " in line for line in notes)
