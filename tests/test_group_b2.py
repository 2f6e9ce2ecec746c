"""Endpoint group B2 (cron, SSH, server, processes, power, migration, licence, support) in the mock:
each documented example is answered as documented, each change shows in the next read, and refusals
are the statuses the contract gives. The machine the tests run on is never touched."""

from __future__ import annotations

import re
import shutil

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contract_model import Contract
from contract_tests.run.local_mock import running_mock
from mock_server import create_app
from mock_server.config import DEFAULT_FIXTURES
from mock_server.handlers import server_admin as handlers
from mock_server.panel.fixtures import FixtureError
from mock_server.panel.server_admin import PROCESS_SORTS
from tests.suite_runs import run_suite

CONTRACT = Contract.load()
TAGS = {"cron", "ssh", "server", "processes", "power", "migration", "license", "support"}
GROUP = [op for op in CONTRACT.operations if TAGS & set(op.tags)]
#: pytest ``-k``: the group's operations (their paths) and its scenarios.
SUITE_FILTER = "server or license or support or cron or ssh or timezone or cluster"


def _login(client, username: str) -> dict[str, str]:
    response = client.post("/api/", json={"username": username, "password": "openpanel-mock"})
    return {"Authorization": f"Bearer {response.json['access_token']}"}


def _call(client, auth, operation_id: str, body=None, **params):
    op = CONTRACT.operation(operation_id)
    kwargs = {"json": body} if body is not None else {}
    return client.open(op.path_with(**params), method=op.method, headers=auth, **kwargs)


def test_the_group_has_its_25_operations():
    assert len(GROUP) == 25
    assert all(op.since == "2.x" for op in GROUP)


@pytest.mark.parametrize("operation", GROUP, ids=[op.operation_id for op in GROUP])
def test_documented_example_is_answered_as_documented(client, auth, operation):
    response = _call(client, auth, operation.operation_id, operation.example_body())
    assert 200 <= response.status_code < 300, response.get_data(as_text=True)
    assert operation.documents(response.status_code)


@pytest.mark.parametrize("operation", GROUP, ids=[op.operation_id for op in GROUP])
def test_a_reseller_is_refused_and_no_token_is_401(client, operation):
    if operation.access == "token":
        return
    reseller = _login(client, "reseller")
    refused = _call(client, reseller, operation.operation_id, operation.example_body())
    assert refused.status_code == 403
    expected = "Only the Super Admin" if operation.access == "super-admin" else "administrator role required"
    assert expected in refused.json["error"]
    assert _call(client, {}, operation.operation_id, operation.example_body()).status_code == 401


def test_cron_change_is_listed_and_a_missing_line_changes_nothing(client, auth):
    before = {job["line_number"]: job for job in _call(client, auth, "listCronJobs").json}
    assert sorted(before) == [3, 4, 5], "comments, settings and @reboot lines are no jobs"
    jobs = [{"line_number": 4, "schedule": "*/5 * * * *", "logging": True}]
    assert _call(client, auth, "updateCronJobs", {"jobs": jobs}).json["success"] is True
    after = {job["line_number"]: job for job in _call(client, auth, "listCronJobs").json}
    assert after[4] == {**before[4], "schedule": "*/5 * * * *", "log": True}
    assert after[4]["command"] == "/bin/bash /usr/local/admin/service/notifications.sh --report"
    mixed = [{"line_number": 3, "schedule": "1 1 1 1 1"}, {"line_number": 2, "schedule": "1 1 1 1 1"}]
    missing = _call(client, auth, "updateCronJobs", {"jobs": mixed})
    assert (missing.status_code, missing.json) == (404, {"error": "No cron job on line 2"})
    assert _call(client, auth, "listCronJobs").json == list(after.values()), "all or nothing"


SCHEDULE = CONTRACT.raw["components"]["schemas"]["CronSchedule"]


# One panel for all examples on purpose: each example rewrites the same line and reads it back.
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(schedule=st.from_regex(SCHEDULE["pattern"], fullmatch=True).filter(lambda s: len(s) <= SCHEDULE["maxLength"]))
def test_any_valid_schedule_reads_back_as_written(client, auth, schedule):
    assert (
        _call(client, auth, "updateCronJobs", {"jobs": [{"line_number": 5, "schedule": schedule}]}).status_code == 200
    )
    job = next(job for job in _call(client, auth, "listCronJobs").json if job["line_number"] == 5)
    assert (job["schedule"], job["command"], job["log"]) == (schedule, "opencli domains-ssl --renew", False)


