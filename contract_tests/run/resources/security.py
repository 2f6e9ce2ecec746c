"""The WAF's switches and the firewall as the suite may change them (``--server-control`` only), and how
it changes them back.

A valid request to switch the WAF module or one of its rule sets must ask for the other state (the
same one is a 409), so the reference kinds read the panel first and answer the opposite. Before the
first flip of a run, the state found is journaled — in the name, since the journal keeps names
across a crash — and clean-up puts it back. Firewall forms only ever name one documentation address
of the run's, which clean-up unblocks.
"""

from __future__ import annotations

import secrets
import weakref
from typing import TYPE_CHECKING, Any

from contract_tests.run.removal import RemovalFailed, status_of
from contract_tests.run.resources import Resource, reference, resource

if TYPE_CHECKING:
    from contract_tests.run.client import ApiClient
    from contract_tests.run.sandbox import Sandbox


def _json(client: ApiClient, operation_id: str) -> Any:
    try:
        return client.call(operation_id).json()
    except (ValueError, OSError):
        return None


def waf_module(client: ApiClient) -> str | None:
    """``on``/``off``, or ``None`` when the answer does not say."""
    found = _json(client, "getWafStatus")
    status = found.get("status") if isinstance(found, dict) else None
    return status if status in ("on", "off") else None


def waf_rule_sets(client: ApiClient) -> dict[str, str]:
    found = _json(client, "listWafRules")
    if not isinstance(found, list):
        return {}
    return {str(r["name"]): r["status"] for r in found if isinstance(r, dict) and r.get("status") in ("on", "off")}


@resource
class WafState(Resource):
    """What the run found: ``module:<on|off>`` or ``rule:<name>:<on|off>``; removing one restores it."""

    noun, journal_kind, removal_order = "waf-state", "waf-state", 5

    def create(self, sandbox: Sandbox, name: str) -> object:
        from contract_tests.run.sandbox import SandboxError

        raise SandboxError("the WAF's state is found, not made (flipped-waf-status, waf-rule-set)")

    def exists(self, client: ApiClient, value: object) -> bool:
        return True

    def remove(self, client: ApiClient, name: str, entry: dict[str, Any]) -> None:
        what, _, rest = name.partition(":")
        if what == "module":
            if waf_module(client) not in (None, rest):
                status = status_of(client, "setWafStatus", json={"status": "yes" if rest == "on" else "no"})
                if waf_module(client) != rest:
                    raise RemovalFailed(f"the WAF module is not back {rest} (switching answered {status})")
        elif what == "rule":
            rule, _, original = rest.rpartition(":")
            if waf_rule_sets(client).get(rule, original) != original:
                status = status_of(client, "toggleWafRule", json={"rule_name": rule, "action": original})
                if waf_rule_sets(client).get(rule) != original:
                    raise RemovalFailed(f"rule set {rule} is not back {original} (switching answered {status})")


def _remember(sandbox: Sandbox, prefix: str, state: str) -> None:
    """Journal the state found before this run's first change of it."""
    if not any(name.startswith(prefix) for name in sandbox.tracked["waf-state"]):
        sandbox.track("waf-state", f"{prefix}{state}")


@reference("flipped-waf-status")
def flipped_waf_status(sandbox: Sandbox) -> str:
    from contract_tests.run.sandbox import SandboxError

    status = waf_module(sandbox.client)
    if status is None:
        raise SandboxError("GET /api/security/waf does not say whether the WAF is on")
    _remember(sandbox, "module:", status)
    return "no" if status == "on" else "yes"


#: sandbox → the rule set ``waf-rule-set`` last named, which ``flipped-waf-rule-action`` flips.
_CHOSEN: weakref.WeakKeyDictionary[Sandbox, str] = weakref.WeakKeyDictionary()


@reference("waf-rule-set")
def waf_rule_set(sandbox: Sandbox) -> str:
    from contract_tests.run.sandbox import SandboxError

    rules = waf_rule_sets(sandbox.client)
    if not rules:
        raise SandboxError("GET /api/security/waf/rules lists no rule set to switch")
    name = _CHOSEN[sandbox] = sorted(rules)[0]
    _remember(sandbox, f"rule:{name}:", rules[name])
    return name


@reference("flipped-waf-rule-action")
def flipped_waf_rule_action(sandbox: Sandbox) -> str:
    name = _CHOSEN.get(sandbox) or waf_rule_set(sandbox)
    return "off" if waf_rule_sets(sandbox.client).get(name) == "on" else "on"


@resource
class FirewallAddress(Resource):
    """An address of TEST-NET-1 (RFC 5737) the run may have quick-allowed or -denied in CSF."""

    noun, journal_kind, removal_order = "firewall-address", "firewall-address", 5

    def fresh_name(self) -> str:
        return f"192.0.2.{secrets.randbelow(254) + 1}"

    def create(self, sandbox: Sandbox, name: str) -> object:
        from contract_tests.run.sandbox import SandboxError

        raise SandboxError("a firewall entry is made by the request that names it (documentation-address)")

    def exists(self, client: ApiClient, value: object) -> bool:
        return True

    def remove(self, client: ApiClient, name: str, entry: dict[str, Any]) -> None:
        # CSF's lists cannot be read through the API: the unblock's own answer is all there is.
        status = status_of(client, "runFirewallCommand", json={"action": "kill", "ip": name})
        if status != 200:
            raise RemovalFailed(f"unblocking answered {status}")


@reference("documentation-address")
def documentation_address(sandbox: Sandbox) -> str:
    """The run's one firewall address (journaled, unblocked at clean-up); none where CSF is missing."""
    from contract_tests.run.sandbox import SandboxError

    found = _json(sandbox.client, "getFirewall")
    if not isinstance(found, dict) or found.get("available") is not True:
        raise SandboxError("CSF is not installed on this panel (GET /api/security/firewall)")
    known = sorted(sandbox.tracked["firewall-address"])
    return known[0] if known else sandbox.fresh("firewall-address")
