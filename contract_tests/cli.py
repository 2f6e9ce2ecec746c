"""``openpanel-contract``: the release gate for an OpenPanel admin API deployment.

    openpanel-contract [run] --base-url URL [--mutating|--destructive] [--baseline FILE] …
    openpanel-contract diff OLD.json NEW.json
    openpanel-contract baseline REPORT.json --output FILE --reason TEXT [--expires YYYY-MM-DD]
    openpanel-contract cleanup --base-url URL

Exit codes: 0 conformant (or only baselined findings and warnings), 1 contract violations (``diff``:
new findings), 2 usage or connection error.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import pytest

from contract_model import DEFAULT_SPEC, Contract
from contract_tests.config.settings import RunSettings, Target, UsageError
from contract_tests.judge.baseline import write_baseline
from contract_tests.plugin import SUITE_PLUGINS, Suite
from contract_tests.report.reports import diff, load_json
from contract_tests.run.cleanup import find_leftovers
from contract_tests.run.client import ApiClient
from contract_tests.run.local_mock import DEMO_PASSWORD, DEMO_USERNAME, running_mock

SUITE_DIR = Path(__file__).resolve().parent / "suite"
COMMANDS = ("run", "diff", "baseline", "cleanup")


def _connection_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base-url", help="panel URL, e.g. https://panel.example.com:2087 (or OPENPANEL_URL)")
    parser.add_argument("--username", help="OpenAdmin username (or OPENPANEL_USERNAME)")
    parser.add_argument("--password", help="OpenAdmin password (or OPENPANEL_PASSWORD)")
    parser.add_argument("--insecure", action="store_true", help="do not verify TLS certificates (self-signed panels)")
    parser.add_argument("--ca-bundle", type=Path, help="verify TLS against this CA bundle")
    parser.add_argument("--rate", help="at most this many requests, e.g. 10/s or 300/m (respects 429 anyway)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="openpanel-contract", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command")

    run = commands.add_parser(
        "run",
        help="test a deployment against the contract (the default command)",
        epilog="Arguments after -- go to pytest unchanged.",
    )
    _connection_options(run)
    run.add_argument("--mock", action="store_true", help="start a local mock on a free port and test that")
    run.add_argument("--mutating", action="store_true", help="also call write operations on what the suite creates")
    run.add_argument(
        "--destructive",
        action="store_true",
        help="also change what the suite did not create (services, notifications); implies --mutating",
    )
    run.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="contract file (default: the bundled spec)")
    run.add_argument("--max-examples", type=int, default=25, help="generated cases per operation (default 25)")
    run.add_argument("--seed", type=int, help="hypothesis seed, to reproduce a run")
    run.add_argument("--max-time", type=float, help="seconds after which no further operation is fuzzed")
    run.add_argument(
        "--expired-token",
        default=os.environ.get("OPENPANEL_EXPIRED_TOKEN"),
        help="an expired token of this panel, for the expired-token probes (or OPENPANEL_EXPIRED_TOKEN)",
    )
    run.add_argument("--baseline", type=Path, help="YAML file of accepted deviations")
    run.add_argument("--strict", action="store_true", help="undocumented status codes and headers block too")
    run.add_argument("--report-json", type=Path, help="write a JSON report (for diff and baseline)")
    run.add_argument("--report-md", type=Path, help="write a Markdown report")
    run.add_argument("--junit-xml", type=Path, help="write a JUnit XML report")
    run.add_argument("pytest_args", nargs="*", help=argparse.SUPPRESS)

    compare = commands.add_parser("diff", help="compare two JSON reports: new, fixed, unchanged findings")
    compare.add_argument("old", type=Path)
    compare.add_argument("new", type=Path)

    accept = commands.add_parser("baseline", help="write a baseline accepting every finding of a JSON report")
    accept.add_argument("report", type=Path)
    accept.add_argument("--output", "-o", type=Path, required=True)
    accept.add_argument("--reason", required=True, help="why these deviations are accepted")
    accept.add_argument("--expires", help="YYYY-MM-DD after which the acceptance no longer holds")

    clean = commands.add_parser("cleanup", help="delete accounts, plans and domains earlier runs left behind")
    _connection_options(clean)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in (*COMMANDS, "-h", "--help"):
        argv.insert(0, "run")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return {"run": _run, "diff": _diff, "baseline": _baseline, "cleanup": _cleanup}[args.command](args)
    except UsageError as error:
        return _fail(str(error))


def _target(
    args: argparse.Namespace,
    base_url: str | None = None,
    username: str | None = None,
    password: str | None = None,
    **modes: bool,
) -> Target:
    verify: bool | str = False if args.insecure else (str(args.ca_bundle) if args.ca_bundle else True)
    if args.ca_bundle and not args.ca_bundle.is_file():
        raise UsageError(f"CA bundle not found: {args.ca_bundle}")
    return Target.resolve(
        base_url or args.base_url,
        username or args.username,
        password or args.password,
        verify_tls=verify,
        rate=args.rate,
        **modes,
    )


def _run(args: argparse.Namespace) -> int:
    if args.max_examples < 1:
        raise UsageError("--max-examples must be at least 1")
    if not args.spec.is_file():
        raise UsageError(f"contract file not found: {args.spec}")
    modes = {"mutating": args.mutating, "destructive": args.destructive}
    if args.mock:
        with running_mock("--spec", str(args.spec)) as url:
            print(f"openpanel-contract: testing a local mock at {url}", flush=True)
            return _suite(args, _target(args, url, DEMO_USERNAME, DEMO_PASSWORD, **modes), mock_clock=True)
    return _suite(args, _target(args, **modes))


def _suite(args: argparse.Namespace, target: Target, *, mock_clock: bool = False) -> int:
    """Log in once (a bad URL or refused credentials is one line), then hand the run to pytest."""
    settings = RunSettings(
        spec_path=args.spec,
        max_examples=args.max_examples,
        max_time=args.max_time,
        baseline=args.baseline,
        report_json=args.report_json,
        report_md=args.report_md,
        strict=args.strict,
        mock_clock=mock_clock,
        expired_token=args.expired_token,
    )
    suite = Suite(target, settings, ApiClient(target, Contract.load(args.spec)))
    suite.client.token()
    pytest.main(pytest_arguments(args), plugins=[suite, *SUITE_PLUGINS])
    return suite.exit_code


def pytest_arguments(args: argparse.Namespace) -> list[str]:
    """pytest's own options for a run; everything about the target travels in the ``Suite`` object."""
    argv = [str(SUITE_DIR), "-p", "no:cacheprovider", "-v", "-rfE", "--tb=short"]
    if args.seed is not None:
        argv.append(f"--hypothesis-seed={args.seed}")
    if args.junit_xml:
        argv.append(f"--junit-xml={args.junit_xml}")
    return argv + list(args.pytest_args)


def _diff(args: argparse.Namespace) -> int:
    result = diff(load_json(args.old), load_json(args.new))
    for kind in ("new", "fixed", "unchanged"):
        print(f"{kind}: {len(result[kind])}")
        for finding in result[kind]:
            print(f"  {finding['operation']}: {finding['check']} ({finding['severity']})")
    return 1 if result["new"] else 0


def _baseline(args: argparse.Namespace) -> int:
    report = load_json(args.report)
    open_findings = [f for f in report["findings"] if f.get("status") != "accepted"]
    count = write_baseline(open_findings, args.output, args.reason, args.expires)
    print(f"openpanel-contract: wrote {count} accepted deviations to {args.output}")
    return 0


def _cleanup(args: argparse.Namespace) -> int:
    leftovers = find_leftovers(ApiClient(_target(args), Contract.load()))
    found = len(leftovers.created) + len(leftovers.plans) + len(leftovers.domains)
    failures = leftovers.cleanup()
    print(f"openpanel-contract: removed {found - len(failures)} of {found} leftovers")
    for failure in failures:
        print(f"  could not remove {failure}")
    return 1 if failures else 0


def _fail(message: str) -> int:
    print(f"openpanel-contract: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
