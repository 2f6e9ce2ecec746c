"""Validated answers to reads, kept and served again until the state or the token changes.

A read's answer is a function of the request and the panel's state (operations whose answer changes
without a write, with the time or at random, are registered ``volatile`` and never kept). So once the
pipeline has routed, authorised, handled and validated a read, the bytes it sent can be sent again to
the same request
— same method, path, query, headers and client address — for as long as the state is the same
version (``Store.version``, which every write in any worker moves before its answer leaves) and the
token that was accepted has not expired. The pipeline says which answers may be kept
(``Mock.serve`` marks the request); everything else passes through untouched.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

import jwt

from mock_server.httpd.wsgi import run

#: The environ key ``Mock.serve`` sets on a request whose answer may be kept: until when, by the mock
#: clock's base (its offset is state, so within one state version the two clocks differ by a constant).
KEEPABLE_UNTIL = "openpanel.keepable_until"


class Kept(NamedTuple):
    status: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    until: float


class AnswerCache:
    """WSGI middleware in front of the whole app; at most ``budget`` bytes of bodies, oldest out first."""

    def __init__(
        self,
        app: Callable[..., Iterable[bytes]],
        version: Callable[[], int],
        now: Callable[[], float],
        budget: int = 32 * 1024 * 1024,
    ) -> None:
        self._app, self._version, self._now, self._budget = app, version, now, budget
        self._kept: dict[tuple, Kept] = {}
        self._size = 0
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD") or environ.get("CONTENT_LENGTH") not in (None, "", "0"):
            return self._app(environ, start_response)
        key = _key(self._version(), environ)  # the version before the answer is made, never after
        kept = self._kept.get(key)
        if kept is not None and (kept.until == math.inf or self._now() < kept.until):
            start_response(kept.status, list(kept.headers))
            return [kept.body]
        status, headers, body = run(self._app, environ)
        start_response(status, headers)
        until = environ.get(KEEPABLE_UNTIL)
        if until is not None and status[:1] == "2":
            self._keep(key, Kept(status, tuple(headers), body, until))
        return [body]

    def _keep(self, key: tuple, kept: Kept) -> None:
        if len(kept.body) > self._budget // 8:
            return
        with self._lock:
            previous = self._kept.pop(key, None)
            self._size -= len(previous.body) if previous else 0
            self._kept[key] = kept
            self._size += len(kept.body)
            while self._size > self._budget:
                oldest = self._kept.pop(next(iter(self._kept)))
                self._size -= len(oldest.body)


def _key(version: int, environ: dict[str, Any]) -> tuple:
    """Everything of the request an answer can depend on (headers in the order they came)."""
    return (
        version,
        environ["REQUEST_METHOD"],
        environ["PATH_INFO"],
        environ.get("QUERY_STRING", ""),
        environ.get("wsgi.url_scheme"),
        environ.get("SERVER_NAME"),
        environ.get("SERVER_PORT"),
        environ.get("REMOTE_ADDR"),
        environ.get("CONTENT_TYPE"),
        *(item for item in environ.items() if item[0].startswith("HTTP_")),
    )


def token_expiry(authorization: str | None) -> float:
    """When the bearer token of an accepted request expires (``inf`` without one): a kept answer to a
    token must not outlive it. The pipeline has verified the token; only its ``exp`` is read here."""
    parts = (authorization or "").split()
    if len(parts) != 2:
        return math.inf
    try:
        claims = jwt.decode(parts[1], options={"verify_signature": False})
    except jwt.InvalidTokenError:
        return math.inf
    expires = claims.get("exp") if isinstance(claims, dict) else None
    return float(expires) if isinstance(expires, int | float) and not isinstance(expires, bool) else math.inf
