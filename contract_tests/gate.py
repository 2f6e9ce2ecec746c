"""pytest plugin: turns test outcomes into findings, applies the baseline and severity policy,
writes reports and sets the exit code (0 conformant or only accepted/warnings, 1 violations)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from contract_tests.baseline import classify, load_baseline
from contract_tests.findings import BLOCKING, WARNING, Breach, Finding, FindingLog
from contract_tests.generation import Generation, detect_generation
from contract_tests.plugin import PANEL, STARTED
from contract_tests.progress import TALLIES, operation_of
from contract_tests.reports import markdown, write_json
from contract_tests.settings import UsageError

FINDINGS = pytest.StashKey[FindingLog]()
FAILED_WITHOUT_FINDING = pytest.StashKey[list[str]]()
RESULT = pytest.StashKey[dict]()
#: Tests that turn schemathesis failures into findings themselves (with its evidence and curl line).
RECORDS_OWN_FINDINGS = {"test_operation_conforms", "test_linked_operations_conform"}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("openpanel")
    group.addoption("--report-json", type=Path, help="write a JSON report (to diff runs and write baselines)")
    group.addoption("--report-md", type=Path, help="write a Markdown report")
    group.addoption("--baseline", type=Path, help="YAML file of accepted deviations")
    group.addoption("--openpanel-strict", action="store_true", help="undocumented status codes and headers block too")


def pytest_configure(config: pytest.Config) -> None:
    config.stash[FINDINGS] = FindingLog()
    config.stash[FAILED_WITHOUT_FINDING] = []


@pytest.fixture(scope="session")
def findings(request: pytest.FixtureRequest) -> FindingLog:
    return request.config.stash[FINDINGS]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if not report.failed or call.excinfo is None:
        return report
    error = call.excinfo.value
    log = item.config.stash[FINDINGS]
    if call.when != "call" and not isinstance(error, Breach):
        # A fixture failed (sandbox set-up or clean-up): never let that pass as "conformant".
        item.config.stash[FAILED_WITHOUT_FINDING].append(f"{item.nodeid} ({call.when}): {error}")
        return report
    if isinstance(error, BaseExceptionGroup) and getattr(item, "originalname", item.name) in RECORDS_OWN_FINDINGS:
        return report  # recorded, with schemathesis' own detail, by the test itself
    if isinstance(error, Breach):
        log.add(Finding(error.operation, error.check, error.severity, str(error), error.reproduce, item.nodeid))
    elif isinstance(error, AssertionError):
        check = item.originalname if hasattr(item, "originalname") else item.name
        probe = getattr(getattr(item, "callspec", None), "params", {}).get("probe")
        log.add(
            Finding(
                operation_of(item), f"{check}{f': {probe}' if probe else ''}", BLOCKING, str(error), test=item.nodeid
            )
        )
    else:
        item.config.stash[FAILED_WITHOUT_FINDING].append(f"{item.nodeid}: {type(error).__name__}: {error}")
    return report


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    if not hasattr(config.option, "report_json") or FINDINGS not in config.stash:
        return
    log, panel = config.stash[FINDINGS], config.stash.get(PANEL, None)
    try:
        baseline = load_baseline(config.option.baseline) if config.option.baseline else []
    except UsageError as error:
        session.exitstatus = 2
        config.stash[RESULT] = {"error": str(error)}
        return
    split = classify(log.all(), baseline, dt.date.today())
    strict = config.option.openpanel_strict
    blocking = [f for f in split["new"] + split["expired"] if strict or f.severity == BLOCKING]
    warnings = [f for f in split["new"] if not strict and f.severity == WARNING]
    unexplained = config.stash[FAILED_WITHOUT_FINDING]
    generation = detect_generation(panel) if panel is not None else Generation("unknown", ["no session"])
    verdict = "FAIL" if blocking or unexplained else "PASS"
    summary = (
        f"{len(blocking)} blocking, {len(warnings)} warnings, {len(split['accepted'])} accepted by the "
        f"baseline, {len(split['expired'])} with an expired acceptance"
    )
    if exitstatus in (0, 1):
        session.exitstatus = 1 if verdict == "FAIL" else 0
    operations = _operations(config)
    status = {id(f): "accepted" for f in split["accepted"]} | {id(f): "expired" for f in split["expired"]}

    def reason(finding: Finding) -> str | None:
        return next((a.reason for a in baseline if a.matches(finding)), None)

    report = {
        "target": getattr(getattr(panel, "target", None), "base_url", "?"),
        "mode": _mode(config),
        "seed": getattr(config.option, "hypothesis_seed", None),
        "generation": {"name": generation.name, "evidence": generation.evidence},
        "verdict": verdict,
        "summary": summary,
        "duration_seconds": time.monotonic() - config.stash[STARTED],
        "operations": sorted({f"{op.method} {op.path}" for op in operations}),
        "per_operation": {name: tally.as_dict() for name, tally in sorted(config.stash.get(TALLIES, {}).items())},
        "not_run": sorted(f"{op.method} {op.path}" for op in operations if op.safety not in _allowed(config)),
        "unexplained_failures": unexplained,
        "findings": [
            {**f.as_dict(), "status": status.get(id(f), "new"), "reason": reason(f)}
            for f in split["new"] + split["expired"] + split["accepted"]
        ],
    }
    config.stash[RESULT] = report
    if config.option.report_json:
        write_json(report, config.option.report_json)
    if config.option.report_md:
        config.option.report_md.write_text(markdown(report), encoding="utf-8")


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    report = config.stash.get(RESULT, None)
    if not report:
        return
    if "error" in report:
        terminalreporter.write_line(f"openpanel-contract: {report['error']}", red=True)
        return
    terminalreporter.section("OpenPanel contract")
    terminalreporter.write_line(
        f"server generation: {report['generation']['name']} ({'; '.join(report['generation']['evidence'])})"
    )
    for finding in report["findings"]:
        terminalreporter.write_line(
            f"  [{finding['status']}/{finding['severity']}] {finding['operation']}: {finding['check']}"
        )
    for failure in report["unexplained_failures"]:
        terminalreporter.write_line(f"  [error] {failure}", red=True)
    terminalreporter.write_line(
        f"verdict: {report['verdict']} — {report['summary']} ({report['duration_seconds']:.1f} s)",
        bold=True,
        red=report["verdict"] == "FAIL",
        green=report["verdict"] == "PASS",
    )


def _mode(config: pytest.Config) -> str:
    if config.getoption("--destructive"):
        return "destructive"
    return "mutating" if config.getoption("--mutating") else "read-only"


def _allowed(config: pytest.Config) -> set[str]:
    mode = _mode(config)
    return (
        {"read"} | ({"write"} if mode != "read-only" else set()) | ({"destructive"} if mode == "destructive" else set())
    )


def _operations(config: pytest.Config):
    from contract_tests.document import ContractDocument

    return ContractDocument.load(config.getoption("--openpanel-spec")).operations
