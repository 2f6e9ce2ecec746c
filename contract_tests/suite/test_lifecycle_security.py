"""Group B1 scenarios: what a change of a security setting, a 2FA enrolment or a passkey shows next.

Nothing here is the suite's own except the TOTP enrolment, so every scenario restores what it found
(or skips where it could not: an empty list cannot be written back, 2FA someone else turned on is
left alone). Settings and second factors need ``--destructive``; the WAF, the firewall and Basic Auth
change how the machine is reached and need ``--server-control``.
"""

from __future__ import annotations

import uuid

import pytest

from contract_tests.config.settings import SANDBOX_PREFIX, Target
from contract_tests.judge.kinds import EFFECT_NOT_SHOWN
from contract_tests.run.resources.second_factors import own_totp_secret, totp
from contract_tests.run.sandbox import Sandbox, SandboxError
from contract_tests.run.scenario import Scenario

#: A passkey id no panel has (the largest the contract allows).
ABSENT_ID = 9223372036854775807


@pytest.fixture
def destructive(target: Target) -> None:
    if not target.destructive:
        pytest.skip("changes what the suite did not create: needs --destructive")


@pytest.fixture
def server_control(target: Target) -> None:
    if not target.server_control:
        pytest.skip("changes how the machine is reached: needs --server-control")


def test_security_two_factor_enrolment_is_shown_and_removed(
    api: Scenario, sandbox: Sandbox, target: Target, destructive
):
    try:
        secret = own_totp_secret(sandbox)
    except SandboxError as error:
        pytest.skip(str(error))
    wrong = f"{(int(totp(secret)) + 500_000) % 1_000_000:06d}"
    api.call("enableTwoFactor", {"secret": secret, "code": wrong}, expect=403)
    off = api.body(api.call("getTwoFactorStatus"))
    api.expect(off.get("totp_enabled") is False, "a refused code turned 2FA on")
    api.call("enableTwoFactor", {"secret": secret, "code": totp(secret)})
    on = api.body(api.call("getTwoFactorStatus"))
    api.expect(on.get("totp_enabled") is True, f"after enabling, GET answers {on}", kind=EFFECT_NOT_SHOWN)
    api.expect("secret" not in on, "2FA is on, yet GET still hands out an enrolment secret")
    api.call("disableTwoFactor", {"password": f"not-{uuid.uuid4().hex}"}, expect=403)
    kept = api.body(api.call("getTwoFactorStatus"))
    api.expect(kept.get("totp_enabled") is True, "a wrong password turned 2FA off")
    api.call("disableTwoFactor", {"password": target.password})
    gone = api.body(api.call("getTwoFactorStatus"))
    api.expect(gone.get("totp_enabled") is False, f"after disabling, GET answers {gone}")


def test_security_passkey_rename_is_shown_and_undone(api: Scenario, destructive):
    keys = api.body(api.call("listPasskeys")).get("passkeys") or []
    api.call("renamePasskey", {"id": ABSENT_ID, "name": "nobody's"}, expect=404)
    api.call("deletePasskey", {"id": ABSENT_ID}, expect=404)
    named = [key for key in keys if key.get("name")]
    if not named:
        pytest.skip("no named passkey: a rename could not be undone (they are registered in a browser)")
    key, name = named[-1], f"{SANDBOX_PREFIX}-{uuid.uuid4().hex[:8]}"
    api.call("renamePasskey", {"id": key["id"], "name": name})
    try:
        shown = {k["id"]: k.get("name") for k in api.body(api.call("listPasskeys"))["passkeys"]}
        api.expect(shown.get(key["id"]) == name, f"after the rename the passkey is named {shown.get(key['id'])!r}")
    finally:
        api.call("renamePasskey", {"id": key["id"], "name": key["name"]})


