"""State and semantics (``--mutating``): what one request changes, the next read must show."""

from __future__ import annotations

import re
import uuid

import pytest

from contract_model import Contract
from contract_tests.config.settings import Target
from contract_tests.run.client import ApiClient
from contract_tests.run.readers import account_name, account_plan, listed_names
from contract_tests.run.sandbox import Sandbox


@pytest.fixture(autouse=True)
def _needs_mutating(target: Target) -> None:
    if not target.mutating:
        pytest.skip("changes state: needs --mutating")


class Api:
    """Calls an operation and checks its answer against the contract before the scenario reads it."""

    def __init__(self, client: ApiClient, contract: Contract) -> None:
        self.client, self.contract = client, contract

    def call(self, operation_id: str, json=None, *, expect: int | None = None, **params):
        """Call; ``expect=None`` means "succeeds" (any 2xx: exact success codes are the conformance
        test's business, so a 201 does not hide the state the scenario is about)."""
        response = self.client.call(operation_id, json=json, **params)
        label = f"{self.contract.operation(operation_id).method} {response.request.path_url}"
        ok = 200 <= response.status_code < 300 if expect is None else response.status_code == expect
        assert ok, f"{label} answered {response.status_code}, expected {expect or '2xx'}: {response.text[:300]}"
        schema = self.contract.response_schema(operation_id, response.status_code)
        if schema is not None:
            errors = self.contract.schema_errors(response.json(), schema)
            assert not errors, f"{label} {response.status_code} body breaks the contract: {errors}"
        return response


@pytest.fixture
def api(client: ApiClient, contract: Contract) -> Api:
    return Api(client, contract)


@pytest.fixture(scope="module")
def two_plans(client: ApiClient) -> tuple[str, str]:
    plans = [plan["name"] for plan in client.call("listPlans").json()["plans"]]
    if len(plans) < 2:
        pytest.skip("the panel needs two plans to test a plan change")
    return plans[0], plans[1]


def _create(api: Api, sandbox: Sandbox, plan: str, operation_id: str = "createUser") -> str:
    name = sandbox.new_name()
    body = {"username": name, "password": f"Pw-{uuid.uuid4().hex}", "email": f"{name}@example.com", "plan_name": plan}
    path = {"username": name} if operation_id == "createUserAtPath" else {}
    created = api.call(operation_id, body, **path)
    assert created.json().get("success") is True
    return name


@pytest.mark.parametrize("operation_id", ["createUser", "createUserAtPath"])
def test_created_account_is_readable_and_listed(api: Api, sandbox: Sandbox, two_plans, operation_id: str):
    name = _create(api, sandbox, two_plans[0], operation_id)
    single = api.call("getUser", username=name)
    assert account_name(single.json()) == name
    assert account_plan(single.json()) == two_plans[0]
    listed = api.call("listUsers")
    assert name in listed_names(listed.json()), "a created account is missing from GET /api/users"


def test_suspend_and_unsuspend_rename_the_account(api: Api, sandbox: Sandbox, two_plans):
    name = _create(api, sandbox, two_plans[0])
    api.call("modifyUser", {"action": "suspend"}, username=name)
    suspended = account_name(api.call("getUser", username=name).json())
    assert suspended and re.fullmatch(rf"SUSPENDED_\d{{14}}_{re.escape(name)}", suspended), suspended
    api.call("modifyUser", {"action": "suspend"}, expect=409, username=name)
    api.call("modifyUser", {"action": "unsuspend"}, username=name)
    assert account_name(api.call("getUser", username=name).json()) == name
    api.call("modifyUser", {"action": "unsuspend"}, expect=409, username=name)


def test_plan_change_is_visible_on_next_read(api: Api, sandbox: Sandbox, two_plans):
    name = _create(api, sandbox, two_plans[0])
    api.call("changeUserPlan", {"plan_name": two_plans[1]}, username=name)
    assert account_plan(api.call("getUser", username=name).json()) == two_plans[1]


