"""Remove what earlier, interrupted runs left on a panel: everything named with the sandbox prefix."""

from __future__ import annotations

from typing import Any

from contract_model import original_name
from contract_tests.config.settings import SANDBOX_PREFIX
from contract_tests.run.client import ApiClient
from contract_tests.run.journal import Journal
from contract_tests.run.readers import listed_names
from contract_tests.run.sandbox import Sandbox


def find_leftovers(client: ApiClient, journal: Journal) -> Sandbox:
    """A sandbox holding what the journal says earlier runs may have created on this target, and every
    prefixed account, plan and domain the panel lists (2.x lists no accounts: the journal knows them)."""
    sandbox = Sandbox(client, journal)
    users = set(listed_names(_json(client, "listUsers")))
    domains = _json(client, "listDomains").get("domains", [])
    users |= {item.get("username", "") for item in domains}  # 2.x servers list no accounts, but domain owners
    sandbox.created = {original_name(name) for name in users if original_name(name).startswith(SANDBOX_PREFIX)}
    sandbox.domains = {
        item["domain_url"] for item in domains if str(item.get("domain_url", "")).startswith(SANDBOX_PREFIX)
    }
    sandbox.plans = {
        plan["name"]: int(plan["id"])
        for plan in _json(client, "listPlans").get("plans", [])
        if isinstance(plan, dict) and str(plan.get("name", "")).startswith(SANDBOX_PREFIX)
    }
    for (kind, name), entry in journal.entries().items():
        if kind == "account":
            sandbox.created.add(name)
        elif kind == "domain":
            sandbox.domains.add(name)
        elif kind == "plan" and (entry.get("id") is not None or name not in sandbox.plans):
            sandbox.plans[name] = entry.get("id", sandbox.plans.get(name))
    return sandbox


def _json(client: ApiClient, operation_id: str) -> dict[str, Any]:
    response = client.call(operation_id)
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
