"""A twin judged by the suite: one ``--destructive`` run, its failures, and what it left on the panel.

Each flavor test names, per departing deviation, a pattern of the suite's report that shows it
(``evidence``) and which departing deviations no check of the suite can see (``unseen``, with why);
every failure of the run must be one of them.
"""

from __future__ import annotations

import json
import re
import urllib.request
from dataclasses import dataclass

from contract_tests.run.local_mock import running_mock
from mock_server.variants import load_all
from tests.suite_runs import Failure, failures, run_suite


@dataclass(frozen=True)
class FlavorRun:
    output: str
    failures: list[Failure]
    #: ``GET /__mock__/state`` after the run, before the mock stopped.
    state: dict

    def leftovers(self) -> dict[str, list]:
        return {kind: [item for item in items if "octest" in json.dumps(item)] for kind, items in self.state.items()}


def run_against(flavor: str) -> FlavorRun:
    with running_mock("--flavor", flavor) as url:
        result = run_suite(url, "--destructive")
        with urllib.request.urlopen(f"{url}/__mock__/state", timeout=10) as response:
            state = json.load(response)
    assert result.returncode == 1, result.stdout[-3000:] + result.stderr[-2000:]
    return FlavorRun(result.stdout, failures(result.stdout), state)


def departing(flavor: str) -> set[str]:
    return {item.name for item in load_all().group(flavor) if not item.conforms}


def matches(failure: Failure, pattern: str) -> bool:
    return re.search(pattern, f"{failure.test}\n{failure.text}") is not None


def unexplained(run: FlavorRun, patterns: list[str]) -> list[Failure]:
    return [f for f in run.failures if not any(matches(f, pattern) for pattern in patterns)]


def describe(found: list[Failure]) -> str:
    return "\n---\n".join(f"{f.test}: {f.text[:600]}" for f in found[:5])
