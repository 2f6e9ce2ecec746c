"""State and semantics (``--mutating``): what one request changes, the next read must show.

Every check says what kind of departure it would be (``judge.kinds``); an effect that this panel's
API offers no way to read back is recorded as not shown, not guessed at.
"""

from __future__ import annotations

import re
import uuid

import pytest

from contract_tests.config.settings import Target
from contract_tests.judge.kinds import EFFECT_NOT_SHOWN, LOST_STATE
from contract_tests.run.client import ApiClient
from contract_tests.run.readers import account_name, account_plan, listed_names, listed_row
from contract_tests.run.sandbox import Sandbox, SandboxError
from contract_tests.run.scenario import Scenario


@pytest.fixture(autouse=True)
def _needs_mutating(target: Target) -> None:
    if not target.mutating:
        pytest.skip("changes state: needs --mutating")


@pytest.fixture(scope="module")
def two_plans(client: ApiClient) -> tuple[str, str]:
    """Two of the panel's own plans (discovered, never assumed)."""
    try:
        plans = [plan["name"] for plan in client.call("listPlans").json()["plans"]]
    except (ValueError, KeyError, TypeError):
        pytest.skip("GET /api/plans gives no plan list to create accounts on (judged by the other phases)")
    if len(plans) < 2:
        pytest.skip("the panel needs two plans to test a plan change")
    return plans[0], plans[1]


def _create(api: Scenario, sandbox: Sandbox, plan: str, operation_id: str = "createUser") -> str:
    name = sandbox.new_name()
    body = {"username": name, "password": f"Pw-{uuid.uuid4().hex}", "email": f"{name}@example.com", "plan_name": plan}
    path = {"username": name} if operation_id == "createUserAtPath" else {}
    created = api.body(api.call(operation_id, body, **path))
    api.expect(created.get("success") is True, f"create answered success={created.get('success')!r}")
    return name


@pytest.mark.parametrize("operation_id", ["createUser", "createUserAtPath"])
def test_created_account_is_readable_and_listed(api: Scenario, sandbox: Sandbox, two_plans, operation_id: str):
    name = _create(api, sandbox, two_plans[0], operation_id)
    single = api.body(api.call("getUser", username=name))
    api.expect(account_name(single) == name, f"the created account reads as {account_name(single)!r}")
    api.expect(account_plan(single) == two_plans[0], f"the created account is on {account_plan(single)!r}")
    listed = api.body(api.call("listUsers"))
    api.expect(name in listed_names(listed), "a created account is missing from GET /api/users", kind=EFFECT_NOT_SHOWN)


def test_suspend_and_unsuspend_rename_the_account(api: Scenario, sandbox: Sandbox, two_plans):
    name = _create(api, sandbox, two_plans[0])
    api.call("modifyUser", {"action": "suspend"}, username=name)
    suspended = account_name(api.body(api.call("getUser", username=name)))
    api.expect(
        bool(suspended and re.fullmatch(rf"SUSPENDED_\d{{14}}_{re.escape(name)}", suspended)),
        f"a suspended account reads as {suspended!r}",
    )
    api.call("modifyUser", {"action": "suspend"}, expect=409, username=name)
    api.call("modifyUser", {"action": "unsuspend"}, username=name)
    restored = account_name(api.body(api.call("getUser", username=name)))
    api.expect(restored == name, f"an unsuspended account reads as {restored!r}")
    api.call("modifyUser", {"action": "unsuspend"}, expect=409, username=name)


def test_plan_change_is_visible_on_next_read(api: Scenario, sandbox: Sandbox, two_plans):
    name = _create(api, sandbox, two_plans[0])
    api.call("changeUserPlan", {"plan_name": two_plans[1]}, username=name)
    now = account_plan(api.body(api.call("getUser", username=name)))
    api.expect(now == two_plans[1], f"after the plan change the account is on {now!r}")


def test_password_change_shows_as_a_new_hash(api: Scenario, sandbox: Sandbox, two_plans, not_shown):
    name = _create(api, sandbox, two_plans[0])
    before = listed_row(api.body(api.call("listUsers")), name)
    api.call("modifyUser", {"password": f"New-{uuid.uuid4().hex}"}, username=name)
    after = listed_row(api.body(api.call("listUsers")), name)
    if before is None or after is None:
        not_shown("PATCH /api/users/{username}", "password change", "no answer of this panel shows the hash")
        return
    api.expect(before[2] != after[2], "the account's password hash is unchanged after a password change")


