"""Tags ``domain-files`` and ``domain-stats``: the templates new domains get, a domain's virtual host
and its traffic report (``internal/handlers/api_domain_files.go``, ``api_domain_stats.go``)."""

from __future__ import annotations

from contract_model import original_name
from mock_server.answer import Answer
from mock_server.errors import ApiError
from mock_server.handlers.registry import Call, operation
from mock_server.panel.domain_files import DomainFileTemplates, DomainStats
from mock_server.panel.fixtures import Domain


@operation("getDomainFileTemplates")
def get_domain_file_templates(call: Call) -> Answer:
    return Answer(call.panel.part(DomainFileTemplates).all())


@operation("updateDomainFileTemplates")
def update_domain_file_templates(call: Call) -> Answer:
    call.panel.part(DomainFileTemplates).replace(call.body)
    return Answer({"success": True, "message": "Templates updated successfully!"})


def _account_domain(call: Call, missing: str) -> Domain:
    """The path's domain, if the path's account has it; an unknown account is the panel's 404."""
    username = original_name(call.params["username"])
    call.hosting.user(username)
    name = call.params["domain_name"]
    for domain, _ in call.hosting.domains():
        if domain.domain_url == name and domain.owner == username:
            return domain
    raise ApiError.app(404, missing.format(domain=name))


@operation("getDomainVhost")
def get_domain_vhost(call: Call) -> Answer:
    domain = _account_domain(call, "VirtualHosts file for domain {domain} not found")
    content = call.panel.part(DomainFileTemplates).vhost(domain.domain_url, domain.docroot)
    return Answer({"domain": domain.domain_url, "content": content})


@operation("updateDomainVhost")
def update_domain_vhost(call: Call) -> Answer:
    domain = _account_domain(call, "VirtualHosts file for domain {domain} not found")
    call.panel.part(DomainFileTemplates).write_vhost(domain.domain_url, call.body["content"])
    message = f"VirtualHosts file for {domain.domain_url} saved successfully and nginx restarted."
    return Answer({"success": True, "message": message})


@operation("getDomainStats")
def get_domain_stats(call: Call) -> Answer:
    missing = "Stats file for domain {domain} not found. Data is generated every 24h."
    domain = _account_domain(call, missing)
    html = call.panel.part(DomainStats).report(domain.domain_url)
    if html is None:
        raise ApiError.app(404, missing.format(domain=domain.domain_url))
    return Answer({"domain": domain.domain_url, "html": html})
