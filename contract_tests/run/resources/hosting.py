"""Hosting accounts, plans and domains, as the suite makes and removes them.

Removal follows what each generation needs: a suspended account may have to be unsuspended first
(2024 servers refuse to delete it, as the WHMCS module knows), and a 2.x panel deletes plans by
*name* — the id it is given in the path — so a plan that survives its DELETE is renamed to its id and
deleted again.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from contract_tests.config.settings import SANDBOX_PREFIX
from contract_tests.run.removal import RemovalFailed, status_of, still_there
from contract_tests.run.resources import Resource, resource

if TYPE_CHECKING:
    from contract_tests.run.client import ApiClient
    from contract_tests.run.sandbox import Sandbox

#: A plan id no panel has.
ABSENT_PLAN_ID = 2147483647


def _json(client: ApiClient, operation_id: str) -> Any:
    response = client.call(operation_id)
    try:
        return response.json()
    except ValueError:
        return None


@resource
class Account(Resource):
    noun, journal_kind, removal_order = "user", "account", 20
    create_operation = "createUser"

    def create(self, sandbox: Sandbox, name: str) -> str:
        body = {
            "username": name,
            "password": f"Pw-{uuid.uuid4().hex}",
            "email": f"{name}@example.com",
            "plan_name": sandbox.plan_name(),
        }
        sandbox.expect_2xx(sandbox.client.call("createUser", json=body), f"creating account {name}")
        return name

    def exists(self, client: ApiClient, value: object) -> bool:
        return client.call("getUser", username=value).status_code == 200

    def remove(self, client: ApiClient, name: str, entry: dict[str, Any]) -> None:
        if not still_there(client, "getUser", username=name):
            return
        status = status_of(client, "deleteUser", username=name)
        if not still_there(client, "getUser", username=name):
            return
        status_of(client, "modifyUser", json={"action": "unsuspend"}, username=name)
        status = status_of(client, "deleteUser", username=name)
        if still_there(client, "getUser", username=name):
            raise RemovalFailed(f"still readable after DELETE answered {status}")

    def listed(self, client: ApiClient) -> dict[str, dict[str, Any]]:
        from contract_model import original_name
        from contract_tests.run.readers import listed_names

        names = set(listed_names(_json(client, "listUsers")))
        domains = (_json(client, "listDomains") or {}).get("domains", [])
        # 2.x panels list no accounts, but name domain owners.
        names |= {str(d.get("username", "")) for d in domains if isinstance(d, dict)}
        return {original_name(n): {} for n in names if original_name(n).startswith(SANDBOX_PREFIX)}


@resource
class HostingPlan(Resource):
    noun, journal_kind, removal_order = "plan", "plan", 30
    create_operation = "createPlan"

    def fresh_name(self) -> str:
        return f"{SANDBOX_PREFIX}-plan-{uuid.uuid4().hex[:10]}"

    def create(self, sandbox: Sandbox, name: str) -> int:
        response = sandbox.client.call("createPlan", json={"name": name})
        sandbox.expect_2xx(response, f"creating plan {name}")
        plan_id = sandbox.find_plan_id(name, response)
        sandbox.track("plan", name, id=plan_id)
        return plan_id

    def exists(self, client: ApiClient, value: object) -> bool:
        return client.call("getPlan", plan_id=value).status_code == 200

    def remove(self, client: ApiClient, name: str, entry: dict[str, Any]) -> None:
        plan_id = entry.get("id")
        if plan_id is None:
            plan_id = plan_ids(client).get(name)
            if plan_id is None:
                return  # not listed under its name and no id known: never created
        if not still_there(client, "getPlan", plan_id=plan_id):
            return
        status = status_of(client, "deletePlan", plan_id=plan_id)
        if not still_there(client, "getPlan", plan_id=plan_id):
            return
        status_of(client, "replacePlan", json={"name": str(plan_id)}, plan_id=plan_id)
        status = status_of(client, "deletePlan", plan_id=plan_id)
        if still_there(client, "getPlan", plan_id=plan_id):
            raise RemovalFailed(f"still readable after DELETE answered {status}")

    def listed(self, client: ApiClient) -> dict[str, dict[str, Any]]:
        return {name: {"id": plan_id} for name, plan_id in plan_ids(client).items() if name.startswith(SANDBOX_PREFIX)}

    def absent(self, sandbox: Sandbox) -> object:
        return ABSENT_PLAN_ID


def plan_ids(client: ApiClient) -> dict[str, int]:
    """Plan name → id, from one plan listing (empty when the answer is unusable)."""
    try:
        plans = client.call("listPlans").json()["plans"]
        return {plan["name"]: int(plan["id"]) for plan in plans if isinstance(plan, dict) and "name" in plan}
    except (ValueError, KeyError, TypeError):
        return {}


@resource
class HostedDomain(Resource):
    noun, journal_kind, removal_order = "domain", "domain", 10
    create_operation = "addDomain"

    def fresh_name(self) -> str:
        return f"{SANDBOX_PREFIX}{uuid.uuid4().hex[:10]}.example.com"

    def create(self, sandbox: Sandbox, name: str) -> str:
        owner = str(sandbox.value("user"))
        response = sandbox.client.call("addDomain", json={"username": owner, "domain": name})
        sandbox.expect_2xx(response, f"adding domain {name}")
        try:
            listed = _listed(sandbox.client, name)
        except RemovalFailed:
            return name  # the listing is unusable (judged by its own phase): trust the 2xx
        if not listed:
            # A 2.x panel answers 200 with returncode 1 when its command failed (e.g. the plan's domain
            # limit): operations on the suite's domain cannot be judged on this panel, not failed.
            from contract_tests.run.sandbox import SandboxError  # the sandbox imports this package

            raise SandboxError(f"adding domain {name} answered {response.status_code}, but it is not listed")
        return name

    def exists(self, client: ApiClient, value: object) -> bool:
        return _listed(client, str(value))

    def remove(self, client: ApiClient, name: str, entry: dict[str, Any]) -> None:
        if not _listed(client, name):
            return
        status = status_of(client, "deleteDomain", domain=name)
        if _listed(client, name):
            raise RemovalFailed(f"still listed after delete answered {status}")

    def listed(self, client: ApiClient) -> dict[str, dict[str, Any]]:
        domains = (_json(client, "listDomains") or {}).get("domains", [])
        names = {str(d.get("domain_url", "")) for d in domains if isinstance(d, dict)}
        return {name: {} for name in names if name.startswith(SANDBOX_PREFIX)}


def _listed(client: ApiClient, domain: str) -> bool:
    response = client.call("listDomains")
    try:
        domains = response.json()["domains"]
        return any(isinstance(item, dict) and item.get("domain_url") == domain for item in domains)
    except (ValueError, KeyError, TypeError):
        status = response.status_code
        raise RemovalFailed(f"cannot tell whether it is gone: GET /api/domains answered {status}") from None
