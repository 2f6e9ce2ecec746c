"""Group C1 in the mock: administrators, resellers, general settings, account defaults, feature sets and
languages — each documented example works, what a POST changes the next GET shows, and refusals are
the documented ones (a reseller's included)."""

from __future__ import annotations

import shutil
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contract_model import Contract
from contract_tests.config.settings import SANDBOX_PREFIX, Target
from contract_tests.run.client import ApiClient
from contract_tests.run.local_mock import DEMO_PASSWORD, DEMO_USERNAME
from contract_tests.run.resources import RESOURCES
from contract_tests.run.sandbox import Sandbox
from mock_server import create_app
from mock_server.config import DEFAULT_FIXTURES

DOCUMENT = Contract.load()
GROUP = {
    "settings-administrators",
    "settings-resellers",
    "settings-general",
    "settings-defaults",
    "settings-plan-features",
    "settings-locales",
}
OPERATIONS = [op for op in DOCUMENT.operations if GROUP & set(op.definition["tags"])]
PASSWORD = "openpanel-mock"


def call(client, operation_id: str, headers: dict[str, str], json: Any = None, **params: Any):
    """Send one operation by id; the answer must be one the contract documents."""
    operation = DOCUMENT.operation(operation_id)
    response = client.open(operation.path_with(**params), method=operation.method, headers=headers, json=json)
    schema = DOCUMENT.response_schema(operation_id, response.status_code)
    assert schema is not None, f"{operation_id} does not document {response.status_code}: {response.json}"
    assert not DOCUMENT.schema_errors(response.json, schema), response.json
    return response