@pytest.mark.parametrize(
    "body",
    [{"jobs": []}, {"jobs": [{"line_number": 3, "schedule": "every day"}]}, {"jobs": "3"}, {}],
    ids=["no jobs", "not a schedule", "jobs not a list", "empty"],
)
def test_cron_change_refuses_bad_bodies(client, auth, body):
    assert _call(client, auth, "updateCronJobs", body).status_code == 400


def test_ssh_key_is_added_listed_removed_and_then_not_found(client, auth):
    key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHRlc3R0ZXN0dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0 ci@example"
    assert _call(client, auth, "changeSsh", {"new_key": key}).json["message"] == "New SSH key added."
    assert key in [entry["key"] for entry in _call(client, auth, "getSshOverview").json["keys"]]
    assert _call(client, auth, "changeSsh", {"key_to_remove": key}).json["message"] == "SSH key removed."
    assert key not in [entry["key"] for entry in _call(client, auth, "getSshOverview").json["keys"]]
    again = _call(client, auth, "changeSsh", {"key_to_remove": key})
    assert (again.status_code, again.json) == (404, {"error": "SSH key not found"})


def test_ssh_settings_rewrite_the_config_and_the_first_field_wins(client, auth):
    changed = _call(client, auth, "changeSsh", {"port": "2222", "pubkey_auth": "yes"})
    assert changed.json["message"] == "SSH settings updated."
    overview = _call(client, auth, "getSshOverview").json
    assert (overview["port"], overview["pubkey_auth"], overview["password_auth"]) == ("2222", "yes", "yes")
    config = _call(client, auth, "getSshConfig").json["config"]
    assert "Port 2222\n" in config and "PubkeyAuthentication yes\n" in config and "#Pubkey" not in config
    stopped = _call(client, auth, "changeSsh", {"action": "stop", "port": "2200"})
    assert stopped.json["message"] == "SSH service has been stoped."
    overview = _call(client, auth, "getSshOverview").json
    assert (overview["status"], overview["port"]) == ("inactive", "2222"), "only the action acted"


def test_ssh_config_replacement_is_read_back_and_parsed(client, auth):
    config = "Port 2022\nPermitRootLogin no\n#PasswordAuthentication yes\n"
    assert _call(client, auth, "replaceSshConfig", {"config": config}).status_code == 200
    assert _call(client, auth, "getSshConfig").json == {"config": config}
    overview = _call(client, auth, "getSshOverview").json
    assert (overview["port"], overview["permit_root_login"], overview["password_auth"]) == ("2022", "no", "no")


# The panel is shared between examples on purpose: whether a port is accepted does not depend on the
# port set before it.
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(port=st.integers(min_value=0, max_value=70000))
def test_ssh_port_is_accepted_exactly_from_22_to_10000(client, auth, port):
    response = _call(client, auth, "changeSsh", {"port": str(port)})
    assert response.status_code == (200 if 22 <= port <= 10000 else 400)


def test_timezone_change_is_shown_and_an_unknown_zone_is_a_conflict(client, auth):
    assert _call(client, auth, "setTimezone", {"timezone": "Asia/Tokyo"}).json == {
        "success": True,
        "timezone": "Asia/Tokyo",
    }
    assert _call(client, auth, "getTimezone").json["current_timezone"] == "Asia/Tokyo"
    unknown = _call(client, auth, "setTimezone", {"timezone": "Mars/Olympus_Mons"})
    assert (unknown.status_code, unknown.json) == (409, {"error": "Invalid timezone: Mars/Olympus_Mons"})
    assert _call(client, auth, "setTimezone", {"timezone": "no spaces allowed"}).status_code == 400
    assert _call(client, auth, "getTimezone").json["current_timezone"] == "Asia/Tokyo"


def test_memory_drops_answer_200_and_202(client, auth):
    assert _call(client, auth, "dropMemoryCache").status_code == 200
    assert _call(client, auth, "dropSwap").status_code == 202


