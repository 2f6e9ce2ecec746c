"""The monitored-services file and which of its dashboard services run."""

from __future__ import annotations

import copy
from typing import Any

from mock_server.panel.document import StateDocument
from mock_server.panel.errors import ServiceNotFound


class Services(StateDocument):
    """The monitored-services file (kept verbatim, extra keys included, as the panel writes it) and
    which dashboard services run."""

    _PAST = {"start": "started", "stop": "stopped", "restart": "restarted"}
    DOCUMENT = "services"

    def _initial(self) -> dict[str, Any]:
        return {
            "entries": [service.as_json() for service in self._fixtures.services],
            "stopped": sorted(self._fixtures.stopped_services),
        }

    def _dump(self) -> dict[str, Any]:
        return {"entries": self._entries, "stopped": sorted(self._stopped)}

    def _load(self, document: dict[str, Any]) -> None:
        self._entries = document["entries"]
        self._stopped = set(document["stopped"])

    def entries(self) -> list[dict[str, Any]]:
        with self._reading():
            return copy.deepcopy(self._entries)

    def replace_all(self, entries: list[dict[str, Any]]) -> None:
        with self._writing():
            self._entries = copy.deepcopy(entries)

    def statuses(self) -> list[dict[str, Any]]:
        with self._reading():
            return [
                {**copy.deepcopy(entry), "status": "Inactive" if entry["real_name"] in self._stopped else "Active"}
                for entry in self._entries
                if entry.get("on_dashboard") is True
            ]

    def control(self, action: str, real_name: str) -> str:
        """Start, stop or restart a dashboard service; answer the panel's sentence."""
        with self._writing():
            dashboard = (e for e in self._entries if e.get("on_dashboard") is True)
            entry = next((e for e in dashboard if e["real_name"] == real_name), None)
            if entry is None:
                raise ServiceNotFound(f"Invalid service: {real_name}")
            if action == "stop":
                self._stopped.add(real_name)
            else:
                self._stopped.discard(real_name)
            name = str(entry["name"])
            return f"{name[:1].upper()}{name[1:]} {self._PAST[action]} successfully"