def test_password_change_is_accepted(api: Api, sandbox: Sandbox, two_plans):
    name = _create(api, sandbox, two_plans[0])
    api.call("modifyUser", {"password": f"New-{uuid.uuid4().hex}"}, username=name)


def test_deleted_account_is_gone(api: Api, sandbox: Sandbox, two_plans):
    name = _create(api, sandbox, two_plans[0])
    api.call("deleteUser", username=name)
    api.call("getUser", expect=404, username=name)
    assert name not in listed_names(api.call("listUsers").json())
    api.call("deleteUser", expect=404, username=name)


def test_suspended_account_can_be_deleted_by_its_plain_name(api: Api, sandbox: Sandbox, two_plans):
    name = _create(api, sandbox, two_plans[0])
    api.call("modifyUser", {"action": "suspend"}, username=name)
    api.call("deleteUser", username=name)
    api.call("getUser", expect=404, username=name)


def test_duplicate_and_failed_creates_leave_nothing_behind(api: Api, sandbox: Sandbox, two_plans):
    name = _create(api, sandbox, two_plans[0])
    duplicate = {"username": name, "password": "Pw-1-dup", "email": "dup@example.com", "plan_name": two_plans[1]}
    api.call("createUser", duplicate, expect=409)
    assert account_plan(api.call("getUser", username=name).json()) == two_plans[0]

    ghost = sandbox.new_name()
    missing_plan = {
        "username": ghost,
        "password": "Pw-1-ghost",
        "email": "g@example.com",
        "plan_name": f"no-such-plan-{uuid.uuid4().hex}",
    }
    api.call("createUser", missing_plan, expect=409)
    api.call("getUser", expect=404, username=ghost)
    invalid = {"username": ghost, "password": "Pw-1-ghost", "plan_name": two_plans[0]}  # no email
    api.call("createUser", invalid, expect=400)
    api.call("getUser", expect=404, username=ghost)


def test_autologin_links_by_post_and_connect(
    api: Api, sandbox: Sandbox, two_plans, client: ApiClient, contract: Contract
):
    name = _create(api, sandbox, two_plans[0])
    link = api.call("autologin", username=name).json()["link"]
    assert f"username={name}" in link
    # CONNECT is what the 2024 docs and the WHMCS module send; OpenAPI cannot describe it.
    response = client.call("autologinConnect", username=name)
    assert response.status_code == 200, f"CONNECT autologin answered {response.status_code}: {response.text[:200]}"
    errors = contract.schema_errors(response.json(), contract.component("AutologinResponse"))
    assert not errors, errors


def test_autologin_for_an_unknown_account_is_404(api: Api, sandbox: Sandbox):
    api.call("autologin", expect=404, username=sandbox.new_name())


@pytest.fixture
def sandbox_plan(api: Api, sandbox: Sandbox) -> tuple[int, str]:
    """A plan of our own (its create answer is judged by the example and fuzzing phases, not here)."""
    name = sandbox.new_plan_name()
    created = api.client.call("createPlan", json={"name": name, "websites_limit": "3", "cpu": "2"})
    assert 200 <= created.status_code < 300, f"POST /api/plans answered {created.status_code}: {created.text[:300]}"
    plan_id = sandbox.find_plan_id(name, created)
    sandbox.plans[name] = plan_id
    return plan_id, name


def test_plan_lifecycle(api: Api, sandbox: Sandbox, sandbox_plan):
    plan_id, name = sandbox_plan
    plan = api.call("getPlan", plan_id=plan_id).json()["plan"]
    assert (plan["name"], plan["websites_limit"], plan["cpu"]) == (name, 3, "2"), "digit strings are stored as counts"
    assert name in [p["name"] for p in api.call("listPlans").json()["plans"]]
    api.call("createPlan", {"name": name}, expect=409)
    api.call("patchPlan", {"disk_limit": "7 GB"}, plan_id=plan_id)
    plan = api.call("getPlan", plan_id=plan_id).json()["plan"]
    assert (plan["name"], plan["disk_limit"], plan["websites_limit"]) == (name, "7 GB", 3), (
        "PATCH changes only what it sends"
    )
    api.call("replacePlan", {"name": name, "ram": "4g"}, plan_id=plan_id)
    plan = api.call("getPlan", plan_id=plan_id).json()["plan"]
    assert (plan["ram"], plan["websites_limit"]) == ("4g", 0), "PUT resets what it does not send"
    api.call("deletePlan", plan_id=plan_id)
    api.call("getPlan", expect=404, plan_id=plan_id)


