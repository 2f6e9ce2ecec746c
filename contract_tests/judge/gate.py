"""pytest plugin, the gate: the one place that turns failures into findings, applies the baseline and
the severity policy, decides the verdict and the exit code, and hands the report to the writers.

Tests say what broke by raising: ``Breach`` from the suite's own checks, a plain failed assertion in a
state scenario, schemathesis' ``FailureGroup`` from fuzzing. Hypothesis runs a fuzzing test many
times and pytest sees only its last failure, so such tests pass each call through ``judged``, which
records every failing example as it happens with the same rules.

Verdicts and exit codes: PASS 0 (conformant, or only accepted findings and warnings), FAIL 1,
INTERRUPTED 2 (a signal stopped the run; it never passes), ERROR 2 (the run could not judge).
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
from contract_tests.judge.kinds import LOST_STATE
from contract_tests.plugin import STARTED, SUITE, Suite
from contract_tests.report.progress import TALLIES, operation_of
from contract_tests.report.reports import causes, console_summary, markdown, write_json
from contract_tests.run import interrupts
from contract_tests.run.generation import Generation

FINDINGS = pytest.StashKey[FindingLog]()
FAILED_WITHOUT_FINDING = pytest.StashKey[list[str]]()
#: Effects the contract documents that this panel's API gives no way to read back.
NOT_SHOWN = pytest.StashKey[dict[tuple[str, str], str]]()
#: Set on a test item that records its schemathesis failures itself, through ``judged``.
JUDGES_ITSELF = pytest.StashKey[bool]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[FINDINGS] = FindingLog()
    config.stash[FAILED_WITHOUT_FINDING] = []
    config.stash[NOT_SHOWN] = {}


@pytest.fixture(scope="session")
def findings(request: pytest.FixtureRequest) -> FindingLog:
    return request.config.stash[FINDINGS]


@pytest.fixture(scope="session")
def not_shown(request: pytest.FixtureRequest) -> Callable[[str, str, str], None]:
    """``not_shown(operation, effect, why)``: a documented effect this panel offers no way to read back."""
    seen = request.config.stash[NOT_SHOWN]
    return lambda operation, effect, why: seen.setdefault((operation, effect), why)


@pytest.fixture
def judged(request: pytest.FixtureRequest, findings: FindingLog) -> Callable[..., Any]:
    """``with judged(label, reproduce, answer):`` records each schemathesis failure inside, as it happens
    (``answer()`` gives the response judged, for the finding's kind).

    schemathesis' pytest plugin re-raises the failures of the example it reports as a new group at
    the end, so the gate knows such a test's failure groups by this mark, not by the objects."""
    request.node.stash[JUDGES_ITSELF] = True

    @contextmanager
    def judging(label: str, reproduce: Callable[[], str], answer: Callable[[], Any] = lambda: None) -> Iterator[None]:
        try:
            yield
        except FailureGroup as failures:
            status, body = _status_and_body(answer())
            for finding in from_schemathesis(label, failures, reproduce(), request.node.nodeid, status, body):
                findings.add(finding)
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
        # A bare failed assertion of a scenario: the state it looked at is not what the change said.
        check = getattr(item, "originalname", item.name)
        log.add(Finding(operation_of(item), check, BLOCKING, str(error), test=item.nodeid, kind=LOST_STATE))
    else:
        item.config.stash[FAILED_WITHOUT_FINDING].append(f"{item.nodeid}: {type(error).__name__}: {error}")


def _status_and_body(response: Any) -> tuple[int | None, Any]:
    """The status and parsed body of the answer schemathesis judged (``None`` s when unknown)."""
    if response is None:
        return None, None
    try:
        return response.status_code, response.json()
    except ValueError:
        return response.status_code, None


def _failures_only(error: BaseException) -> bool:
    """schemathesis failures, or a group of them (hypothesis reports distinct bugs as one group)."""
    if isinstance(error, FailureGroup):
        return True
    return isinstance(error, BaseExceptionGroup) and all(_failures_only(member) for member in error.exceptions)


@pytest.hookimpl(trylast=True)  # after pytest's own, which tears the session (and the sandbox) down
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    suite: Suite | None = config.stash.get(SUITE, None)
    if suite is None:
        return
    settings, target = suite.settings, suite.target
    try:
        baseline = load_baseline(settings.baseline) if settings.baseline else []
    except UsageError as error:
        suite.report = {"verdict": "ERROR", "error": str(error)}
        session.exitstatus = suite.exit_code = 2
        return
    split = classify(config.stash[FINDINGS].all(), baseline, dt.date.today())
    blocking = [f for f in split["new"] + split["expired"] if settings.strict or f.severity == BLOCKING]
    warnings = [f for f in split["new"] if not settings.strict and f.severity == WARNING]
    unexplained = config.stash[FAILED_WITHOUT_FINDING] + [f"could not remove {item}" for item in suite.leftovers]
    # Ctrl-C, or a SIGTERM the command turned into one, ends pytest with INTERRUPTED; so does the
    # suite's own stop on a usage error, which it records first.
    interrupted = interrupts.received() is not None or (
        exitstatus == pytest.ExitCode.INTERRUPTED and suite.usage_error is None
    )
    if interrupted:
        verdict = "INTERRUPTED"
    elif suite.usage_error is not None or exitstatus not in (0, 1):  # pytest's own trouble: no judgement
        verdict = "ERROR"
    else:
        verdict = "FAIL" if blocking or unexplained else "PASS"
    suite.exit_code = session.exitstatus = {"PASS": 0, "FAIL": 1}.get(verdict, 2)
    generation = suite.generation or Generation("unknown", ["not asked: the run ended before its first test"])
    status = {id(f): "accepted" for f in split["accepted"]} | {id(f): "expired" for f in split["expired"]}

    def reason(finding: Finding) -> str | None:
        return next((a.reason for a in baseline if a.matches(finding)), None)

    listed = [
        {**f.as_dict(), "status": status.get(id(f), "new"), "reason": reason(f)}
        for f in split["new"] + split["expired"] + split["accepted"]
    ]
    operations = suite.contract.operations
    suite.report = {
        "target": target.base_url,
        "mode": target.mode,
        "seed": getattr(config.option, "hypothesis_seed", None),
        "generation": {"name": generation.name, "evidence": generation.evidence},
        "verdict": verdict,
        **({"error": suite.usage_error} if suite.usage_error else {}),
        "summary": (
            f"{len(blocking)} blocking, {len(warnings)} warnings, {len(split['accepted'])} accepted by the "
            f"baseline, {len(split['expired'])} with an expired acceptance"
        ),
        "duration_seconds": time.monotonic() - config.stash[STARTED],
        "operations": sorted({op.label for op in operations}),
        "per_operation": {name: tally.as_dict() for name, tally in sorted(config.stash.get(TALLIES, {}).items())},
        "not_run": sorted(op.label for op in operations if op.safety not in target.allowed_safety),
        "never_sent_valid": sorted(op.label for op in operations if op.ends_run),
        "not_served": sorted(op.label for op in operations if not suite.serving.serves(op)),
        "not_served_evidence": suite.serving.evidence,
        "unexplained_failures": unexplained,
        "leftovers": suite.leftovers,
        "effects_not_shown": [
            {"operation": operation, "effect": effect, "why": why}
            for (operation, effect), why in sorted(config.stash[NOT_SHOWN].items())
        ],
        "causes": causes(listed),
        "findings": listed,
    }
    if settings.report_json:
        write_json(suite.report, settings.report_json)
    if settings.report_md:
        settings.report_md.write_text(markdown(suite.report), encoding="utf-8")


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    suite: Suite | None = config.stash.get(SUITE, None)
    if suite is not None and suite.report:
        console_summary(terminalreporter, suite.report)
