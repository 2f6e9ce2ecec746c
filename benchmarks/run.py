"""``tox -e bench``: the mock against Stoplight Prism's mock on the same spec, one server at a time.

Each server is started as its users start it (the mock as ``tox -e mock`` runs it; Prism tuned for
speed with ``-v silent``, and once with its default logging), then driven over loopback by
autocannon (a Node load generator) with the same scenarios, servers interleaved round by round.
Prints per-endpoint throughput, p50/p99 latency, server CPU per request (every process of the
server), start-up time, peak memory, the mock against its serving stack's ceiling (the same server
answering a constant body), the wait of normal requests among 100 slow clients, the ratios against
the targets of issue 12, the cost of validation and the wall time of a default conformance run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

from benchmarks import servers, slow_clients, validation_cost
from benchmarks.servers import Server

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "openapi.yaml"
LOGIN_BODY = json.dumps({"username": "admin", "password": "openpanel-mock"})
CREATE_BODY = json.dumps(
    {"username": "bench{n}", "password": "Bench-pass-1", "email": "bench{n}@example.com", "plan_name": "Standard plan"}
)


@dataclass(frozen=True)
class Scenario:
    name: str
    steps: tuple[dict[str, str], ...]
    read: bool = True


SCENARIOS = (
    Scenario("GET /api/whoami", ({"method": "GET", "path": "/api/whoami"},)),
    Scenario("GET /api/users", ({"method": "GET", "path": "/api/users"},)),
    Scenario("GET /api/users/{username}", ({"method": "GET", "path": "/api/users/example_user"},)),
    Scenario("GET /api/plans", ({"method": "GET", "path": "/api/plans"},)),
    Scenario("POST /api/ (login)", ({"method": "POST", "path": "/api/", "body": LOGIN_BODY},), read=False),
    Scenario(
        "create + delete user",
        (
            {"method": "POST", "path": "/api/users", "body": CREATE_BODY},
            {"method": "DELETE", "path": "/api/users/bench{n}"},
        ),
        read=False,
    ),
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__.splitlines()[0])
    parser.add_argument("--node-modules", type=Path, required=True, help="where npm installed prism-cli and autocannon")
    parser.add_argument("--duration", type=int, default=5, help="seconds per scenario (default: %(default)s)")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections (default: %(default)s)")
    parser.add_argument(
        "--rounds",
        type=int,
        default=3,
        help="start every server this many times, interleaved, and report medians: a shared machine's noise "
        "then hits all servers alike (default: %(default)s)",
    )
    parser.add_argument("--skip-suite", action="store_true", help="do not time a conformance run")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args(argv)
    bin_dir = args.node_modules / ".bin"
    if not (bin_dir / "prism").exists() or not (args.node_modules / "autocannon").exists():
        print(f"bench: prism and autocannon are not installed under {args.node_modules}", file=sys.stderr)
        return 2

    results: dict[str, dict] = {}
    mock = _script("openpanel-mock")
    reads = tuple(s for s in SCENARIOS if s.read)
    contenders = [
        ("mock", [mock, "--port", "{port}"], SCENARIOS),
        ("mock --no-answer-cache", [mock, "--port", "{port}", "--no-answer-cache"], reads),
        ("mock --server granian", [mock, "--port", "{port}", "--server", "granian"], SCENARIOS),
        ("ceiling", [sys.executable, "-m", "benchmarks.ceiling", "--port", "{port}"], reads),
        (
            "prism -v silent",
            [str(bin_dir / "prism"), "mock", "-h", "127.0.0.1", "-p", "{port}", "-v", "silent", str(SPEC)],
            SCENARIOS,
        ),
        (
            "prism (default logging)",
            [str(bin_dir / "prism"), "mock", "-h", "127.0.0.1", "-p", "{port}", str(SPEC)],
            reads,
        ),
    ]
    runs: dict[str, list[dict]] = {name: [] for name, _, _ in contenders}
    for round_number in range(1, args.rounds + 1):
        for name, command, scenarios in contenders:
            port = _free_port()
            command = [part.replace("{port}", str(port)) for part in command]
            print(f"· round {round_number}/{args.rounds}, {name}: starting", flush=True)
            with servers.running(name, command, f"http://127.0.0.1:{port}", "/api/") as server:
                token = _token(server) if name.startswith("mock") else "bench-token"
                rows = {}
                for scenario in scenarios:
                    rows[scenario.name] = _drive(server, scenario, token, args, args.node_modules)
                    row = rows[scenario.name]
                    print(
                        f"  {scenario.name}: {row['requests_per_second']:.0f} req/s, "
                        f"{row['cpu_ms']:.3f} ms CPU/request",
                        flush=True,
                    )
                run = {"startup_s": server.startup_s, "memory": vars(server.memory), "scenarios": rows}
                if name == "mock":
                    run["slow_clients"] = slow_clients.worst_wait(server.url, {"Authorization": f"Bearer {token}"})
            runs[name].append(run)
    results = {name: _medians(rounds) for name, rounds in runs.items()}

    print("· validation cost (in-process, no HTTP)", flush=True)
    cost = validation_cost.measure([s.steps[0]["path"] for s in SCENARIOS if s.read], rounds=300)
    suite = None if args.skip_suite else _suite_wall_time()
    _report(results, cost, suite)
    if args.json:
        args.json.write_text(json.dumps({"servers": results, "validation_ms": cost, "suite_s": suite}, indent=2))
    return 0


def _medians(rounds: list[dict]) -> dict:
    """One result per server: the median of each figure over the rounds, the worst memory, all errors."""
    scenarios = {}
    for name in rounds[0]["scenarios"]:
        rows = [run["scenarios"][name] for run in rounds]
        scenarios[name] = {key: statistics.median(row[key] for row in rows) for key in rows[0]}
        for key in ("non_2xx", "errors"):
            scenarios[name][key] = sum(row[key] for row in rows)
    memory = {key: max(run["memory"][key] for run in rounds) for key in rounds[0]["memory"]}
    startup = statistics.median(run["startup_s"] for run in rounds)
    result = {"startup_s": startup, "memory": memory, "scenarios": scenarios}
    if "slow_clients" in rounds[0]:
        result["slow_clients"] = {
            key: max(run["slow_clients"][key] for run in rounds) for key in ("worst_s", "median_s")
        }
    return result


def _drive(server: Server, scenario: Scenario, token: str, args: argparse.Namespace, node_modules: Path) -> dict:
    def run(duration: int) -> dict:
        spec = {
            "url": server.url,
            "connections": args.connections,
            "duration": duration,
            "headers": {"authorization": f"Bearer {token}"},
            "steps": list(scenario.steps),
        }
        completed = subprocess.run(
            ["node", str(ROOT / "benchmarks" / "loadgen.js"), json.dumps(spec)],
            capture_output=True,
            text=True,
            env={**os.environ, "NODE_PATH": str(node_modules)},
            check=True,
        )
        return json.loads(completed.stdout)

    run(1)  # warm-up: caches, JIT, connection pools
    cpu_before = servers.cpu_seconds(server.pid)
    row = run(args.duration)
    cpu = servers.cpu_seconds(server.pid) - cpu_before
    row["cpu_ms"] = cpu * 1000 / max(row["total"], 1)
    return row


def _token(server: Server) -> str:
    response = requests.post(f"{server.url}/api/", data=LOGIN_BODY, headers={"Content-Type": "application/json"})
    response.raise_for_status()
    return response.json()["access_token"]


def _suite_wall_time() -> float:
    print("· conformance suite: openpanel-contract --mock (default budget, read-only)", flush=True)
    started = time.perf_counter()
    subprocess.run([_script("openpanel-contract"), "--mock"], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def _script(name: str) -> str:
    """A console script of this environment, found beside its interpreter when not on PATH."""
    beside = Path(sys.executable).parent / name
    return str(beside) if beside.exists() else shutil.which(name) or name


def _free_port() -> int:
    from mock_server.serving import claimable_port

    return claimable_port("127.0.0.1", 0)


def _report(results: dict[str, dict], cost: dict[str, dict[str, float]], suite: float | None) -> None:
    prism, loud, ceiling = results["prism -v silent"], results["prism (default logging)"], results["ceiling"]
    reads = {scenario.name for scenario in SCENARIOS if scenario.read}
    missed = []
    for name in ("mock", "mock --no-answer-cache", "mock --server granian"):
        mock = results[name]
        print(f"\n{name} vs prism -v silent (medians of every round): req/s p50/p99 ms errors; CPU ms/request")
        print(f"{'scenario':28} {name:>24} {'prism -v silent':>20} {'req/s':>6} {'p99':>3} {'CPU':>5} {'ceil':>5}")
        for scenario, row in mock["scenarios"].items():
            other = prism["scenarios"][scenario]
            ratio = row["requests_per_second"] / max(other["requests_per_second"], 1e-9)
            cpu_ratio = row["cpu_ms"] / max(other["cpu_ms"], 1e-9)
            p99_ok = row["p99_ms"] <= other["p99_ms"]
            of_ceiling = ""
            verdict = ""
            if scenario in reads:
                share = row["requests_per_second"] / max(ceiling["scenarios"][scenario]["requests_per_second"], 1e-9)
                of_ceiling = f"{share:5.2f}"
                met = ratio >= 1.5 and p99_ok and cpu_ratio <= 1
                verdict = "  read target (>=1.5x, p99 <=, CPU <=): " + ("met" if met else "MISSED")
                if not met and name == "mock":
                    missed.append(f"{name}: {scenario}")
            elif scenario.endswith("(login)"):
                met = ratio >= 1.0
                verdict = "  login target (>=1.0x): " + ("met" if met else "MISSED")
                if not met and name == "mock":
                    missed.append(f"{name}: login")
            p99_mark = "<=" if p99_ok else ">"
            print(
                f"{scenario:28} {_cell(row):>24} {_cell(other):>20} {ratio:5.2f}x {p99_mark:>3} "
                f"{cpu_ratio:5.2f} {of_ceiling:>5}{verdict}"
            )
    print("\n(CPU: server CPU per request, ours/Prism's; ceil: ours/the same server answering a constant body)")
    print("\nPrism's default logging (what it costs Prism):")
    for scenario, row in loud["scenarios"].items():
        speedup = prism["scenarios"][scenario]["requests_per_second"] / max(row["requests_per_second"], 1e-9)
        print(f"  {scenario:28} {row['requests_per_second']:8.0f} req/s; -v silent is {speedup:.1f}x faster")
    print("\nStart-up to first answer; peak memory (RSS summed over processes | PSS, shared pages split):")
    for name, result in results.items():
        memory = result["memory"]
        rss, pss = memory["peak_rss_kb"] / 1024, memory["peak_pss_kb"] / 1024
        print(f"  {name:26} {result['startup_s']:5.2f} s   RSS {rss:6.1f} MiB | PSS {pss:6.1f} MiB")
        if name == "mock":
            if result["startup_s"] > 1:
                missed.append(f"{name}: start-up")
            if pss > prism["memory"]["peak_pss_kb"] / 1024:
                missed.append(f"{name}: memory")
    waits = results["mock"]["slow_clients"]
    print(
        f"\nAmong 100 slow clients (50 dribbling headers, 50 trickling a body), normal reads waited: worst "
        f"{waits['worst_s'] * 1000:.1f} ms, median {waits['median_s'] * 1000:.1f} ms (target: worst <= 500 ms)"
    )
    if waits["worst_s"] > 0.5:
        missed.append("mock: slow clients")
    print("\nValidation cost per request, in-process (ms): remembered verdicts | openapi-core every time | off")
    for path, modes in cost.items():
        print(f"  GET {path:28} {modes['remembered']:6.3f} | {modes['every request']:6.3f} | {modes['off']:6.3f}")
    if suite is not None:
        print(f"\nConformance suite, default read-only run against a fresh mock: {suite:.1f} s wall time")
    print("\nTargets missed: " + ("; ".join(missed) if missed else "none"))


def _cell(row: dict) -> str:
    return f"{row['requests_per_second']:.0f} {row['p50_ms']:.0f}/{row['p99_ms']:.0f} {row['non_2xx'] + row['errors']}"


if __name__ == "__main__":
    sys.exit(main())
