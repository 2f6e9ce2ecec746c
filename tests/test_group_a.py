"""Group A over the Flask test client: email, DNS, domain files, traffic reports and containers —
each documented example works, what a write changes the next read shows, and refusals are the documented ones."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contract_model import Contract

DOCUMENT = Contract.load()
TAGS = {"email", "dns", "domain-files", "domain-stats", "containers"}
GROUP_A = [
    op
    for op in DOCUMENT.operations
    if TAGS & set(op.tags) or op.operation_id in {"getDomainDocroot", "updateDomainDocroot"}
]


def call(client, auth: dict[str, str], operation_id: str, body: Any = None, query: dict | None = None, **params: str):
    """Send ``operation_id`` (path from the contract); the answer must be one the contract documents."""
    operation = DOCUMENT.operation(operation_id)
    path = operation.path.format(**params)
    response = client.open(path, method=operation.method, json=body, query_string=query, headers=auth)
    schema = DOCUMENT.response_schema(operation_id, response.status_code)
    assert schema is not None, f"{operation_id} does not document {response.status_code}: {response.json}"
    assert not DOCUMENT.schema_errors(response.json, schema), response.json
    return response


def _request_example(operation_id: str) -> Any:
    body = DOCUMENT.operation(operation_id).request_body
    return body["content"]["application/json"]["example"] if body else None


def _path_examples(operation_id: str) -> dict[str, str]:
    return {p["name"]: str(p["example"]) for p in DOCUMENT.operation(operation_id).parameters if p["in"] == "path"}


@pytest.fixture
def reseller(client) -> dict[str, str]:
    token = client.post("/api/", json={"username": "reseller", "password": "openpanel-mock"}).json["access_token"]
    return {"Authorization": f"Bearer {token}"}


def test_the_group_is_in_the_contract():
    assert len(GROUP_A) >= 17
    assert all(op.since == "2.x" for op in GROUP_A)


@pytest.mark.parametrize("operation", GROUP_A, ids=[op.operation_id for op in GROUP_A])
def test_documented_example_is_answered_2xx(client, auth, operation):
    response = call(
        client,
        auth,
        operation.operation_id,
        _request_example(operation.operation_id),
        **_path_examples(operation.operation_id),
    )
    assert response.status_code == 200, response.json


@pytest.mark.parametrize("operation", GROUP_A, ids=[op.operation_id for op in GROUP_A])
def test_a_reseller_is_refused(client, reseller, operation):
    response = call(
        client,
        reseller,
        operation.operation_id,
        _request_example(operation.operation_id),
        **_path_examples(operation.operation_id),
    )
    assert response.status_code == 403


@pytest.mark.parametrize("operation", [op for op in GROUP_A if op.request_body], ids=lambda op: op.operation_id)
def test_malformed_json_is_a_400(client, auth, operation):
    path = operation.path.format(**_path_examples(operation.operation_id))
    response = client.open(path, method=operation.method, data="{", content_type="application/json", headers=auth)
    assert response.status_code == 400


# -- email -------------------------------------------------------------------------------------------


def test_switches_show_in_the_settings(client, auth):
    before = call(client, auth, "getEmailSettings").json
    assert before["config_data"]["ENABLE_CLAMAV"] == "0" and before["emails"] == 3
    answer = call(client, auth, "updateEmailSettings", {"ENABLE_CLAMAV": 1, "ENABLE_POSTFWD": "0"}).json
    assert "ClamAV require Mailserver to be recreated" in answer["message"]
    after = call(client, auth, "getEmailSettings").json["config_data"]
    assert (after["ENABLE_CLAMAV"], after["ENABLE_POSTFWD"]) == ("1", "0")


def test_storage_cannot_move_while_mailboxes_exist(client, auth):
    move = {"storage_type": "custom", "email_storage_location": "/srv/mail"}
    assert call(client, auth, "updateEmailSettings", move).status_code == 409
    emails = [row["email"] for row in call(client, auth, "listEmailAccounts").json["emails"]]
    assert call(client, auth, "deleteEmailAccounts", {"emails": emails}).json == {"message": "Deleted 3 account(s)."}
    assert call(client, auth, "updateEmailSettings", move).status_code == 200
    assert call(client, auth, "getEmailSettings").json["email_storage_location"] == "/srv/mail"
    relative = {"storage_type": "custom", "email_storage_location": "srv/mail"}
    assert call(client, auth, "updateEmailSettings", relative).status_code == 400


def test_webmail_domain_of_a_hosted_domain_is_a_conflict(client, auth):
    assert (
        call(client, auth, "updateEmailSettings", {"webmail_domain": "https://stefan.example.com/"}).status_code == 409
    )
    assert call(client, auth, "updateEmailSettings", {"webmail_domain": "http://mail.example.net/"}).status_code == 200
    assert call(client, auth, "getEmailSettings").json["webmail-domain"] == "mail.example.net"
    assert call(client, auth, "updateEmailSettings", {"webmail_domain": "mail.example.net"}).status_code == 409


def test_settings_without_a_known_key_are_refused(client, auth):
    assert call(client, auth, "updateEmailSettings", {"ENABLE_NOTHING": "1"}).status_code == 400
    assert call(client, auth, "updateEmailSettings", {"webmail_software": "sogo"}).status_code == 400


def test_quota_changes_show_in_the_list(client, auth):
    change = {"action": "quota-set", "email": "sales@shop.stefan.example.com", "quota": "100M"}
    assert call(client, auth, "updateEmailAccount", change).json == {"message": "Quota updated."}
    rows = {r["email"]: r["quota"] for r in call(client, auth, "listEmailAccounts").json["emails"]}
    assert rows["sales@shop.stefan.example.com"] == "( 0 / 100M ) [0%]"
    assert rows["info@stefan.example.com"] == "( 2.5M / 500M ) [0%]"
    call(client, auth, "updateEmailAccount", {"action": "quota-del", "email": "info@stefan.example.com"})
    rows = {r["email"]: r["quota"] for r in call(client, auth, "listEmailAccounts").json["emails"]}
    assert rows["info@stefan.example.com"] == "( 2.5M / ~ ) [0%]"


def test_unknown_mailbox_is_a_404_and_deletes_nothing(client, auth):
    password = {"action": "password", "email": "nobody@example.com", "password": "x"}
    assert call(client, auth, "updateEmailAccount", password).status_code == 404
    both = {"emails": ["info@stefan.example.com", "nobody@example.com"]}
    assert call(client, auth, "deleteEmailAccounts", both).status_code == 404
    assert len(call(client, auth, "listEmailAccounts").json["emails"]) == 3


def test_account_change_needs_the_fields_of_its_action(client, auth):
    for body in (
        {"action": "password", "email": "info@stefan.example.com"},
        {"action": "restrict", "email": "info@stefan.example.com", "restrict_action": "add"},
        {"action": "rename", "email": "info@stefan.example.com"},
        {"emails": []},
    ):
        operation = "deleteEmailAccounts" if "emails" in body else "updateEmailAccount"
        assert call(client, auth, operation, body).status_code == 400, body


def test_queue_delete_and_retry(client, auth):
    queue = call(client, auth, "getEmailQueue").json["queue"]
    assert [m["queue_name"] for m in queue] == ["deferred", "active"]
    call(client, auth, "manageEmailQueue", {"action": "retry", "scope": "all"})
    assert {m["queue_name"] for m in call(client, auth, "getEmailQueue").json["queue"]} == {"active"}
    selected = {"action": "delete", "scope": "selected", "queue_ids": [queue[0]["queue_id"], "GONE1"]}
    assert call(client, auth, "manageEmailQueue", selected).json == {"success": True}
    assert [m["queue_id"] for m in call(client, auth, "getEmailQueue").json["queue"]] == [queue[1]["queue_id"]]


def test_domain_limits_lifecycle(client, auth):
    rules = call(client, auth, "getEmailDomainLimits").json["rules"]
    assert {(r["username"], r["limit"], r["current"]) for r in rules} == {("stefan", 100, 3), ("devshop", 250, None)}
    set_limit = {"action": "update-domain", "domain": "maria.example.org", "username": "maria", "limit": "40"}
    assert (
        call(client, auth, "updateEmailDomainLimits", set_limit).json["msg"]
        == "OK: maria limit=40/hr domain=maria.example.org"
    )
    view = call(client, auth, "getEmailDomainLimits").json
    assert view["usernames"] == ["devshop", "maria", "stefan"] and "ratelimit/40/3600" in view["raw_content"]
    gone = call(client, auth, "updateEmailDomainLimits", {"action": "delete-user", "username": "maria"}).json
    assert gone["msg"].endswith("Removed all rules for user 'maria'.")
    again = call(client, auth, "updateEmailDomainLimits", {"action": "delete-user", "username": "maria"}).json
    assert again["msg"].endswith("Nothing changed.")
    call(client, auth, "updateEmailDomainLimits", {"action": "delete-all"})
    assert call(client, auth, "getEmailDomainLimits").json["rules"] is None


def test_a_raw_rules_file_is_read_back(client, auth):
    raw = call(client, auth, "getEmailDomainLimits").json["raw_content"]
    edited = raw.replace("ratelimit/100/3600", "ratelimit/7/3600")
    assert call(client, auth, "updateEmailDomainLimits", {"raw_content": edited}).json["success"] is True
    view = call(client, auth, "getEmailDomainLimits").json
    assert view["raw_content"] == edited and {r["limit"] for r in view["rules"]} == {7, 250}


def test_limit_hits_of_one_domain(client, auth):
    hits = call(client, auth, "getEmailDomainLimits", query={"hits": "stefan.example.com"}).json
    assert hits["ok"] is True and len(hits["lines"]) == 1
    assert call(client, auth, "getEmailDomainLimits", query={"hits": "maria.example.org"}).json["lines"] == []


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(limit=st.integers(min_value=1, max_value=10**6))
def test_any_positive_limit_is_stored_as_sent(client, auth, limit):
    body = {"action": "update-domain", "domain": "devshop.example", "username": "devshop", "limit": limit}
    call(client, auth, "updateEmailDomainLimits", body)
    rules = call(client, auth, "getEmailDomainLimits").json["rules"]
    assert [r["limit"] for r in rules if r["username"] == "devshop"] == [limit]


def test_a_zero_limit_is_refused(client, auth):
    for limit in (0, "0", "00", -3):
        body = {"action": "update-domain", "domain": "devshop.example", "username": "devshop", "limit": limit}
        assert call(client, auth, "updateEmailDomainLimits", body).status_code == 400


# -- DNS ---------------------------------------------------------------------------------------------


def test_cluster_slave_lifecycle(client, auth):
    assert call(client, auth, "getDnsCluster").json["allow_transfer"] == ["192.0.2.53"]
    add = {"action": "create", "ip": "192.0.2.54"}
    assert call(client, auth, "changeDnsCluster", add).status_code == 200
    assert call(client, auth, "getDnsCluster").json["also_notify"] == ["192.0.2.53", "192.0.2.54"]
    assert call(client, auth, "changeDnsCluster", add).status_code == 409
    remove = {"action": "delete", "ip": "192.0.2.54"}
    assert call(client, auth, "changeDnsCluster", remove).status_code == 200
    assert call(client, auth, "changeDnsCluster", remove).status_code == 404
    assert "192.0.2.54" not in call(client, auth, "getDnsCluster").json["raw_content"]


def test_an_unreachable_slave_cannot_join(client, auth):
    response = call(client, auth, "changeDnsCluster", {"action": "create", "ip": "198.51.100.1"})
    assert response.status_code == 400 and "Cannot reach 198.51.100.1 via rndc" in response.json["error"]
    assert call(client, auth, "getDnsClusterNode", ip="198.51.100.1").json["status"] == "timeout"
    assert call(client, auth, "getDnsClusterNode", ip="192.0.2.54").json["method"] == "rndc"


def test_disabling_the_cluster_empties_its_lists(client, auth):
    call(client, auth, "changeDnsCluster", {"action": "disable"})
    view = call(client, auth, "getDnsCluster").json
    assert (view["enabled"], view["allow_transfer"]) == (False, [])
    call(client, auth, "changeDnsCluster", {"action": "enable"})
    assert call(client, auth, "getDnsCluster").json["enabled"] is True


def test_cluster_slave_changes_need_an_ipv4(client, auth):
    for body in ({"action": "create"}, {"action": "create", "ip": "2001:db8::1"}, {"action": "reboot"}):
        assert call(client, auth, "changeDnsCluster", body).status_code == 400, body


def test_a_new_domain_zone_comes_from_the_template(client, auth):
    template = "$TTL 5m\n@ IN SOA ns9.example.com. admin.{domain}. (1 1h 15m 1w 1h)\n"
    call(client, auth, "updateDnsZoneTemplates", {"zone_template_ipv4": template, "zone_template_ipv6": None})
    templates = call(client, auth, "getDnsZoneTemplates").json
    assert templates["zone_template_ipv4"] == template and "AAAA" in templates["zone_template_ipv6"]
    zone = call(client, auth, "getDomainDnsZone", domain_name="maria.example.org").json
    assert zone["content"] == template.replace("{domain}", "maria.example.org")


def test_zone_write_is_read_back_and_an_invalid_one_kept_out(client, auth):
    content = "$TTL 1h\n@ IN SOA ns1.example.com. admin.maria.example.org. (2 1h 15m 1w 1h)\n@ IN A 192.0.2.99\n"
    call(client, auth, "updateDomainDnsZone", {"content": content}, domain_name="maria.example.org")
    assert call(client, auth, "getDomainDnsZone", domain_name="maria.example.org").json["content"] == content
    broken = call(
        client, auth, "updateDomainDnsZone", {"content": "@ IN A 192.0.2.1\n"}, domain_name="maria.example.org"
    )
    assert broken.status_code == 400 and broken.json["field"] == "content"
    assert call(client, auth, "getDomainDnsZone", domain_name="maria.example.org").json["content"] == content


def test_zone_of_a_domain_nobody_has_is_a_404(client, auth):
    assert call(client, auth, "getDomainDnsZone", domain_name="nowhere.example.com").status_code == 404
    body = {"content": "@ IN SOA a. b. (1 1 1 1 1)\n"}
    assert call(client, auth, "updateDomainDnsZone", body, domain_name="nowhere.example.com").status_code == 404


# -- domain-file templates ---------------------------------------------------------------------------


def test_file_templates_change_only_what_is_sent(client, auth):
    before = call(client, auth, "getDomainFileTemplates").json
    call(client, auth, "updateDomainFileTemplates", {"docker_caddy": "{domain} {\n}\n", "default_page": None})
    after = call(client, auth, "getDomainFileTemplates").json
    assert after == {**before, "docker_caddy": "{domain} {\n}\n"}
    assert call(client, auth, "updateDomainFileTemplates", {"docker_caddy": 7}).status_code == 400
    assert call(client, auth, "updateDomainFileTemplates", {}).status_code == 400


def test_a_new_domain_vhost_follows_the_template_and_a_write_is_read_back(client, auth):
    template = "server { server_name {domain}; root {docroot}; }\n"
    call(client, auth, "updateDomainFileTemplates", {"docker_nginx_domain": template})
    path = {"domain_name": "maria.example.org", "username": "maria"}
    expected = "server { server_name maria.example.org; root /var/www/html/maria.example.org; }\n"
    assert call(client, auth, "getDomainVhost", **path).json == {"domain": "maria.example.org", "content": expected}
    call(client, auth, "updateDomainVhost", {"content": "# mine\n"}, **path)
    assert call(client, auth, "getDomainVhost", **path).json["content"] == "# mine\n"


def test_vhost_and_stats_only_for_the_account_own_domains(client, auth):
    for operation in ("getDomainVhost", "getDomainStats"):
        assert call(client, auth, operation, domain_name="maria.example.org", username="stefan").status_code == 404
        assert call(client, auth, operation, domain_name="maria.example.org", username="ghost").status_code == 404
    body = {"content": "x"}
    assert (
        call(client, auth, "updateDomainVhost", body, domain_name="devshop.example", username="stefan").status_code
        == 404
    )


def test_a_domain_without_a_report_yet_is_a_404(client, auth):
    response = call(client, auth, "getDomainStats", domain_name="shop.stefan.example.com", username="stefan")
    assert response.status_code == 404 and response.json["error"].endswith("Data is generated every 24h.")


def test_a_reseller_reads_its_own_account_domain_files(client, reseller):
    path = {"domain_name": "maria.example.org", "username": "maria"}
    assert call(client, reseller, "getDomainVhost", **path).status_code == 200
    assert call(client, reseller, "getDomainStats", **path).status_code == 200
    assert call(client, reseller, "updateDomainVhost", {"content": "# ok\n"}, **path).status_code == 200


def test_caddy_file_follows_the_template_until_written(client, auth):
    path = {"domain_name": "maria.example.org"}
    expected = "maria.example.org, www.maria.example.org {\n    reverse_proxy maria_nginx:80\n}\n"
    assert call(client, auth, "getDomainCaddyFile", **path).json["content"] == expected
    call(client, auth, "updateDomainCaddyFile", {"content": "maria.example.org {\n}\n"}, **path)
    assert call(client, auth, "getDomainCaddyFile", **path).json["content"] == "maria.example.org {\n}\n"
    assert call(client, auth, "getDomainCaddyFile", domain_name="nowhere.example.com").status_code == 404
    body = {"content": "x"}
    assert call(client, auth, "updateDomainCaddyFile", body, domain_name="nowhere.example.com").status_code == 404


def test_docroot_change_shows_in_the_domain_list(client, auth):
    path = {"domain": "maria.example.org"}
    assert call(client, auth, "getDomainDocroot", **path).json["stdout"] == "/var/www/html/maria.example.org"
    new = {"docroot": "/var/www/html/maria.example.org/public"}
    call(client, auth, "updateDomainDocroot", new, **path)
    assert call(client, auth, "getDomainDocroot", **path).json["stdout"] == new["docroot"]
    listed = {d["domain_url"]: d["docroot"] for d in call(client, auth, "listDomains").json["domains"]}
    assert listed["maria.example.org"] == new["docroot"]
    for docroot in ("/etc/passwd", "/var/www/html/../../etc"):
        assert call(client, auth, "updateDomainDocroot", {"docroot": docroot}, **path).status_code == 400
    assert call(client, auth, "getDomainDocroot", domain="nowhere.example.com").status_code == 404
    assert call(client, auth, "updateDomainDocroot", new, domain="nowhere.example.com").status_code == 404


def test_ssl_switches_show_in_the_status(client, auth):
    path = {"domain_name": "stefan.example.com"}
    assert call(client, auth, "getDomainSsl", **path).json == {
        "domain": "stefan.example.com",
        "status": "autossl",
        "info": "",
    }
    custom = {"action": "custom", "public_path": "/var/www/html/fullchain.pem", "private_path": "/var/www/html/key.pem"}
    assert call(client, auth, "changeDomainSsl", custom, **path).json["message"].endswith("to use custom SSL.")
    assert call(client, auth, "getDomainSsl", **path).json["status"] == "custom ssl"
    call(client, auth, "changeDomainSsl", {"action": "autossl"}, **path)
    assert call(client, auth, "getDomainSsl", **path).json["status"] == "autossl"
    logs = call(client, auth, "changeDomainSsl", {"action": "logs"}, **path).json["logs"]
    assert logs.startswith("Showing SSL-related log lines for stefan.example.com") and "on-demand" in logs
    outside = {**custom, "private_path": "/etc/ssl/key.pem"}
    assert call(client, auth, "changeDomainSsl", outside, **path).status_code == 400
    assert call(client, auth, "getDomainSsl", domain_name="nowhere.example.com").status_code == 404


def test_access_log_pages_newest_first(client, auth):
    log = call(client, auth, "getDomainAccessLog", domain_name="stefan.example.com").json
    assert (log["total_lines"], log["total_pages"], log["items_per_page"]) == (3, 1, 1000)
    assert [entry["request"]["uri"] for entry in log["logs"]] == ["/contact", "/about", "/"]
    everything = call(client, auth, "getDomainAccessLog", query={"show_all": "true"}, domain_name="stefan.example.com")
    assert everything.json["items_per_page"] == 3
    beyond = call(client, auth, "getDomainAccessLog", query={"page": "2"}, domain_name="stefan.example.com").json
    assert beyond["logs"] == [] and beyond["current_page"] == 2
    empty = call(client, auth, "getDomainAccessLog", domain_name="maria.example.org").json
    assert empty == {"domain": "maria.example.org", "total_lines": 0, "logs": []}
    assert call(client, auth, "getDomainAccessLog", domain_name="devshop.example").status_code == 404


# -- containers --------------------------------------------------------------------------------------


def _running(client, auth, username: str) -> dict[str, bool]:
    stats = call(client, auth, "listUserContainers", query={"stats": "1"}, username=username).json["container_stats"]
    return {row["Name"]: row["PIDs"] != "0" for row in stats}


def test_stop_and_start_show_in_the_usage(client, auth):
    assert _running(client, auth, "stefan")["stefan_nginx"] is True
    answer = call(client, auth, "stopUserContainer", username="stefan", container_name="nginx").json
    assert answer["response"]["message"] == "Container 'nginx' deactivated successfully."
    assert _running(client, auth, "stefan")["stefan_nginx"] is False
    call(client, auth, "startUserContainer", {"pull": True}, username="stefan", container_name="nginx")
    assert _running(client, auth, "stefan")["stefan_nginx"] is True


def test_limits_show_in_the_compose_configuration(client, auth):
    call(client, auth, "limitUserContainerCpu", {"value": 2.5}, username="maria", container_name="nginx")
    call(client, auth, "limitUserContainerRam", {"value": "512M"}, username="maria", container_name="nginx")
    answer = call(client, auth, "limitUserContainerPids", {"value": "0"}, username="maria", container_name="nginx").json
    assert answer["message"] == "PIDS limits for container nginx removed and set to unlimited"
    project = call(client, auth, "listUserContainers", username="maria").json
    limits = project["services"]["nginx"]["deploy"]["resources"]["limits"]
    assert limits == {"cpus": "2.5", "memory": "512M", "pids": "0"}
    other = call(client, auth, "listUserContainers", username="devshop").json["services"]["nginx"]
    assert other["deploy"]["resources"]["limits"]["cpus"] == "1", "one account's limits are its own"


def test_unknown_container_or_account_is_a_404(client, auth):
    assert call(client, auth, "restartUserContainer", username="stefan", container_name="mysql").status_code == 404
    assert call(client, auth, "restartUserContainer", username="ghost", container_name="nginx").status_code == 404
    assert call(client, auth, "listUserContainers", username="ghost").status_code == 404


def test_a_limit_needs_a_value(client, auth):
    for operation, body in (("limitUserContainerRam", {}), ("limitUserContainerRam", {"value": "lots"})):
        assert call(client, auth, operation, body, username="stefan", container_name="nginx").status_code == 400


def test_a_reseller_manages_its_own_account_containers(client, reseller):
    assert call(client, reseller, "listUserContainers", username="maria").status_code == 200
    assert call(client, reseller, "restartUserContainer", username="maria", container_name="nginx").status_code == 200


def test_state_resets_with_the_panel(app, client, auth):
    call(client, auth, "changeDnsCluster", {"action": "disable"})
    call(client, auth, "manageEmailQueue", {"action": "delete", "scope": "all"})
    app.extensions["openpanel"].reset()
    assert call(client, auth, "getDnsCluster").json["enabled"] is True
    assert len(call(client, auth, "getEmailQueue").json["queue"]) == 2
