"""An interrupted run never passes, never exits 0, and leaves nothing behind — whenever the signal lands.

Each case starts ``openpanel-contract`` as a real process, signals it at one moment of its run (before
it logged in, once it created its first account, while it fuzzes, twice in a row), and checks what a
CI job depends on: exit status 2, the verdict INTERRUPTED, no ``octest…`` account, plan or domain on
the panel, and no local mock left running.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from contract_tests.config.settings import SANDBOX_PREFIX, Target
from contract_tests.run.client import ApiClient
from contract_tests.run.local_mock import DEMO_PASSWORD, DEMO_USERNAME, running_mock
from contract_tests.run.readers import listed_names

#: moment → what must have happened before the signal is sent
MOMENTS = {
    # The command's first line: from then on every signal counts (before it, the interpreter is still
    # starting, and a signal the parent set to be ignored cannot be seen by anyone).
    "at start-up": lambda progress: "run started" in progress["output"],
    "after the first create": lambda progress: progress["journal"] > 0,
    "while fuzzing": lambda progress: "test_conformance" in progress["output"],
}


def _leftovers(url: str) -> list[str]:
    client = ApiClient(Target(base_url=url, username=DEMO_USERNAME, password=DEMO_PASSWORD))
    names = listed_names(client.call("listUsers").json())
    names += [p["name"] for p in client.call("listPlans").json()["plans"]]
    names += [d["domain_url"] for d in client.call("listDomains").json()["domains"]]
    return [name for name in names if SANDBOX_PREFIX in name]


def _run(args: list[str], journal: Path, *, ignore_sigint: bool = False) -> subprocess.Popen[str]:
    env = {**os.environ, "OPENPANEL_USERNAME": DEMO_USERNAME, "OPENPANEL_PASSWORD": DEMO_PASSWORD}
    preexec = (lambda: signal.signal(signal.SIGINT, signal.SIG_IGN)) if ignore_sigint else None
    return subprocess.Popen(
        [sys.executable, "-m", "contract_tests.cli", *args, "--journal", str(journal), "--max-examples", "20"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
        preexec_fn=preexec,
    )


def _signal_when(process: subprocess.Popen[str], journal: Path, ready, signums: list[int]) -> str:
    """Follow the run's output until ``ready`` holds, send ``signums``, and return all the output."""
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout), daemon=True)
    reader.start()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        written = journal.read_text().count("\n") if journal.exists() else 0
        if ready({"output": "".join(lines), "journal": written}):
            break
        time.sleep(0.02)
    assert process.poll() is None, "the run ended before the moment came:\n" + "".join(lines)[-2000:]
    for signum in signums:
        process.send_signal(signum)
        time.sleep(0.05)
    try:
        process.wait(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    reader.join(10)
    return "".join(lines)


@pytest.mark.parametrize("moment", list(MOMENTS))
@pytest.mark.parametrize(
    ("signums", "ignored"),
    [([signal.SIGTERM], False), ([signal.SIGINT], True), ([signal.SIGINT, signal.SIGTERM], False)],
    ids=["SIGTERM", "SIGINT, ignored by the parent", "SIGINT then SIGTERM"],
)
def test_an_interrupted_run_exits_2_and_leaves_nothing(moment, signums, ignored, tmp_path: Path):
    journal = tmp_path / "journal.jsonl"
    report = tmp_path / "report.json"
    with running_mock() as url:
        process = _run(["--base-url", url, "--mutating", "--report-json", str(report)], journal, ignore_sigint=ignored)
        output = _signal_when(process, journal, MOMENTS[moment], signums)
        if process.returncode != 2:
            Path(f"/tmp/int-fail-{time.time()}.txt").write_text(output)
        assert process.returncode == 2, f"exit {process.returncode}:\n{output[-3000:]}"
        assert "verdict: PASS" not in output
        if report.exists():
            assert json.loads(report.read_text())["verdict"] == "INTERRUPTED"
            assert "verdict: INTERRUPTED" in output
        assert _leftovers(url) == [], output[-3000:]


def test_an_interrupted_mock_run_stops_its_mock(tmp_path: Path):
    journal = tmp_path / "journal.jsonl"
    process = _run(["--mock", "--mutating"], journal)
    output = _signal_when(process, journal, MOMENTS["after the first create"], [signal.SIGTERM])
    assert process.returncode == 2 and "verdict: INTERRUPTED" in output, output[-3000:]
    url = re.search(r"testing a local mock at (\S+)", output).group(1)
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/__mock__/health", timeout=5)
