"""Tag ``security``: Basic Auth, blocked user agents, switching OpenAdmin off, the firewall, the WAF.

The refusals of this group are added to the refuse stage's table here, next to the handlers that
raise them, so the group needs no edit of the shared pipeline.
"""

from __future__ import annotations

from mock_server.answer import Answer
from mock_server.handlers.registry import Call, operation
from mock_server.panel.security import (
    AlreadySwitched,
    FirewallMissing,
    NothingToUpdate,
    SecuritySettings,
    WafRuleNotFound,
)
from mock_server.pipeline.refusals import REFUSALS

REFUSALS.update(
    {
        # The request asks for the state the panel is already in (decision B1-5).
        NothingToUpdate: (409, "app"),
        AlreadySwitched: (409, "app"),
        WafRuleNotFound: (404, "app"),
        # GO's answer when csf.pl cannot be started; the contract documents it (decision B1-7).
        FirewallMissing: (500, "app"),
    }
)


def _settings(call: Call) -> SecuritySettings:
    return call.panel.part(SecuritySettings)


@operation("getBasicAuth")
def get_basic_auth(call: Call) -> Answer:
    return Answer(_settings(call).basic_auth())


@operation("updateBasicAuth")
def update_basic_auth(call: Call) -> Answer:
    keys = ("basic_auth", "basic_auth_username", "basic_auth_password")  # others are ignored, as on 2.x
    _settings(call).set_basic_auth({key: str(value) for key, value in call.body.items() if key in keys})
    return Answer({"success": True, "message": "Basic_auth settings for OpenAdmin edited successfully."})


@operation("getBlacklistedUseragents")
def get_blacklisted_useragents(call: Call) -> Answer:
    return Answer(_settings(call).blacklist())


@operation("updateBlacklistedUseragents")
def update_blacklisted_useragents(call: Call) -> Answer:
    enabled = _settings(call).change_blacklist(call.body.get("blacklist_useragents"), call.body.get("enabled"))
    return Answer(
        {"success": True, "message": "Saved blacklisted useragents.", "blacklist_useragents_enabled": enabled}
    )


@operation("disableAdmin")
def disable_admin(call: Call) -> Answer:
    _settings(call).disable_admin()
    return Answer(
        {
            "success": True,
            "message": "OpenAdmin is now disabled and all further actions need to be performed via terminal.",
        }
    )


@operation("getFirewall")
def get_firewall(call: Call) -> Answer:
    return Answer({"available": _settings(call).firewall_available()})


@operation("runFirewallCommand")
def run_firewall_command(call: Call) -> Answer:
    return Answer({"output": _settings(call).run_csf(call.body)})


@operation("getWafStatus")
def get_waf_status(call: Call) -> Answer:
    return Answer(_settings(call).waf_status())


@operation("setWafStatus")
def set_waf_status(call: Call) -> Answer:
    return Answer(_settings(call).switch_waf(call.body["status"] == "yes"))


@operation("listWafRules")
def list_waf_rules(call: Call) -> Answer:
    return Answer(_settings(call).waf_rules())


@operation("toggleWafRule")
def toggle_waf_rule(call: Call) -> Answer:
    message = _settings(call).switch_waf_rule(call.body["rule_name"], call.body["action"] == "on")
    return Answer({"success": True, "message": message})
