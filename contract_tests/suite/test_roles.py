"""Roles (with ``--reseller-username``): a reseller reads and changes only its own accounts, and is
refused (403) where an administrator is needed or the account is someone else's.

Refused requests are the documented ones, so a panel that wrongly lets the reseller through acts on
nothing real: resources that do not exist, or the suite's own sandbox accounts.
"""

from __future__ import annotations

import uuid

import pytest

from contract_model import Contract, Operation
from contract_tests.judge.answers import body_problem, parsed
from contract_tests.judge.findings import Breach
from contract_tests.judge.kinds import (
    AUTH_BYPASS,
    AUTH_REFUSAL_STATUS,
    EFFECT_NOT_SHOWN,
    REJECTED_VALID_INPUT,
    refusal_kind,
)
from contract_tests.plugin import contract_of
from contract_tests.run.client import ApiClient
from contract_tests.run.readers import account_name, listed_names
from contract_tests.run.sandbox import Sandbox, SandboxError
from contract_tests.run.scenario import Scenario


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    operations = contract_of(metafunc.config).operations
    if "admin_operation" in metafunc.fixturenames:
        chosen = [op for op in operations if op.access in ("admin", "super-admin")]
        metafunc.parametrize("admin_operation", chosen, ids=[op.label for op in chosen])
    if "owned_operation" in metafunc.fixturenames:
        chosen = [op for op in operations if op.access == "owner"]
        metafunc.parametrize("owned_operation", chosen, ids=[op.label for op in chosen])


def _refused(contract: Contract, operation: Operation, response, check: str) -> None:
    """403 with a documented body, or a finding of what the reseller got instead."""
    status = response.status_code
    if status != 403:
        raise Breach(
            f"a reseller's request answered {status}, expected 403: {response.text[:300]}",
            operation=operation.label,
            check=check,
            kind=refusal_kind(status, parsed(response)),
            expected=403,
            received=status,
        )
    problem = body_problem(contract, operation, response)
    if problem is not None:
        raise Breach(
            f"the 403 body breaks the contract: {problem[1]}",
            operation=operation.label,
            check=check,
            kind=AUTH_REFUSAL_STATUS,
            expected="403 documented body",
            received="403 other body",
        )


def test_a_reseller_is_refused_where_an_administrator_is_needed(
    admin_operation: Operation, reseller: ApiClient, contract: Contract, prepared
):
    path, body = prepared(admin_operation, absent=True, refused=True)
    response = reseller.request(admin_operation.method, path, json=body)
    _refused(contract, admin_operation, response, "roles: administrator required")


def test_a_reseller_cannot_act_on_an_account_it_does_not_own(
    owned_operation: Operation, reseller: ApiClient, contract: Contract, prepared
):
    if owned_operation.safety == "read":
        pytest.skip("needs an account the reseller does not own: probed on the writes, with --mutating")
    path, body = prepared(owned_operation, refused=True)  # the administrator's own sandbox account
    response = reseller.request(owned_operation.method, path, json=body)
    _refused(contract, owned_operation, response, "roles: someone else's account")


def test_a_reseller_is_who_its_token_says(reseller: ApiClient):
    whoami = reseller.call("whoami")
    body = parsed(whoami)
    name = body.get("logged_in_as") if isinstance(body, dict) else None
    if whoami.status_code != 200:
        raise Breach(
            f"whoami refused the reseller: {whoami.status_code} {whoami.text[:200]}",
            operation="GET /api/whoami",
            check="roles: a reseller's token",
            kind=REJECTED_VALID_INPUT,
            expected=200,
            received=whoami.status_code,
        )
    if name != reseller.target.username:
        raise Breach(
            f"the reseller's token names {name!r}",
            operation="GET /api/whoami",
            check="roles: a reseller's token",
            kind=AUTH_BYPASS,
            expected=reseller.target.username,
            received=name,
        )


def test_a_reseller_reads_and_changes_its_own_accounts(
    reseller: ApiClient, client: ApiClient, contract: Contract, sandbox: Sandbox, request, not_shown, target
):
    if not target.mutating:
        pytest.skip("creates an account as the reseller: needs --mutating")
    own = Scenario(reseller, contract, request.node)
    admin = Scenario(client, contract, request.node)
    try:
        plan = sandbox.plan_name()
    except SandboxError as error:
        pytest.skip(str(error))
    name = sandbox.new_name()
    body = {"username": name, "password": f"Pw-{uuid.uuid4().hex}", "email": f"{name}@example.com", "plan_name": plan}
    own.call("createUser", body)
    own.expect(
        account_name(own.body(own.call("getUser", username=name))) == name, "the reseller cannot read its account"
    )
    own.expect(
        name in listed_names(own.body(own.call("listUsers"))),
        "the reseller's list misses its own account",
        kind=EFFECT_NOT_SHOWN,
    )
    detail = admin.body(admin.call("getUser", username=name))
    owner = detail.get("user", {}).get("user", {}).get("owner") if isinstance(detail.get("user"), dict) else None
    if owner is None:
        not_shown("POST /api/users", "the reseller owning what it creates", "the account's answer names no owner")
    else:
        own.expect(owner == reseller.target.username, f"an account the reseller created is owned by {owner!r}")
    own.call("modifyUser", {"action": "suspend"}, username=name)
    own.call("modifyUser", {"action": "unsuspend"}, username=name)
