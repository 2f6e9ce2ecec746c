"""CORS for browser frontends, as WSGI middleware around the whole mock.

A browser sends a preflight (``OPTIONS`` with ``Origin`` and ``Access-Control-Request-Method``)
before any request that carries ``Authorization`` or a JSON body. It is answered here, before
routing, because the contract documents no ``OPTIONS`` operations (a plain ``OPTIONS`` still gets
the router's 405). Actual responses to an allowed origin get ``Access-Control-Allow-Origin``. Tokens
travel in a header, never in cookies, so credentials mode is not needed.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask

ALLOWED_HEADERS = "Authorization, Content-Type, Prefer"
EXPOSED_HEADERS = "Location, Retry-After, X-Mock-Canned"
MAX_AGE = "600"


def install_cors(app: Flask, origins: tuple[str, ...], methods: tuple[str, ...]) -> None:
    """Allow ``origins`` (``"*"`` for any) to call the mock's ``methods`` from a browser; ``()`` switches CORS off."""
    if not origins:
        return
    inner = app.wsgi_app
    allowed_methods = ", ".join(methods)

    def middleware(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        origin = environ.get("HTTP_ORIGIN")
        if origin is None:
            return inner(environ, start_response)
        allowed = "*" in origins or origin in origins
        if environ["REQUEST_METHOD"] == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in environ:
            return _preflight(origin, allowed, allowed_methods, start_response)
        if not allowed:
            return inner(environ, start_response)

        def with_cors(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            headers = [*headers, *_grant(origin, origins)]
            return start_response(status, headers, exc_info)

        return inner(environ, with_cors)

    app.wsgi_app = middleware


def _preflight(origin: str, allowed: bool, methods: str, start_response: Callable) -> Iterable[bytes]:
    if not allowed:
        body = json.dumps({"error": f"Origin {origin} is not allowed (openpanel-mock --cors-origin)"}).encode()
        start_response("403 FORBIDDEN", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]
    start_response(
        "204 NO CONTENT",
        [
            ("Access-Control-Allow-Origin", origin),
            ("Access-Control-Allow-Methods", methods),
            ("Access-Control-Allow-Headers", ALLOWED_HEADERS),
            ("Access-Control-Max-Age", MAX_AGE),
            ("Vary", "Origin"),
            ("Content-Length", "0"),
        ],
    )
    return [b""]


def _grant(origin: str, origins: tuple[str, ...]) -> list[tuple[str, str]]:
    granted = "*" if "*" in origins else origin
    return [
        ("Access-Control-Allow-Origin", granted),
        ("Access-Control-Expose-Headers", EXPOSED_HEADERS),
        ("Vary", "Origin"),
    ]
