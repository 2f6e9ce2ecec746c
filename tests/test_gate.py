"""The release gate: reports, diff, baselines, severity, clean-up, rate limits — over real runs."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import requests
import yaml

from contract_tests.cli import main as contract_main
from contract_tests.config.settings import Target
from contract_tests.judge.findings import Finding, redact
from contract_tests.run.client import ApiClient, _retry_after
from contract_tests.run.journal import Journal
from contract_tests.run.local_mock import DEMO_PASSWORD, DEMO_USERNAME, running_mock
from tests.suite_runs import run_suite

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def v2_reports(tmp_path_factory) -> tuple[Path, Path, subprocess.CompletedProcess[str]]:
    folder = tmp_path_factory.mktemp("reports")
    with running_mock("--flavor", "v2") as url:
        result = run_suite(
            url, "--report-json", str(folder / "v2.json"), "--report-md", str(folder / "v2.md"), max_examples=5
        )
    return folder / "v2.json", folder / "v2.md", result


def test_reports_explain_each_finding_without_secrets(v2_reports):
    json_path, md_path, result = v2_reports
    assert result.returncode == 1
    report = json.loads(json_path.read_text())
    assert report["verdict"] == "FAIL" and report["generation"]["name"] == "OpenAdmin 2.x (Go)"
    assert report["findings"] and all(
        {"operation", "check", "severity", "message"} <= f.keys() for f in report["findings"]
    )
    assert any(f["reproduce"].startswith("curl") for f in report["findings"])
    text = md_path.read_text() + json_path.read_text() + result.stdout + result.stderr
    header = "| operation | tests run | failed | seconds | blocking | warnings | accepted |"
    assert header in text and "Reproduce:" in text
    table = md_path.read_text().split("## Operations")[1].split("## Findings")[0]
    rows = [line for line in table.splitlines() if line.startswith("|")]
    assert len(rows) > 20 and {row.count("|") for row in rows} == {header.count("|")}, "every row fills every column"
    ran = report["per_operation"]["GET /api/users"]
    assert ran["passed"] + ran["failed"] > 0 and ran["seconds"] > 0
    assert "time per operation" in result.stdout and "s elapsed)" in result.stdout, "the console shows progress"
    assert DEMO_PASSWORD not in text
    assert "OpenAdmin 2.x (Go)" in result.stdout, "the console names the server generation"


def test_baseline_written_from_a_report_turns_the_same_drift_green(tmp_path: Path):
    # The documented examples, each run on a fresh twin: they send the same requests every time (what
    # fuzzing reaches varies from run to run, so a baseline covers only what its run saw).
    fast = ["--", "-k", "documented_example"]
    json_path = tmp_path / "drift.json"
    with running_mock("--flavor", "v2") as url:
        assert run_suite(url, "--report-json", str(json_path), *fast, max_examples=5).returncode == 1
    baseline = tmp_path / "accepted.yaml"
    assert contract_main(["baseline", str(json_path), "-o", str(baseline), "--reason", "known 2.x drift"]) == 0
    assert yaml.safe_load(baseline.read_text())["accepted"]
    with running_mock("--flavor", "v2") as url:
        assert run_suite(url, "--baseline", str(baseline), *fast, max_examples=5).returncode == 0
    # An expired acceptance blocks again.
    expired = tmp_path / "expired.yaml"
    contract_main(["baseline", str(json_path), "-o", str(expired), "--reason", "old", "--expires", "2000-01-01"])
    with running_mock("--flavor", "v2") as url:
        assert run_suite(url, "--baseline", str(expired), *fast, max_examples=5).returncode == 1


@pytest.mark.parametrize("flavor", ["v1", "v2"])
def test_shipped_baseline_passes_its_generation_but_not_new_breakage(flavor: str):
    shipped = ROOT / "baselines" / f"openadmin-{flavor[1]}.x.yaml"
    with running_mock("--flavor", flavor) as url:
        passed = run_suite(url, "--destructive", "--baseline", str(shipped), max_examples=5)
    assert passed.returncode == 0, passed.stdout[-4000:]
    with running_mock("--flavor", flavor, "--fault", "wrong-type") as url:
        broken = run_suite(url, "--baseline", str(shipped), max_examples=5)
    assert broken.returncode == 1
    assert "[new/blocking] schema-break" in broken.stdout and "GET /api/plans" in broken.stdout


def test_diff_lists_new_fixed_and_unchanged(v2_reports, tmp_path: Path, capsys):
    json_path, _, _ = v2_reports
    old = json.loads(json_path.read_text())
    newer = {**old, "findings": [*old["findings"][1:], {**old["findings"][0], "check": "ST999 Something new"}]}
    (tmp_path / "new.json").write_text(json.dumps(newer))
    assert contract_main(["diff", str(json_path), str(tmp_path / "new.json")]) == 1
    out = capsys.readouterr().out
    assert "new: 1" in out and "fixed: 1" in out and f"unchanged: {len(old['findings']) - 1}" in out
    assert contract_main(["diff", str(json_path), str(json_path)]) == 0
    assert contract_main(["diff", str(json_path), str(tmp_path / "missing.json")]) == 2


def test_undocumented_status_is_a_warning_unless_strict():
    with running_mock("--fault", "extra-status") as url:
        fuzz_only = ["--", "-k", "test_operation_conforms"]
        relaxed = run_suite(url, *fuzz_only, max_examples=5)
        strict = run_suite(url, "--strict", *fuzz_only, max_examples=5)
    assert relaxed.returncode == 0 and "ST103" in relaxed.stdout and "warnings" in relaxed.stdout
    assert strict.returncode == 1


def test_cleanup_removes_what_interrupted_runs_left(live_mock: str):
    session = ApiClient(Target(base_url=live_mock, username=DEMO_USERNAME, password=DEMO_PASSWORD))
    user = {
        "username": "octestleft0ver1",
        "password": "Pw-1-abc",
        "email": "l@example.com",
        "plan_name": "Standard plan",
    }
    session.request("POST", "/api/users", json=user)
    session.request("PATCH", "/api/users/octestleft0ver1", json={"action": "suspend"})
    session.request("POST", "/api/plans", json={"name": "octest-plan-left0ver"})
    session.request("POST", "/api/domains/new", json={"username": "stefan", "domain": "octestleft0ver.example.com"})
    env_args = ["--base-url", live_mock, "--username", DEMO_USERNAME, "--password", DEMO_PASSWORD]
    assert contract_main(["cleanup", *env_args]) == 0
    assert session.request("GET", "/api/users/octestleft0ver1").status_code == 404
    plans = [p["name"] for p in session.request("GET", "/api/plans").json()["plans"]]
    domains = [d["domain_url"] for d in session.request("GET", "/api/domains").json()["domains"]]
    assert "octest-plan-left0ver" not in plans and "octestleft0ver.example.com" not in domains
    assert "stefan" in [d["username"] for d in session.request("GET", "/api/domains").json()["domains"]]


def test_rate_is_respected_and_429_waited_out(monkeypatch):
    waits: list[float] = []
    monkeypatch.setattr("contract_tests.run.client.time.sleep", waits.append)
    session = ApiClient(Target(base_url="http://127.0.0.1:9", username="a", password="b", rate="2/s"))
    clock = iter([100.0, 100.0, 100.0])
    monkeypatch.setattr("contract_tests.run.client.time.monotonic", lambda: next(clock))
    session._pace(), session._pace(), session._pace()
    assert waits == [0.5, 1.0], "three calls at 2/s: the 2nd waits 0.5 s, the 3rd 1 s"
    limited = requests.Response()
    limited.status_code, limited.headers["Retry-After"] = 429, "7"
    assert _retry_after(limited, 0) == 7.0
    del limited.headers["Retry-After"]
    assert [_retry_after(limited, n) for n in range(3)] == [2.0, 4.0, 8.0]


def test_bad_rate_and_ca_bundle_are_usage_errors(capsys):
    assert contract_main(["--base-url", "http://x", "--username", "a", "--password", "b", "--rate", "fast"]) == 2
    assert "--rate must look like" in capsys.readouterr().err
    assert contract_main(["--base-url", "http://x", "--username", "a", "--password", "b", "--ca-bundle", "/no"]) == 2
    assert "CA bundle not found" in capsys.readouterr().err


def test_redaction_hides_passwords_and_tokens():
    text = redact('{"password": "hunter2", "access_token": "eyJ.a.b"} Authorization: Bearer eyJ.x.y')
    assert "hunter2" not in text and "eyJ" not in text
    finding = Finding("GET /api/", "x", "blocking", "m", kind="server-error")
    assert finding.key == ("GET /api/", "server-error", "x")


def test_time_budget_stops_fuzzing(live_mock: str):
    result = run_suite(live_mock, "--max-time", "0", "--", "-k", "conformance", "-rs", max_examples=5)
    assert result.returncode == 0 and "time budget of 0 s spent" in result.stdout


def test_cleanup_finds_what_the_journal_knows_on_a_panel_that_lists_no_accounts(tmp_path: Path):
    """A 2.x panel answers GET /api/users with an empty list: only the journal knows the run's accounts."""
    journal = tmp_path / "journal.jsonl"
    with running_mock("--flavor", "v2") as url:
        client = ApiClient(Target(base_url=url, username=DEMO_USERNAME, password=DEMO_PASSWORD))
        Journal(journal, url).record("account", "octestjournal1")
        user = {
            "username": "octestjournal1",
            "password": "Pw-1-abc",
            "email": "j@example.com",
            "plan_name": "Standard plan",
        }
        assert client.call("createUser", json=user).status_code == 201
        assert client.call("listUsers").json() == {"users": []}
        args = ["--base-url", url, "--username", DEMO_USERNAME, "--password", DEMO_PASSWORD, "--journal", str(journal)]
        assert contract_main(["cleanup", *args]) == 0
        assert client.call("getUser", username="octestjournal1").status_code == 404
        assert Journal(journal, url).entries() == {}, "a confirmed removal leaves the journal"
