"""What validation costs per request, in-process (no HTTP), measured side by side.

Three ways for the same mock: as it runs (openapi-core verdicts remembered by the bytes judged),
openapi-core on every request (nothing remembered), and no validation at all (the floor).
"""

from __future__ import annotations

import time

from mock_server import create_app
from mock_server.mock import Mock
from mock_server.pipeline.validation import Validator

DEMO = {"username": "admin", "password": "openpanel-mock"}


def _validate_every_time(mock: Mock) -> None:
    """Both validation stages with a validator that remembers nothing."""
    validator = Validator(mock.contract, memo_size=0)
    mock.pipeline.replace(
        "validate_request",
        lambda exchange: validator.check_request(exchange.operation, exchange.params, exchange.request),
    )

    def validate_response(exchange, answer):
        validator.check_response(exchange.operation, exchange.params, exchange.request, answer)
        return answer

    mock.pipeline.replace("validate_response", validate_response)


def _validate_nothing(mock: Mock) -> None:
    mock.pipeline.replace("validate_request", lambda exchange: None)
    mock.pipeline.replace("validate_response", lambda exchange, answer: answer)


def measure(paths: list[str], rounds: int) -> dict[str, dict[str, float]]:
    """``{path: {mode: ms per request}}``; modes run interleaved so machine noise hits all alike."""
    clients = {}
    for mode in ("remembered", "every request", "off"):
        app = create_app()
        mock = app.extensions["openpanel"]
        if mode == "every request":
            _validate_every_time(mock)
        elif mode == "off":
            _validate_nothing(mock)
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
