"""Tag ``dns``: the DNS cluster, the zone templates and a domain's zone file, worded as the 2.x server
words them (``internal/handlers/api_dns.go``)."""

from __future__ import annotations

from mock_server.answer import Answer
from mock_server.errors import ApiError
from mock_server.handlers.registry import Call, operation
from mock_server.panel.dns import Dns


def _dns(call: Call) -> Dns:
    return call.panel.part(Dns)


def _done(message: str) -> Answer:
    return Answer({"success": True, "message": message})


@operation("getDnsCluster")
def get_dns_cluster(call: Call) -> Answer:
    return Answer(_dns(call).cluster())


@operation("changeDnsCluster")
def change_dns_cluster(call: Call) -> Answer:
    action, dns = call.body["action"], _dns(call)
    if action in ("enable", "disable"):
        dns.set_enabled(action == "enable")
        return _done(f"DNS cluster {action}d successfully.")
    ip = call.body["ip"]
    if action == "delete":
        if not dns.remove_slave(ip):
            raise ApiError.app(404, f"IP {ip} not found in DNS cluster configuration.")
        return _done(f"IP {ip} removed from DNS cluster successfully.")
    if not dns.reachable(ip):
        raise ApiError.app(
            409,
            f"Cannot reach {ip} via rndc. Ensure the slave has allow-new-zones yes, a matching rndc key, "
            "and controls block configured.",
        )
    if not dns.add_slave(ip):
        raise ApiError.app(409, "IP address already exists in configuration.")
    return _done(f"IP {ip} added to DNS cluster successfully.")


@operation("getDnsClusterNode")
def get_dns_cluster_node(call: Call) -> Answer:
    ip = call.params["ip"]
    if _dns(call).reachable(ip):
        output = "version: BIND 9.18.28\nnumber of zones: 104\nserver is up and running"
        return Answer({"ip": ip, "status": "success", "method": "rndc", "output": output, "error": None})
    return Answer({"ip": ip, "status": "timeout", "output": None, "error": "Connection timed out."})


@operation("getDnsZoneTemplates")
def get_dns_zone_templates(call: Call) -> Answer:
    return Answer(_dns(call).templates())


@operation("updateDnsZoneTemplates")
def update_dns_zone_templates(call: Call) -> Answer:
    _dns(call).set_templates(call.body.get("zone_template_ipv4"), call.body.get("zone_template_ipv6"))
    return _done("Template updated successfully!")


def _hosted(call: Call, domain: str) -> bool:
    return any(hosted.domain_url == domain for hosted, _ in call.hosting.domains())


@operation("getDomainDnsZone")
def get_domain_dns_zone(call: Call) -> Answer:
    domain = call.params["domain_name"]
    if not _hosted(call, domain):
        raise ApiError.app(404, f"Zone file for {domain} not found")
    return Answer({"domain": domain, "content": _dns(call).zone(domain)})


@operation("updateDomainDnsZone")
def update_domain_dns_zone(call: Call) -> Answer:
    domain, content = call.params["domain_name"], call.body["content"]
    if not _hosted(call, domain):
        raise ApiError.app(404, "Domain not found")
    # The contract's schema requires the SOA record, which is all of ``named-checkzone`` the mock does.
    _dns(call).write_zone(domain, content)
    return _done(f"Zone file for {domain} saved successfully and DNS service reloaded.")
