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

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from typing import Any

from flask import Flask

from mock_server.gunicorn_worker import bounded_read_worker

log = logging.getLogger("openpanel_mock")
SERVERS = ("gunicorn", "granian")


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
    threading.Thread(target=_when_every_worker_is_ready, args=(ready, workers, on_ready), daemon=True).start()

    class MockApplication(BaseApplication):
        def load_config(self) -> None:
            settings: dict[str, Any] = {
                "bind": f"[{host}]:{port}" if ":" in host else f"{host}:{port}",
                "workers": workers,
                "threads": threads,
                "worker_class": bounded_read_worker(),
                "preload_app": True,
                "graceful_timeout": 10,
                "keepalive": 5,
                "loglevel": "warning",
                "post_worker_init": lambda _worker: os.write(worker_ready, b"."),
                # Each worker listens on a socket of its own (see mock_server.gunicorn_worker).
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


def _when_every_worker_is_ready(ready: int, workers: int, on_ready: Callable[[], None]) -> None:
    # Each worker listens on a socket of its own: a connection the kernel hands to a worker that is
    # not running yet waits (or is reset), so the mock is ready only once every worker is.
    reported = 0
    while reported < workers:
        chunk = os.read(ready, workers - reported)
        if not chunk:
            return
        reported += len(chunk)
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
