"""``openpanel-mock``: serve the mock panel (forked workers sharing one SQLite state file)."""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from mock_server.app import create_app
from mock_server.config import DEFAULT_FIXTURES, DEFAULT_SPEC, DEMO_PASSWORD, MockConfig
from mock_server.httpd import DEFAULT_WORKERS
from mock_server.mock import Mock
from mock_server.panel.fixtures import FixtureError
from mock_server.panel.store import StoreError
from mock_server.serving import SERVERS, claimable_port, serve
from mock_server.variants import CONTRACT, FAULT, load_all

VARIANTS = load_all()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="openpanel-mock", description="Serve a mock OpenPanel admin API (OpenAdmin) checked against its contract."
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: %(default)s)")
    parser.add_argument("--port", type=int, default=2087, help="port; 0 picks a free one (default: %(default)s)")
    parser.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES, help="fixtures directory")
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="OpenAPI contract to serve")
    parser.add_argument("--jwt-secret", help="HS256 key (default: random per start)")
    parser.add_argument("--token-lifetime", type=int, default=900, help="token lifetime in seconds (default: 900)")
    parser.add_argument(
        "--password-hash-method",
        default="pbkdf2:sha256:1000",
        help="Werkzeug hash method for passwords set through the API (the panel uses pbkdf2:sha256:260000; "
        "default: %(default)s, same format, fast)",
    )
    parser.add_argument(
        "--workers", type=int, default=DEFAULT_WORKERS, help="worker processes (default: CPUs, at most 4: %(default)s)"
    )
    parser.add_argument(
        "--threads",
        type=int,
        help="threads per worker that run the app (default: none, the app runs on the worker's event loop; "
        "8 with --latency, so that delayed answers overlap)",
    )
    parser.add_argument(
        "--server",
        choices=SERVERS,
        default="builtin",
        help="HTTP server: builtin (default; every documented method, CONNECT autologin, JSON refusals of "
        "hostile input) or granian (cannot answer CONNECT autologin, refuses hostile input in its own words; "
        "needs the 'fast' extra)",
    )
    parser.add_argument(
        "--state-file",
        type=Path,
        help="SQLite file that keeps the panel's state across restarts (created from the fixtures if missing; "
        "default: a temporary file removed at exit)",
    )
    parser.add_argument(
        "--flavor",
        choices=VARIANTS.flavors(),
        default="contract",
        help="answer as the contract says (default), as the 2024 Python/Flask server did (v1) or as the "
        "OpenAdmin 2.x (Go) server does (v2); each twin lists its differences in "
        "mock_server/variants/<flavor>/deviations.py",
    )
    parser.add_argument(
        "--list-deviations",
        action="store_true",
        help="print how a flavor (--flavor v1|v2, default v2) departs from the contract, with sources, then exit",
    )
    parser.add_argument(
        "--api-disabled",
        action="store_true",
        help="serve a panel whose API is switched off: every /api route answers the generation's 404 "
        "'API access is disabled!…' before authentication",
    )
    parser.add_argument(
        "--login-rate",
        type=int,
        default=5,
        metavar="PER_MINUTE",
        help="--flavor v2: login attempts per client address and minute after a burst of 5 (the server's "
        "login_ratelimit, default %(default)s; 0: the burst only)",
    )
    parser.add_argument(
        "--no-answer-cache",
        action="store_true",
        help="run every read through the whole pipeline instead of sending its kept, validated answer again",
    )
    parser.add_argument("--live-metrics", action="store_true", help="let CPU and memory figures drift")
    parser.add_argument(
        "--cors-origin",
        action="append",
        metavar="ORIGIN",
        help="browser origin allowed to call the mock, e.g. http://localhost:5173 (repeatable; default: any)",
    )
    parser.add_argument("--no-cors", action="store_true", help="answer no CORS preflights, grant no origin")
    parser.add_argument(
        "--latency",
        type=_latency,
        default=(0.0, 0.0),
        metavar="MS[-MS]",
        help="delay each API answer (e.g. 200 or 50-400)",
    )
    parser.add_argument(
        "--error-rate",
        type=_fraction,
        default=0.0,
        metavar="FRACTION",
        help="answer this share of API requests with one of the operation's documented errors (e.g. 0.1)",
    )
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        choices=sorted(fault.name for fault in VARIANTS.group(FAULT)),
        metavar="NAME",
        help="break the contract on purpose, to prove a test suite catches it (repeatable): "
        + "; ".join(f"{fault.name}: {fault.description}" for fault in VARIANTS.group(FAULT)),
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.list_deviations:
        _print_deviations("v2" if args.flavor == CONTRACT else args.flavor)
        return 0
    if args.threads is None:
        args.threads = 8 if args.latency[1] > 0 else 0
    if not 0 <= args.port <= 65535 or min(args.token_lifetime, args.workers) <= 0 or args.threads < 0:
        return _fail("--port must be 0-65535; --token-lifetime and --workers must be positive, --threads 0 or more")
    if args.login_rate < 0:
        return _fail("--login-rate must be 0 or more")
    try:
        generate_password_hash("probe", method=args.password_hash_method)
    except (ValueError, TypeError) as error:
        return _fail(f"--password-hash-method: {error}")
    if args.state_file:
        return _serve(args, args.state_file)
    scratch = Path(tempfile.mkdtemp(prefix="openpanel-mock-"))
    try:
        return _serve(args, scratch / "state.sqlite")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _serve(args: argparse.Namespace, state_path: Path) -> int:
    config = MockConfig(
        spec_path=args.spec,
        fixtures_dir=args.fixtures,
        token_lifetime=args.token_lifetime,
        flavor=args.flavor,
        password_hash_method=args.password_hash_method,
        live_metrics=args.live_metrics,
        faults=tuple(args.fault),
        state_path=state_path,
        cors_origins=_cors_origins(args),
        latency_ms=args.latency,
        error_rate=args.error_rate,
        api_disabled=args.api_disabled,
        login_rate=args.login_rate,
        answer_cache=not args.no_answer_cache,
    )
    if args.jwt_secret:
        config.jwt_secret = args.jwt_secret
    try:
        app = create_app(config)
    except FixtureError as error:
        return _fail(f"bad fixtures: {error}")
    except StoreError as error:
        return _fail(f"--state-file: {error}")
    except OSError as error:
        return _fail(f"cannot read {error.filename}: {error.strerror}")
    except Exception as error:  # a broken spec: say which file, not a traceback
        return _fail(f"cannot load the contract {args.spec}: {error}")
    mock: Mock = app.extensions["openpanel"]
    mock.store.close()  # each worker opens its own connection
    try:
        port = claimable_port(args.host, args.port)
    except OSError as error:
        return _fail(f"cannot listen on {args.host}:{args.port}: {error.strerror}")

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    url = f"http://{_display_host(args.host)}:{port}"
    try:
        serve(
            app,
            server=args.server,
            host=args.host,
            port=port,
            workers=args.workers,
            threads=args.threads,
            on_ready=lambda: _announce(mock, url),
        )
    except ImportError as error:
        return _fail(f"--server {args.server} is not installed ({error.name}); pip install 'openpanel-contract[fast]'")
    return 0