def test_cluster_node_is_checked_over_ssh_only_when_both_fields_are_set(client, auth):
    assert _call(client, auth, "getClusterNode").json["ssh_valid"] is None
    wrong = _call(client, auth, "setClusterNode", {"default_node": "10.0.0.2", "default_ssh_key_path": "/root/x"})
    assert wrong.status_code == 409 and wrong.json["error"].startswith("SSH validation failed: ")
    assert _call(client, auth, "getClusterNode").json["default_node"] == "", "a refused change changes nothing"
    body = {"default_node": "10.0.0.2", "default_ssh_key_path": "/root/.ssh/id_rsa"}
    assert _call(client, auth, "setClusterNode", body).status_code == 200
    assert _call(client, auth, "getClusterNode").json == {**body, "ssh_valid": True, "ssh_error": ""}
    assert _call(client, auth, "setClusterNode", {"default_ssh_key_path": "/root/other"}).status_code == 200
    node = _call(client, auth, "getClusterNode").json
    assert node["ssh_valid"] is False and "Permission denied" in node["ssh_error"]


@pytest.mark.parametrize("sort", ["cpu", "-cpu", "memory", "-memory", "name", "-name", "pid", "-pid", "owner"])
def test_processes_are_sorted_as_asked(client, auth, sort):
    listed = client.get(f"/api/server/processes?sort={sort}", headers=auth).json
    field, descending = PROCESS_SORTS[sort.lstrip("-")]
    values = [process[field] for process in listed]
    assert values == sorted(values, reverse=descending != sort.startswith("-"))


def test_a_killed_process_is_gone_and_bad_pids_are_refused(client, auth):
    assert _call(client, auth, "killProcess", pid=4242).json["message"] == "Process with PID 4242 killed successfully"
    assert 4242 not in [process["pid"] for process in _call(client, auth, "listProcesses").json]
    assert _call(client, auth, "killProcess", pid=4242).status_code == 404
    assert client.post("/api/server/processes/abc/kill", headers=auth).status_code == 400
    assert client.post("/api/server/processes/4194305/kill", headers=auth).status_code == 400
    assert client.post("/api/server/processes/812/strace", headers=auth).status_code == 404
    assert client.get("/api/server/processes?sort=size", headers=auth).status_code == 400


def test_reboot_reads_rebooting_until_its_wait_is_over(client, auth, monkeypatch):
    now = [1_800_000_000.0]
    monkeypatch.setattr(handlers.time, "time", lambda: now[0])
    assert _call(client, auth, "getRebootStatus").json == {"status": "up"}
    assert _call(client, auth, "rebootServer", {"reboot_type": "hard"}).json == {
        "success": True,
        "reboot_started": True,
    }
    assert _call(client, auth, "getRebootStatus").json == {"status": "rebooting"}
    now[0] += 10
    assert _call(client, auth, "getRebootStatus").json == {"status": "up"}
    assert _call(client, auth, "rebootServer", {"reboot_type": "soft"}).status_code == 400


def test_the_reboot_status_is_open_to_any_token(client):
    assert _call(client, _login(client, "reseller"), "getRebootStatus").status_code == 200


def test_a_migration_runs_then_finishes_and_one_at_a_time(client, auth, monkeypatch):
    now = [1_800_000_000.0]
    monkeypatch.setattr(handlers.time, "time", lambda: now[0])
    assert _call(client, auth, "getMigrationStatus").json == {"status": "unknown", "output": ""}
    body = {"host": "203.0.113.7", "root": "root", "password": "secret"}
    assert _call(client, auth, "startMigration", body).status_code == 200
    assert _call(client, auth, "getMigrationStatus").json["status"] == "running"
    assert _call(client, auth, "startMigration", body).status_code == 409
    now[0] += 60
    finished = _call(client, auth, "getMigrationStatus").json
    assert finished["status"] == "finished" and "203.0.113.7" in finished["output"]
    assert _call(client, auth, "startMigration", {"host": "203.0.113.7"}).status_code == 400


