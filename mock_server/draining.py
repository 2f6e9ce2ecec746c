"""Read whatever request body an answer left unread, as WSGI middleware around the whole mock.

Many answers are given without reading the body: 413 for an oversized one, 404/405 from the router,
a CORS preflight, a flavor's or fault's fixed answer. gunicorn then has to skip the leftover bytes
before it can parse the next request on a keep-alive connection; it skips at most 64 KiB and
otherwise closes the connection, after the answer was sent and without ``Connection: close`` (an
application cannot set that header under gunicorn). A client that reuses the connection, as
``requests`` and every browser do, then loses its next request to a reset. Reading the rest here,
once, for every answer, keeps the connection usable. A body beyond ``limit`` is not read: such a
client sent far too much and may lose its connection.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask

DRAIN_LIMIT = 16 * 1024 * 1024
_CHUNK = 64 * 1024


def install_body_drain(app: Flask, limit: int = DRAIN_LIMIT) -> None:
    """Wrap ``app`` so that no answer leaves request bytes of up to ``limit`` unread."""
    inner = app.wsgi_app

    def middleware(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        answer = inner(environ, start_response)
        drain(environ, limit)
        return answer

    app.wsgi_app = middleware


def drain(environ: dict[str, Any], limit: int = DRAIN_LIMIT) -> None:
    """Read and discard the rest of the request body, up to ``limit`` bytes in all."""
    stream = environ.get("wsgi.input")
    if stream is None or getattr(stream, "failed", False) or not _drainable(environ, limit):
        return  # (gunicorn marks a body whose read already failed, e.g. timed out: nothing to save)
    read = 0
    with contextlib.suppress(OSError, ValueError):
        while read < limit:
            chunk = stream.read(min(_CHUNK, limit - read))
            if not chunk:
                return
            read += len(chunk)


def _drainable(environ: dict[str, Any], limit: int) -> bool:
    """Only a framed body can be read to its end without waiting on the client for good; one
    declared larger than ``limit`` is not worth reading."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    if length:
        return 0 < length <= limit
    chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
    return chunked and bool(environ.get("wsgi.input_terminated"))
