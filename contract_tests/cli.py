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
from typing import NoReturn

# Only what the signal handling needs is imported before it is installed: the rest (pytest,
# schemathesis, the contract) takes a second to import, and a signal in that second must count too.
from contract_tests.run import interrupts

COMMANDS = ("run", "diff", "baseline", "cleanup")


def _connection_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base-url", help="panel URL, e.g. https://panel.example.com:2087 (or OPENPANEL_URL)")
    parser.add_argument("--username", help="OpenAdmin username (or OPENPANEL_USERNAME)")
    parser.add_argument("--password", help="OpenAdmin password (or OPENPANEL_PASSWORD)")
    parser.add_argument("--insecure", action="store_true", help="do not verify TLS certificates (self-signed panels)")
    parser.add_argument("--ca-bundle", type=Path, help="verify TLS against this CA bundle")
    parser.add_argument("--rate", help="at most this many requests, e.g. 10/s or 300/m (respects 429 anyway)")
    parser.add_argument(
        "--journal",
        type=Path,
        help="file noting what runs create, so cleanup finds it after a crash (default: "
        "$XDG_STATE_HOME/openpanel-contract/journal.jsonl)",
    )


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
    run.add_argument(
        "--server-control",
        action="store_true",
        help="also call what changes the machine itself (reboot, root password, SSH, firewall, licence, updates); "
        "never implied by --destructive",
    )
    run.add_argument(
        "--reseller-username", help="a reseller of the panel, for the access checks (or OPENPANEL_RESELLER_USERNAME)"
    )
    run.add_argument("--reseller-password", help="its password (or OPENPANEL_RESELLER_PASSWORD)")
    run.add_argument("--spec", type=Path, help="contract file (default: the bundled spec)")
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
    """The command; with ``argv=None`` it is this process's command line (and its exit status, once
    decided, is not changed by a late signal)."""
    as_process = argv is None
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] not in (*COMMANDS, "-h", "--help"):
        argv.insert(0, "run")
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        with interrupts.handled(then_ignore=as_process):
            if args.command == "run":
                print(f"openpanel-contract: {_mode(args)} run started", flush=True)
            from contract_tests import commands
            from contract_tests.config.settings import UsageError

            try:
                return {
                    "run": commands.run,
                    "diff": commands.compare,
                    "baseline": commands.baseline,
                    "cleanup": commands.cleanup,
                }[args.command](args)
            except UsageError as error:
                return _fail(str(error))
    except KeyboardInterrupt as stop:
        # Outside the test session (starting, starting the mock, logging in): nothing was created yet.
        return _fail(f"{stop or 'interrupted'}; nothing was left behind")


def _mode(args: argparse.Namespace) -> str:
    mode = "destructive" if args.destructive else "mutating" if args.mutating else "read-only"
    return f"{mode} + server-control" if args.server_control else mode


def _fail(message: str) -> int:
    print(f"openpanel-contract: {message}", file=sys.stderr)
    return 2


def command() -> NoReturn:
    """The ``openpanel-contract`` command. Its exit status, once decided, is final: an interrupt caught
    while a module was being imported can still make the interpreter end itself by SIGINT on the way
    out (seen about one run in twenty when a signal landed at start-up), so the process ends here."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    command()
