"""Group A over the Flask test client, part 2: DNS, domain files, TLS and logs, traffic reports and
containers — what a write changes the next read shows, refusals are the documented ones."""

from __future__ import annotations

import pytest

from tests.group_a_support import call, reseller_headers


@pytest.fixture
def reseller(client) -> dict[str, str]:
    return reseller_headers(client)


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
    assert response.status_code == 409 and "Cannot reach 198.51.100.1 via rndc" in response.json["error"]
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
