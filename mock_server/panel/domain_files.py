"""The templates new domains get (tag ``domain-files``), seeded from ``fixtures/domain-files.yaml``."""

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

    def _initial(self) -> dict[str, str]:
        templates = self._fixtures.group("domain-files").get("templates", {})
        if not isinstance(templates, dict) or set(templates) - set(TEMPLATES):
            raise FixtureError(f"domain-files.yaml: templates maps some of {', '.join(TEMPLATES)} to text")
        # A template file that is missing reads as empty, as on the server.
        return {name: str(templates.get(name, "")) for name in TEMPLATES}

    def _dump(self) -> dict[str, str]:
        return dict(self._templates)

    def _load(self, document: dict[str, Any]) -> None:
        self._templates = {name: str(document.get(name, "")) for name in TEMPLATES}

    def all(self) -> dict[str, str]:
        with self._reading():
            return dict(self._templates)

    def replace(self, changes: dict[str, str | None]) -> None:
        """Write the templates named in ``changes``; a ``None`` keeps the template as it is."""
        with self._writing():
            for name in TEMPLATES:
                if changes.get(name) is not None:
                    self._templates[name] = str(changes[name])
