"""The serving stack's ceiling: the mock's own HTTP server answering one constant JSON body, no app.

``python -m benchmarks.ceiling --port N``: what the bench divides the mock's throughput by, to tell
the server's cost from the app's.
"""

from __future__ import annotations

import argparse

from mock_server.httpd import DEFAULT_WORKERS, serve

BODY = b'{"logged_in_as":"admin"}\n'
HEADERS = [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))]


def constant(environ, start_response):  # type: ignore[no-untyped-def]
    start_response("200 OK", HEADERS)
    return [BODY]


def main() -> None:
    parser = argparse.ArgumentParser(prog="ceiling", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    args = parser.parse_args()
    serve(constant, host="127.0.0.1", port=args.port, workers=args.workers, threads=0, on_ready=lambda: None)


if __name__ == "__main__":
    main()
