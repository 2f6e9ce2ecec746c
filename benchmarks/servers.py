"""Start a server under test, time its start-up, sample its memory, stop it by PID."""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import requests

from contract_tests.run.local_mock import stop_process


@dataclass
class Memory:
    """Peak memory of a process tree: RSS summed over processes, and PSS (shared pages split fairly).

    A forked server's processes share most pages, so summed RSS counts them once per process; PSS is
    what the tree really costs. A single-process server has RSS == PSS (give or take).
    """

    peak_rss_kb: int = 0
    peak_pss_kb: int = 0


@dataclass
class Server:
    name: str
    url: str
    startup_s: float
    pid: int
    memory: Memory = field(default_factory=Memory)


@contextmanager
def running(
    name: str, command: list[str], url: str, ready_path: str, env: dict[str, str] | None = None
) -> Iterator[Server]:
    """Run ``command`` until the block ends; ``startup_s`` is launch → first HTTP answer on ``ready_path``."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, **(env or {})}
    )
    try:
        startup = _first_answer(process, url + ready_path, started)
        server = Server(name, url, startup, process.pid)
        stop = threading.Event()
        sampler = threading.Thread(target=_sample, args=(process.pid, server.memory, stop), daemon=True)
        sampler.start()
        try:
            yield server
        finally:
            stop.set()
            sampler.join()
    finally:
        stop_process(process, grace=15)


def _first_answer(process: subprocess.Popen, url: str, started: float, timeout: float = 60.0) -> float:
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[0]} exited with {process.returncode} before answering")
        try:
            requests.get(url, timeout=1)
            return time.perf_counter() - started
        except requests.ConnectionError:
            time.sleep(0.005)
    raise RuntimeError(f"no answer from {url} within {timeout:.0f} s")


def _sample(pid: int, memory: Memory, stop: threading.Event) -> None:
    while not stop.is_set():
        rss = pss = 0
        for member in _tree(pid):
            rss += _field(Path(f"/proc/{member}/status"), "VmRSS:")
            pss += _field(Path(f"/proc/{member}/smaps_rollup"), "Pss:")
        memory.peak_rss_kb = max(memory.peak_rss_kb, rss)
        memory.peak_pss_kb = max(memory.peak_pss_kb, pss)
        stop.wait(0.05)


def _tree(pid: int) -> list[int]:
    members, frontier = [pid], [pid]
    while frontier:
        parent = frontier.pop()
        try:
            children = Path(f"/proc/{parent}/task/{parent}/children").read_text().split()
        except OSError:
            continue
        members += map(int, children)
        frontier += map(int, children)
    return members


def _field(path: Path, name: str) -> int:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(name):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time used so far by a process and every live descendant."""
    ticks = 0
    for member in _tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
        except (OSError, ValueError, IndexError):
            continue
    return ticks / os.sysconf("SC_CLK_TCK")