def login(client, username: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post("/api/", json={"username": username, "password": password})
    assert response.status_code == 200, response.json
    return {"Authorization": f"Bearer {response.json['access_token']}"}


@pytest.fixture
def reseller(client) -> dict[str, str]:
    return login(client, "reseller")


def test_the_group_has_its_nineteen_operations():
    assert len(OPERATIONS) == 19
    assert all(op.definition.get("x-since") == "2.x" for op in OPERATIONS)


@pytest.mark.parametrize("operation", OPERATIONS, ids=[op.operation_id for op in OPERATIONS])
def test_documented_example_works(client, auth, operation):
    params = {"username": "stefan"} if "{username}" in operation.path else {}
    params |= {"plan": "default"} if "{plan}" in operation.path else {}
    body = operation.example_body()
    if operation.operation_id == "updateFeatureSet":
        call(client, "createFeatureSet", auth, {"feature_name": "octest_fs"})
        params["plan"] = "octest_fs"
    response = call(client, operation.operation_id, auth, body, **params)
    assert 200 <= response.status_code < 300, response.json


def test_created_administrator_logs_in_is_listed_suspended_renamed_and_deleted(client, auth):
    body = {"action": "create", "username": "octest_adm", "password": "Str0ng-pass"}
    assert call(client, "manageAdministrator", auth, body).json["message"].endswith("octest_adm")
    own = login(client, "octest_adm", "Str0ng-pass")
    assert client.get("/api/whoami", headers=own).json == {"logged_in_as": "octest_adm"}
    listed = {row["username"]: row for row in call(client, "listAdministrators", auth).json}
    assert listed["octest_adm"]["role"] == "user" and listed["octest_adm"]["is_active"]
    assert "reseller" not in listed, "resellers are listed apart"
    call(client, "manageAdministrator", auth, {"action": "suspend", "username": "octest_adm"})
    listed = {row["username"]: row for row in call(client, "listAdministrators", auth).json}
    assert listed["octest_adm"]["is_active"] is False
    renamed = {"action": "rename_user", "username": "octest_adm", "new_username": "octest_adm2"}
    assert call(client, "manageAdministrator", auth, renamed).json["message"] == (
        "User 'octest_adm' renamed to 'octest_adm2'."
    )
    login(client, "octest_adm2", "Str0ng-pass")
    reset = {"action": "reset_password", "username": "octest_adm2", "new_password": "An0ther-pass"}
    call(client, "manageAdministrator", auth, reset)
    login(client, "octest_adm2", "An0ther-pass")
    call(client, "manageAdministrator", auth, {"action": "delete", "username": "octest_adm2"})
    names = {row["username"] for row in call(client, "listAdministrators", auth).json}
    assert "octest_adm2" not in names
    gone = client.post("/api/", json={"username": "octest_adm2", "password": "An0ther-pass"})
    assert gone.status_code == 401
    assert call(client, "listResellers", own).status_code == 404, "a deleted account's token names nobody"


def test_a_taken_name_and_the_super_admin_are_refused(client, auth):
    taken = call(client, "manageAdministrator", auth, {"action": "create", "username": "opsupport"})
    assert taken.status_code == 409 and taken.json["success"] is False
    for action in ("delete", "suspend"):
        refused = call(client, "manageAdministrator", auth, {"action": action, "username": "admin"})
        assert refused.status_code == 409 and "'admin' role" in refused.json["error"]
    for action in ("unsuspend", "reset_password", "disable_2fa", "delete"):
        unknown = call(client, "manageAdministrator", auth, {"action": action, "username": "nobody"})
        assert unknown.status_code == 404 and "does not exist" in unknown.json["error"]
    renamed = {"action": "rename_user", "username": "opsupport", "new_username": "reseller"}
    assert call(client, "manageAdministrator", auth, renamed).status_code == 409


def test_an_administrator_may_not_reset_the_super_admins_password(client):
    ops = login(client, "opsupport")
    body = {"action": "reset_password", "username": "admin", "new_password": "Hij4cked"}
    assert call(client, "manageAdministrator", ops, body).status_code == 403
    login(client, "admin")
    second_factor = {"action": "disable_2fa", "username": "opsupport"}
    assert call(client, "manageAdministrator", ops, second_factor).status_code == 403, "the Super Admin's only"


@pytest.mark.parametrize(
    "body",
    [
        {"action": "create"},
        {"action": "launch", "username": "octest"},
        {"action": "create", "username": "bad name"},
        {"action": "create", "username": "octest", "password": "short"},
        {"action": "rename_user", "username": "opsupport"},
    ],
)
def test_malformed_administrator_actions_are_400(client, auth, body):
    assert call(client, "manageAdministrator", auth, body).status_code == 400


def test_created_reseller_logs_in_has_limits_and_only_changes_itself(client, auth):
    call(client, "manageReseller", auth, {"action": "create", "username": "octest_res", "password": "Str0ng-pass"})
    update = {"action": "update", "username": "octest_res", "allowed_plans": "1,2", "max_accounts": "5"}
    call(client, "manageReseller", auth, update)
    rows = {row["username"]: row for row in call(client, "listResellers", auth).json}
    assert rows["octest_res"]["allowed_plans"] == [1, 2] and rows["octest_res"]["max_accounts"] == 5
    assert rows["reseller"]["current_accounts"] >= 1, "the demo reseller owns an account"
    own = login(client, "octest_res", "Str0ng-pass")
    # Whatever a reseller asks for, it changes only its own password.
    hijack = {"action": "delete", "username": "reseller", "new_password": "Mine-now-1"}
    changed = call(client, "manageReseller", own, hijack).json
    assert changed["message"] == "Password changed for reseller user: octest_res"
    login(client, "octest_res", "Mine-now-1")
    login(client, "reseller")
    brand = {"action": "update_branding", "username": "reseller", "logo_url": "https://example.com/logo.png"}
    call(client, "manageReseller", own, brand)
    rows = {row["username"]: row for row in call(client, "listResellers", auth).json}
    assert rows["octest_res"]["logo_url"] == "https://example.com/logo.png" and rows["reseller"]["logo_url"] == ""
    not_a_reseller = {"action": "update", "username": "opsupport", "max_accounts": "5"}
    assert call(client, "manageReseller", auth, not_a_reseller).status_code == 409
    call(client, "manageReseller", auth, {"action": "delete", "username": "octest_res"})
    assert "octest_res" not in {row["username"] for row in call(client, "listResellers", auth).json}


def test_a_reseller_may_not_list_resellers_nor_reach_admin_settings(client, reseller):
    listed = call(client, "listResellers", reseller)
    assert listed.status_code == 403 and "whoami" in listed.json["error"]
    for operation_id in ("listAdministrators", "getGeneralSettings", "getAccountDefaults", "listLocales"):
        assert call(client, operation_id, reseller).status_code == 403
    body = {"action": "create", "username": "octest_x", "password": "Str0ng-pass"}
    assert call(client, "manageAdministrator", reseller, body).status_code == 403


def test_general_settings_change_and_report_what_changed(client, auth):
    before = call(client, "getGeneralSettings", auth).json
    saved = call(client, "updateGeneralSettings", auth, {"2083_port": "2084", "dev_mode": "on"}).json
    assert saved["changes"] == ["user-panel port", "dev_mode"]
    after = call(client, "getGeneralSettings", auth).json
    assert (after["port"], after["dev_mode"], after["admin_port"]) == ("2084", "on", before["admin_port"])
    again = call(client, "updateGeneralSettings", auth, {"2083_port": "2084", "dev_mode": "on"}).json
    assert again == {"success": True, "changes": [], "message": "No changes made."}
    assert call(client, "updateGeneralSettings", auth, {"2087_port": "abc"}).status_code == 400


def test_account_defaults_are_grouped_and_a_post_changes_them(client, auth):
    defaults = call(client, "getAccountDefaults", auth).json
    groups = defaults["defaults"]
    assert groups["DEFAULTS"] == {"WEB_SERVER": "nginx", "PHP_VERSION": "8.2", "MYSQL_TYPE": "mysql", "VARNISH": False}
    assert "ROOT" not in groups["MYSQL"] and "USERNAME" not in groups, "secrets and per-account keys are left out"
    assert groups["PHP_FPM"] == {"8.2": {"RAM": "0.5G", "CPU": "0.5"}}
    assert "docker-proxy" not in defaults["autostart_available_services"]
    body = {"values": {"WEB_SERVER": "apache", "MYSQL_RAM": "2", "VARNISH": 1}, "services": ["mysql", "ghost"]}
    call(client, "updateAccountDefaults", auth, body)
    changed = call(client, "getAccountDefaults", auth).json
    assert changed["defaults"]["DEFAULTS"]["WEB_SERVER"] == "apache" and changed["defaults"]["DEFAULTS"]["VARNISH"]
    assert changed["defaults"]["MYSQL"]["RAM"] == "2G"
    assert changed["autostart_active_services"] == ["mysql"], "unknown services are dropped"
    assert 'WEB_SERVER="apache"' in call(client, "getDefaultFiles", auth).json["env"]


def test_default_files_are_replaced_and_reset(client, auth):
    original = call(client, "getDefaultFiles", auth).json
    call(client, "updateDefaultFiles", auth, {"compose": "services:\n  caddy:\n    image: caddy\n"})
    replaced = call(client, "getDefaultFiles", auth).json
    assert replaced == {"env": original["env"], "compose": "services:\n  caddy:\n    image: caddy\n"}
    assert call(client, "getAccountDefaults", auth).json["autostart_available_services"] == ["caddy"]
    call(client, "resetDefaultFiles", auth)
    assert call(client, "getDefaultFiles", auth).json == original


def test_account_files_are_the_accounts_own(client, auth, reseller):
    assert call(client, "getAccountFiles", auth, username="stefan").json == call(client, "getDefaultFiles", auth).json
    saved = call(client, "updateAccountFiles", auth, {"env": "A=1\n"}, username="stefan").json
    assert saved["env"] == "A=1\n" and call(client, "getAccountFiles", auth, username="stefan").json == saved
    assert call(client, "getDefaultFiles", auth).json["env"] != "A=1\n", "the defaults stay"
    assert call(client, "getAccountFiles", auth, username="nobody").json == {"error": "No context found for user"}
    assert call(client, "getAccountFiles", reseller, username="stefan").status_code == 403


def test_feature_sets_lifecycle_and_what_a_reseller_sees(client, auth, reseller):
    assert call(client, "listFeatureSets", auth).json == ["basic", "default"]
    assert call(client, "listFeatureSets", reseller).json == ["reseller_basic"]
    call(client, "createFeatureSet", auth, {"feature_name": "octest_fs"})
    assert call(client, "createFeatureSet", auth, {"feature_name": "octest_fs"}).status_code == 409
    shown = call(client, "getFeatureSet", auth, plan="octest_fs").json
    assert shown["enabled_modules"] == [] and not any(f["status"] for f in shown["features"])
    call(client, "updateFeatureSet", auth, {"action": "update", "features": ["dns"]}, plan="octest_fs")
    shown = call(client, "getFeatureSet", auth, plan="octest_fs").json
    assert shown["enabled_modules"] == ["dns"] and [f["name"] for f in shown["features"] if f["status"]] == ["dns"]
    call(client, "updateFeatureSet", auth, {"action": "enable_all"}, plan="octest_fs")
    assert len(call(client, "getFeatureSet", auth, plan="octest_fs").json["enabled_modules"]) == 5
    assert call(client, "getFeatureSet", reseller, plan="octest_fs").status_code == 404, "not the reseller's"
    call(client, "updateFeatureSet", auth, {"action": "delete"}, plan="octest_fs")
    assert call(client, "getFeatureSet", auth, plan="octest_fs").status_code == 404
    for name in ("default", "basic"):  # the default one, and one a plan uses
        assert call(client, "updateFeatureSet", auth, {"action": "delete"}, plan=name).status_code == 409
    assert call(client, "getFeatureSet", auth, plan="bad.name").status_code == 400


def test_locales_install_and_default(client, auth):
    listed = call(client, "listLocales", auth).json
    assert listed["default_locale"] == "en"
    refused = call(client, "updateLocales", auth, {"default": "de-de"})
    assert (refused.status_code, refused.json) == (409, {"error": "Locale 'de-de' is not installed."})
    call(client, "updateLocales", auth, {"locale": "de-de"})
    assert call(client, "updateLocales", auth, {"default": "de-de"}).json["message"] == "Default locale set to 'de'."
    rows = {row["locale"]: row for row in call(client, "listLocales", auth).json["translations"]}
    assert rows["de-de"]["installed"] and rows["de-de"]["is_default"] and not rows["en-us"]["is_default"]
    assert call(client, "updateLocales", auth, {}).status_code == 400, "one of the two is required"
    assert call(client, "updateLocales", auth, {"locale": "german"}).status_code == 400


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(["WEB_SERVER", "MYSQL_TYPE", "NGINX_CPU"]), st.text("abc123", min_size=1)))
def test_any_values_post_reads_back(client, auth, values):
    """Whatever keys of the default `.env` a POST sets, the grouped view shows those values."""
    call(client, "updateAccountDefaults", auth, {"values": values})
    groups = call(client, "getAccountDefaults", auth).json["defaults"]
    shown = {"WEB_SERVER": groups["DEFAULTS"]["WEB_SERVER"], "MYSQL_TYPE": groups["DEFAULTS"]["MYSQL_TYPE"]}
    shown["NGINX_CPU"] = groups["NGINX"]["CPU"]
    assert {key: shown[key] for key in values} == values