def _announce(mock: Mock, url: str) -> None:
    config = mock.config
    print(f"OpenPanel mock serving {url}/api/  (contract: {config.spec_path})", flush=True)
    if config.flavor != CONTRACT:
        print(f"  flavor: {config.flavor} (answers as that server does, not as the contract says)", flush=True)
    if config.api_disabled:
        print("  API SWITCHED OFF: every /api route answers 404 'API access is disabled!'", flush=True)
    if config.faults:
        print(f"  FAULTS ON (contract broken on purpose): {', '.join(config.faults)}", flush=True)
    for admin in mock.panel.hosting.admins():
        known = check_password_hash(admin.password_hash, DEMO_PASSWORD)
        password = DEMO_PASSWORD if known else "(set by your fixtures)"
        print(f"  admin login: username={admin.username} password={password}", flush=True)
    print(f"  reset state: POST {url}/__mock__/reset    health: GET {url}/__mock__/health", flush=True)


def _print_deviations(flavor: str) -> None:
    for item in VARIANTS.group(flavor):
        verdict = "conforms (its answers fit the contract)" if item.conforms else "departs from the contract"
        print(f"{item.name}: {verdict}\n    {item.description}\n    source: {item.source}")


def _cors_origins(args: argparse.Namespace) -> tuple[str, ...]:
    """Any origin by default, but a twin answers as its server does, and neither generation sends CORS
    headers: a twin grants origins only when ``--cors-origin`` asks for them."""
    if args.no_cors or (args.flavor != CONTRACT and not args.cors_origin):
        return ()
    return tuple(args.cors_origin or ("*",))


def _display_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _latency(text: str) -> tuple[float, float]:
    try:
        low, _, high = text.partition("-")
        bounds = (float(low), float(high or low))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not milliseconds or a MS-MS range: {text!r}") from None
    if not 0 <= bounds[0] <= bounds[1] <= 60_000:
        raise argparse.ArgumentTypeError("latency must be 0-60000 ms, low before high")
    return bounds


def _fraction(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError("must be between 0 and 1")
    return value


def _fail(message: str) -> int:
    print(f"openpanel-mock: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
