"""Tags ``domains``/``domain-files``: the concrete routes behind the 2.x server's
``/api/domains/{seg2}/{seg3}`` dispatcher beyond DNS — a domain's Caddy file and its document root
(``api_domain_files.go`` ``ServeDomainCaddyConfig``, ``api_domains.go`` ``ServeDomainDocroot``)."""

from __future__ import annotations

from mock_server.answer import Answer
from mock_server.errors import ApiError
from mock_server.handlers.domains import command_result
from mock_server.handlers.registry import Call, operation
from mock_server.panel.domain_files import DomainFileTemplates
from mock_server.panel.fixtures import Domain


def _hosted(call: Call, name: str, missing: str) -> Domain:
    for domain, _ in call.hosting.domains():
        if domain.domain_url == name:
            return domain
    raise ApiError.app(404, missing.format(domain=name))


@operation("getDomainCaddyFile")
def get_domain_caddy_file(call: Call) -> Answer:
    domain = _hosted(call, call.params["domain_name"], "Caddy file for domain {domain} not found")
    content = call.panel.part(DomainFileTemplates).caddy_file(domain.domain_url, domain.owner)
    return Answer({"domain": domain.domain_url, "content": content})


@operation("updateDomainCaddyFile")
def update_domain_caddy_file(call: Call) -> Answer:
    domain = _hosted(call, call.params["domain_name"], "Domain not found")
    call.panel.part(DomainFileTemplates).write_caddy_file(domain.domain_url, call.body["content"])
    return Answer(
        {"success": True, "message": f"Caddyfile for domain {domain.domain_url} saved successfully and reloaded."}
    )


@operation("getDomainDocroot")
def get_domain_docroot(call: Call) -> Answer:
    return command_result(_hosted(call, call.params["domain"], "Domain not found").docroot)


@operation("updateDomainDocroot")
def update_domain_docroot(call: Call) -> Answer:
    domain = call.hosting.set_domain_docroot(call.params["domain"], call.body["docroot"])
    return command_result(f"Docroot updated to: {domain.docroot} for domain: {domain.domain_url}")
