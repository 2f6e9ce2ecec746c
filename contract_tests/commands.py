"""The commands of ``openpanel-contract``; ``cli`` parses the arguments and calls one of these."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import pytest

from contract_model import DEFAULT_SPEC, Contract
from contract_tests.config.settings import RunSettings, Target, UsageError
from contract_tests.judge.baseline import write_baseline
from contract_tests.plugin import SUITE_PLUGINS, Suite
from contract_tests.report.reports import diff, load_json
from contract_tests.run import interrupts
from contract_tests.run.cleanup import count, find_leftovers
from contract_tests.run.client import ApiClient
from contract_tests.run.journal import Journal
from contract_tests.run.local_mock import DEMO_PASSWORD, DEMO_RESELLER, DEMO_USERNAME, running_mock

SUITE_DIR = Path(__file__).resolve().parent / "suite"


def _target(
    args: argparse.Namespace,
    base_url: str | None = None,
    username: str | None = None,
    password: str | None = None,
    **options: Any,
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
        **options,
    )


def run(args: argparse.Namespace) -> int:
    if args.max_examples < 1:
        raise UsageError("--max-examples must be at least 1")
    args.spec = args.spec or DEFAULT_SPEC
    if not args.spec.is_file():
        raise UsageError(f"contract file not found: {args.spec}")
    options: dict[str, Any] = {
        "mutating": args.mutating,
        "destructive": args.destructive,
        "server_control": args.server_control,
        "reseller_username": args.reseller_username,
        "reseller_password": args.reseller_password,
    }
    if args.mock:
        with running_mock("--spec", str(args.spec)) as url:
            print(f"openpanel-contract: testing a local mock at {url}", flush=True)
            options["reseller_username"], options["reseller_password"] = DEMO_RESELLER
            return _suite(args, _target(args, url, DEMO_USERNAME, DEMO_PASSWORD, **options), mock_clock=True)
    return _suite(args, _target(args, **options))


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
        journal=args.journal,
    )
    suite = Suite(target, settings, ApiClient(target, Contract.load(args.spec)))
    suite.client.token()
    with interrupts.deferred():
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


def compare(args: argparse.Namespace) -> int:
    result = diff(load_json(args.old), load_json(args.new))
    for kind in ("new", "fixed", "unchanged"):
        print(f"{kind}: {len(result[kind])}")
        for finding in result[kind]:
            print(f"  {finding['operation']}: {finding['check']} ({finding['severity']})")
    return 1 if result["new"] else 0


def baseline(args: argparse.Namespace) -> int:
    report = load_json(args.report)
    open_findings = [f for f in report["findings"] if f.get("status") != "accepted"]
    if any("kind" not in finding for finding in open_findings):
        raise UsageError(f"{args.report} comes from an older openpanel-contract (findings without a kind)")
    count, refused = write_baseline(open_findings, args.output, args.reason, args.expires)
    print(f"openpanel-contract: wrote {count} accepted deviations to {args.output}")
    for operation, kind, check in sorted({(f["operation"], f["kind"], f["check"]) for f in refused}):
        print(f"  not accepted, and never acceptable: {operation}: {kind} ({check})")
    return 1 if refused else 0


def cleanup(args: argparse.Namespace) -> int:
    target = _target(args)
    leftovers = find_leftovers(ApiClient(target, Contract.load()), Journal(args.journal, target.base_url))
    found = count(leftovers)
    failures = leftovers.cleanup()
    print(f"openpanel-contract: removed {found - len(failures)} of {found} leftovers")
    for failure in failures:
        print(f"  could not remove {failure}")
    return 1 if failures else 0
