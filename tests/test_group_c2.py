"""Group C2 over the Flask test client: settings (modules, custom code, PHP, Caddy, updates,
notifications) and imports/transfers. Operations are named by ``operationId``; the path comes from the
contract, so a test never restates one. The app raises on any answer its contract forbids."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contract_model import Contract

DOCUMENT = Contract.load()
C2_TAGS = {
    "settings-modules",
    "settings-custom-code",
    "settings-php",
    "settings-caddy",
    "settings-updates",
    "settings-notifications",
    "import",
}
C2 = [op for op in DOCUMENT.operations if set(op.definition["tags"]) & C2_TAGS]


def call(client, operation_id: str, headers=None, body=None, **params):
    """Send ``operation_id`` with ``params`` in its path; ``body`` as JSON when given."""
    operation = DOCUMENT.operation(operation_id)
    path = operation.path.format(**params)
    kwargs = {"headers": headers or {}}
    if body is not None:
        kwargs["json"] = body
    return client.open(path, method=operation.method, **kwargs)


def example(operation_id: str, status: int = 200):
    """The documented example of a response (``content`` of the first media type)."""
    response = DOCUMENT.resolve(DOCUMENT.operation(operation_id).definition["responses"][str(status)])
    return next(iter(response["content"].values()))["example"]


def request_example(operation_id: str):
    return DOCUMENT.operation(operation_id).definition["requestBody"]["content"]["application/json"]["example"]


@pytest.fixture
def reseller(client) -> dict[str, str]:
    token = client.post("/api/", json={"username": "reseller", "password": "openpanel-mock"}).json["access_token"]
    return {"Authorization": f"Bearer {token}"}


def test_the_group_has_its_24_operations_all_2x():
    assert len(C2) == 24
    assert all(op.definition.get("x-since") == "2.x" for op in C2)


@pytest.mark.parametrize("operation", [op for op in C2 if "requestBody" in op.definition], ids=lambda op: op.label)
def test_each_documented_request_example_is_accepted(client, auth, operation):
    response = call(client, operation.operation_id, auth, request_example(operation.operation_id))
    assert response.status_code == 200, response.get_data(as_text=True)
    if operation.operation_id != "updatePhpSettings":
        assert response.json["success"] is True and response.json["message"]


@pytest.mark.parametrize("operation", C2, ids=lambda op: op.label)
def test_every_operation_wants_a_token_and_refuses_a_reseller_unless_it_owns(client, reseller, operation):
    params = {p["name"]: "maria" if p["name"] == "username" else "x.log" for p in operation.parameters}
    body = request_example(operation.operation_id) if "requestBody" in operation.definition else None
    assert call(client, operation.operation_id, None, body, **params).status_code == 401
    refused = call(client, operation.operation_id, reseller, body, **params)
    if operation.access == "owner":
        assert refused.status_code == 200, "maria is the reseller's account"
        assert call(client, operation.operation_id, reseller, body, username="stefan").status_code == 403
    else:
        assert refused.status_code == 403 and refused.json == {"error": "Forbidden: administrator role required"}


def test_modules_post_replaces_the_enabled_list(client, auth):
    before = {f["name"]: f["status"] for f in call(client, "getModuleSettings", auth).json["features"]}
    assert before["dns"] and not before["malware_scan"]
    assert call(client, "updateModuleSettings", auth, {"enabled_modules": ["malware_scan", "ftp"]}).status_code == 200
    after = call(client, "getModuleSettings", auth).json
    assert {f["name"] for f in after["features"] if f["status"]} == {"malware_scan", "ftp"}
    assert after["plugins"][0]["folder"] == "hello"
    assert call(client, "getUpdateSettings", auth).json["config_data"]["PANEL"]["enabled_modules"] == "malware_scan,ftp"


def test_modules_post_needs_the_list(client, auth):
    assert call(client, "updateModuleSettings", auth, {}).status_code == 400
    assert call(client, "updateModuleSettings", auth, {"enabled_modules": ["a,b"]}).status_code == 400


def test_custom_code_writes_only_the_fields_sent(client, auth):
    before = call(client, "getCustomCode", auth).json
    assert set(before) == set(example("getCustomCode"))
    assert call(client, "updateCustomCode", auth, {"custom_js": "console.log(1)", "unknown": "x"}).status_code == 200
    after = call(client, "getCustomCode", auth).json
    assert after == {**before, "custom_js": "console.log(1)"}


def test_php_answers_what_it_wrote_in_the_servers_order(client, auth):
    response = call(client, "updatePhpSettings", auth, {"php84": "a=1\n", "options": "memory_limit\n", "php56": "b"})
    assert response.json == {"success": True, "updated": ["options", "php56", "php84"]}
    php = call(client, "getPhpSettings", auth).json
    assert (php["php84"], php["options"], php["php56"]) == ("a=1\n", "memory_limit\n", "b")
    assert call(client, "updatePhpSettings", auth, {"php82": 5}).status_code == 400


def test_caddy_metrics_are_prometheus_text(client, auth):
    response = call(client, "getCaddyMetrics", auth)
    assert response.status_code == 200 and response.mimetype == "text/plain"
    assert "caddy_http_requests_total" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("preference", "autoupdate", "autopatch"),
    [("minor_and_major", "on", "on"), ("minor_only", "off", "on"), ("major_only", "on", "off"), ("none", "off", "off")],
)
def test_update_preference_sets_both_flags(client, auth, preference, autoupdate, autopatch):
    assert call(client, "setUpdatePreference", auth, {"preference": preference}).status_code == 200
    panel = call(client, "getUpdateSettings", auth).json["config_data"]["PANEL"]
    assert (panel["autoupdate"], panel["autopatch"]) == (autoupdate, autopatch)


def test_an_unknown_preference_is_refused(client, auth):
    assert call(client, "setUpdatePreference", auth, {"preference": "sometimes"}).status_code == 400


def test_update_now_leaves_a_new_update_log_on_top(client, auth):
    before = call(client, "getUpdateSettings", auth).json["update_logs"]
    assert [log["timestamp"] for log in before] == sorted((log["timestamp"] for log in before), reverse=True)
    assert call(client, "startUpdateNow", auth).json == example("startUpdateNow")
    after = call(client, "getUpdateSettings", auth).json["update_logs"]
    assert len(after) == len(before) + 1 and after[0]["file"].startswith("2.0.3_")


def test_tags_drop_latest_and_sort_as_strings(client, auth):
    assert call(client, "listUpdateTags", auth).json == ["2.0.3", "2.0.2", "2.0.1", "2.0.0"]


def test_pinning_a_version_is_recorded_and_checked(client, auth):
    assert call(client, "pinPanelVersion", auth, {"version": "2.0.1"}).json["message"] == (
        "Downgraded to version 2.0.1 successfully."
    )
    assert call(client, "getUpdateSettings", auth).json["config_data"]["DEFAULT"]["VERSION"] == "2.0.1"
    for bad in ("1.2.3.4", "latest", "1000", ""):
        assert call(client, "pinPanelVersion", auth, {"version": bad}).status_code == 400, bad


def test_notification_settings_apply_what_is_sent_as_the_server_reads_it(client, auth):
    body = {
        "cpu": 95.7,
        "ram": " 70 ",
        "login": False,
        "dns": "on",
        "user_delete": "maybe",
        "mail_port": "99999",
        "mail_use_tls": "True",
        "mail_username": "not-an-address",
        "email": "ops@example.com",
        "ssh_whitelist": "192.0.2.1\n\n2001:db8::/32\n",
    }
    assert call(client, "updateNotificationSettings", auth, body).status_code == 200
    after = call(client, "getNotificationSettings", auth).json
    assert (
        after["settings"]["DEFAULT"] | {"cpu": "95", "ram": "70", "login": "no", "dns": "yes"}
        == after["settings"]["DEFAULT"]
    )
    assert after["settings"]["ACTIONS"]["user_delete"] == "no"
    assert (after["mail_port"], after["mail_use_tls"], after["mail_username"]) == ("465", "True", "alerts@example.com")
    assert after["email_address"] == "ops@example.com"
    assert after["ssh_whitelist"] == "192.0.2.1\n2001:db8::/32"


def test_an_invalid_whitelist_entry_refuses_the_whole_request(client, auth):
    before = call(client, "getNotificationSettings", auth).json
    response = call(client, "updateNotificationSettings", auth, {"cpu": 1, "ssh_whitelist": "192.0.2.1\n300.1.1.1"})
    assert response.status_code == 400 and response.json["error"]
    assert call(client, "getNotificationSettings", auth).json == before


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(["dns", "malware_scan", "phpmyadmin", "emails", "ftp", "backups"]), unique=True))
def test_any_enabled_list_reads_back(client, auth, names):
    call(client, "updateModuleSettings", auth, {"enabled_modules": names})
    features = call(client, "getModuleSettings", auth).json["features"]
    assert {f["name"] for f in features if f["status"]} == set(names)


def test_both_panel_types_list_the_same_imports(client, auth):
    cpanel = call(client, "listCpanelImports", auth).json
    assert cpanel == call(client, "listCyberpanelImports", auth).json
    assert {entry["status"] for entry in cpanel} == {"completed", "failed"}


def test_a_started_import_is_listed_running_and_its_log_readable(client, auth):
    body = {"path": "/home/backup-x.tar.gz", "plan_name": "default_plan_nginx"}
    response = call(client, "importCyberpanelBackup", auth, body)
    assert response.json["message"] == "Import process from /home/backup-x.tar.gz (CyberPanel backup) has started."
    running = [e for e in call(client, "listCpanelImports", auth).json if e["status"] == "running"]
    assert len(running) == 1 and running[0]["filename"].startswith("backup-x_")
    log = call(client, "getAccountImportLog", auth, log_filename=running[0]["filename"]).json
    assert log["status"] == "success" and "PID:" in log["log"]


def test_an_import_needs_path_and_plan(client, auth):
    assert call(client, "importCpanelBackup", auth, {"path": "/root/b.tar.gz"}).status_code == 400
    assert call(client, "importCpanelBackup", auth, {"path": "", "plan_name": "p"}).status_code == 400


@pytest.mark.parametrize("operation_id", ["getAccountImportLog", "getTransferLog"])
def test_a_missing_log_is_404_in_the_servers_words(client, auth, operation_id):
    response = call(client, operation_id, auth, log_filename="pw_nonexistent.log")
    assert (response.status_code, response.json) == (404, example(operation_id, 404))
    assert call(client, operation_id, auth, log_filename="..").status_code == 404


def test_a_started_transfer_shows_in_every_list(client, auth):
    body = {"openpanel_username": "devshop", "server": "192.0.2.9", "port": "2222"}
    assert call(client, "startTransfer", auth, body).status_code == 200
    files = call(client, "listTransfers", auth).json
    mine = call(client, "listUserTransfers", auth, username="devshop").json
    assert len(mine) == 1 and mine[0]["status"] == "in progress" and isinstance(mine[0]["pid"], int)
    assert mine[0]["file"] in files and mine[0]["filename"].startswith("devshop_192.0.2.9_")
    log = call(client, "getTransferLog", auth, log_filename=mine[0]["filename"]).json["log"]
    assert f"PID: {mine[0]['pid']}" in log


def test_transfer_statuses_of_the_fixtures(client, auth):
    assert [t["status"] for t in call(client, "listUserTransfers", auth, username="stefan").json] == ["success"]
    failed = call(client, "listUserTransfers", auth, username="maria").json
    assert [(t["status"], t["pid"]) for t in failed] == [("failed", None)]
    suspended = call(client, "listUserTransfers", auth, username="SUSPENDED_20240101000000_stefan").json
    assert [t["filename"] for t in suspended] == [
        t["filename"] for t in call(client, "listUserTransfers", auth, username="stefan").json
    ]
    assert call(client, "listUserTransfers", auth, username="nobody").json == []


def test_a_transfer_needs_account_and_server(client, auth):
    assert call(client, "startTransfer", auth, {"server": "192.0.2.9"}).status_code == 400
    assert call(client, "startTransfer", auth, {"openpanel_username": "stefan"}).status_code == 400


def test_backup_files_are_absolute_paths(client, auth):
    assert call(client, "listBackupFiles", auth).json == example("listBackupFiles")


def test_reset_brings_the_fixtures_back(client, auth):
    call(client, "updateCustomCode", auth, {"custom_css": "x"})
    call(client, "startTransfer", auth, {"openpanel_username": "devshop", "server": "192.0.2.9"})
    assert client.post("/__mock__/reset").status_code == 200
    assert call(client, "getCustomCode", auth).json["custom_css"] == ""
    assert call(client, "listUserTransfers", auth, username="devshop").json == []


def _entry(address_and_prefix) -> str:
    """An address, or a range of it with a prefix its family allows."""
    address, prefix = address_and_prefix
    return str(address) if prefix is None else f"{address}/{prefix % (address.max_prefixlen + 1)}"


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.tuples(st.ip_addresses(), st.none() | st.integers(0, 128)).map(_entry), max_size=4))
def test_any_list_of_addresses_and_ranges_is_accepted_and_reads_back(client, auth, entries):
    plain = [entry for entry in entries if "." not in entry or ":" not in entry]  # no IPv4-in-IPv6 forms
    response = call(client, "updateNotificationSettings", auth, {"ssh_whitelist": "\n".join(plain)})
    assert response.status_code == 200, response.json
    assert call(client, "getNotificationSettings", auth).json["ssh_whitelist"] == "\n".join(plain)


@pytest.mark.parametrize("operation_id", ["getAccountImportLog", "getTransferLog"])
def test_the_documented_log_name_is_a_log_of_the_fixtures(client, auth, operation_id):
    name = next(p["example"] for p in DOCUMENT.operation(operation_id).parameters if p["name"] == "log_filename")
    response = call(client, operation_id, auth, log_filename=name)
    assert response.status_code == 200 and response.json["log"].strip()
