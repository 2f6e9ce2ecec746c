"""Group B1 on the mock: security switches and lists, and each administrator's own 2FA and passkeys.

Every answer passes the contract's validation (``raise_on_contract_violation``), so these tests are
about state and refusals: what a POST changes, the next GET shows; what the spec refuses, is refused.
"""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contract_model import Contract
from contract_tests.run.local_mock import DEMO_PASSWORD
from mock_server.panel.second_factors import code_is_valid, totp

CONTRACT = Contract.load()
GROUP = [op for op in CONTRACT.operations if {"security", "two-factor", "passkeys"} & set(op.definition["tags"])]


def _login(client, username: str) -> dict[str, str]:
    response = client.post("/api/", json={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 200, response.get_data(as_text=True)
    return {"Authorization": f"Bearer {response.json['access_token']}"}


@pytest.fixture
def reseller(client) -> dict[str, str]:
    return _login(client, "reseller")


def _send(client, auth, operation_id: str, body=None):
    operation = CONTRACT.operation(operation_id)
    return client.open(operation.path, method=operation.method, json=body, headers=auth)


def test_the_group_has_its_17_operations():
    assert len(GROUP) == 17
    assert all(op.definition.get("x-since") == "2.x" for op in GROUP)


@pytest.mark.parametrize("operation", GROUP, ids=[op.operation_id for op in GROUP])
def test_documented_example_is_answered_with_its_success(client, auth, operation):
    body = operation.example_body()
    if operation.operation_id == "enableTwoFactor":  # a code is good for 30 s: the suite fills in a current one
        body = {**body, "code": totp(body["secret"])}
    response = _send(client, auth, operation.operation_id, body)
    assert response.status_code == 200, response.get_data(as_text=True)


def test_a_reseller_is_refused_every_admin_operation(client, reseller):
    admin_only = [op for op in GROUP if op.access == "admin"]
    assert len(admin_only) == 11
    for operation in admin_only:
        response = _send(client, reseller, operation.operation_id, operation.example_body())
        assert (response.status_code, response.json) == (403, {"error": "Forbidden: administrator role required"})


def test_no_token_is_a_401_everywhere(client):
    for operation in GROUP:
        assert _send(client, {}, operation.operation_id, operation.example_body()).status_code == 401, operation


def test_basic_auth_change_shows_on_the_next_read(client, auth):
    assert _send(client, auth, "getBasicAuth").json["basic_auth"] == "no"
    _send(client, auth, "updateBasicAuth", {"basic_auth": "yes", "basic_auth_username": "gate"})
    assert _send(client, auth, "getBasicAuth").json == {
        "basic_auth": "yes",
        "basic_auth_username": "gate",
        "basic_auth_password": "",
    }
    assert _send(client, auth, "updateBasicAuth", {}).status_code == 400
    assert _send(client, auth, "updateBasicAuth", {"basic_auth": "maybe"}).status_code == 400


def test_blacklist_is_replaced_and_switched(client, auth):
    changed = _send(client, auth, "updateBlacklistedUseragents", {"blacklist_useragents": "curl\n", "enabled": "no"})
    assert changed.json["blacklist_useragents_enabled"] == "no"
    assert _send(client, auth, "getBlacklistedUseragents").json == {
        "blacklist_useragents_enabled": "no",
        "blacklist_useragents": "curl\n",
    }
    same = _send(client, auth, "updateBlacklistedUseragents", {"enabled": "no"})
    assert (same.status_code, same.json) == (409, {"error": "Nothing to update."})
    assert _send(client, auth, "updateBlacklistedUseragents", {"blacklist_useragents": ""}).status_code == 400


def test_disable_admin_is_recorded_in_mock_state_only(app, client, auth):
    from mock_server.panel.security import SecuritySettings

    settings_part = app.extensions["openpanel"].panel.part(SecuritySettings)
    assert settings_part.admin_enabled is True
    assert _send(client, auth, "disableAdmin").json["success"] is True
    assert settings_part.admin_enabled is False


def test_a_token_whose_administrator_is_gone_is_a_404(app, client):
    ghost = {"Authorization": f"Bearer {app.extensions['openpanel'].panel.tokens.issue('ghost')}"}
    for operation_id in ("getTwoFactorStatus", "listPasskeys", "disableTwoFactor"):
        response = _send(client, ghost, operation_id, {"password": DEMO_PASSWORD})
        assert (response.status_code, response.json) == (404, {"error": "User not found"})


def test_firewall_deny_allow_and_unblock(client, auth):
    assert _send(client, auth, "getFirewall").json == {"available": True}
    denied = _send(client, auth, "runFirewallCommand", {"action": "qdeny", "ip": "192.0.2.9", "comment": "x"})
    assert "192.0.2.9 blocked" in denied.json["output"]
    page = _send(client, auth, "runFirewallCommand", {}).json["output"]
    assert "192.0.2.9 # x" in page
    _send(client, auth, "runFirewallCommand", {"action": "kill", "ip": "192.0.2.9"})
    assert "192.0.2.9" not in _send(client, auth, "runFirewallCommand", {}).json["output"]
    bad = _send(client, auth, "runFirewallCommand", {"action": "qdeny", "ip": "1.2.3.4&action=disable"})
    assert bad.status_code == 400, "a value that would smuggle another form field is refused"


def test_waf_switches_and_counts_rule_sets(client, auth):
    assert _send(client, auth, "getWafStatus").json == {
        "status": "on",
        "total_sets": 3,
        "active_sets": 2,
        "inactive_sets": 1,
    }
    off = _send(client, auth, "setWafStatus", {"status": "no"})
    assert off.json["status"] == "off"
    again = _send(client, auth, "setWafStatus", {"status": "no"})
    assert (again.status_code, again.json) == (409, {"error": "The module is already disabled."})
    assert _send(client, auth, "getWafStatus").json["status"] == "off"
    assert _send(client, auth, "setWafStatus", {"status": "sometimes"}).status_code == 400


def test_waf_rule_set_toggles_by_name(client, auth):
    rule = "REQUEST-913-SCANNER-DETECTION"
    done = _send(client, auth, "toggleWafRule", {"rule_name": rule, "action": "off"})
    assert done.json["message"] == "Rules set disabled. Restart Caddy to apply changes."
    listed = {r["name"]: r for r in _send(client, auth, "listWafRules").json}
    assert listed[rule]["status"] == "off" and listed[rule]["path"].endswith(".conf.disabled")
    assert _send(client, auth, "getWafStatus").json["active_sets"] == 1
    assert _send(client, auth, "toggleWafRule", {"rule_name": rule, "action": "off"}).status_code == 409
    missing = _send(client, auth, "toggleWafRule", {"rule_name": "NO-SUCH-SET", "action": "on"})
    assert (missing.status_code, missing.json) == (404, {"error": "rule_name not found."})


def test_two_factor_round_trip_is_per_administrator(client, auth, reseller):
    status = _send(client, auth, "getTwoFactorStatus").json
    assert status["totp_enabled"] is False and status["qr_data_uri"].startswith("data:image/png;base64,")
    assert _send(client, auth, "getTwoFactorStatus").json["secret"] != status["secret"], "a fresh secret each time"
    wrong = _send(client, auth, "enableTwoFactor", {"secret": status["secret"], "code": "000000"})
    if not code_is_valid(status["secret"], "000000"):
        assert (wrong.status_code, wrong.json) == (403, {"error": "Invalid authentication code."})
    enabled = _send(client, auth, "enableTwoFactor", {"secret": status["secret"], "code": totp(status["secret"])})
    assert enabled.status_code == 200
    assert _send(client, auth, "getTwoFactorStatus").json == {"totp_enabled": True}
    assert _send(client, reseller, "getTwoFactorStatus").json["totp_enabled"] is False, (
        "the reseller's own is untouched"
    )
    refused = _send(client, auth, "disableTwoFactor", {"password": "not-the-password"})
    assert (refused.status_code, refused.json) == (403, {"error": "Incorrect password."})
    assert _send(client, auth, "disableTwoFactor", {"password": DEMO_PASSWORD}).status_code == 200
    assert _send(client, auth, "getTwoFactorStatus").json["totp_enabled"] is False


def test_passkeys_are_listed_newest_first_renamed_and_removed(client, auth, reseller):
    listed = _send(client, auth, "listPasskeys").json["passkeys"]
    assert [p["id"] for p in listed] == [7, 3]
    _send(client, auth, "renamePasskey", {"id": 3, "name": "  Laptop  " + "x" * 200})
    renamed = {p["id"]: p for p in _send(client, auth, "listPasskeys").json["passkeys"]}[3]
    assert renamed["name"] == ("Laptop  " + "x" * 200)[:100]
    theirs = _send(client, auth, "deletePasskey", {"id": 11})
    assert (theirs.status_code, theirs.json) == (404, {"error": "Invalid passkey."}), "another admin's passkey"
    assert _send(client, auth, "deletePasskey", {"id": 7}).status_code == 200
    assert [p["id"] for p in _send(client, auth, "listPasskeys").json["passkeys"]] == [3]
    assert _send(client, auth, "deletePasskey", {"id": 7}).status_code == 404
    assert [p["id"] for p in _send(client, reseller, "listPasskeys").json["passkeys"]] == [11]
    assert _send(client, auth, "renamePasskey", {"id": 3, "name": "   "}).status_code == 400


def test_state_resets_with_the_panel(client, auth):
    _send(client, auth, "deletePasskey", {"id": 7})
    _send(client, auth, "setWafStatus", {"status": "no"})
    assert client.post("/__mock__/reset").status_code in (200, 204)
    assert [p["id"] for p in _send(client, auth, "listPasskeys").json["passkeys"]] == [7, 3]
    assert _send(client, auth, "getWafStatus").json["status"] == "on"


def test_totp_matches_the_rfc_6238_vectors():
    # RFC 6238 appendix B, SHA-1 seed "12345678901234567890", last 6 digits.
    secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    assert [totp(secret, t) for t in (59, 1111111109, 1234567890, 2000000000)] == [
        "287082",
        "081804",
        "005924",
        "279037",
    ]


@settings(max_examples=50, deadline=None)
@given(offset=st.integers(min_value=-29, max_value=29))
def test_a_code_is_accepted_one_step_either_side(offset: int):
    secret, now = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", time.time()
    assert code_is_valid(secret, totp(secret, now + offset), now)
    assert not code_is_valid(secret, totp(secret, now + 95), now)


def test_basic_auth_ignores_keys_it_does_not_know(client, auth):
    assert _send(client, auth, "updateBasicAuth", {"basic_auth_username": "gate", "other": "x"}).status_code == 200
    assert set(_send(client, auth, "getBasicAuth").json) == {"basic_auth", "basic_auth_username", "basic_auth_password"}


def test_without_csf_the_firewall_form_is_the_documented_500(app, client, auth):
    from mock_server.panel.security import SecuritySettings

    settings_part = app.extensions["openpanel"].panel.part(SecuritySettings)
    with settings_part._writing():
        settings_part._state["firewall"]["available"] = False
    assert _send(client, auth, "getFirewall").json == {"available": False}
    missing = _send(client, auth, "runFirewallCommand", {"action": "qdeny", "ip": "192.0.2.1"})
    assert missing.status_code == 500 and "csf.pl" in missing.json["error"]
