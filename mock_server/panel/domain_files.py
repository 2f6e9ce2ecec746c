"""The templates new domains get and each domain's virtual host and Caddy file (tag ``domain-files``),
seeded from ``fixtures/domain-files.yaml``. A domain's files are the nginx and Caddy templates filled in
until someone writes them, so a template change shows in the domains that follow it."""

from __future__ import annotations

from typing import Any

from mock_server.panel.document import StateDocument
from mock_server.panel.fixtures import FixtureError
from mock_server.panel.parts import part

#: The template names, in the 2.x server's order (``domainTemplateFieldOrder``).
TEMPLATES = (
    "default_page",
    "suspended_user",
    "suspended_website",
    "docker_nginx_domain",
    "docker_openresty_domain",
    "docker_apache_domain",
    "docker_varnish",
    "docker_caddy",
)


@part
class DomainFileTemplates(StateDocument):
    DOCUMENT = "domain-files"

    def _initial(self) -> dict[str, Any]:
        group = self._fixtures.group("domain-files")
        templates, vhosts = group.get("templates", {}), group.get("vhosts", {})
        if not isinstance(templates, dict) or set(templates) - set(TEMPLATES):
            raise FixtureError(f"domain-files.yaml: templates maps some of {', '.join(TEMPLATES)} to text")
        if not isinstance(vhosts, dict):
            raise FixtureError("domain-files.yaml: vhosts maps domain names to text")
        # A template file that is missing reads as empty, as on the server.
        return {
            "templates": {name: str(templates.get(name, "")) for name in TEMPLATES},
            "vhosts": {str(domain): str(text) for domain, text in vhosts.items()},
            "caddy": {},
        }

    def _dump(self) -> dict[str, Any]:
        return {"templates": dict(self._templates), "vhosts": dict(self._vhosts), "caddy": dict(self._caddy)}

    def _load(self, document: dict[str, Any]) -> None:
        self._templates = dict(document["templates"])
        self._vhosts = dict(document["vhosts"])
        self._caddy = dict(document["caddy"])

    def all(self) -> dict[str, str]:
        with self._reading():
            return dict(self._templates)

    def replace(self, changes: dict[str, str | None]) -> None:
        """Write the templates named in ``changes``; a ``None`` keeps the template as it is."""
        with self._writing():
            for name in TEMPLATES:
                if changes.get(name) is not None:
                    self._templates[name] = str(changes[name])

    def vhost(self, domain: str, docroot: str) -> str:
        with self._reading():
            if domain in self._vhosts:
                return self._vhosts[domain]
            return self._templates["docker_nginx_domain"].replace("{domain}", domain).replace("{docroot}", docroot)

    def write_vhost(self, domain: str, content: str) -> None:
        with self._writing():
            self._vhosts[domain] = content

    def caddy_file(self, domain: str, owner: str) -> str:
        """A domain's Caddy file: as written, else the Caddy template filled in (upstream: the owner's web server)."""
        with self._reading():
            if domain in self._caddy:
                return self._caddy[domain]
            return (
                self._templates["docker_caddy"].replace("{domain}", domain).replace("{upstream}", f"{owner}_nginx:80")
            )

    def write_caddy_file(self, domain: str, content: str) -> None:
        with self._writing():
            self._caddy[domain] = content


@part
class DomainStats(StateDocument):
    """The daily traffic reports, by domain (``fixtures/domain-stats.yaml``); read-only over the API."""

    DOCUMENT = "domain-stats"

    def _initial(self) -> dict[str, str]:
        reports = self._fixtures.group("domain-stats").get("reports", {})
        if not isinstance(reports, dict):
            raise FixtureError("domain-stats.yaml: reports maps domain names to HTML")
        return {str(domain): str(html) for domain, html in reports.items()}

    def _dump(self) -> dict[str, str]:
        return dict(self._reports)

    def _load(self, document: dict[str, str]) -> None:
        self._reports = dict(document)

    def report(self, domain: str) -> str | None:
        with self._reading():
            return self._reports.get(domain)