def test_deleted_account_is_gone(api: Scenario, sandbox: Sandbox, two_plans):
    name = _create(api, sandbox, two_plans[0])
    api.call("deleteUser", username=name)
    api.call("getUser", expect=404, kind=LOST_STATE, username=name)
    api.expect(name not in listed_names(api.body(api.call("listUsers"))), "a deleted account is still listed")
    api.call("deleteUser", expect=404, username=name)


def test_suspended_account_can_be_deleted_by_its_plain_name(api: Scenario, sandbox: Sandbox, two_plans):
    name = _create(api, sandbox, two_plans[0])
    api.call("modifyUser", {"action": "suspend"}, username=name)
    api.call("deleteUser", username=name)
    api.call("getUser", expect=404, kind=LOST_STATE, username=name)


def test_duplicate_and_failed_creates_leave_nothing_behind(api: Scenario, sandbox: Sandbox, two_plans):
    name = _create(api, sandbox, two_plans[0])
    duplicate = {"username": name, "password": "Pw-1-dup", "email": "dup@example.com", "plan_name": two_plans[1]}
    api.call("createUser", duplicate, expect=409)
    kept = account_plan(api.body(api.call("getUser", username=name)))
    api.expect(kept == two_plans[0], f"a refused duplicate moved the account to {kept!r}")

    ghost = sandbox.new_name()
    missing_plan = {
        "username": ghost,
        "password": "Pw-1-ghost",
        "email": "g@example.com",
        "plan_name": f"no-such-plan-{uuid.uuid4().hex}",
    }
    api.call("createUser", missing_plan, expect=409)
    api.call("getUser", expect=404, kind=LOST_STATE, username=ghost)
    invalid = {"username": ghost, "password": "Pw-1-ghost", "plan_name": two_plans[0]}  # no email
    api.call("createUser", invalid, expect=400)
    api.call("getUser", expect=404, kind=LOST_STATE, username=ghost)


def test_autologin_links_by_post_and_connect(api: Scenario, sandbox: Sandbox, two_plans):
    name = _create(api, sandbox, two_plans[0])
    link = str(api.body(api.call("autologin", username=name)).get("link"))
    api.expect(f"username={name}" in link, f"the login link names another account: {link}")
    # CONNECT is what the 2024 docs and the WHMCS module send; OpenAPI cannot describe it.
    connect = api.call("autologinConnect", label="CONNECT autologin", username=name)
    link = str(api.body(connect).get("link"))
    api.expect(f"username={name}" in link, f"the CONNECT login link names another account: {link}")


def test_autologin_for_an_unknown_account_is_404(api: Scenario, sandbox: Sandbox):
    api.call("autologin", expect=404, username=sandbox.new_name())


@pytest.fixture
def sandbox_plan(api: Scenario, sandbox: Sandbox) -> tuple[int, str]:
    """A plan of our own (its create answer is judged by the example and fuzzing phases, not here)."""
    name = sandbox.new_plan_name()
    created = api.client.call("createPlan", json={"name": name, "websites_limit": "3", "cpu": "2"})
    if not 200 <= created.status_code < 300:
        pytest.skip(f"POST /api/plans answered {created.status_code}: no plan of our own to work on")
    try:
        plan_id = sandbox.find_plan_id(name, created)
    except SandboxError as error:
        pytest.skip(str(error))
    sandbox.track("plan", name, id=plan_id)
    return plan_id, name


def _plan(api: Scenario, plan_id: int) -> dict:
    plan = api.body(api.call("getPlan", plan_id=plan_id)).get("plan")
    return plan if isinstance(plan, dict) else {}


def test_plan_lifecycle(api: Scenario, sandbox: Sandbox, sandbox_plan):
    plan_id, name = sandbox_plan
    plan = _plan(api, plan_id)
    stored = (plan.get("name"), plan.get("websites_limit"), plan.get("cpu"))
    api.expect(stored == (name, 3, "2"), f"digit strings are stored as counts: {stored}")
    listed = [p.get("name") for p in api.body(api.call("listPlans")).get("plans", []) if isinstance(p, dict)]
    api.expect(name in listed, "a created plan is missing from GET /api/plans", kind=EFFECT_NOT_SHOWN)
    api.call("createPlan", {"name": name}, expect=409)
    api.call("patchPlan", {"disk_limit": 7}, plan_id=plan_id)
    plan = _plan(api, plan_id)
    patched = (plan.get("name"), plan.get("disk_limit"), plan.get("websites_limit"))
    api.expect(patched == (name, "7 GB", 3), f"PATCH changes only what it sends: {patched}")
    api.call("replacePlan", {"name": name, "ram": 4}, plan_id=plan_id)
    plan = _plan(api, plan_id)
    replaced = (plan.get("ram"), plan.get("websites_limit"))
    api.expect(replaced == ("4g", 0), f"PUT sets what it sends and resets the rest: {replaced}")
    api.call("deletePlan", plan_id=plan_id)
    api.call("getPlan", expect=404, kind=LOST_STATE, plan_id=plan_id)


