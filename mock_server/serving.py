"""Serving the mock over HTTP with worker processes forked from an app that is already built.

The GIL caps one Python process at one core, so the mock forks workers (sharing state through the
``Store``'s SQLite file); forking a built app means every worker answers its first request at once.
Two stacks, chosen on purpose:

* ``gunicorn`` (default): threaded workers speaking every HTTP method the panel documents. A 2xx
  answer to ``CONNECT /api/users/{u}`` (the WHMCS module's autologin) arrives with its JSON body.
* ``granian``: HTTP parsed in Rust (hyper), slow clients buffered outside Python; about 1.6x the
  throughput on reads. hyper turns any 2xx answer to CONNECT into a tunnel and sends nothing, so this
  stack cannot serve autologin over CONNECT; use it for load tests of everything else.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import Flask

log = logging.getLogger("openpanel_mock")
SERVERS = ("gunicorn", "granian")
#: Longest wait for a client's next bytes once a request has started (slow or stalled clients).
READ_TIMEOUT = 5.0
#: Longest time a whole request (line, headers, body) may take to arrive: a client trickling a byte
#: every few seconds stays under ``READ_TIMEOUT`` but must not hold a thread for good.
REQUEST_DEADLINE = 10.0


def claimable_port(host: str, port: int) -> int:
    """``port`` if nobody listens on it (any free one for 0); ``OSError`` otherwise.

    Checked before forking so that a busy port is one clear line, not a server retrying to bind.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
        return probe.getsockname()[1]


def serve(
    app: Flask, *, server: str, host: str, port: int, workers: int, threads: int, on_ready: Callable[[], None]
) -> None:
    """Serve ``app`` until SIGTERM or SIGINT; in-flight requests finish first (graceful shutdown).

    ``on_ready`` runs once a worker accepts connections.
    """
    if server == "granian":
        watcher = threading.Thread(target=_when_listening, args=(host, port, on_ready), daemon=True)
        _serve_granian(app, host, port, workers, threads, watcher.start)
    else:
        _serve_gunicorn(app, host, port, workers, threads, on_ready)


def _serve_gunicorn(app: Flask, host: str, port: int, workers: int, threads: int, on_ready: Callable[[], None]) -> None:
    from gunicorn.app.base import BaseApplication

    # Each worker says it is ready through a pipe. (Probing the port from here instead raced with
    # the forks: a worker forked while a probe was open kept its socket, and on shutdown waited 5 s
    # for that connection to speak.)
    ready, worker_ready = os.pipe()
    threading.Thread(target=_when_a_worker_is_ready, args=(ready, on_ready), daemon=True).start()

    class MockApplication(BaseApplication):
        def load_config(self) -> None:
            settings: dict[str, Any] = {
                "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
                "workers": workers,
                "threads": threads,
                "worker_class": _bounded_read_worker(),
                "preload_app": True,
                "graceful_timeout": 10,
                "keepalive": 5,
                "loglevel": "warning",
                "post_worker_init": lambda _worker: os.write(worker_ready, b"."),
                # Each worker listens on a socket of its own (see BoundedReadWorker.init_process).
                "reuse_port": True,
                "when_ready": lambda arbiter: [listener.close() for listener in arbiter.LISTENERS],
                # Hostile input: request line and header limits answered with 414/431, never a crash.
                "limit_request_line": 8190,
                "limit_request_fields": 100,
                "limit_request_field_size": 8190,
            }
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self) -> Flask:
            return app

    MockApplication().run()


def _bounded_read_worker() -> type:
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
            # On one shared socket, whichever worker wakes first accepts: a load generator's 16
            # connections all landed on one of two workers about one run in three, halving
            # throughput. With a socket per worker (SO_REUSEPORT) the kernel spreads connections.
            # The master closed its own socket once bound, so no connection waits in it.
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


def _serve_granian(app: Flask, host: str, port: int, workers: int, threads: int, started: Callable[[], None]) -> None:
    from granian import Granian
    from granian.constants import Interfaces
    from granian.log import LogLevels

    server = Granian(
        target="mock_server.app:create_app",  # informational: workers get the built app below
        address=host,
        port=port,
        interface=Interfaces.WSGI,
        workers=workers,
        blocking_threads=threads,
        log_level=LogLevels.warning,
        workers_kill_timeout=10,
    )
    server.on_startup(started)
    server.serve(target_loader=lambda: app, wrap_loader=False)


def _when_a_worker_is_ready(ready: int, on_ready: Callable[[], None]) -> None:
    if os.read(ready, 1):
        on_ready()
    while os.read(ready, 1024):  # later workers (restarts) report too; keep the pipe from filling
        pass


def _when_listening(host: str, port: int, on_ready: Callable[[], None], timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection((host, port), timeout=0.5).close()
        except OSError:
            time.sleep(0.005)
            continue
        on_ready()
        return
    log.error("no worker accepted connections on %s:%s within %.0f s", host, port, timeout)
