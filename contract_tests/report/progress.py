"""pytest plugin: progress a person can follow on the console, and per-operation totals for reports.

Each test's line gets its own duration and the run's elapsed time; at the end one row per operation
says how many tests ran against it, how they ended and how long they took. A run that is slow on
one endpoint (a rate-limited panel, a slow password hash) shows where the time went.
"""

from __future__ import annotations

import ast
import time
from dataclasses import asdict, dataclass

import pytest

from contract_tests.plugin import STARTED

TALLIES = pytest.StashKey[dict[str, "Tally"]]()
_SUBTEST_REPORT = getattr(pytest, "SubtestReport", ())  # pytest ≥ 9: subtests are reported separately


@dataclass
class Tally:
    """What ran against one operation."""

    passed: int = 0
    failed: int = 0
    skipped: int = 0
    seconds: float = 0.0

    @property
    def run(self) -> int:
        return self.passed + self.failed

    def as_dict(self) -> dict[str, float]:
        return {**asdict(self), "seconds": round(self.seconds, 3)}


def operation_of(item: pytest.Item) -> str:
    """``METHOD /path`` of the operation a test exercises, or the scenario it plays."""
    params = getattr(getattr(item, "callspec", None), "params", {})
    for name in ("documented_operation", "secured_operation", "body_operation"):
        if name in params:
            return params[name].label
    return f"scenario: {item.name}"


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(Progress(config), "openpanel-progress")


class Progress:
    """Registered once per run; keeps the per-operation tallies (also in ``config.stash[TALLIES]``)."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.tallies: dict[str, Tally] = {}
        self._subtests_seen = False
        config.stash[TALLIES] = self.tallies

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        report = yield
        report.openpanel_operation = operation_of(item)
        return report

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if isinstance(report, _SUBTEST_REPORT):
            # schemathesis runs one subtest per operation inside a single test; they are the tests.
            label = _subtest_label(report)
            if label and report.when == "call":
                self._subtests_seen = True
                self._count(label, report)
            return
        operation = getattr(report, "openpanel_operation", None)
        if operation is None:
            return
        if report.when == "call" and self._subtests_seen:
            self._subtests_seen = False  # its time and outcome are its subtests'
            return
        if report.when == "call" or (report.when == "setup" and not report.passed):
            self._count(operation, report)
        elif report.when == "teardown" and report.failed:
            self.tallies.setdefault(operation, Tally()).failed += 1

    def _count(self, operation: str, report: pytest.TestReport) -> None:
        tally = self.tallies.setdefault(operation, Tally())
        tally.seconds += report.duration
        tally.passed += report.passed
        tally.failed += report.failed
        tally.skipped += report.skipped

    @pytest.hookimpl(wrapper=True)
    def pytest_report_teststatus(self, report: pytest.TestReport, config: pytest.Config):
        status = yield
        if report.when != "call" or not status or not status[2]:
            return status
        category, letter, word = status
        markup: dict[str, bool] = {}
        if isinstance(word, tuple):
            word, markup = word
        elapsed = time.monotonic() - config.stash[STARTED]
        timed = f"{word} ({report.duration:.2f} s; {elapsed:.0f} s elapsed)"
        return category, letter, (timed, markup) if markup else timed

    @pytest.hookimpl(tryfirst=True)  # before the verdict, which closes the output
    def pytest_terminal_summary(self, terminalreporter) -> None:
        if not self.tallies:
            return
        terminalreporter.section("time per operation")
        width = max(len(name) for name in self.tallies)
        terminalreporter.write_line(f"{'operation':<{width}}  tests  failed  skipped  seconds")
        for name, tally in sorted(self.tallies.items(), key=lambda item: -item[1].seconds):
            terminalreporter.write_line(
                f"{name:<{width}}  {tally.run:>5}  {tally.failed:>6}  {tally.skipped:>7}  {tally.seconds:>7.1f}",
                red=tally.failed > 0,
            )


def _subtest_label(report: pytest.TestReport) -> str | None:
    """The ``label`` a subtest was started with (schemathesis: ``METHOD /path``); pytest keeps its repr."""
    label = (report.context.kwargs or {}).get("label")
    if not isinstance(label, str):
        return None
    try:
        value = ast.literal_eval(label)
    except (ValueError, SyntaxError):
        return label
    return value if isinstance(value, str) else label
