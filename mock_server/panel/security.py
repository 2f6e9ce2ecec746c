"""Group B1, server side: the switches and lists of OpenAdmin's security pages — HTTP Basic Auth in
front of OpenAdmin, the blocked user agents, OpenAdmin itself, the CSF firewall and the Coraza WAF.

Every "server-control" change here only changes this document: the mock's firewall blocks nobody and
switching OpenAdmin off only records that it was asked to (the real panel then stops answering).
"""

from __future__ import annotations

import copy
from typing import Any

from mock_server.panel.document import StateDocument
from mock_server.panel.errors import StateError
from mock_server.panel.fixtures import FixtureError
from mock_server.panel.parts import part

#: Where a 2.x panel keeps the WAF's rule-set files (``internal/handlers/waf.go``).
WAF_RULES_DIR = "/etc/openpanel/caddy/coreruleset/rules/"


class NothingToUpdate(StateError):
    """A blacklist change that would change nothing."""


class AlreadySwitched(StateError):
    """The WAF module or a rule set is already in the requested state."""


class WafRuleNotFound(StateError):
    pass


class FirewallMissing(StateError):
    """CSF is not installed: ``csf.pl`` cannot be started."""


@part
class SecuritySettings(StateDocument):
    """Server-wide security state, seeded from ``fixtures/security.yaml``."""

    DOCUMENT = "security"

    def _initial(self) -> dict[str, Any]:
        written = self._fixtures.group("security")
        try:
            rules = [
                {"name": str(r["name"]), "num_rules": int(r["num_rules"]), "enabled": bool(r["enabled"])}
                for r in written.get("waf", {}).get("rules", [])
            ]
            firewall = written.get("firewall", {})
            return {
                "basic_auth": {key: str(value) for key, value in written.get("basic_auth", {}).items()},
                "blacklist": {
                    "enabled": str(written.get("blacklist_useragents", {}).get("enabled", "no")),
                    "list": str(written.get("blacklist_useragents", {}).get("list", "")),
                },
                "admin_enabled": True,
                "firewall": {
                    "available": bool(firewall.get("available", True)),
                    "allowed": [str(ip) for ip in firewall.get("allowed", [])],
                    "denied": [
                        {"ip": str(d["ip"]), "comment": str(d.get("comment", ""))} for d in firewall.get("denied", [])
                    ],
                },
                "waf": {"status": str(written.get("waf", {}).get("status", "off")), "rules": rules},
            }
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            raise FixtureError(f"security.yaml: not shaped as documented ({error!r})") from None

    def _dump(self) -> dict[str, Any]:
        return copy.deepcopy(self._state)

    def _load(self, document: dict[str, Any]) -> None:
        self._state = copy.deepcopy(document)

    # -- basic auth ------------------------------------------------------------------------

    def basic_auth(self) -> dict[str, str]:
        with self._reading():
            stored = self._state["basic_auth"]
            return {key: stored.get(key, "") for key in ("basic_auth", "basic_auth_username", "basic_auth_password")}

    def set_basic_auth(self, changes: dict[str, str]) -> None:
        with self._writing():
            self._state["basic_auth"].update(changes)

    # -- blocked user agents ---------------------------------------------------------------

    def blacklist(self) -> dict[str, str]:
        with self._reading():
            return {
                "blacklist_useragents_enabled": self._state["blacklist"]["enabled"],
                "blacklist_useragents": self._state["blacklist"]["list"],
            }

    def change_blacklist(self, new_list: str | None, enabled: str | None) -> str:
        """Replace the list and/or flip the switch; answer the switch as it now is."""
        with self._writing():
            stored = self._state["blacklist"]
            if not new_list and (not enabled or enabled == stored["enabled"]):
                raise NothingToUpdate("Nothing to update.")
            if new_list:
                stored["list"] = new_list
            if enabled:
                stored["enabled"] = enabled
            return stored["enabled"]

    # -- OpenAdmin itself ------------------------------------------------------------------

    def disable_admin(self) -> None:
        with self._writing():
            self._state["admin_enabled"] = False

    @property
    def admin_enabled(self) -> bool:
        with self._reading():
            return bool(self._state["admin_enabled"])

    # -- firewall --------------------------------------------------------------------------

    def firewall_available(self) -> bool:
        with self._reading():
            return bool(self._state["firewall"]["available"])

    def firewall_lists(self) -> tuple[list[str], list[str]]:
        with self._reading():
            firewall = self._state["firewall"]
            return list(firewall["allowed"]), [d["ip"] for d in firewall["denied"]]

    def run_csf(self, form: dict[str, Any]) -> str:
        """What ``csf.pl`` prints for one form: quick allow, quick deny, quick unblock, or the page."""
        with self._writing():
            firewall = self._state["firewall"]
            if not firewall["available"]:
                raise FirewallMissing("fork/exec /usr/local/csf/bin/csf.pl: no such file or directory")
            action, ip = str(form.get("action", "")), str(form.get("ip", ""))
            comment = str(form.get("comment", ""))
            if action == "qallow" and ip:
                if ip not in firewall["allowed"]:
                    firewall["allowed"].append(ip)
                return f"<p>Allowing {ip} ({comment})...</p><pre>csf: {ip} allowed</pre>"
            if action == "qdeny" and ip:
                firewall["denied"] = [d for d in firewall["denied"] if d["ip"] != ip] + [{"ip": ip, "comment": comment}]
                return f"<p>Blocking {ip} ({comment})...</p><pre>csf: {ip} blocked</pre>"
            if action == "kill" and ip:
                firewall["allowed"] = [a for a in firewall["allowed"] if a != ip]
                firewall["denied"] = [d for d in firewall["denied"] if d["ip"] != ip]
                return f"<p>Unblocking {ip}...</p><pre>csf: {ip} removed</pre>"
            allowed = "".join(f"<li>{a}</li>" for a in firewall["allowed"])
            denied = "".join(f"<li>{d['ip']} # {d['comment']}</li>" for d in firewall["denied"])
            return f"<h4>csf.allow</h4><ul>{allowed}</ul><h4>csf.deny</h4><ul>{denied}</ul>"

    # -- WAF -------------------------------------------------------------------------------

    def waf_status(self) -> dict[str, Any]:
        with self._reading():
            return self._waf_status()

    def switch_waf(self, on: bool) -> dict[str, Any]:
        with self._writing():
            waf = self._state["waf"]
            if (waf["status"] == "on") == on:
                raise AlreadySwitched(f"The module is already {'enabled' if on else 'disabled'}.")
            waf["status"] = "on" if on else "off"
            return self._waf_status()

    def waf_rules(self) -> list[dict[str, Any]]:
        with self._reading():
            return [
                {
                    "name": rule["name"],
                    "path": f"{WAF_RULES_DIR}{rule['name']}.conf{'' if rule['enabled'] else '.disabled'}",
                    "num_rules": rule["num_rules"],
                    "status": "on" if rule["enabled"] else "off",
                }
                for rule in sorted(self._state["waf"]["rules"], key=lambda r: _file_name(r))
            ]

    def switch_waf_rule(self, name: str, on: bool) -> str:
        with self._writing():
            rule = next((r for r in self._state["waf"]["rules"] if r["name"] == name), None)
            if rule is None:
                raise WafRuleNotFound("rule_name not found.")
            if rule["enabled"] == on:
                raise AlreadySwitched(f"Rules set {name} is already {'on' if on else 'off'}.")
            rule["enabled"] = on
            return f"Rules set {'enabled' if on else 'disabled'}. Restart Caddy to apply changes."

    def _waf_status(self) -> dict[str, Any]:
        rules = self._state["waf"]["rules"]
        active = sum(1 for rule in rules if rule["enabled"])
        return {
            "status": self._state["waf"]["status"],
            "total_sets": len(rules),
            "active_sets": active,
            "inactive_sets": len(rules) - active,
        }


def _file_name(rule: dict[str, Any]) -> str:
    return f"{rule['name']}.conf{'' if rule['enabled'] else '.disabled'}"