def test_security_blocked_useragents_change_is_shown_and_undone(api: Scenario, destructive):
    before = api.body(api.call("getBlacklistedUseragents"))
    if not before.get("blacklist_useragents") or before.get("blacklist_useragents_enabled") not in ("yes", "no"):
        pytest.skip("an empty list (or an unknown switch) could not be written back")
    marker = f"{SANDBOX_PREFIX}-agent-{uuid.uuid4().hex[:8]}"
    flipped = "no" if before["blacklist_useragents_enabled"] == "yes" else "yes"
    try:
        api.call("updateBlacklistedUseragents", {"blacklist_useragents": f"{before['blacklist_useragents']}{marker}\n"})
        api.call("updateBlacklistedUseragents", {"enabled": flipped})
        after = api.body(api.call("getBlacklistedUseragents"))
        api.expect(marker in after.get("blacklist_useragents", ""), "the new list is not what GET answers")
        api.expect(after.get("blacklist_useragents_enabled") == flipped, "the switch did not move")
        api.call("updateBlacklistedUseragents", {"enabled": flipped}, expect=409)
    finally:
        api.call(
            "updateBlacklistedUseragents",
            {"blacklist_useragents": before["blacklist_useragents"], "enabled": before["blacklist_useragents_enabled"]},
        )


def test_security_waf_rule_set_and_module_switch_back(api: Scenario, server_control):
    rules = api.body(api.call("listWafRules")) or []
    api.call("toggleWafRule", {"rule_name": f"{SANDBOX_PREFIX}-no-such-set", "action": "on"}, expect=404)
    if rules:
        rule = rules[0]
        there, back = ("off", "on") if rule["status"] == "on" else ("on", "off")
        api.call("toggleWafRule", {"rule_name": rule["name"], "action": there})
        try:
            now = {r["name"]: r["status"] for r in api.body(api.call("listWafRules"))}
            api.expect(now.get(rule["name"]) == there, f"rule set {rule['name']} is {now.get(rule['name'])!r}")
            api.call("toggleWafRule", {"rule_name": rule["name"], "action": there}, expect=409)
        finally:
            api.call("toggleWafRule", {"rule_name": rule["name"], "action": back})
    status = api.body(api.call("getWafStatus")).get("status")
    there, back = ("no", "yes") if status == "on" else ("yes", "no")
    switched = api.body(api.call("setWafStatus", {"status": there}))
    try:
        api.expect(switched.get("status") == ("on" if there == "yes" else "off"), f"the switch answered {switched}")
        api.expect(api.body(api.call("getWafStatus")).get("status") == switched.get("status"), "GET disagrees")
        api.call("setWafStatus", {"status": there}, expect=409)
    finally:
        api.call("setWafStatus", {"status": back})


def test_security_firewall_block_and_unblock_a_documentation_address(api: Scenario, sandbox: Sandbox, server_control):
    try:
        address = str(sandbox.value("documentation-address"))  # journaled: clean-up unblocks it too
    except SandboxError as error:
        pytest.skip(str(error))
    blocked = api.body(api.call("runFirewallCommand", {"action": "qdeny", "ip": address, "comment": "test"}))
    try:
        api.expect(address in blocked.get("output", ""), "CSF's answer does not name the address blocked")
    finally:
        removed = api.body(api.call("runFirewallCommand", {"action": "kill", "ip": address}))
    api.expect(address in removed.get("output", ""), "CSF's answer does not name the address unblocked")


def test_security_basic_auth_username_change_is_shown_and_undone(api: Scenario, server_control):
    before = api.body(api.call("getBasicAuth"))
    if before.get("basic_auth") == "yes":
        pytest.skip("the gate is on: changing its credentials could lock this run out after a restart")
    name = f"{SANDBOX_PREFIX}gate{uuid.uuid4().hex[:6]}"
    api.call("updateBasicAuth", {"basic_auth_username": name})
    try:
        shown = api.body(api.call("getBasicAuth")).get("basic_auth_username")
        api.expect(shown == name, f"after the change GET answers username {shown!r}")
    finally:
        api.call("updateBasicAuth", {"basic_auth_username": before.get("basic_auth_username", "")})
