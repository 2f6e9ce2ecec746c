"""Credentials: every protected operation refuses forged, malformed and missing tokens; login and
whoami behave as documented."""

from __future__ import annotations

import shlex
import time

import pytest

from contract_tests.document import ContractDocument, DocumentedOperation
from contract_tests.findings import BLOCKING, WARNING, Breach, curl, redact
from contract_tests.plugin import sandbox_if_allowed
from contract_tests.probes import PROBES
from contract_tests.sandbox import Sandbox
from contract_tests.session import TIMEOUT, PanelSession
from contract_tests.settings import Target

#: Stand-ins for sandbox kinds in auth probes: resources that do not exist, so even a panel that
#: wrongly accepts the forged token changes nothing real.
_ABSENT_PLAN_ID = 2147483647


def _probe_request(operation: DocumentedOperation, contract: ContractDocument, sandbox: Sandbox | None):
    """A request that would succeed with a valid token: documented examples, sandbox names for writes."""
    params: dict[str, object] = {}
    body = contract.example_body(operation)
    for target, kind in (operation.definition.get("x-sandbox") or {}).items():
        assert sandbox is not None
        location, name = target.split(".", 1)
        if "user" in kind:
            value: object = sandbox.new_name()
        elif "domain" in kind:
            value = sandbox.new_domain()
        elif kind == "new-plan":
            value = sandbox.new_plan_name()
        else:
            value = _ABSENT_PLAN_ID
        if location == "path":
            params[name] = value
        elif isinstance(body, dict):
            body[name] = value
    return operation.path_with(**params), body


def _assert_documented(
    contract: ContractDocument, operation: DocumentedOperation, response, status: int, check: str, reproduce: str = ""
) -> None:
    label = f"{operation.method} {operation.path}"
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
    secured_operation: DocumentedOperation,
    probe: str,
    target: Target,
    panel: PanelSession,
    contract: ContractDocument,
    request: pytest.FixtureRequest,
):
    sandbox = sandbox_if_allowed(secured_operation, target, request)
    path, body = _probe_request(secured_operation, contract, sandbox)
    authorization = PROBES[probe](panel.token())
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    response = panel.send(
        secured_operation.method,
        target.base_url + path,
        json=body,
        headers=headers,
        timeout=TIMEOUT,
        allow_redirects=False,
    )
    reproduce = curl(secured_operation.method, target.base_url + path, body, authenticated=False)
    if authorization is not None:
        reproduce += f" -H {shlex.quote('Authorization: ' + redact(authorization))}"
    _assert_documented(contract, secured_operation, response, 401, f"auth: {probe}", reproduce)


@pytest.fixture(scope="module")
def expired_token(request: pytest.FixtureRequest, panel: PanelSession, target: Target) -> str:
    """An expired token: given by the user, made by moving the mock's clock, or the run's first one once a
    long run has outlived it."""
    given = request.config.getoption("--expired-token")
    if given:
        return given
    if request.config.getoption("--mock-clock"):
        token = panel.token()
        moved = panel.send("POST", f"{target.base_url}/__mock__/clock", json={"advance": 24 * 3600})
        assert moved.status_code == 200, f"the mock's clock did not move: {moved.status_code}"
        panel.invalidate()  # our own token expired with it
        return token
    if panel.first_token and panel.first_token[1] < time.time():
        return panel.first_token[0]
    pytest.skip("no expired token: pass --expired-token (or OPENPANEL_EXPIRED_TOKEN), or run long enough")


def test_protected_operation_refuses_an_expired_token(
    secured_operation: DocumentedOperation,
    expired_token: str,
    target: Target,
    panel: PanelSession,
    contract: ContractDocument,
):
    if secured_operation.safety != "read":
        pytest.skip("probed on read operations only")
    path = secured_operation.path_with()
    response = panel.send(
        secured_operation.method,
        target.base_url + path,
        timeout=TIMEOUT,
        allow_redirects=False,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {expired_token}"},
    )
    reproduce = curl(secured_operation.method, target.base_url + path, authenticated=False)
    _assert_documented(contract, secured_operation, response, 401, "auth: expired token", reproduce)


def test_login_refuses_wrong_password(target: Target, panel: PanelSession, contract: ContractDocument):
    response = panel.send(
        "POST",
        f"{target.base_url}/api/",
        json={"username": target.username, "password": target.password + "-wrong"},
        timeout=TIMEOUT,
    )
    _assert_documented(contract, contract.operation("login"), response, 401, "auth: wrong password")


def test_login_issues_a_token_that_works(target: Target, panel: PanelSession, contract: ContractDocument):
    response = panel.send(
        "POST",
        f"{target.base_url}/api/",
        json={"username": target.username, "password": target.password},
        timeout=TIMEOUT,
    )
    _assert_documented(contract, contract.operation("login"), response, 200, "auth: login")
    token = response.json()["access_token"]
    whoami = panel.send(
        "GET", f"{target.base_url}/api/whoami", headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT
    )
    assert whoami.status_code == 200, f"a fresh token was refused: {whoami.status_code} {whoami.text[:200]}"


def test_whoami_names_the_account_that_logged_in(target: Target, panel: PanelSession, contract: ContractDocument):
    response = panel.request("GET", "/api/whoami")
    _assert_documented(contract, contract.operation("whoami"), response, 200, "auth: whoami")
    assert response.json()["logged_in_as"] == target.username
