"""One parsed HTTP request in, one WSGI call, one serialised HTTP response out.

The connection hands over a request whose body has fully arrived, so the app never waits on a client:
``wsgi.input`` is an in-memory buffer and a slow or stalled client cannot hold anything but its own
connection.
"""

from __future__ import annotations

import io
import json
import logging
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Any
from urllib.parse import unquote_to_bytes

log = logging.getLogger("openpanel_mock")

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

#: Request headers whose name is not a CGI variable's: ``Content-Type`` and ``Content-Length``.
_CGI_HEADERS = {"CONTENT_TYPE", "CONTENT_LENGTH"}


@dataclass
class Request:
    """What the parser found: method, target, HTTP version, headers in arrival order, the whole body."""

    method: str
    target: bytes
    version: str
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    body: bytes = b""

    def header(self, name: bytes) -> bytes | None:
        """The first header called ``name`` (lower case), or ``None``."""
        for key, value in self.headers:
            if key.lower() == name:
                return value
        return None


@dataclass(frozen=True)
class Site:
    """What a connection knows about where it runs, for the CGI variables."""

    server_name: str
    server_port: str
    multithread: bool
    multiprocess: bool


def environ_for(request: Request, site: Site, peer: tuple[str, int] | None) -> dict[str, Any]:
    """The WSGI environment of ``request`` (PEP 3333)."""
    path, _, query = request.target.partition(b"?")
    path = path.partition(b"#")[0]
    environ: dict[str, Any] = {
        "REQUEST_METHOD": request.method,
        "SCRIPT_NAME": "",
        # PEP 3333: the path percent-decoded, its bytes as latin-1 code points.
        "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
        "QUERY_STRING": query.decode("latin-1"),
        "RAW_URI": request.target.decode("latin-1"),
        "SERVER_NAME": site.server_name,
        "SERVER_PORT": site.server_port,
        "SERVER_PROTOCOL": f"HTTP/{request.version}",
        "REMOTE_ADDR": peer[0] if peer else "",
        "REMOTE_PORT": str(peer[1]) if peer else "",
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(request.body),
        "wsgi.input_terminated": True,
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": site.multithread,
        "wsgi.multiprocess": site.multiprocess,
        "wsgi.run_once": False,
    }
    for name, value in request.headers:
        if b"_" in name:
            continue  # ``X_Forwarded_For`` would pose as ``X-Forwarded-For``: dropped, as gunicorn does
        key = name.decode("latin-1").upper().replace("-", "_")
        key = key if key in _CGI_HEADERS else "HTTP_" + key
        text = value.decode("latin-1")
        environ[key] = f"{environ[key]},{text}" if key in environ else text
    if request.body or "CONTENT_LENGTH" in environ:
        environ["CONTENT_LENGTH"] = str(len(request.body))  # a chunked body was joined: its length now
    return environ


def run(app: WsgiApp, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    """Run a WSGI app to its end: its status line, headers and whole body; what it raises propagates."""
    started: list[Any] = []
    chunks: list[bytes] = []

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
        if exc_info and started:
            raise exc_info[1].with_traceback(exc_info[2])
        started[:] = [status, headers]
        return chunks.append

    result = app(environ, start_response)
    try:
        chunks.extend(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    if not started:
        raise RuntimeError("the app returned without calling start_response")
    return started[0], started[1], b"".join(chunks)


def call(app: WsgiApp, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    """``run``, for the server: an app that raises answers a JSON 500 and the connection goes on."""
    try:
        return run(app, environ)
    except Exception:
        log.exception("the app raised on %s %s", environ["REQUEST_METHOD"], environ["RAW_URI"])
        return _INTERNAL_ERROR


_INTERNAL_ERROR = (
    "500 Internal Server Error",
    [("Content-Type", "application/json")],
    b'{"error":"Internal Server Error"}\n',
)


def serialise(
    status: str, headers: list[tuple[str, str]], body: bytes, *, head: bool, keep_alive: bool, version: str
) -> bytes:
    """The response's bytes: ``Content-Length`` always (no chunking), ``Connection`` when it closes."""
    lines = [f"HTTP/1.1 {status}"]
    length_given = False
    for name, value in headers:
        lower = name.lower()
        if lower in ("connection", "transfer-encoding", "keep-alive"):
            continue  # hop-by-hop: the server decides them
        length_given = length_given or lower == "content-length"
        lines.append(f"{name}: {value}")
    if not length_given and not _bodiless(status):
        lines.append(f"Content-Length: {len(body)}")
    lines.append(f"Date: {http_date()}")
    if not keep_alive:
        lines.append("Connection: close")
    elif version == "1.0":
        lines.append("Connection: keep-alive")
    head_bytes = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    return head_bytes if head or _bodiless(status) else head_bytes + body


def error_response(status: int, reason: str, message: str) -> bytes:
    """A refusal made before any app saw the request: JSON like every other error of the API; closes."""
    body = (json.dumps({"error": f"{reason}: {message}"}) + "\n").encode()
    return serialise(
        f"{status} {reason}",
        [("Content-Type", "application/json")],
        body,
        head=False,
        keep_alive=False,
        version="1.1",
    )


_date_cache: tuple[int, str] = (0, "")


def http_date() -> str:
    """``Date`` in IMF-fixdate, formatted once a second."""
    global _date_cache
    now = int(time.time())
    if _date_cache[0] != now:
        _date_cache = (now, formatdate(now, usegmt=True))
    return _date_cache[1]


def _bodiless(status: str) -> bool:
    return status[:1] == "1" or status[:3] in ("204", "304")
