"""How long a normal request waits while 100 slow clients are connected (issue 12's goal: 0.5 s).

50 clients dribble their headers a line at a time and 50 trickle a body a byte at a time, every
0.2 s, for as long as the measurement runs; meanwhile one client sends normal reads, one after the
other, and the worst wait is the figure.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time

import requests

HEAD = b"POST /api/users HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"


def worst_wait(url: str, headers: dict[str, str], requests_made: int = 20, slow: int = 100) -> dict[str, float]:
    """The worst and the median wait of ``requests_made`` normal reads among ``slow`` slow clients."""
    host, port = url.removeprefix("http://").rsplit(":", 1)
    stop = threading.Event()
    sockets = []
    for index in range(slow):
        sock = socket.create_connection((host, int(port)), timeout=10)
        sock.sendall(HEAD + (b"Content-Length: 100000\r\n\r\n{" if index % 2 else b""))
        sockets.append((sock, b" " if index % 2 else b"X-Slow: 1\r\n"))

    def dribble() -> None:
        while not stop.wait(0.2):
            for sock, piece in sockets:
                with contextlib.suppress(OSError):
                    sock.sendall(piece)

    feeder = threading.Thread(target=dribble, daemon=True)
    feeder.start()
    waits = []
    try:
        with requests.Session() as session:
            for _ in range(requests_made):
                started = time.perf_counter()
                session.get(f"{url}/api/whoami", headers=headers, timeout=30).raise_for_status()
                waits.append(time.perf_counter() - started)
                time.sleep(0.1)
    finally:
        stop.set()
        feeder.join()
        for sock, _ in sockets:
            sock.close()
    waits.sort()
    return {"worst_s": waits[-1], "median_s": waits[len(waits) // 2]}
