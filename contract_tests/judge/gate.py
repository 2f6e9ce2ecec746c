"""pytest plugin, the gate: the one place that turns failures into findings, applies the baseline and
the severity policy, decides the verdict and the exit code (0 conformant, or only accepted findings
and warnings; 1 contract violations; 2 anything that kept the run from judging), and writes reports.

Tests say what broke by raising: ``Breach`` from the suite's own checks, a plain failed assertion in a
state scenario, schemathesis' ``FailureGroup`` from fuzzing. Hypothesis runs a fuzzing test many
times and pytest sees only its last failure, so such tests pass each call through ``judged``, which
records every failing example as it happens with the same rules.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from schemathesis.core.failures import FailureGroup

from contract_tests.config.settings import UsageError
from contract_tests.judge.baseline import classify, load_baseline
from contract_tests.judge.findings import BLOCKING, WARNING, Breach, Finding, FindingLog, from_schemathesis
from contract_tests.plugin import STARTED, SUITE, Suite
from contract_tests.report.progress import TALLIES, operation_of
from contract_tests.report.reports import markdown, write_json
from contract_tests.run.generation import Generation, detect_generation

FINDINGS = pytest.StashKey[FindingLog]()
FAILED_WITHOUT_FINDING = pytest.StashKey[list[str]]()
#: Set on a test item that records its schemathesis failures itself, through ``judged``.
JUDGES_ITSELF = pytest.StashKey[bool]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[FINDINGS] = FindingLog()
    config.stash[FAILED_WITHOUT_FINDING] = []


@pytest.fixture(scope="session")
def findings(request: pytest.FixtureRequest) -> FindingLog:
    return request.config.stash[FINDINGS]


@pytest.fixture
def judged(request: pytest.FixtureRequest, findings: FindingLog) -> Callable[..., Any]:
    """``with judged(label, reproduce):`` records each schemathesis failure inside, as it happens.

    schemathesis' pytest plugin re-raises the failures of the example it reports as a new group at
    the end, so the gate knows such a test's failure groups by this mark, not by the objects."""
    request.node.stash[JUDGES_ITSELF] = True

    @contextmanager
    def judging(label: str, reproduce: Callable[[], str]) -> Iterator[None]:
        try:
            yield
        except FailureGroup as failures:
            # The last failing call is the example hypothesis reports; keep one finding per check.
            for finding in from_schemathesis(label, failures, reproduce(), request.node.nodeid):
                findings.add(finding)
            raise
        except Exception as error:
            findings.add(
                Finding(label, f"suite error: {type(error).__name__}", BLOCKING, str(error), test=request.node.nodeid)
            )
            raise

    return judging


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    report = yield
    if report.failed and call.excinfo is not None:
        _judge(item, call.when, call.excinfo.value)
    return report


def _judge(item: pytest.Item, when: str, error: BaseException) -> None:
    log = item.config.stash[FINDINGS]
    if item.stash.get(JUDGES_ITSELF, False) and _failures_only(error):
        return  # recorded by ``judged`` as they happened
    if isinstance(error, Breach):
        log.add(error.finding(item.nodeid))
    elif when != "call":
        # A fixture failed (sandbox set-up or clean-up): never let that pass as "conformant".
        item.config.stash[FAILED_WITHOUT_FINDING].append(f"{item.nodeid} ({when}): {error}")
    elif isinstance(error, AssertionError):
        check = getattr(item, "originalname", item.name)
        probe = getattr(getattr(item, "callspec", None), "params", {}).get("probe")
        check = f"{check}: {probe}" if probe else check
        log.add(Finding(operation_of(item), check, BLOCKING, str(error), test=item.nodeid))
    else:
        item.config.stash[FAILED_WITHOUT_FINDING].append(f"{item.nodeid}: {type(error).__name__}: {error}")


def _failures_only(error: BaseException) -> bool:
    """schemathesis failures, or a group of them (hypothesis reports distinct bugs as one group)."""
    if isinstance(error, FailureGroup):
        return True
    return isinstance(error, BaseExceptionGroup) and all(_failures_only(member) for member in error.exceptions)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    suite: Suite | None = config.stash.get(SUITE, None)
    if suite is None:
        return
    settings, target = suite.settings, suite.target
    try:
        baseline = load_baseline(settings.baseline) if settings.baseline else []
    except UsageError as error:
        suite.report = {"error": str(error)}
        session.exitstatus = suite.exit_code = 2
        return
    split = classify(config.stash[FINDINGS].all(), baseline, dt.date.today())
    blocking = [f for f in split["new"] + split["expired"] if settings.strict or f.severity == BLOCKING]
    warnings = [f for f in split["new"] if not settings.strict and f.severity == WARNING]
    unexplained = config.stash[FAILED_WITHOUT_FINDING]
    generation = detect_generation(suite.client) if suite.client.first_token else Generation("unknown", ["no session"])
    verdict = "FAIL" if blocking or unexplained else "PASS"
    summary = (
        f"{len(blocking)} blocking, {len(warnings)} warnings, {len(split['accepted'])} accepted by the "
        f"baseline, {len(split['expired'])} with an expired acceptance"
    )
    # pytest's own trouble (interrupted, usage or internal error, no tests) keeps the run from judging.
    suite.exit_code = session.exitstatus = (1 if verdict == "FAIL" else 0) if exitstatus in (0, 1) else 2
    operations = suite.contract.expressible
    status = {id(f): "accepted" for f in split["accepted"]} | {id(f): "expired" for f in split["expired"]}

    def reason(finding: Finding) -> str | None:
        return next((a.reason for a in baseline if a.matches(finding)), None)

    suite.report = {
        "target": target.base_url,
        "mode": target.mode,
        "seed": getattr(config.option, "hypothesis_seed", None),
        "generation": {"name": generation.name, "evidence": generation.evidence},
        "verdict": verdict,
        "summary": summary,
        "duration_seconds": time.monotonic() - config.stash[STARTED],
        "operations": sorted({op.label for op in operations}),
        "per_operation": {name: tally.as_dict() for name, tally in sorted(config.stash.get(TALLIES, {}).items())},
        "not_run": sorted(op.label for op in operations if op.safety not in target.allowed_safety),
        "unexplained_failures": unexplained,
        "findings": [
            {**f.as_dict(), "status": status.get(id(f), "new"), "reason": reason(f)}
            for f in split["new"] + split["expired"] + split["accepted"]
        ],
    }
    if settings.report_json:
        write_json(suite.report, settings.report_json)
    if settings.report_md:
        settings.report_md.write_text(markdown(suite.report), encoding="utf-8")


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    suite: Suite | None = config.stash.get(SUITE, None)
    report = suite.report if suite else None
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
