"""The suite's own plumbing against a live mock: token renewal, sandbox confinement and clean-up."""

from __future__ import annotations

import time

import pytest

from contract_model import Contract
from contract_tests.config.settings import SANDBOX_PREFIX, Target
from contract_tests.run.client import RENEW_MARGIN, ApiClient
from contract_tests.run.journal import Journal
from contract_tests.run.local_mock import DEMO_PASSWORD, DEMO_USERNAME, running_mock
from contract_tests.run.readers import listed_names
from contract_tests.run.sandbox import Sandbox


def _session(url: str) -> ApiClient:
    return ApiClient(Target(base_url=url, username=DEMO_USERNAME, password=DEMO_PASSWORD))


def test_session_renews_the_token_before_it_expires():
    with running_mock("--token-lifetime", str(RENEW_MARGIN + 2)) as url:
        session = _session(url)
        first = session.token()
        assert session.token() == first and session.logins == 1
        time.sleep(2.5)  # now inside the renewal margin
        assert session.token() != first and session.logins == 2
        assert session.request("GET", "/api/whoami").status_code == 200


def test_sandbox_creates_prefixed_accounts_and_removes_them_all(live_mock: str):
    session = _session(live_mock)
    sandbox = Sandbox(session)
    shared, disposable = sandbox.value("user"), sandbox.value("disposable-user")
    assert str(shared).startswith(SANDBOX_PREFIX) and str(disposable).startswith(SANDBOX_PREFIX)
    assert sandbox.value("user") == shared, "the shared account is reused"
    plan_id, domain = sandbox.value("plan"), sandbox.value("domain")
    assert sandbox.value("plan") == plan_id and sandbox.value("domain") == domain
    session.request("PATCH", f"/api/users/{shared}", json={"action": "suspend"})
    assert sandbox.cleanup() == []
    names = listed_names(session.request("GET", "/api/users").json())
    assert not [name for name in names if SANDBOX_PREFIX in name]
    plans = [plan["name"] for plan in session.request("GET", "/api/plans").json()["plans"]]
    assert not [name for name in plans if name.startswith(SANDBOX_PREFIX)]
    domains = [d["domain_url"] for d in session.request("GET", "/api/domains").json()["domains"]]
    assert domain not in domains


def test_sandbox_refuses_unknown_kinds(live_mock: str):
    from contract_tests.run.sandbox import SandboxError

    with pytest.raises(SandboxError, match="unknown x-sandbox kind"):
        Sandbox(_session(live_mock)).value("everything")


class _RefusingPanel:
    """A panel whose DELETE fails: just enough of ``ApiClient`` for ``Sandbox.cleanup``."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []

    def call(self, operation_id: str, json=None, **params):
        operation = Contract.load().operation(operation_id)
        self.calls.append((operation.method, operation.path_with(**params)))
        return type("Answer", (), {"status_code": 500 if operation.method == "DELETE" else 200})()


def test_sandbox_reports_what_it_could_not_remove(tmp_path):
    panel = _RefusingPanel()
    sandbox = Sandbox(panel, Journal(tmp_path / "journal.jsonl", "http://panel"))  # type: ignore[arg-type]
    name = sandbox.new_name()
    assert sandbox.cleanup() == [f"account {name} (still readable after DELETE answered 500)"]
    # A removal is confirmed by reading; a refused delete is retried after an unsuspend (2024 servers
    # refuse to delete suspended accounts).
    account = f"/api/users/{name}"
    assert panel.calls == [
        ("GET", account),
        ("DELETE", account),
        ("GET", account),
        ("PATCH", account),
        ("DELETE", account),
        ("GET", account),
    ]
    assert ("account", name) in Journal(tmp_path / "journal.jsonl", "http://panel").entries(), "kept for cleanup"


@pytest.mark.parametrize("bad", ["http://127.0.0.1:9"])
def test_unreachable_panel_is_a_usage_error(bad: str):
    from contract_tests.run.client import LoginFailed

    with pytest.raises(LoginFailed, match="cannot reach"):
        _session(bad).token()
