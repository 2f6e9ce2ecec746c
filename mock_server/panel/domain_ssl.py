"""A domain's TLS set-up and its access log (tag ``domain-stats``), from ``fixtures/domain-stats.yaml``.

Every hosted domain is on AutoSSL unless the fixtures or an API call say otherwise; which domains exist
is the hosting state's business (the handler asks it first).
"""

from __future__ import annotations

import copy
from typing import Any

from mock_server.panel.document import StateDocument
from mock_server.panel.fixtures import FixtureError
from mock_server.panel.parts import part


@part
class DomainSsl(StateDocument):
    DOCUMENT = "domain-ssl"

    def _initial(self) -> dict[str, Any]:
        group = copy.deepcopy(self._fixtures.group("domain-stats"))
        ssl, log, access = group.get("ssl", {}), group.get("ssl_log", []), group.get("access_logs", {})
        if not isinstance(ssl, dict) or not isinstance(log, list) or not isinstance(access, dict):
            raise FixtureError("domain-stats.yaml: ssl and access_logs map domains, ssl_log lists lines")
        return {"ssl": ssl, "ssl_log": [str(line) for line in log], "access": access}

    def _dump(self) -> dict[str, Any]:
        return copy.deepcopy(self._state)

    def _load(self, document: dict[str, Any]) -> None:
        self._state = copy.deepcopy(document)

    def status(self, domain: str) -> tuple[str, str]:
        """``(status, info)`` as the panel shows them: ``autossl`` or ``custom ssl``, and the certificate."""
        with self._reading():
            entry = self._state["ssl"].get(domain, {"mode": "autossl", "info": ""})
            return ("custom ssl" if entry["mode"] == "custom" else "autossl"), entry.get("info", "")

    def use_auto(self, domain: str) -> None:
        with self._writing():
            self._state["ssl"][domain] = {"mode": "autossl", "info": ""}
            line = f'{{"level":"info","logger":"tls","msg":"on-demand TLS set","identifier":"{domain}"}}'
            self._state["ssl_log"].append(line)

    def use_custom(self, domain: str, public_path: str, private_path: str) -> None:
        with self._writing():
            info = f"# certificate {public_path}\n# key {private_path}"
            self._state["ssl"][domain] = {"mode": "custom", "info": info}

    def ssl_log(self, domain: str) -> str:
        with self._reading():
            lines = [line for line in self._state["ssl_log"] if domain in line]
            header = f"Showing SSL-related log lines for {domain}\n" + "-" * 55
            return "\n".join([header, *lines])

    def access_log(self, domain: str) -> list[dict[str, Any]] | None:
        """The log's entries, newest first; ``None`` when the domain has no log file."""
        with self._reading():
            entries = self._state["access"].get(domain)
            return None if entries is None else list(reversed(copy.deepcopy(entries)))
