"""Shared fixtures: an in-process mock for handler tests, a real HTTP mock where transport matters."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Iterator

import pytest

from contract_tests.run.local_mock import DEMO_PASSWORD, DEMO_USERNAME, running_mock
from mock_server import create_app

# The suite's journal of what it creates goes to a per-user state directory; the project's own runs
# keep it in a scratch one (each xdist worker imports this afresh, and subprocesses inherit it).
os.environ["XDG_STATE_HOME"] = _STATE = tempfile.mkdtemp(prefix="openpanel-contract-tests-")
atexit.register(shutil.rmtree, _STATE, ignore_errors=True)


class Clock:
    """A hand-driven clock, so expiry and suspension timestamps are exact."""

    def __init__(self, now: float = 1_790_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(clock: Clock):
    # Cheap password hashing keeps handler tests fast; the CLI keeps the panel's real 260000 rounds.
    return create_app(raise_on_contract_violation=True, clock=clock, password_hash_method="pbkdf2:sha256:1000")


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def token(client) -> str:
    response = client.post("/api/", json={"username": DEMO_USERNAME, "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.json["access_token"]


@pytest.fixture
def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="session")
def live_mock() -> Iterator[str]:
    """Base URL of ``openpanel-mock`` started as a user would, on a free loopback port."""
    with running_mock() as url:
        yield url
