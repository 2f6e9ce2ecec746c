"""Credentials: every protected operation refuses forged, malformed and missing tokens; login and
whoami behave as documented."""

from __future__ import annotations

import shlex
import time

import pytest

from contract_model import Contract, Operation
from contract_tests.config.settings import RunSettings, Target
from contract_tests.judge.findings import BLOCKING, WARNING, Breach, curl, redact
from contract_tests.run.client import ApiClient
from contract_tests.run.probes import PROBES
from contract_tests.run.sandbox import documented_request


def _assert_documented(
    contract: Contract, operation: Operation, response, status: int, check: str, reproduce: str = ""
) -> None:
    label = operation.label
    if response.status_code != status:
        # Accepting bad credentials is an auth bypass; refusing them with another status is drift.
        bypass = 200 <= response.status_code < 300
        raise Breach(
            f"expected {status}, got {response.status_code}: {response.text[:300]}",
            operation=label,
            check=check,
            severity=BLOCKING if bypass else WARNING,
            reproduce=reproduce,
        )
    schema = contract.response_schema(operation.operation_id, status)
    try:
        errors = contract.schema_errors(response.json(), schema) if schema else [f"{status} is not documented"]
    except ValueError:
        errors = [f"body is not JSON: {response.text[:200]!r}"]
    if errors:
        raise Breach(f"{status} body breaks the contract: {errors}", operation=label, check=check, reproduce=reproduce)


@pytest.mark.parametrize("probe", list(PROBES))
def test_protected_operation_refuses_bad_credentials(
    secured_operation: Operation, probe: str, target: Target, client: ApiClient, contract: Contract, sandbox_for
):
    path, body = documented_request(secured_operation, sandbox_for(secured_operation), absent=True)
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
