"""Small WSGI wrappers that change what goes over the wire, outside Flask and its validation.

Used by faults (deliberate bugs) and flavors (another server generation's documented behaviour).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from typing import Any

from flask import Flask

#: ``(method, path) → bool``: which requests a wrapper acts on.
Matcher = Callable[[str, str], bool]


def _wrap(app: Flask, middleware: Callable[[Callable, dict, Callable], Any]) -> None:
    inner = app.wsgi_app
    app.wsgi_app = lambda environ, start_response: middleware(inner, environ, start_response)  # type: ignore[method-assign]


def _request(environ: dict) -> tuple[str, str]:
    return environ["REQUEST_METHOD"], environ.get("PATH_INFO", "")


def answer(app: Flask, matches: Matcher, status: str, body: bytes, content_type: str = "application/json") -> None:
    """Answer matching requests with a fixed response, before routing and authentication."""

    def middleware(inner, environ, start_response):
        if not matches(*_request(environ)):
            return inner(environ, start_response)
        start_response(status, [("Content-Type", content_type), ("Content-Length", str(len(body)))])
        return [body]

    _wrap(app, middleware)


def answer_json(app: Flask, matches: Matcher, status: str, payload: Any) -> None:
    answer(app, matches, status, (json.dumps(payload) + "\n").encode())


def rewrite_json(app: Flask, matches: Matcher, rewrite: Callable[[Any], Any]) -> None:
    """Rewrite the JSON body of matching responses after the mock has produced (and checked) them."""

    def middleware(inner, environ, start_response):
        if not matches(*_request(environ)):
            return inner(environ, start_response)
        captured: dict[str, Any] = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: None

        body = b"".join(inner(environ, capture))
        with contextlib.suppress(ValueError):
            body = json.dumps(rewrite(json.loads(body))).encode()
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        start_response(captured["status"], [*headers, ("Content-Length", str(len(body)))])
        return [body]

    _wrap(app, middleware)


def rewrite_status(app: Flask, matches: Matcher, rewrite: Callable[[str], str]) -> None:
    def middleware(inner, environ, start_response):
        if not matches(*_request(environ)):
            return inner(environ, start_response)
        return inner(environ, lambda status, headers, exc_info=None: start_response(rewrite(status), headers, exc_info))

    _wrap(app, middleware)


def set_header(app: Flask, name: str, value: str) -> None:
    def middleware(inner, environ, start_response):
        def patched(status, headers, exc_info=None):
            headers = [(k, v) for k, v in headers if k.lower() != name.lower()] + [(name, value)]
            return start_response(status, headers, exc_info)

        return inner(environ, patched)

    _wrap(app, middleware)
