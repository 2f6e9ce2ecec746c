"""DNS: the cluster of slave servers, the zone templates and each hosted domain's zone (tag ``dns``).

Seeded from ``fixtures/dns.yaml``. A hosted domain's zone is the IPv4 template with the domain filled
in until someone writes it; the zone follows the domain, so which domains exist is the hosting
state's business (the handler asks it), not this part's.
"""

from __future__ import annotations

import copy
from typing import Any

from mock_server.panel.document import StateDocument
from mock_server.panel.fixtures import FixtureError
from mock_server.panel.parts import part


def cluster_file(slaves: list[str], enabled: bool) -> str:
    """The BIND options the cluster is read from; a disabled cluster keeps its slaves commented out."""
    listed = " ".join(f"{ip};" for ip in slaves)
    mark = "" if enabled else "// "
    return f"options {{\n    {mark}allow-transfer {{ {listed} }};\n    {mark}also-notify {{ {listed} }};\n}};\n"


@part
class Dns(StateDocument):
    DOCUMENT = "dns"

    def _initial(self) -> dict[str, Any]:
        document = copy.deepcopy(self._fixtures.group("dns"))
        cluster = document.get("cluster", {})
        templates = document.get("templates", {})
        zones = document.get("zones", {})
        if not all(isinstance(x, dict) for x in (cluster, templates, zones)):
            raise FixtureError("dns.yaml: cluster, templates and zones are mappings")
        return {
            "enabled": bool(cluster.get("enabled", False)),
            "slaves": [str(ip) for ip in cluster.get("slaves", [])],
            "reachable": [str(ip) for ip in cluster.get("reachable", [])],
            "ipv4": str(templates.get("ipv4", "")),
            "ipv6": str(templates.get("ipv6", "")),
            "zones": {str(k): str(v) for k, v in zones.items()},
        }

    def _dump(self) -> dict[str, Any]:
        return copy.deepcopy(self._state)

    def _load(self, document: dict[str, Any]) -> None:
        self._state = copy.deepcopy(document)

    # -- cluster -----------------------------------------------------------------------------------

    def cluster(self) -> dict[str, Any]:
        with self._reading():
            slaves, enabled = list(self._state["slaves"]), self._state["enabled"]
            return {
                "allow_transfer": slaves if enabled else [],
                "also_notify": slaves if enabled else [],
                "enabled": enabled,
                "raw_content": cluster_file(slaves, enabled),
            }

    def set_enabled(self, enabled: bool) -> None:
        with self._writing():
            self._state["enabled"] = enabled

    def reachable(self, ip: str) -> bool:
        with self._reading():
            return ip in self._state["reachable"]

    def add_slave(self, ip: str) -> bool:
        """Add ``ip``; ``False`` when it is a slave already."""
        with self._writing():
            if ip in self._state["slaves"]:
                return False
            self._state["slaves"].append(ip)
            return True

    def remove_slave(self, ip: str) -> bool:
        """Remove ``ip``; ``False`` when it is no slave."""
        with self._writing():
            if ip not in self._state["slaves"]:
                return False
            self._state["slaves"].remove(ip)
            return True

    # -- templates and zones -----------------------------------------------------------------------

    def templates(self) -> dict[str, str]:
        with self._reading():
            return {"zone_template_ipv4": self._state["ipv4"], "zone_template_ipv6": self._state["ipv6"]}

    def set_templates(self, ipv4: str | None, ipv6: str | None) -> None:
        with self._writing():
            for key, value in (("ipv4", ipv4), ("ipv6", ipv6)):
                if value is not None:
                    self._state[key] = value

    def zone(self, domain: str) -> str:
        """The zone of a hosted ``domain``."""
        with self._reading():
            zones = self._state["zones"]
            return zones[domain] if domain in zones else self._state["ipv4"].replace("{domain}", domain)

    def write_zone(self, domain: str, content: str) -> None:
        with self._writing():
            self._state["zones"][domain] = content
