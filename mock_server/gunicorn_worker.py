"""gunicorn's threaded worker, with every client read bounded and transport errors in JSON.

This module reaches into gunicorn's internals (``util.write_error``, the worker's listeners,
``conn.init``, ``parser.unreader.sock``), which change between gunicorn releases: it is kept apart so
that the serving stack can be replaced without touching the rest (spec/DECISIONS.md).
"""

from __future__ import annotations

import json
import logging
import socket
import time
from typing import Any

#: Longest wait for a client's next bytes once a request has started (slow or stalled clients).
READ_TIMEOUT = 5.0
#: Longest time a whole request (line, headers, body) may take to arrive: a client trickling a byte
#: every few seconds stays under ``READ_TIMEOUT`` but must not hold a thread for good.
REQUEST_DEADLINE = 10.0


def bounded_read_worker() -> type:
    """gunicorn's threaded worker, with every client read bounded and transport errors in JSON.

    A gthread thread reads a request's body itself; a client that stops sending, or trickles, would
    hold that thread for good. With the bounds (``BoundedReads``) it is dropped after ``READ_TIMEOUT``
    without a byte, or ``REQUEST_DEADLINE`` after its request began, and the thread serves others.

    Requests gunicorn refuses before the app sees them (a header flood, a request line over the
    limit, a broken chunk) get gunicorn's HTML page; every other error of the API is JSON, and
    clients parse it as such. gunicorn has no hook for that page, so the worker process replaces
    the one function that writes it.
    """
    from gunicorn import util
    from gunicorn.workers.gthread import ThreadWorker

    class BoundedReadWorker(ThreadWorker):
        def init_process(self) -> None:
            util.write_error = write_json_error
            self.log.error_log.addFilter(one_line_read_timeouts)
            # On one shared socket, whichever worker wakes first accepts, and a load generator's
            # connections can all land on one worker. With a socket per worker (SO_REUSEPORT) the
            # kernel spreads connections. The master closed its own once bound, so none waits there.
            self.sockets = [type(listener)(listener.cfg_addr, self.cfg, self.log) for listener in self.sockets]
            super().init_process()

        def handle(self, conn):  # type: ignore[no-untyped-def]
            # gunicorn calls ``conn.init()`` on every request of a connection (it returns at once
            # after the first) and may hand a new connection back to its poller before that: the
            # bounded reads are installed once, and restarted for each further request.
            reads = getattr(conn, "openpanel_reads", None)
            if reads is not None:
                reads.restart()
            elif not getattr(conn, "openpanel_bounded", False):
                conn.openpanel_bounded = True
                start = conn.init

                def init() -> None:
                    start()
                    unreader = getattr(conn.parser, "unreader", None)
                    if not hasattr(conn, "openpanel_reads") and hasattr(unreader, "sock"):  # HTTP/1
                        conn.openpanel_reads = unreader.sock = BoundedReads(unreader.sock)

                conn.init = init
            return super().handle(conn)

    return BoundedReadWorker


class BoundedReads:
    """A client socket whose reads wait at most ``READ_TIMEOUT`` each and ``REQUEST_DEADLINE`` in all
    for one request; everything but ``recv`` is the socket's own."""

    def __init__(self, sock: socket.socket) -> None:
        self._sock = sock
        self.restart()

    def restart(self) -> None:
        self._deadline = time.monotonic() + REQUEST_DEADLINE

    def recv(self, size: int) -> bytes:
        remaining = self._deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"request not received within {REQUEST_DEADLINE:.0f} s")
        self._sock.settimeout(min(READ_TIMEOUT, remaining))
        return self._sock.recv(size)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)


def one_line_read_timeouts(record: logging.LogRecord) -> bool:
    """Dropping a client that is too slow is by design; gunicorn logs it as a traceback."""
    if record.exc_info and isinstance(record.exc_info[1], TimeoutError):
        record.msg, record.args = "dropped a slow client (%s)", (str(record.exc_info[1]) or "timed out",)
        record.exc_info = record.exc_text = None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
    return True


def write_json_error(sock: socket.socket, status: int, reason: str, message: str) -> None:
    """gunicorn's ``util.write_error``, answering ``{"error": ...}`` as the API does everywhere else."""
    from gunicorn.util import write_nonblock

    body = json.dumps({"error": f"{reason}: {message}" if message else reason}).encode()
    head = (
        f"HTTP/1.1 {status} {reason}\r\nConnection: close\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    write_nonblock(sock, head.encode("latin-1") + body)
