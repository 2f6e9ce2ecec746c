"""Domains on 2.x: api_domains.go and main.go's domain dispatcher, over opencli domains-*."""

from __future__ import annotations

import re

from mock_server.answer import Answer
from mock_server.pipeline import Exchange
from mock_server.variants import depart
from mock_server.variants.v2.context import TEXT_404, Go, error, handles, params
from mock_server.variants.v2.deviations import DOMAIN_COMMANDS_200, DOMAIN_DISPATCHER, DOMAIN_NEW_DECODE_500
from mock_server.variants.v2.gojson import into_struct
from mock_server.variants.v2.opencli import Run, find_user, mysql_equal

DOCROOTS = "/var/www/html/"
_DOMAIN = re.compile(r"([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?\.)+(xn--[a-z0-9-]+|[a-zA-Z]{2,})")
#: The dispatcher's other handlers (DNS zone, Caddy file, SSL, docroot, access log): out of the twin's scope.
_OTHER_SEG3 = {"GET": {"dns", "caddy", "ssl", "log"}, "POST": {"dns", "caddy", "ssl"}}


@handles("domains")
def serve_domains(go: Go, exchange: Exchange) -> Answer:
    """``ServeDomains``: domains JOIN users, owners by their stored name, no status."""
    domains = [
        {"docroot": d.docroot, "domain_id": d.domain_id, "domain_url": d.domain_url, "php_version": d.php_version}
        | {"username": owner}
        for d, owner in go.hosting.domains()
    ]
    return Answer({"domains": domains})


@handles("add_domain")
def add_domain(go: Go, exchange: Exchange) -> Answer:
    """``HandleAddDomain``: no Content-Type check; any decode error is a 500."""
    body, ok = into_struct(exchange.body, "username", "domain", "docroot")
    if not ok:
        return depart(error(500, "Invalid JSON body"), DOMAIN_NEW_DECODE_500)
    username, domain = body.get("username", ""), body.get("domain", "")
    docroot = body.get("docroot") or DOCROOTS + domain
    if not username or not domain:
        return error(400, "username and domain are required")
    if not docroot.startswith(DOCROOTS):
        return error(400, f"docroot must start with {DOCROOTS}")
    return _result(domains_add(go, domain, username, docroot))


@handles("domain_dispatch")
def dispatch(go: Go, exchange: Exchange) -> Answer:
    """The inline dispatcher for ``/api/domains/{seg2}/{seg3}``; the default POST is ``HandleDomainAction``."""
    method, values = exchange.request.method, params(exchange)
    action, domain = values["seg2"], values["seg3"]
    if action == "docroot" or domain in _OTHER_SEG3.get(method, set()):
        return depart(
            error(501, "not emulated by the 2.x twin: another handler of the domain dispatcher"), DOMAIN_DISPATCHER
        )
    if method != "POST":
        return depart(TEXT_404, DOMAIN_DISPATCHER)
    command = {"suspend": domains_suspend, "unsuspend": domains_unsuspend, "delete": domains_delete}.get(action.lower())
    if command is None:
        return depart(error(400, "Invalid action. Use suspend, unsuspend, or delete"), DOMAIN_DISPATCHER)
    return _result(command(go, domain))


def _result(run: Run) -> Answer:
    """Always 200, the command's raw output (``apiRunCapture``)."""
    answer = Answer({"returncode": run.returncode, "stderr": run.stderr, "stdout": run.stdout})
    return depart(answer, DOMAIN_COMMANDS_200) if run.returncode else answer


# -- the opencli commands (NOTES §6.10-6.13) -------------------------------------------------------------


def _suspended_copies(go: Go) -> set[str]:
    return set(go.files.read()["suspended_domains"])


def domains_add(go: Go, domain: str, username: str, docroot: str) -> Run:
    try:
        ascii_domain = domain.encode("idna").decode()
    except UnicodeError:
        ascii_domain = domain
    if not _DOMAIN.fullmatch(ascii_domain):
        return Run("", f"FATAL ERROR: Invalid domain name: {domain}\n", 1)
    if any(mysql_equal(existing.domain_url, domain) for existing, _ in go.hosting.domains()):
        return Run("", f"ERROR: Domain {domain} already exists.\n", 1)
    user = find_user(go, lambda stored: mysql_equal(stored, username))
    if user is None:
        return Run("", f"FATAL ERROR: Missing user ID or context for user {username}\n", 1)
    limit = int(go.hosting.plan(user.plan_id).columns.get("domains_limit") or 0) if user.plan_id else 0
    owned = sum(1 for _, owner in go.hosting.domains() if owner == user.username)
    if limit > 0 and owned >= limit:
        return Run("", f"ERROR: Domain limit reached. Plan allows {limit} domain(s), user currently has {owned}.\n", 1)
    go.hosting.add_domain(user.username, domain, docroot)
    return Run(f"Domain {domain} added successfully\n")


def domains_suspend(go: Go, domain: str) -> Run:
    if domain in _suspended_copies(go):
        return Run("Domain is already suspended.\n")
    if not any(existing.domain_url == domain for existing, _ in go.hosting.domains()):  # the vhost file's name
        return Run(f"ERROR: vhost file for domain {domain} does not exist\n", "", 1)
    go.files.change(lambda files: files["suspended_domains"].append(domain))
    go.hosting.set_domain_suspended(domain, True)
    return Run("Domain suspended successfully.\n")


def domains_unsuspend(go: Go, domain: str) -> Run:
    if domain not in _suspended_copies(go):
        return Run(f"Domain {domain} is not suspended.\n")
    if any(existing.domain_url == domain for existing, _ in go.hosting.domains()):
        go.hosting.set_domain_suspended(domain, False)  # the suspended copy stays where it was
    return Run("Domain unsuspended successfully.\n")


def domains_delete(go: Go, domain: str) -> Run:
    found = next((d for d, _ in go.hosting.domains() if mysql_equal(d.domain_url, domain)), None)
    if found is None:
        return Run(f"❌ No owner found for '{domain}'. Ensure the domain is assigned and MySQL is running.\n", "", 1)
    go.hosting.delete_domain(found.domain_url)

    def forget(files: dict) -> None:
        files["suspended_domains"] = [name for name in files["suspended_domains"] if name != found.domain_url]

    go.files.change(forget)
    return Run(f"Domain {domain} deleted successfully\n")
