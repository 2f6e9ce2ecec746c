"""Tags ``domains``/``domain-files``/``domain-stats``: the concrete routes behind the 2.x server's
``/api/domains/{seg2}/{seg3}`` dispatcher beyond DNS — a domain's Caddy file, document root, TLS and
access log (``api_domain_files.go``, ``api_domains.go``, ``api_domain_stats.go``)."""

from __future__ import annotations

from mock_server.answer import Answer
from mock_server.errors import ApiError
from mock_server.handlers.domains import command_result
from mock_server.handlers.registry import Call, operation
from mock_server.panel.domain_files import DomainFileTemplates
from mock_server.panel.domain_ssl import DomainSsl
from mock_server.panel.fixtures import Domain

#: Log entries per page (``AccessLogPageSize`` of the 2.x server).
PAGE_SIZE = 1000


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


@operation("getDomainSsl")
def get_domain_ssl(call: Call) -> Answer:
    domain = _hosted(call, call.params["domain_name"], "Domain {domain} does not exist.")
    status, info = call.panel.part(DomainSsl).status(domain.domain_url)
    return Answer({"domain": domain.domain_url, "status": status, "info": info})


@operation("changeDomainSsl")
def change_domain_ssl(call: Call) -> Answer:
    """The ``opencli domains-ssl`` script's wording, trimmed as the server passes it on."""
    name = _hosted(call, call.params["domain_name"], "Domain not found").domain_url
    body, ssl = call.body, call.panel.part(DomainSsl)
    if body["action"] == "logs":
        return Answer({"logs": ssl.ssl_log(name)})
    if body["action"] == "autossl":
        ssl.use_auto(name)
        return Answer({"success": True, "message": f"Updated {name} to use AutoSSL."})
    ssl.use_custom(name, body["public_path"], body["private_path"])
    return Answer({"success": True, "message": f"Adding custom certificate..\nUpdated {name} to use custom SSL."})


@operation("getDomainAccessLog")
def get_domain_access_log(call: Call) -> Answer:
    name = call.params["domain_name"]
    missing = f"Log file not found for domain {name}"
    _hosted(call, name, missing)
    entries = call.panel.part(DomainSsl).access_log(name)
    if entries is None:
        raise ApiError.app(404, missing)
    if not entries:
        return Answer({"domain": name, "total_lines": 0, "logs": []})
    if call.query.get("show_all") == "true":
        per_page, page = len(entries), 1
    else:
        per_page, page = PAGE_SIZE, int(call.query.get("page", "1"))
    pages = 1 if call.query.get("show_all") == "true" else max(1, -(-len(entries) // per_page))
    start = (page - 1) * per_page
    return Answer(
        {
            "domain": name,
            "current_page": page,
            "items_per_page": per_page,
            "total_pages": pages,
            "total_lines": len(entries),
            "logs": entries[start : start + per_page],
        }
    )
