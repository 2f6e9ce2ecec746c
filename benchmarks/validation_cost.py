"""What validation costs per request, in-process (no HTTP), measured side by side.

Three ways for the same mock: as it runs (openapi-core verdicts remembered by the bytes judged),
openapi-core on every request (nothing remembered), and no validation at all (the floor).
"""

from __future__ import annotations

import time
from typing import Any

from mock_server import create_app
from mock_server.validation import Validator

DEMO = {"username": "admin", "password": "openpanel-mock"}


class _NoValidation(Validator):
    def check_request(self, *args: Any) -> None:
        return None

    def check_response(self, *args: Any) -> None:
        return None


def measure(paths: list[str], rounds: int) -> dict[str, dict[str, float]]:
    """``{path: {mode: ms per request}}``; modes run interleaved so machine noise hits all alike."""
    clients = {}
    for mode in ("remembered", "every request", "off"):
        app = create_app()
        panel = app.extensions["openpanel"]
        if mode == "every request":
            panel.validator = Validator(panel.contract.openapi, memo_size=0)
        elif mode == "off":
            panel.validator = _NoValidation(panel.contract.openapi)
        client = app.test_client()
        token = client.post("/api/", json=DEMO).json["access_token"]
        clients[mode] = (client, {"Authorization": f"Bearer {token}"})
    results: dict[str, dict[str, float]] = {path: dict.fromkeys(clients, 0.0) for path in paths}
    for _ in range(5):
        for path in paths:
            for mode, (client, headers) in clients.items():
                started = time.perf_counter()
                for _ in range(rounds):
                    client.get(path, headers=headers)
                results[path][mode] += (time.perf_counter() - started) * 1000 / rounds / 5
    return results
