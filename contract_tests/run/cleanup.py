"""Remove what earlier, interrupted runs left on a panel: everything named with the sandbox prefix."""

from __future__ import annotations

from typing import Any

from contract_model import original_name
from contract_tests.config.settings import SANDBOX_PREFIX
from contract_tests.run.client import ApiClient
from contract_tests.run.readers import listed_names
from contract_tests.run.sandbox import Sandbox


def find_leftovers(client: ApiClient) -> Sandbox:
    """A sandbox holding every prefixed account, plan and domain the panel lists."""
    sandbox = Sandbox(client)
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
        if str(plan.get("name", "")).startswith(SANDBOX_PREFIX)
    }
    return sandbox


def _json(client: ApiClient, operation_id: str) -> dict[str, Any]:
    response = client.call(operation_id)
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