def test_settings_yaml_is_optional(tmp_path):
    shutil.copytree(DEFAULT_FIXTURES, tmp_path / "fixtures")
    (tmp_path / "fixtures" / "settings.yaml").unlink()
    client = create_app(fixtures_dir=tmp_path / "fixtures", raise_on_contract_violation=True).test_client()
    auth = login(client, "admin")
    assert call(client, "getGeneralSettings", auth).json["admin_port"] == "2087"
    assert call(client, "listFeatureSets", auth).json == ["default"]
    assert call(client, "getDefaultFiles", auth).json == {"env": "", "compose": ""}


def test_state_resets_with_the_panel(app, client, auth):
    call(client, "manageAdministrator", auth, {"action": "create", "username": "octest_tmp", "password": "Str0ng-pass"})
    call(client, "updateLocales", auth, {"locale": "fr-fr"})
    app.extensions["openpanel"].panel.reset()
    assert "octest_tmp" not in {row["username"] for row in call(client, "listAdministrators", auth).json}
    rows = {row["locale"]: row for row in call(client, "listLocales", auth).json["translations"]}
    assert not rows["fr-fr"]["installed"]


def test_sandbox_makes_and_removes_its_openadmin_accounts_and_feature_sets(live_mock: str):
    """The suite's own administrators, resellers and feature sets are found by the leftovers check and
    gone after clean-up, even one renamed by a fuzzed request (its new name is the sandbox's too)."""
    session = ApiClient(Target(base_url=live_mock, username=DEMO_USERNAME, password=DEMO_PASSWORD))
    sandbox = Sandbox(session)
    made = {noun: sandbox.value(noun) for noun in ("admin", "reseller", "feature-set")}
    assert all(str(name).startswith(SANDBOX_PREFIX) for name in made.values())
    assert sandbox.value("admin") == made["admin"], "the shared one is reused"
    renamed = sandbox.value("new-admin")
    body = {"action": "rename_user", "username": made["admin"], "new_username": renamed}
    assert session.call("manageAdministrator", json=body).status_code == 200
    assert {noun: set(RESOURCES[noun].listed(session)) for noun in made} == {
        "admin": {renamed},
        "reseller": {made["reseller"]},
        "feature-set": {made["feature-set"]},
    }
    assert sandbox.cleanup() == []
    assert not any(RESOURCES[noun].listed(session) for noun in made)
