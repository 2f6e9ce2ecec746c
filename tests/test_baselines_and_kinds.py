"""Baselines cannot hide a breach, and every finding has a stable kind."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from contract_tests.config.settings import UsageError
from contract_tests.judge.baseline import classify, load_baseline, write_baseline
from contract_tests.judge.findings import Finding
from contract_tests.judge.kinds import KINDS, UNACCEPTABLE, refusal_kind, schemathesis_kind
from contract_tests.report.reports import causes

HEALTH = {"message": "API is working!"}


def _finding(operation="GET /api/users", kind="auth-refusal-status", check="auth: alg none", received="404"):
    return Finding(operation, check, "blocking", "m", kind=kind, expected="401", received=received)


def _baseline(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "baseline.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize("kind", sorted(UNACCEPTABLE))
def test_a_baseline_cannot_accept_a_bypass_or_lost_state(tmp_path, kind):
    path = _baseline(tmp_path, f"accepted:\n  - {{kind: {kind}, operations: ['*'], reason: nope}}\n")
    with pytest.raises(UsageError, match="can never be accepted"):
        load_baseline(path)


def test_no_entry_crosses_kinds(tmp_path):
    for kind in ("'*'", "auth-*", "[auth-bypass]"):
        path = _baseline(tmp_path, f"accepted:\n  - {{kind: {kind}, operations: ['*'], reason: x}}\n")
        with pytest.raises(UsageError, match="unknown kind"):
            load_baseline(path)
    old_format = _baseline(tmp_path, "accepted:\n  - {operation: '*', check: 'auth: *', reason: x}\n")
    with pytest.raises(UsageError, match="needs kind, operations and reason"):
        load_baseline(old_format)


def test_an_accepted_refusal_status_does_not_accept_a_bypass(tmp_path):
    path = _baseline(
        tmp_path,
        "accepted:\n  - {kind: auth-refusal-status, operations: ['*'], checks: ['auth: *'], received: [404],"
        " reason: 2.x refuses with 404}\n",
    )
    baseline = load_baseline(path)
    refused_404 = _finding()
    refused_422 = _finding(received="422")
    bypass = _finding(kind="auth-bypass", received="200")
    split = classify([refused_404, refused_422, bypass], baseline, dt.date.today())
    assert split["accepted"] == [refused_404]
    assert split["new"] == [refused_422, bypass]


def test_written_baselines_group_by_cause_and_refuse_what_is_never_acceptable(tmp_path):
    findings = [
        {**_finding("GET /api/ips").as_dict(), "status": "new"},
        {**_finding("GET /api/users").as_dict(), "status": "new"},
        {**_finding(kind="lost-state", check="test_deleted_account_is_gone", received="").as_dict(), "status": "new"},
    ]
    path = tmp_path / "written.yaml"
    count, refused = write_baseline(findings, path, "known", None)
    assert count == 1 and [f["kind"] for f in refused] == ["lost-state"]
    (entry,) = load_baseline(path)
    assert entry.operations == ("GET /api/ips", "GET /api/users") and entry.received == ("404",)


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [(200, {"users": []}, "auth-bypass"), (200, HEALTH, "catch-all"), (404, {"error": "x"}, "auth-refusal-status")],
)
def test_a_refusal_is_judged_by_what_came_back(status, body, kind):
    assert refusal_kind(status, body) == kind


@pytest.mark.parametrize(
    ("code", "status", "body", "kind"),
    [
        ("ST401", 200, {"users": [[1]]}, "auth-bypass"),
        ("ST401", 200, HEALTH, "catch-all"),
        ("ST203", 404, None, "auth-refusal-status"),
        ("ST201", 200, HEALTH, "catch-all"),
        ("ST201", 200, {"success": True}, "accepted-invalid-input"),
        ("ST101", 500, None, "server-error"),
        ("ST103", 404, None, "status-drift"),
        ("ST204", 404, None, "http-semantics"),
        ("ST302", 404, None, "lost-state"),
    ],
)
def test_schemathesis_failures_get_kinds(code, status, body, kind):
    assert schemathesis_kind(code, status, body) == kind
    assert kind in KINDS


def test_one_cause_on_many_operations_is_one_line():
    listed = [
        {**_finding(operation, check=check).as_dict(), "status": "new"}
        for operation in ("GET /api/ips", "GET /api/users", "GET /api/domains")
        for check in ("auth: alg none", "auth: not a JWT")
    ]
    (cause,) = causes(listed)
    assert cause["check"] == "auth" and len(cause["operations"]) == 3 and len(cause["checks"]) == 2
