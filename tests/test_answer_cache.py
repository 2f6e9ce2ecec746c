"""The answer cache never answers from the past: not after a write in any worker, not after a token
expired, not for an operation whose answer moves with the time."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contract_model import Contract
from contract_tests.run.local_mock import DEMO_PASSWORD, DEMO_USERNAME, running_mock
from mock_server.answer_cache import AnswerCache
from mock_server.app import create_app, keepable_operations
from mock_server.config import MockConfig

CONTRACT = Contract.load()


def _login(client) -> dict[str, str]:
    token = client.post("/api/", json={"username": DEMO_USERNAME, "password": DEMO_PASSWORD}).json["access_token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="module")
def workers(tmp_path_factory) -> tuple[list, object, dict[str, str]]:
    """Two cached apps on one state file, as two worker processes are, and an uncached reference."""
    state = tmp_path_factory.mktemp("cache") / "state.sqlite"
    secret = "cache-test-secret-of-thirty-two-bytes"
    apps = [create_app(state_path=state, jwt_secret=secret) for _ in range(2)]
    reference = create_app(state_path=state, jwt_secret=secret, answer_cache=False)
    assert all(isinstance(app.wsgi_app, AnswerCache) for app in apps)
    assert not isinstance(reference.wsgi_app, AnswerCache)
    clients = [app.test_client() for app in apps]
    return clients, reference.test_client(), _login(clients[0])


READS = ["/api/users", "/api/users/example_user", "/api/plans", "/api/whoami", "/api/domains"]
WRITES = [
    ("PATCH", "/api/users/example_user", {"action": "suspend"}),
    ("PATCH", "/api/users/example_user", {"action": "unsuspend"}),
    (
        "POST",
        "/api/users",
        {"username": "cachetest", "password": "Cache-pass-1", "email": "c@example.com", "plan_name": "Standard plan"},
    ),
    ("DELETE", "/api/users/cachetest", None),
    ("POST", "/__mock__/reset", None),
]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.one_of(
            st.tuples(st.just("read"), st.integers(0, 1), st.sampled_from(READS)),
            st.tuples(st.just("write"), st.integers(0, 1), st.sampled_from(range(len(WRITES)))),
        ),
        min_size=1,
        max_size=25,
    )
)
def test_every_read_in_any_worker_answers_as_the_uncached_pipeline_does(workers, steps):
    clients, reference, auth = workers
    for kind, worker, what in steps:
        if kind == "write":
            method, path, body = WRITES[what]
            clients[worker].open(path, method=method, json=body, headers=auth)
            continue
        cached = clients[worker].get(what, headers=auth)
        expected = reference.get(what, headers=auth)
        assert (cached.status_code, cached.data) == (expected.status_code, expected.data), f"stale {what}"


def test_a_kept_answer_is_not_sent_once_its_token_has_expired(tmp_path: Path, clock):
    app = create_app(state_path=tmp_path / "state.sqlite", token_lifetime=60, clock=clock)
    client = app.test_client()
    auth = _login(client)
    assert client.get("/api/users", headers=auth).status_code == 200
    assert client.get("/api/users", headers=auth).status_code == 200  # now kept
    client.post("/__mock__/clock", json={"advance": 30})
    assert client.get("/api/users", headers=auth).status_code == 200
    clock.now += 31  # time passes (past the token's expiry with the 30 s advanced); nothing is written
    assert client.get("/api/users", headers=auth).status_code == 401, "the token expired with no write"


def _path(operation) -> str | None:
    params = {p["name"]: p.get("example") for p in operation.parameters if p["in"] == "path"}
    if any(value is None for value in params.values()):
        return None
    return operation.path.format(**{name: str(value) for name, value in params.items()})


@pytest.mark.parametrize("flavor", ["contract", "v1", "v2"])
def test_no_kept_read_changes_with_the_time_alone(tmp_path: Path, flavor: str, clock, monkeypatch):
    """An operation whose answer changes without a write must be registered ``volatile``; this finds
    one that is not: every kept read answered twice, a day apart, with no write between (the machine's
    clock moves too, for handlers that read it rather than the mock's)."""
    monkeypatch.setattr(time, "time", clock)
    config = MockConfig(state_path=tmp_path / "state.sqlite", flavor=flavor, token_lifetime=10**7, clock=clock)
    app = create_app(config, answer_cache=False)
    client = app.test_client()
    auth = {**_login(client), "Content-Type": "application/json"}
    keepable = keepable_operations(CONTRACT, config)
    checked = []
    for operation in CONTRACT.operations:
        path = _path(operation)
        if operation.operation_id not in keepable or path is None:
            continue
        first = client.get(path, headers=auth)
        clock.now += 86_400 + 3_601.5
        second = client.get(path, headers=auth)
        clock.now -= 86_400 + 3_601.5
        assert (first.status_code, first.data) == (second.status_code, second.data), operation.operation_id
        checked.append(operation.operation_id)
    assert len(checked) >= len(keepable) * 0.8, f"only {len(checked)} of {len(keepable)} reads had examples"


def test_keepable_reads_exclude_volatile_ones_and_nothing_is_kept_with_latency_or_errors():
    config = MockConfig()
    keepable = keepable_operations(CONTRACT, config)
    assert "listUsers" in keepable and "getSystemInfo" not in keepable and "getRebootStatus" not in keepable
    assert "getTwoFactorStatus" not in keepable
    assert not any(CONTRACT.operation(op).method != "GET" for op in keepable)
    for change in ({"latency_ms": (0.0, 5.0)}, {"error_rate": 0.1}, {"live_metrics": True}, {"answer_cache": False}):
        assert keepable_operations(CONTRACT, MockConfig(**change)) == frozenset(), change


def test_no_worker_serves_a_stale_read_after_a_write_over_http():
    """Two worker processes, eight keep-alive connections spread over them by the kernel, every one
    warmed with the same read; after each write every connection must see the write at once."""
    with running_mock("--workers", "2") as url:
        token = requests.post(
            f"{url}/api/", json={"username": DEMO_USERNAME, "password": DEMO_PASSWORD}, timeout=30
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        sessions = [requests.Session() for _ in range(8)]

        def suspended(session: requests.Session) -> bool:
            users = session.get(f"{url}/api/users", headers=headers, timeout=30).json()["users"]
            return any("example_user" in str(row[1]) and str(row[1]).startswith("SUSPENDED_") for row in users)

        try:
            with ThreadPoolExecutor(8) as pool:
                for round_ in range(12):
                    for _ in range(3):  # warm every connection's worker: the answer is kept there now
                        states = set(pool.map(suspended, sessions))
                    assert states == {round_ % 2 == 1}
                    action = "suspend" if round_ % 2 == 0 else "unsuspend"
                    written = sessions[round_ % 8].patch(
                        f"{url}/api/users/example_user", json={"action": action}, headers=headers, timeout=30
                    )
                    assert written.status_code == 200, written.text
                    assert set(pool.map(suspended, sessions)) == {action == "suspend"}, f"stale after {action}"
        finally:
            for session in sessions:
                session.close()
