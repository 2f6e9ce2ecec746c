"""Serving the mock over HTTP with worker processes forked from an app that is already built.

The GIL caps one Python process at one core, so the mock forks workers (sharing state through the
``Store``'s SQLite file); forking a built app means every worker answers its first request at once.
Two stacks, chosen on purpose:

* ``builtin`` (default, ``mock_server.httpd``): every HTTP method the panel documents, a 2xx answer to
  ``CONNECT /api/users/{u}`` (the WHMCS module's autologin) with its JSON body, JSON refusals of
  hostile input, slow clients bounded per connection. POSIX only (it forks).
* ``granian``: HTTP parsed in Rust (hyper). hyper turns any 2xx answer to CONNECT into a tunnel and
  sends nothing, and refuses hostile input with its own empty or plain-text answers: use it for load
  tests of everything else.
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections.abc import Callable

from flask import Flask

log = logging.getLogger("openpanel_mock")
SERVERS = ("builtin", "granian")


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

    ``on_ready`` runs once every worker accepts connections. ``threads`` 0 runs the app on each
    worker's event loop (builtin only).
    """
    if server == "granian":
        watcher = threading.Thread(target=_when_listening, args=(host, port, on_ready), daemon=True)
        _serve_granian(app, host, port, workers, max(threads, 1), watcher.start)
    else:
        from mock_server import httpd

        httpd.serve(app, host=host, port=port, workers=workers, threads=threads, on_ready=on_ready)


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
