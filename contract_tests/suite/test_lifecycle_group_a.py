"""Group A state (``--mutating``): a domain's zone and virtual host, a container's limits, and a
domain's sending limit.

Each scenario acts on the run's own domain, account or one of its containers, so they need only
``--mutating``; the sending limits live in one server-wide rules file, hence ``--destructive``.
"""

from __future__ import annotations

import pytest

from contract_tests.config.settings import Target
from contract_tests.run.sandbox import Sandbox, SandboxError
from contract_tests.run.scenario import Scenario


@pytest.fixture(autouse=True)
def _needs_mutating(target: Target) -> None:
    if not target.mutating:
        pytest.skip("changes state: needs --mutating")


def _ours(sandbox: Sandbox, kind: str) -> str:
    """The run's own resource of ``kind``; a panel on which the suite cannot make one skips the scenario
    (the create that failed is a finding of its own phase)."""
    try:
        return str(sandbox.value(kind))
    except SandboxError as error:
        pytest.skip(f"no {kind} of the run's own on this panel: {error}")


def _content(api: Scenario, operation_id: str, **params: str) -> str:
    body = api.body(api.call(operation_id, **params))
    return body.get("content", "") if isinstance(body, dict) else ""


def test_zone_write_is_read_back_and_an_invalid_zone_changes_nothing(api: Scenario, sandbox: Sandbox):
    domain = _ours(sandbox, "domain")
    zone = _content(api, "getDomainDnsZone", domain_name=domain)
    api.expect("SOA" in zone.upper(), f"the zone of a new domain has no SOA record: {zone[:200]!r}")
    changed = zone.rstrip("\n") + '\ncontract-check IN TXT "openpanel-contract"\n'
    api.call("updateDomainDnsZone", {"content": changed}, domain_name=domain)
    api.expect(_content(api, "getDomainDnsZone", domain_name=domain) == changed, "the written zone is not read back")
    api.call("updateDomainDnsZone", {"content": "@ IN A 192.0.2.1\n"}, expect=400, domain_name=domain)
    kept = _content(api, "getDomainDnsZone", domain_name=domain)
    api.expect(kept == changed, "a zone refused as invalid replaced the valid one")


def test_vhost_write_is_read_back(api: Scenario, sandbox: Sandbox):
    domain, owner = _ours(sandbox, "domain"), _ours(sandbox, "user")
    vhost = _content(api, "getDomainVhost", domain_name=domain, username=owner)
    changed = vhost.rstrip("\n") + "\n# checked by openpanel-contract\n"
    api.call("updateDomainVhost", {"content": changed}, domain_name=domain, username=owner)
    read = _content(api, "getDomainVhost", domain_name=domain, username=owner)
    api.expect(read == changed, "the written virtual host is not read back")


def _limits(api: Scenario, domain: str) -> list[int]:
    view = api.body(api.call("getEmailDomainLimits"))
    rules = view.get("rules") if isinstance(view, dict) else None
    return [rule.get("limit") for rule in rules or [] if isinstance(rule, dict) and rule.get("domain") == domain]


def test_sending_limit_lifecycle(api: Scenario, sandbox: Sandbox, target: Target):
    if not target.destructive:
        pytest.skip("writes the server-wide rate-limit rules: needs --destructive")
    domain, owner = _ours(sandbox, "domain"), _ours(sandbox, "user")
    limit = {"action": "update-domain", "domain": domain, "username": owner, "limit": 17}
    try:
        api.call("updateEmailDomainLimits", limit)
        api.expect(_limits(api, domain) == [17], f"the domain's limit is listed as {_limits(api, domain)}")
        api.call("updateEmailDomainLimits", {**limit, "limit": "23"})
        api.expect(_limits(api, domain) == [23], f"a changed limit is listed as {_limits(api, domain)}")
    finally:
        api.call("updateEmailDomainLimits", {"action": "delete-domain", "domain": domain})
    api.expect(_limits(api, domain) == [], "a deleted limit is still listed")


def test_container_limit_shows_in_the_project(api: Scenario, sandbox: Sandbox):
    owner, container = _ours(sandbox, "user"), _ours(sandbox, "container")
    api.call("limitUserContainerCpu", {"value": "1.25"}, username=owner, container_name=container)
    project = api.body(api.call("listUserContainers", username=owner))
    service = (project.get("services") or {}).get(container, {}) if isinstance(project, dict) else {}
    limits = service.get("deploy", {}).get("resources", {}).get("limits", {}) if isinstance(service, dict) else {}
    api.expect(str(limits.get("cpus")) == "1.25", f"a CPU limit of 1.25 shows as {limits.get('cpus')!r}")
    api.call("restartUserContainer", username=owner, container_name=container)
    api.call("restartUserContainer", expect=404, username=owner, container_name=f"{container}-none")


def test_docroot_and_caddy_file_changes_are_read_back(api: Scenario, sandbox: Sandbox):
    domain = _ours(sandbox, "domain")
    docroot = f"/var/www/html/{domain}/public"
    api.call("updateDomainDocroot", {"docroot": docroot}, domain=domain)
    read = api.body(api.call("getDomainDocroot", domain=domain))
    api.expect(str(read.get("stdout", "")).strip() == docroot, f"the new document root reads as {read.get('stdout')!r}")
    caddy = _content(api, "getDomainCaddyFile", domain_name=domain)
    changed = caddy.rstrip("\n") + "\n# checked by openpanel-contract\n"
    api.call("updateDomainCaddyFile", {"content": changed}, domain_name=domain)
    api.expect(
        _content(api, "getDomainCaddyFile", domain_name=domain) == changed, "the written Caddy file is not read back"
    )


def test_ssl_switch_is_read_back(api: Scenario, sandbox: Sandbox):
    domain = _ours(sandbox, "domain")
    api.call("changeDomainSsl", {"action": "autossl"}, domain_name=domain)
    status = api.body(api.call("getDomainSsl", domain_name=domain)).get("status")
    api.expect(status == "autossl", f"a domain switched to AutoSSL reads as {status!r}")
