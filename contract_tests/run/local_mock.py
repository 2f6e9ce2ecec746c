"""Start ``openpanel-mock`` on a free loopback port in a child process, exactly as a user would."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from contract_tests.config.settings import UsageError

_SERVING = re.compile(r"serving (http://\S+?)/api/")
STARTUP_TIMEOUT = 30.0
#: The built-in fixtures' demo administrator, and their demo reseller.
DEMO_USERNAME, DEMO_PASSWORD = "admin", "openpanel-mock"
DEMO_RESELLER = ("reseller", "openpanel-mock")


@contextmanager
def running_mock(*extra_args: str) -> Iterator[str]:
    """Yield the base URL of a fresh mock; stop it (by its PID) afterwards."""
    with mock_process(*extra_args) as (_, url):
        yield url


@contextmanager
def mock_process(*extra_args: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """The mock's process and base URL, for callers that signal it themselves."""
    process = subprocess.Popen(
        [sys.executable, "-m", "mock_server.cli", "--host", "127.0.0.1", "--port", "0", *extra_args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = _wait_for_url(process)
        # Keep reading the mock's log so a full pipe can never block it.
        threading.Thread(target=_drain, args=(process,), daemon=True).start()
        yield process, url
    finally:
        stop_process(process)


def stop_process(process: subprocess.Popen, grace: float = 10.0) -> None:
    """SIGTERM, then SIGKILL if the process has not exited within ``grace`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _wait_for_url(process: subprocess.Popen[str]) -> str:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    assert process.stdout is not None
    seen = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line.strip())
        match = _SERVING.search(line)
        if match:
            return match.group(1)
    raise UsageError(f"the mock did not start: {' | '.join(seen[-3:]) or 'no output'}")


def _drain(process: subprocess.Popen[str]) -> None:
    assert process.stdout is not None
    for _ in process.stdout:
        pass
