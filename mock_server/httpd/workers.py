"""Forked worker processes, each with its own listening socket and event loop.

The GIL caps one process at one core, so the server forks workers from a process whose app is
already built (each answers its first request at once). Every worker binds the port itself with
``SO_REUSEPORT`` and the kernel spreads connections between them; the master holds the port bound
but never listens, so no connection waits on it (DECISIONS.md, serving). A worker says it is ready
through a pipe once it listens; the server is ready when every worker is.

SIGTERM or SIGINT stops the workers gracefully: no new connections, the requests in hand answered,
idle connections closed. A worker that dies on its own is replaced.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from mock_server.httpd.connection import Connection, Limits
from mock_server.httpd.wsgi import Site, WsgiApp

log = logging.getLogger("openpanel_mock")

#: One worker per core (the GIL caps each at one), at most 4: more only adds memory on a mock.
DEFAULT_WORKERS = min(os.cpu_count() or 1, 4)
#: How often a worker looks for clients that outstayed their deadline.
SWEEP_INTERVAL = 0.25
#: How long a stopping worker waits for the requests in hand.
GRACEFUL_TIMEOUT = 10.0


def serve(
    app: WsgiApp,
    *,
    host: str,
    port: int,
    workers: int,
    threads: int,
    on_ready: Callable[[], None],
    limits: Limits | None = None,
) -> None:
    """Serve ``app`` on ``host:port`` with ``workers`` processes until SIGTERM or SIGINT.

    ``threads`` > 0 runs the app on that many threads per worker (for an app that may block, e.g. a
    configured latency); 0 runs it on the event loop, the fastest for an app that never waits.
    """
    limits = limits or Limits()
    reservation = _socket(host, port, listen=False)  # holds the port; never accepts
    port = reservation.getsockname()[1]
    ready_read, ready_write = os.pipe()
    stopping = threading.Event()
    children: dict[int, int] = {}  # pid -> slot

    def spawn(slot: int) -> None:
        pid = os.fork()
        if pid == 0:  # the worker
            code = 1
            try:
                os.close(ready_read)
                reservation.close()
                _worker(app, host, port, workers, threads, limits, ready_write)
                code = 0
            except BaseException:
                log.exception("worker %s failed", os.getpid())
            finally:
                os._exit(code)
        children[pid] = slot

    def stop(signum: int, _frame: object) -> None:
        stopping.set()
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        for slot in range(workers):
            spawn(slot)
        threading.Thread(target=_when_every_worker_is_ready, args=(ready_read, workers, on_ready), daemon=True).start()
        _supervise(children, stopping, spawn)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        reservation.close()
        os.close(ready_write)


def _supervise(children: dict[int, int], stopping: threading.Event, spawn: Callable[[int], None]) -> None:
    """Wait for the workers; replace one that dies unless the server is stopping."""
    deadline: float | None = None
    while children:
        if stopping.is_set() and deadline is None:
            deadline = time.monotonic() + GRACEFUL_TIMEOUT + 5
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            if deadline is not None and time.monotonic() > deadline:
                for child in children:
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(child, signal.SIGKILL)
            time.sleep(0.05)
            continue
        slot = children.pop(pid, None)
        if slot is not None and not stopping.is_set():
            log.error("worker %s exited (status %s); starting another", pid, status)
            spawn(slot)


def _worker(app: WsgiApp, host: str, port: int, workers: int, threads: int, limits: Limits, ready: int) -> None:
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, signal.SIG_DFL)
    with contextlib.suppress(ImportError):
        import uvloop  # an event loop in C: about a third less CPU per request than asyncio's own

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    executor = ThreadPoolExecutor(threads, thread_name_prefix="app") if threads else None
    site = Site(server_name=host, server_port=str(port), multithread=bool(threads), multiprocess=workers > 1)
    asyncio.run(_run(app, host, port, site, limits, executor, ready))
    if executor is not None:
        executor.shutdown(wait=True)


async def _run(
    app: WsgiApp, host: str, port: int, site: Site, limits: Limits, executor: ThreadPoolExecutor | None, ready: int
) -> None:
    loop = asyncio.get_running_loop()
    connections: set[Connection] = set()
    server = await loop.create_server(
        lambda: Connection(app, site, limits, executor, connections), sock=_socket(host, port, listen=True)
    )
    stopped = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stopped.set)
    os.write(ready, b".")
    os.close(ready)
    while not stopped.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stopped.wait(), SWEEP_INTERVAL)
        now = time.monotonic()
        for connection in list(connections):
            connection.expire(now)
    server.close()
    deadline = time.monotonic() + GRACEFUL_TIMEOUT
    while time.monotonic() < deadline and not all([connection.shut_down() for connection in list(connections)]):
        await asyncio.sleep(0.02)


def _socket(host: str, port: int, *, listen: bool) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    if listen:
        sock.listen(1024)
        sock.setblocking(False)
    return sock


def _when_every_worker_is_ready(ready: int, workers: int, on_ready: Callable[[], None]) -> None:
    # A connection the kernel hands to a worker that is not listening yet would wait: the server is
    # ready only once every worker listens.
    reported = 0
    while reported < workers:
        chunk = os.read(ready, workers - reported)
        if not chunk:
            return
        reported += len(chunk)
    on_ready()
    while os.read(ready, 1024):  # replaced workers report too; keep the pipe from filling
        pass
