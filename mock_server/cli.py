"""``openpanel-mock``: serve the mock panel with waitress (a production WSGI server)."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from pathlib import Path

import waitress
from werkzeug.security import check_password_hash, generate_password_hash

from mock_server.app import create_app
from mock_server.config import DEFAULT_FIXTURES, DEFAULT_SPEC, DEMO_PASSWORD, MockConfig
from mock_server.faults import FAULTS
from mock_server.fixtures import FixtureError
from mock_server.flavors import DEVIATIONS, FLAVOR_NAMES


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
    parser.add_argument("--threads", type=int, default=8, help="worker threads (default: %(default)s)")
    parser.add_argument(
        "--flavor",
        choices=FLAVOR_NAMES,
        default="contract",
        help="answer as the contract says (default) or as the OpenAdmin 2.x (Go) server does (v2); "
        "the differences are listed in mock_server/flavors.py",
    )
    parser.add_argument(
        "--list-deviations", action="store_true", help="print how the v2 flavor departs from the contract, then exit"
    )
    parser.add_argument("--live-metrics", action="store_true", help="let CPU and memory figures drift")
    parser.add_argument(
        "--fault",
        action="append",
        default=[],
        choices=sorted(FAULTS),
        metavar="NAME",
        help="break the contract on purpose, to prove a test suite catches it (repeatable): "
        + "; ".join(f"{name}: {text}" for name, (_, text) in sorted(FAULTS.items())),
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.list_deviations:
        _print_deviations()
        return 0
    if not 0 <= args.port <= 65535 or args.token_lifetime <= 0 or args.threads <= 0:
        return _fail("--port must be 0-65535; --token-lifetime and --threads must be positive")
    try:
        generate_password_hash("probe", method=args.password_hash_method)
    except (ValueError, TypeError) as error:
        return _fail(f"--password-hash-method: {error}")
    config = MockConfig(
        spec_path=args.spec,
        fixtures_dir=args.fixtures,
        token_lifetime=args.token_lifetime,
        flavor=args.flavor,
        password_hash_method=args.password_hash_method,
        live_metrics=args.live_metrics,
        faults=tuple(args.fault),
    )
    if args.jwt_secret:
        config.jwt_secret = args.jwt_secret
    try:
        app = create_app(config)
    except FixtureError as error:
        return _fail(f"bad fixtures: {error}")
    except OSError as error:
        return _fail(f"cannot read {error.filename}: {error.strerror}")
    except Exception as error:  # a broken spec: say which file, not a traceback
        return _fail(f"cannot load the contract {args.spec}: {error}")
    try:
        server = waitress.create_server(app, host=args.host, port=args.port, threads=args.threads)
    except OSError as error:
        return _fail(f"cannot listen on {args.host}:{args.port}: {error.strerror}")

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    signal.signal(signal.SIGTERM, lambda *_: server.close())
    _announce(app, f"http://{_display_host(args.host)}:{server.effective_port}")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
    return 0


def _announce(app, url: str) -> None:
    panel = app.extensions["openpanel"]
    print(f"OpenPanel mock serving {url}/api/  (contract: {panel.config.spec_path})", flush=True)
    if panel.config.flavor != "contract":
        print(f"  flavor: {panel.config.flavor} (answers as that server does, not as the contract says)", flush=True)
    if panel.config.faults:
        print(f"  FAULTS ON (contract broken on purpose): {', '.join(panel.config.faults)}", flush=True)
    for admin in panel.state._fixtures.admins:
        known = check_password_hash(admin.password_hash, DEMO_PASSWORD)
        password = DEMO_PASSWORD if known else "(set by your fixtures)"
        print(f"  admin login: username={admin.username} password={password}", flush=True)
    print(f"  reset state: POST {url}/__mock__/reset    health: GET {url}/__mock__/health", flush=True)


def _print_deviations() -> None:
    for item in DEVIATIONS.values():
        verdict = "conforms (a named variant)" if item.conforms else "departs from the contract"
        print(f"{item.name}: {verdict}; {item.source}\n    {item.description}")


def _display_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _fail(message: str) -> int:
    print(f"openpanel-mock: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