def test_plan_in_use_cannot_be_deleted(api: Scenario, sandbox: Sandbox, sandbox_plan):
    plan_id, name = sandbox_plan
    user = _create(api, sandbox, name)
    api.call("deletePlan", expect=409, plan_id=plan_id)
    api.call("getPlan", kind=LOST_STATE, plan_id=plan_id)
    api.call("deleteUser", username=user)
    api.call("deletePlan", plan_id=plan_id)


def _domain_entry(api: Scenario, domain: str) -> dict | None:
    domains = api.body(api.call("listDomains")).get("domains", [])
    return next((d for d in domains if isinstance(d, dict) and d.get("domain_url") == domain), None)


def test_domain_lifecycle(api: Scenario, sandbox: Sandbox, two_plans, not_shown):
    owner = _create(api, sandbox, two_plans[0])
    domain = sandbox.new_domain()
    api.call("addDomain", {"username": "no-such-" + owner, "domain": domain}, expect=404)
    api.call("addDomain", {"username": owner, "domain": domain})
    entry = _domain_entry(api, domain) or {}
    api.expect(
        (entry.get("username"), entry.get("docroot")) == (owner, f"/var/www/html/{domain}"),
        f"the added domain is listed as {entry or 'missing'}",
    )
    api.call("addDomain", {"username": owner, "domain": domain}, expect=409)
    api.call("suspendDomain", domain=domain)
    status = (_domain_entry(api, domain) or {}).get("status")
    if status is None:
        not_shown("POST /api/domains/suspend/{domain}", "domain suspension", "GET /api/domains carries no status")
    api.expect(status in (None, "suspended"), f"a suspended domain is listed as {status}")
    api.call("unsuspendDomain", domain=domain)
    status = (_domain_entry(api, domain) or {}).get("status")
    api.expect(status in (None, "active"), f"an unsuspended domain is listed as {status}")
    api.call("deleteDomain", domain=domain)
    api.expect(_domain_entry(api, domain) is None, "a deleted domain is still listed")
    api.call("suspendDomain", expect=404, domain=domain)


def test_deleting_an_account_removes_its_domains(api: Scenario, sandbox: Sandbox, two_plans):
    owner = _create(api, sandbox, two_plans[0])
    domain = sandbox.new_domain()
    api.call("addDomain", {"username": owner, "domain": domain})
    api.call("deleteUser", username=owner)
    api.expect(_domain_entry(api, domain) is None, "a deleted account's domain is still listed")


def _statuses(api: Scenario) -> dict[str, str]:
    entries = api.body(api.call("getServicesStatus"))
    return (
        {s.get("real_name"): s.get("status") for s in entries if isinstance(s, dict)}
        if isinstance(entries, list)
        else {}
    )


def test_stopped_service_shows_inactive_until_started(api: Scenario, target: Target):
    if not target.destructive:
        pytest.skip("stops a service on the panel: needs --destructive")
    statuses = _statuses(api)
    if not statuses:
        pytest.skip("the panel shows no services on its dashboard")
    service = next(iter(statuses))
    try:
        api.call("controlService", action="stop", service_name=service)
        api.expect(_statuses(api).get(service) == "Inactive", f"a stopped {service} does not show as Inactive")
    finally:
        api.call("controlService", action="start", service_name=service)
    api.expect(_statuses(api).get(service) == "Active", f"a started {service} does not show as Active")
    api.call("controlService", expect=404, action="restart", service_name="no-such-service")


def _notification_states(api: Scenario) -> list[str]:
    """READ/UNREAD of each notification, newest first, from either documented item form."""
    items = api.body(api.call("listNotifications")).get("notifications", [])
    return [
        item.get("status") if isinstance(item, dict) else ("UNREAD" if " UNREAD " in str(item) else "READ")
        for item in items
    ]


def test_notification_read_and_delete(api: Scenario, target: Target):
    if not target.destructive:
        pytest.skip("changes the administrator's notifications: needs --destructive")
    before = _notification_states(api)
    api.call("markNotificationRead", expect=404, line_number=len(before) + 1000)
    api.call("deleteNotification", expect=404, line_number=len(before) + 1000)
    if not before:
        pytest.skip("the panel has no notifications to mark and delete")
    api.call("markNotificationRead", line_number=1)
    api.expect(_notification_states(api)[:1] == ["READ"], "a notification marked read is not READ")
    api.call("deleteNotification", line_number=1)
    api.expect(len(_notification_states(api)) == len(before) - 1, "a deleted notification is still listed")
