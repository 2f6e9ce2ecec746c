"""The 2.x twin judged by the suite: it reports the twin's deviations, and nothing else."""

from __future__ import annotations

import pytest

from tests.flavor_runs import FlavorRun, departing, describe, matches, run_against, unexplained
from tests.twins import twin


def _server_error(labels: str) -> str:
    """A 500 schemathesis found on these operations (its first item carries no body)."""
    return rf"label='({labels})'\)\n[\s|]*- ST10(1|3 Undocumented status code\n[\s|]*\n[\s|]*Received: 500)"


#: How the suite's report shows each departing deviation of ``mock_server/variants/v2/deviations.py``.
EVIDENCE = {
    "catch-all-get": r"API is working!|Got 200 when missing required 'Authorization'|got `200 OK` for `GET /api/"
    r"|Unsupported method GET returned 200|label='GET /api/(usage|usage/stats|usage/disk/\{username\}|docker/context)'",
    "catch-all-post": r"Invalid JSON body\"\}|Invalid credentials",
    "no-405": r"Unsupported method \w+ returned 404",
    "connect-not-routed": r"CONNECT autologin answered 404|CONNECT /api/users/\S+ answered 404"
    r"|\[CONNECT /api/users/\{username\}\]\n.*answered 404, expected 403",
    "head-quirks": r"HEAD ",
    "slashless-api": r"CSRF error",
    "path-cleaning-301": r"answered 301|Moved Permanently",
    "auth-404": r"expected 401, got 404|Got 404 when missing required 'Authorization'|got `404 Not Found`"
    r"|\"error\": ?\"User not found\"|Received: 404\n[\s|]*Documented: [0-9, ]*401\b",
    "go-jwt": r"refresh",
    "login-decode": r"label='POST /api/'",
    "no-schema-validation": r"Schema-violating request accepted|answered 200, expected a 4xx: \{\"success\":true\}"
    r"|oversized body \(2 MiB\) answered 200",
    "content-type-rules": r"Invalid JSON format\"\}|Request must be JSON",
    "decode-errors-ignored": r"answered 200, expected a 4xx: \{\"message\":\"Successfully updated plan id",
    "domains-new-decode-500": r"Invalid JSON body\"\}|answered 200, expected a 4xx: \{\"returncode\"|"
    + _server_error("POST /api/domains/new"),
    "created-201": r"answered 201, which is not documented|Received: 201",
    "forbidden-name-400": r"Username is not allowed",
    "cli-failures-500": r"answered 500, expected 409: \{\"error\":\"(Error (suspending|unsuspending)|)"
    r"|answered 500, expected 404: \{\"error\":\"Error executing command|DELETE answered 500"
    r"|POST /api/users answered 500, which is not documented",
    "user-add-rules": r"Password is too weak|"
    + _server_error(r"POST /api/users|POST /api/users/\{username\}")
    # The stateful phase's items carry no operation label: a create's 500 shows by its documented statuses.
    + r"|test_linked_operations_conform:?\s[\s|]*- ST10[13] [^\n]*\n[\s|]*\n[\s|]*Received: 500\n"
    r"[\s|]*Documented: 200, 400, 401, 409, 413, 415\n",
    "password-unchecked": r"password.*answered 201",
    "super-admin-403": r"got 403: \{\"error\":\"Only the Super Admin can perform this action",
    "reseller-creates-unowned": r"answered 403, expected 2xx: \{\"error\":\"Forbidden: you do not own this account",
    "empty-user-list": r"missing from GET /api/users|the reseller.s list misses its own account",
    "user-lookup": r"disk_usage: \{\}|'disk_used' is a required property",
    "autologin-unchecked": r"/autologin answered 200, expected 404",
    "plan-id-atoi": r"404 page not found|label='GET /api/plans/\{plan_id\}'\)\n[\s|]*- ST105",
    "plan-cli-checks": r"must be a number|already exists\. Please choose another name|name may only contain"
    r"|" + _server_error(r"POST /api/plans|PUT /api/plans/\{plan_id\}|PATCH /api/plans/\{plan_id\}"),
    "plan-patch-resets": r"PATCH changes only what it sends|\"name\": ?\"None\"",
    "plan-delete-by-name": r"DELETE /api/plans/\d+ answered 200|and Docker network",
    "domain-commands-always-200": r"returncode: 0 was expected|/api/domains/\S+ answered 200, expected 404",
    "domain-suspend-sticky": r"already suspended",
    "domain-dispatcher": r"Invalid action\. Use suspend|suspend shows",
    "service-errors-400": r"Invalid service: ",
    "services-any-json": r"is not of type \"array\"",
    "notifications-raw-lines": r"Invalid line number|\"error\": ?\"Not Found\"",
    "disk-usage-keys": r"'disk_usage' is a required property",
}
#: Departing deviations no check of the suite reaches (as of this run), and why.
UNSEEN = {
    "super-admin-403": "the Super-Admin routes are server-control (and the reboot ends a run): a --destructive run "
    "probes none of them",
    "catch-all-post": "every documented POST is routed on 2.x; only unknown paths reach the login handler",
    "head-quirks": "the suite sends no HEAD",
    "slashless-api": "POST /api documents 400 and the CSRF body fits it; the suite accepts a documented 4xx",
    "path-cleaning-301": "the suite sends clean paths",
    "go-jwt": "the suite forges no token without exp nor of refresh type",
    "login-decode": "login's refusals are 400s and 401s the contract documents",
    "content-type-rules": "the refusals are 400s the contract documents, and the suite sends JSON with every body",
    "forbidden-name-400": "400 is documented for create and the suite probes no forbidden name",
    "user-add-rules": "the suite's names and passwords pass the CLI's rules",
    "password-unchecked": "the suite changes no password of an account that does not exist",
    "user-lookup": "the suite reads accounts by their exact names",
    "plan-patch-resets": "the plan scenario stops earlier, at the duplicate name's 500",
    "domain-suspend-sticky": "the domain scenario stops earlier, at the unknown account's 200",
    "domain-dispatcher": "the suite uses the documented paths only",
}


def test_every_departing_deviation_has_evidence():
    assert set(EVIDENCE) == departing("v2")
    assert set(UNSEEN) <= set(EVIDENCE)


@pytest.fixture(scope="module")
def v2_run() -> FlavorRun:
    return run_against("v2")


def test_suite_reports_each_deviation_it_can_see(v2_run: FlavorRun):
    missing = [
        name
        for name, pattern in EVIDENCE.items()
        if name not in UNSEEN and not any(matches(f, pattern) for f in v2_run.failures)
    ]
    assert not missing, f"deviations the suite did not report: {missing}"


def test_suite_reports_nothing_else(v2_run: FlavorRun):
    assert v2_run.failures, "no failures parsed from the report"
    found = unexplained(v2_run, list(EVIDENCE.values()))
    assert not found, "failures no listed deviation explains:\n" + describe(found)


def test_run_leaves_nothing_behind(v2_run: FlavorRun):
    assert v2_run.leftovers() == {"users": [], "plans": [], "domains": []}


def test_conforming_deviations_pass_the_mocks_own_validation():
    # Deviations that claim to stay within the contract are checked by the mock's response validation.
    made = twin("v2")
    auth = made.auth()
    system = made.client.get("/api/system", headers=auth).json
    assert isinstance(system["running_processes"], str) and isinstance(system["package_updates"], str)
    notes = made.client.get("/api/notifications", headers=auth).json["notifications"]
    assert all(isinstance(line, str) and " MESSAGE: " in line for line in notes)
    assert made.client.get("/api/whoami").json == {"error": "Missing or invalid token"}
    assert not made.needless_marks
