"""The 1.x twin judged by the suite: it reports the twin's deviations, and nothing else."""

from __future__ import annotations

import pytest

from contract_model import Contract
from tests.flavor_runs import FlavorRun, departing, describe, matches, run_against, unexplained

#: Operations a 2024 server did not have (their answers are Werkzeug's 404 page).
_ABSENT = (
    r"(GET /api/domains|POST /api/domains/[a-z/{}]+|GET /api/notifications|POST /api/notifications/\{line_number\}/read"
)
_ABSENT += r"|DELETE /api/notifications/\{line_number\}|GET /api/usage/server|GET /api/usage/disk/\{username\}"
_ABSENT += r"|POST /api/users/\{username\}/autologin|POST /api/service/\{action\}/\{service_name\})"
#: Operations whose view reads its body with request.get_json().
_JSON_VIEWS = (
    r"(POST /api/|POST /api/users|PUT /api/users/\{username\}|PATCH /api/users/\{username\}|PUT /api/services)"
)

#: How the suite's report shows each departing deviation of ``mock_server/variants/v1/deviations.py``.
EVIDENCE = {
    "html-404": r"404 Not Found</title>|answered 404.*\n?.*<!doctype html>|got 404: <!doctype|failed: 404 <!doctype"
    rf"|label='{_ABSENT}'\)\n[\s|]*- ST(103|105|203)",
    "html-405": r"405 Method Not Allowed|answered 405|got 405|Received: 405|ST205 Allow header mismatch",
    "jwt-422": r"got 422|got `422 Unprocessable Entity`",
    "werkzeug-json-errors": r"(400 Bad Request|415 Unsupported Media)|"
    rf"label='{_JSON_VIEWS}'\)\n[\s|]*- ST105",
    "cli-failures-500": r"answered 500|DELETE answered 500",
    "delete-suspended-refused": r"test_suspended_account_can_be_deleted_by_its_\w+",
    "disk-usage-partitions": r"GET /api/usage/disk (answered )?200;? (the )?body breaks"
    r"|label='GET /api/usage/disk'\)\n[\s|]*- ST108",
}
UNSEEN: dict[str, str] = {}


def test_every_departing_deviation_has_evidence():
    assert set(EVIDENCE) == departing("v1")
    assert set(UNSEEN) <= set(EVIDENCE)


@pytest.fixture(scope="module")
def v1_run() -> FlavorRun:
    return run_against("v1")


def test_suite_reports_each_deviation_it_can_see(v1_run: FlavorRun):
    missing = [
        name
        for name, pattern in EVIDENCE.items()
        if name not in UNSEEN and not any(matches(f, pattern) for f in v1_run.failures)
    ]
    assert not missing, f"deviations the suite did not report: {missing}"


def test_suite_reports_nothing_else(v1_run: FlavorRun):
    assert v1_run.failures, "no failures parsed from the report"
    found = unexplained(v1_run, list(EVIDENCE.values()))
    assert not found, "failures no listed deviation explains:\n" + describe(found)


def test_operations_of_a_later_generation_are_listed_not_judged(v1_run: FlavorRun):
    # A 1.x panel predates every x-since 2.x operation: the report says so, and no phase judges one.
    later = [op.label for op in Contract.load().operations if op.since == "2.x"]
    assert later and "[not served] predates 2.x" in v1_run.output
    judged = [f.test for f in v1_run.failures if any(f"[{label}]" in f.test for label in later)]
    assert judged == []


def test_run_leaves_nothing_behind(v1_run: FlavorRun):
    assert v1_run.leftovers() == {"users": [], "plans": [], "domains": []}
