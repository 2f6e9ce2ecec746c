"""One client connection: HTTP/1.1 parsed by httptools, requests answered in order, every wait bounded.

A request reaches the app only once all of it has arrived, so a client that dribbles its headers or
trickles its body costs its own connection and nothing else; the worker's sweep (``Connection.expire``)
drops it at its deadline with a JSON 408. Limits on the request line, the headers and the body are
answered with JSON 414/431/413 before the app sees anything, like every other error of the API.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from concurrent.futures import Executor
from dataclasses import dataclass

import httptools

from mock_server.httpd.wsgi import Request, Site, WsgiApp, call, environ_for, error_response, serialise

log = logging.getLogger("openpanel_mock")


@dataclass(frozen=True)
class Limits:
    """What one request may take; the defaults are gunicorn's, whose limits the mock had before."""

    request_line: int = 8190
    header_count: int = 100
    header_size: int = 8190
    #: The whole head (request line and headers), against a flood of bytes that never forms a header.
    head_bytes: int = 1024 * 1024
    #: Bodies are held in memory until complete; the app answers 413 itself below its own limit.
    body_bytes: int = 64 * 1024 * 1024
    #: Longest wait for a client's next bytes while a request is under way.
    read_timeout: float = 5.0
    #: Longest time a whole request may take to arrive, however steadily it trickles.
    request_deadline: float = 10.0
    #: Longest a kept-alive connection may sit idle between requests.
    keepalive: float = 5.0


class Refusal(Exception):
    """A request the server answers itself, then closes the connection."""

    def __init__(self, status: int, reason: str, message: str) -> None:
        super().__init__(message)
        self.status, self.reason, self.message = status, reason, message


