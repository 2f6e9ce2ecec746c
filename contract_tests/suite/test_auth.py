"""Credentials: every protected operation refuses forged, malformed and missing tokens; login and
whoami behave as documented."""

from __future__ import annotations

import shlex
import time

import pytest

from contract_model import Contract, Operation
from contract_tests.config.settings import RunSettings, Target
from contract_tests.judge.answers import body_problem, parsed
from contract_tests.judge.findings import Breach, curl, redact
from contract_tests.judge.kinds import AUTH_REFUSAL_STATUS, REJECTED_VALID_INPUT, refusal_kind
from contract_tests.run.client import ApiClient
from contract_tests.run.probes import PROBES


def _assert_documented(
    contract: Contract, operation: Operation, response, status: int, check: str, reproduce: str = ""
) -> None:
    """The answer is ``status`` with a body the contract documents for it; else a finding of its kind
    (2xx with data to bad credentials is an auth bypass, the health message a catch-all)."""
    label = operation.label
    received = response.status_code
    if received != status:
        raise Breach(
            f"expected {status}, got {received}: {response.text[:300]}",
            operation=label,
            check=check,
            kind=refusal_kind(received, parsed(response)) if status == 401 else REJECTED_VALID_INPUT,
            reproduce=reproduce,
            expected=status,
            received=received,
        )
    problem = body_problem(contract, operation, response)
    if problem is not None:
        kind = AUTH_REFUSAL_STATUS if status == 401 else problem[0]
        raise Breach(
            f"{status} body breaks the contract: {problem[1]}",
            operation=label,
            check=check,
            kind=kind,
            reproduce=reproduce,
            expected=f"{status} documented body",
            received=f"{status} other body",
        )


@pytest.mark.parametrize("probe", list(PROBES))
def test_protected_operation_refuses_bad_credentials(
    secured_operation: Operation, probe: str, target: Target, client: ApiClient, contract: Contract, prepared
):
    path, body = prepared(secured_operation, absent=True, refused=True)  # every probe must be refused
    authorization = PROBES[probe](client.token())
    headers = {} if authorization is None else {"Authorization": authorization}
    response = client.request(
        secured_operation.method, path, json=body, auth=False, headers=headers, allow_redirects=False
    )
    reproduce = curl(secured_operation.method, target.base_url + path, body, authenticated=False)
    if authorization is not None:
        reproduce += f" -H {shlex.quote('Authorization: ' + redact(authorization))}"
    _assert_documented(contract, secured_operation, response, 401, f"auth: {probe}", reproduce)


@pytest.fixture(scope="module")
def expired_token(client: ApiClient, run_settings: RunSettings) -> str:
    """An expired token: given by the user, made by moving the mock's clock, or the run's first one once a
    long run has outlived it."""
    if run_settings.expired_token:
        return run_settings.expired_token
    if run_settings.mock_clock:
        token = client.token()
        moved = client.request("POST", "/__mock__/clock", json={"advance": 24 * 3600}, auth=False, content_type=None)
        assert moved.status_code == 200, f"the mock's clock did not move: {moved.status_code}"
        client.invalidate()  # our own token expired with it
        return token
    if client.first_token and client.first_token[1] < time.time():
        return client.first_token[0]
    pytest.skip("no expired token: pass --expired-token (or OPENPANEL_EXPIRED_TOKEN), or run long enough")


def test_protected_operation_refuses_an_expired_token(
    secured_operation: Operation, expired_token: str, target: Target, client: ApiClient, contract: Contract
):
    if secured_operation.safety != "read":
        pytest.skip("probed on read operations only")
    path = secured_operation.path_with()
    response = client.request(
        secured_operation.method,
        path,
        auth=False,
        headers={"Authorization": f"Bearer {expired_token}"},
        allow_redirects=False,
    )
    reproduce = curl(secured_operation.method, target.base_url + path, authenticated=False)
    _assert_documented(contract, secured_operation, response, 401, "auth: expired token", reproduce)


def test_login_refuses_wrong_password(target: Target, client: ApiClient, contract: Contract):
    wrong = {"username": target.username, "password": target.password + "-wrong"}
    response = client.call("login", json=wrong, auth=False)
    _assert_documented(contract, contract.operation("login"), response, 401, "auth: wrong password")


def test_login_issues_a_token_that_works(target: Target, client: ApiClient, contract: Contract):
    response = client.call("login", json={"username": target.username, "password": target.password}, auth=False)
    _assert_documented(contract, contract.operation("login"), response, 200, "auth: login")
    token = response.json()["access_token"]
    whoami = client.call("whoami", auth=False, headers={"Authorization": f"Bearer {token}"})
    assert whoami.status_code == 200, f"a fresh token was refused: {whoami.status_code} {whoami.text[:200]}"


def test_whoami_names_the_account_that_logged_in(target: Target, client: ApiClient, contract: Contract):
    response = client.call("whoami")
    _assert_documented(contract, contract.operation("whoami"), response, 200, "auth: whoami")
    assert response.json()["logged_in_as"] == target.username