def test_plan_in_use_cannot_be_deleted(api: Api, sandbox: Sandbox, sandbox_plan):
    plan_id, name = sandbox_plan
    user = _create(api, sandbox, name)
    api.call("deletePlan", expect=409, plan_id=plan_id)
    api.call("getPlan", plan_id=plan_id)
    api.call("deleteUser", username=user)
    api.call("deletePlan", plan_id=plan_id)


def _domain_entry(api: Api, domain: str) -> dict | None:
    domains = api.call("listDomains").json()["domains"]
    return next((item for item in domains if item["domain_url"] == domain), None)


def test_domain_lifecycle(api: Api, sandbox: Sandbox, two_plans):
    owner = _create(api, sandbox, two_plans[0])
    domain = sandbox.new_domain()
    api.call("addDomain", {"username": "no-such-" + owner, "domain": domain}, expect=404)
    added = api.call("addDomain", {"username": owner, "domain": domain})
    assert added.json()["returncode"] == 0
    entry = _domain_entry(api, domain)
    assert entry and entry["username"] == owner and entry["docroot"] == f"/var/www/html/{domain}"
    api.call("addDomain", {"username": owner, "domain": domain}, expect=409)
    api.call("suspendDomain", domain=domain)
    assert _domain_entry(api, domain).get("status", "suspended") == "suspended"
    api.call("unsuspendDomain", domain=domain)
    assert _domain_entry(api, domain).get("status", "active") == "active"
    api.call("deleteDomain", domain=domain)
    assert _domain_entry(api, domain) is None
    api.call("suspendDomain", expect=404, domain=domain)


def test_deleting_an_account_removes_its_domains(api: Api, sandbox: Sandbox, two_plans):
    owner = _create(api, sandbox, two_plans[0])
    domain = sandbox.new_domain()
    api.call("addDomain", {"username": owner, "domain": domain})
    api.call("deleteUser", username=owner)
    assert _domain_entry(api, domain) is None


def test_stopped_service_shows_inactive_until_started(api: Api, target: Target):
    if not target.destructive:
        pytest.skip("stops a service on the panel: needs --destructive")
    statuses = api.call("getServicesStatus").json()
    if not statuses:
        pytest.skip("the panel shows no services on its dashboard")
    service = statuses[0]["real_name"]
    try:
        api.call("controlService", action="stop", service_name=service)
        status = {s["real_name"]: s["status"] for s in api.call("getServicesStatus").json()}
        assert status[service] == "Inactive"
    finally:
        api.call("controlService", action="start", service_name=service)
    status = {s["real_name"]: s["status"] for s in api.call("getServicesStatus").json()}
    assert status[service] == "Active"
    api.call("controlService", expect=404, action="restart", service_name="no-such-service")


def _notification_states(api: Api) -> list[str]:
    """READ/UNREAD of each notification, newest first, from either documented item form."""
    items = api.call("listNotifications").json()["notifications"]
    return [
        item["status"] if isinstance(item, dict) else ("UNREAD" if " UNREAD " in item else "READ") for item in items
    ]


def test_notification_read_and_delete(api: Api, target: Target):
    if not target.destructive:
        pytest.skip("changes the administrator's notifications: needs --destructive")
    before = _notification_states(api)
    api.call("markNotificationRead", expect=404, line_number=len(before) + 1000)
    api.call("deleteNotification", expect=404, line_number=len(before) + 1000)
    if not before:
        pytest.skip("the panel has no notifications to mark and delete")
    api.call("markNotificationRead", line_number=1)
    assert _notification_states(api)[0] == "READ"
    api.call("deleteNotification", line_number=1)
    assert len(_notification_states(api)) == len(before) - 1