def test_licence_key_set_rejected_deleted(client, auth):
    assert _call(client, auth, "getLicenseKey").json == {"key": "enterprise-4f9c2a7d1e"}
    rejected = _call(client, auth, "setLicenseKey", {"key": "enterprise-unknown"})
    assert (rejected.status_code, rejected.json) == (409, {"error": "License key validation failed"})
    assert _call(client, auth, "setLicenseKey", {"key": "trial-123"}).status_code == 400
    assert _call(client, auth, "setLicenseKey", {"key": "noc-5e6f7a8b9c"}).status_code == 200
    assert _call(client, auth, "getLicenseKey").json == {"key": "noc-5e6f7a8b9c"}
    assert '"License Type": "OpenPanel Enterprise"' in _call(client, auth, "getLicenseInfo").json["info"]
    assert _call(client, auth, "deleteLicenseKey").status_code == 200
    assert _call(client, auth, "getLicenseKey").json == {"key": "No License Key"}
    assert _call(client, auth, "verifyLicense").status_code == 409
    assert _call(client, auth, "getLicenseInfo").json == {"error": "License is invalid"}


def test_malformed_json_is_400(client, auth):
    headers = {**auth, "Content-Type": "application/json"}
    assert client.post("/api/server/crons", data="{not json", headers=headers).status_code == 400
    assert client.post("/api/server/root-password", data="{", headers=headers).status_code == 400


def test_changes_are_forgotten_on_reset(client, auth):
    _call(client, auth, "setTimezone", {"timezone": "Asia/Tokyo"})
    _call(client, auth, "killProcess", pid=812)
    assert client.post("/__mock__/reset").status_code in (200, 204)
    auth = _login(client, "admin")
    assert _call(client, auth, "getTimezone").json["current_timezone"] == "UTC"
    assert 812 in [process["pid"] for process in _call(client, auth, "listProcesses").json]


def test_only_the_super_admin_may_reboot_or_set_the_root_password(client):
    administrator = _login(client, "opsupport")  # role `user`: an administrator, not the Super Admin
    for operation_id in ("rebootServer", "changeRootPassword"):
        body = CONTRACT.operation(operation_id).example_body()
        refused = _call(client, administrator, operation_id, body)
        assert (refused.status_code, refused.json) == (403, {"error": "Only the Super Admin can perform this action."})
    assert _call(client, administrator, "getTimezone").status_code == 200


def test_a_fixtures_directory_without_the_group_file_is_a_bare_machine(tmp_path):
    fixtures = tmp_path / "fixtures"
    shutil.copytree(DEFAULT_FIXTURES, fixtures)
    (fixtures / "server_admin.yaml").unlink()
    client = create_app(fixtures_dir=fixtures, password_hash_method="pbkdf2:sha256:1000").test_client()
    auth = _login(client, "admin")
    assert _call(client, auth, "listCronJobs").json is None
    assert _call(client, auth, "listProcesses").json == []
    assert _call(client, auth, "getLicenseKey").json == {"key": "No License Key"}


def test_a_broken_group_file_is_named_in_the_error(tmp_path):
    fixtures = tmp_path / "fixtures"
    shutil.copytree(DEFAULT_FIXTURES, fixtures)
    text = (fixtures / "server_admin.yaml").read_text(encoding="utf-8")
    (fixtures / "server_admin.yaml").write_text(text.replace("{pid: 812, ", "{"), encoding="utf-8")
    with pytest.raises(FixtureError, match=r"server_admin\.yaml: a process needs pid"):
        create_app(fixtures_dir=fixtures)


def test_the_suite_passes_the_group_on_the_mock_and_removes_its_ssh_keys():
    """The group's operations and scenarios through the real suite, in the mode that calls them all."""
    with running_mock() as url:
        result = run_suite(url, "--destructive", "--server-control", "--", "-k", SUITE_FILTER)
        session = requests.Session()
        token = session.post(f"{url}/api/", json={"username": "admin", "password": "openpanel-mock"}).json()
        keys = session.get(f"{url}/api/server/ssh", headers={"Authorization": f"Bearer {token['access_token']}"})
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-4000:]
    for scenario in ("test_added_ssh_key_is_listed_then_removed", "test_cron_schedule_change_is_listed_and_put_back"):
        assert re.search(rf"{scenario}\S* PASSED", output), f"{scenario} did not run:\n{output[-3000:]}"
    assert [entry["comment"] for entry in keys.json()["keys"]] == ["stefan's laptop"], "only the fixture's key is left"
