"""Remove what earlier, interrupted runs left on a panel: everything named with the sandbox prefix."""

from __future__ import annotations

from contract_tests.readers import listed_names, plain_name
from contract_tests.sandbox import Sandbox
from contract_tests.session import PanelSession
from contract_tests.settings import SANDBOX_PREFIX


def find_leftovers(panel: PanelSession) -> Sandbox:
    """A sandbox holding every prefixed account, plan and domain the panel lists."""
    sandbox = Sandbox(panel)
    users = set(listed_names(_json(panel, "/api/users")))
    domains = _json(panel, "/api/domains").get("domains", [])
    users |= {item.get("username", "") for item in domains}  # 2.x servers list no accounts, but domain owners
    sandbox.created = {plain_name(name) for name in users if plain_name(name).startswith(SANDBOX_PREFIX)}
    sandbox.domains = {
        item["domain_url"] for item in domains if str(item.get("domain_url", "")).startswith(SANDBOX_PREFIX)
    }
    sandbox.plans = {
        plan["name"]: int(plan["id"])
        for plan in _json(panel, "/api/plans").get("plans", [])
        if str(plan.get("name", "")).startswith(SANDBOX_PREFIX)
    }
    return sandbox


def _json(panel: PanelSession, path: str) -> dict:
    response = panel.request("GET", path)
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}