class Connection(asyncio.Protocol):
    """A connection's parser state, its queue of complete requests and its deadline."""

    def __init__(
        self,
        app: WsgiApp,
        site: Site,
        limits: Limits,
        executor: Executor | None,
        registry: set[Connection],
    ) -> None:
        self._app, self._site, self._limits, self._executor = app, site, limits, executor
        self._registry = registry
        self._parser = httptools.HttpRequestParser(self)
        self._transport: asyncio.Transport | None = None
        self._peer: tuple[str, int] | None = None
        self._queue: deque[Request] = deque()
        self._request: Request | None = None  # the one being parsed
        self._url: list[bytes] = []
        self._head_bytes = 0
        self._body_bytes = 0
        self._body: list[bytes] = []  # the pieces of the body being read (joined once: no quadratic copying)
        self._busy = False  # the app is answering one of ours
        self._closing = False  # answer what is queued, then close
        self._raw_body_needed = 0  # bytes still owed to a CONNECT request's declared body
        self._started = 0.0  # when the request being parsed began
        self._last_read = 0.0
        self._idle_since = 0.0

    # -- asyncio.Protocol ------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = transport  # type: ignore[assignment]  # (uvloop's transports are their own classes)
        peer = transport.get_extra_info("peername")
        self._peer = (str(peer[0]), int(peer[1])) if isinstance(peer, tuple) else None
        self._idle_since = self._last_read = time.monotonic()
        self._registry.add(self)

    def connection_lost(self, exc: Exception | None) -> None:
        self._registry.discard(self)
        self._transport = None

    def data_received(self, data: bytes) -> None:
        self._last_read = time.monotonic()
        if self._closing:
            if self._raw_body_needed:
                self._take_raw_body(data)
            return  # after an upgrade or a refusal nothing more is HTTP
        try:
            if self._reading_head():
                # llhttp keeps a header it has not finished in memory: bound the whole head.
                self._head_bytes += len(data)
                if self._head_bytes > self._limits.head_bytes:
                    raise Refusal(431, "Request Header Fields Too Large", "the request head is too large")
            self._parser.feed_data(data)
        except httptools.HttpParserUpgrade as upgrade:
            # CONNECT (the WHMCS module's autologin) or an ``Upgrade`` request: answered as plain
            # HTTP; whatever follows the head is not HTTP any more, so the connection closes after.
            self._closing = True
            rest = data[int(upgrade.args[0]) :] if upgrade.args else b""
            self._begin_raw_body(rest)
        except httptools.HttpParserCallbackError as error:
            refusal = error.__context__
            self._refuse(refusal if isinstance(refusal, Refusal) else Refusal(400, "Bad Request", str(error)))
            return
        except httptools.HttpParserError as error:
            self._refuse(Refusal(400, "Bad Request", str(error) or "malformed request"))
            return
        except Refusal as refusal:
            self._refuse(refusal)
            return
        self._next()

    # -- httptools callbacks -------------------------------------------------------------------

    def on_message_begin(self) -> None:
        self._request = Request(method="", target=b"", version="1.1")
        self._url = []
        self._started = time.monotonic()
        self._body_bytes = 0
        self._body = []

    def on_url(self, url: bytes) -> None:
        self._url.append(url)
        if sum(map(len, self._url)) > self._limits.request_line:
            raise Refusal(414, "Request-URI Too Long", f"the request target is over {self._limits.request_line} bytes")

    def on_header(self, name: bytes, value: bytes) -> None:
        assert self._request is not None
        headers = self._request.headers
        if len(headers) >= self._limits.header_count:
            raise Refusal(431, "Request Header Fields Too Large", f"more than {self._limits.header_count} headers")
        if len(name) + len(value) + 2 > self._limits.header_size:
            raise Refusal(431, "Request Header Fields Too Large", f"a header is over {self._limits.header_size} bytes")
        headers.append((name, value))

    def on_headers_complete(self) -> None:
        request = self._request
        assert request is not None
        request.method = self._parser.get_method().decode("latin-1")
        request.target = b"".join(self._url)
        request.version = self._parser.get_http_version()
        length = request.header(b"content-length")
        if length is not None and length.strip().isdigit() and int(length) > self._limits.body_bytes:
            raise self._too_large()
        expect = request.header(b"expect")
        if expect is not None and expect.lower() == b"100-continue" and self._transport is not None:
            self._transport.write(b"HTTP/1.1 100 Continue\r\n\r\n")

    def on_body(self, body: bytes) -> None:
        assert self._request is not None
        self._body_bytes += len(body)
        if self._body_bytes > self._limits.body_bytes:
            raise self._too_large()
        self._body.append(body)

    def on_message_complete(self) -> None:
        assert self._request is not None
        if not self._parser.should_keep_alive():
            self._closing = True
        self._request.body = b"".join(self._body)
        self._body = []
        self._queue.append(self._request)
        self._request = None
        self._head_bytes = 0
        self._idle_since = time.monotonic()

    # -- answering -------------------------------------------------------------------------------

    def _next(self) -> None:
        """Answer queued requests in order: at once on this thread, or one at a time on the executor."""
        while self._queue and not self._busy and self._transport is not None and not self._raw_body_needed:
            request = self._queue.popleft()
            environ = environ_for(request, self._site, self._peer)
            if self._executor is None:
                self._send(request, *call(self._app, environ))
                continue
            self._busy = True
            future = asyncio.get_running_loop().run_in_executor(self._executor, call, self._app, environ)
            future.add_done_callback(lambda done, request=request: self._answered(request, done))
        if not self._queue and not self._busy and self._closing and not self._raw_body_needed:
            self._close()

    def _answered(self, request: Request, done: asyncio.Future) -> None:
        self._busy = False
        self._send(request, *done.result())
        self._next()

    def _send(self, request: Request, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        if self._transport is None:
            return
        keep_alive = not (self._closing and not self._queue)
        head = request.method == "HEAD"
        self._transport.write(
            serialise(status, headers, body, head=head, keep_alive=keep_alive, version=request.version)
        )
        self._idle_since = time.monotonic()

    def _refuse(self, refusal: Refusal) -> None:
        self._closing = True
        self._queue.clear()
        if self._transport is not None and not self._busy:
            self._transport.write(error_response(refusal.status, refusal.reason, refusal.message))
            self._close()

    def _close(self) -> None:
        if self._transport is not None:
            self._transport.close()  # after what is written has gone out
            self._transport = None
            self._registry.discard(self)

    def _begin_raw_body(self, rest: bytes) -> None:
        """A CONNECT request's declared body (WHMCS sends ``[]``) is read by length, as gunicorn did."""
        if not self._queue:
            return
        request = self._queue[-1]
        length = request.header(b"content-length")
        declared = int(length) if length is not None and length.strip().isdigit() else 0
        if declared > self._limits.body_bytes:
            self._refuse(self._too_large())
            return
        self._raw_body_needed = declared
        self._take_raw_body(rest)

    def _take_raw_body(self, data: bytes) -> None:
        taken = data[: self._raw_body_needed]
        self._queue[-1].body += taken
        self._raw_body_needed -= len(taken)
        if not self._raw_body_needed:
            self._next()

    def _too_large(self) -> Refusal:
        return Refusal(413, "Request Entity Too Large", f"the body is over {self._limits.body_bytes} bytes")

    def _reading_head(self) -> bool:
        """No request begun yet, or one whose headers are not complete (its method is set then)."""
        return self._request is None or not self._request.method

    # -- deadlines ------------------------------------------------------------------------------

    def expire(self, now: float) -> None:
        """Called by the worker's sweep: drop this connection if it has waited on its client too long."""
        if self._transport is None or self._busy or (self._queue and not self._raw_body_needed):
            return
        if self._request is None and not self._raw_body_needed:
            if now - self._idle_since > self._limits.keepalive:
                self._close()  # idle between requests: nothing was asked, nothing to answer
            return
        limits = self._limits
        if now - self._last_read > limits.read_timeout:
            self._timed_out(f"no bytes for {limits.read_timeout:.0f} s")
        elif now - self._started > limits.request_deadline:
            self._timed_out(f"the request did not arrive within {limits.request_deadline:.0f} s")

    def _timed_out(self, why: str) -> None:
        log.warning("dropped a slow client %s (%s)", self._peer[0] if self._peer else "", why)
        self._raw_body_needed = 0
        self._request = None
        self._refuse(Refusal(408, "Request Timeout", why))

    def shut_down(self) -> bool:
        """Stop after the request in hand; ``True`` once nothing is left to answer."""
        if self._transport is None:
            return True
        if not self._busy and not self._queue:
            self._close()
            return True
        self._closing = True
        return False
