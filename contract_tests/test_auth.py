"""Credentials: every protected operation refuses forged, malformed and missing tokens; login and
whoami behave as documented."""

from __future__ import annotations

import pytest

from contract_tests.document import ContractDocument, DocumentedOperation
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


def _assert_documented(contract: ContractDocument, operation_id: str, response, status: int) -> None:
    assert response.status_code == status, f"expected {status}, got {response.status_code}: {response.text[:300]}"
    schema = contract.response_schema(operation_id, status)
    assert schema is not None, f"{operation_id} does not document {status}"
    try:
        body = response.json()
    except ValueError:
        pytest.fail(f"{status} body is not JSON: {response.text[:200]!r}", pytrace=False)
    errors = contract.schema_errors(body, schema)
    assert not errors, f"{status} body breaks the contract: {errors}"


@pytest.mark.parametrize("probe", list(PROBES))
def test_protected_operation_refuses_bad_credentials(
    secured_operation: DocumentedOperation,
    probe: str,
    target: Target,
    panel: PanelSession,
    contract: ContractDocument,
    request: pytest.FixtureRequest,
):
    if secured_operation.safety not in target.allowed_safety:
        pytest.skip(f"{secured_operation.safety} operation: needs --mutating")
    sandbox = request.getfixturevalue("sandbox") if secured_operation.safety != "read" else None
    path, body = _probe_request(secured_operation, contract, sandbox)
    authorization = PROBES[probe](panel.token())
    headers = {"Content-Type": "application/json"}
    if authorization is not None:
        headers["Authorization"] = authorization
    response = panel.http.request(
        secured_operation.method,
        target.base_url + path,
        json=body,
        headers=headers,
        timeout=TIMEOUT,
        allow_redirects=False,
    )
    _assert_documented(contract, secured_operation.operation_id, response, 401)


def test_login_refuses_wrong_password(target: Target, panel: PanelSession, contract: ContractDocument):
    response = panel.http.post(
        f"{target.base_url}/api/",
        json={"username": target.username, "password": target.password + "-wrong"},
        timeout=TIMEOUT,
    )
    _assert_documented(contract, "login", response, 401)


def test_login_issues_a_token_that_works(target: Target, panel: PanelSession, contract: ContractDocument):
    response = panel.http.post(
        f"{target.base_url}/api/", json={"username": target.username, "password": target.password}, timeout=TIMEOUT
    )
    _assert_documented(contract, "login", response, 200)
    token = response.json()["access_token"]
    whoami = panel.http.get(
        f"{target.base_url}/api/whoami", headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT
    )
    assert whoami.status_code == 200, f"a fresh token was refused: {whoami.status_code} {whoami.text[:200]}"


def test_whoami_names_the_account_that_logged_in(target: Target, panel: PanelSession, contract: ContractDocument):
    response = panel.request("GET", "/api/whoami")
    _assert_documented(contract, "whoami", response, 200)
    assert response.json()["logged_in_as"] == target.username
