"""``openpanel-contract``: run the conformance suite against a panel and exit 0 only if it conforms.

Exit codes: 0 conformant, 1 contract violations, 2 usage or connection error.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pytest

from contract_tests.local_mock import DEMO_PASSWORD, DEMO_USERNAME, running_mock
from contract_tests.session import PanelSession
from contract_tests.settings import DEFAULT_SPEC, Target, UsageError

SUITE_DIR = Path(__file__).resolve().parent


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="openpanel-contract",
        description="Check an OpenPanel admin API deployment against the contract (read-only unless --mutating).",
        epilog="Arguments after -- go to pytest unchanged.",
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--base-url", help="panel URL, e.g. https://panel.example.com:2087 (or OPENPANEL_URL)")
    where.add_argument("--mock", action="store_true", help="start a local mock on a free port and test that")
    parser.add_argument("--username", help="OpenAdmin username (or OPENPANEL_USERNAME)")
    parser.add_argument("--password", help="OpenAdmin password (or OPENPANEL_PASSWORD)")
    parser.add_argument(
        "--mutating", action="store_true", help="also call write operations on accounts the suite creates"
    )
    parser.add_argument(
        "--destructive",
        action="store_true",
        help="also delete and call operations on what the suite did not create (services, logs); implies --mutating",
    )
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="contract file (default: the bundled spec)")
    parser.add_argument("--max-examples", type=int, default=25, help="generated cases per operation (default 25)")
    parser.add_argument("--seed", type=int, help="hypothesis seed, to reproduce a run")
    parser.add_argument("--insecure", action="store_true", help="do not verify TLS certificates (self-signed panels)")
    parser.add_argument("--junit-xml", type=Path, help="also write a JUnit XML report here")
    parser.add_argument("pytest_args", nargs="*", help=argparse.SUPPRESS)
    return parser


def pytest_arguments(args: argparse.Namespace, base_url: str | None) -> list[str]:
    """Translate the command line into the suite's pytest options (credentials stay out of argv)."""
    argv = [
        str(SUITE_DIR),
        "-p",
        "no:cacheprovider",
        "-q",
        "-rfE",
        "--tb=short",
        "--openpanel-spec",
        str(args.spec),
        "--max-examples",
        str(args.max_examples),
    ]
    if base_url:
        argv += ["--openpanel-url", base_url]
    if args.mutating:
        argv.append("--mutating")
    if args.destructive:
        argv.append("--destructive")
    if args.insecure:
        argv.append("--insecure")
    if args.seed is not None:
        argv.append(f"--hypothesis-seed={args.seed}")
    if args.junit_xml:
        argv.append(f"--junit-xml={args.junit_xml}")
    return argv + list(args.pytest_args)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.max_examples < 1:
        parser.error("--max-examples must be at least 1")
    if not args.spec.is_file():
        return _fail(f"contract file not found: {args.spec}")
    try:
        if args.mock:
            with running_mock("--spec", str(args.spec)) as url:
                print(f"openpanel-contract: testing a local mock at {url}", flush=True)
                return _run(args, url, DEMO_USERNAME, DEMO_PASSWORD)
        return _run(args, args.base_url, args.username, args.password)
    except UsageError as error:
        return _fail(str(error))


def _run(args: argparse.Namespace, base_url: str | None, username: str | None, password: str | None) -> int:
    # Credentials travel through the environment, never through argv (visible in `ps`) or reports.
    previous = {key: os.environ.get(key) for key in ("OPENPANEL_USERNAME", "OPENPANEL_PASSWORD")}
    if username:
        os.environ["OPENPANEL_USERNAME"] = username
    if password:
        os.environ["OPENPANEL_PASSWORD"] = password
    try:
        # Fail fast with one line on a bad URL, an unreachable panel or refused credentials.
        target = Target.resolve(base_url, username, password, verify_tls=not args.insecure)
        PanelSession(target).token()
        code = int(pytest.main(pytest_arguments(args, target.base_url)))
    finally:
        for key, value in previous.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return {0: 0, 1: 1}.get(code, 2)


def _fail(message: str) -> int:
    print(f"openpanel-contract: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
