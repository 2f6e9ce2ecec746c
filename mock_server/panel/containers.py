"""Each account's containers (tag ``containers``), seeded from ``fixtures/containers.yaml``.

An account's project is its fixture entry, or the ``default`` project for accounts the fixtures do
not list (those made through the API); which accounts exist is the hosting state's business, so the
handler checks the account before it asks here.
"""

from __future__ import annotations

import copy
from typing import Any

from mock_server.panel.document import StateDocument
from mock_server.panel.fixtures import FixtureError
from mock_server.panel.parts import part

STOPPED_USAGE = {"CPUPerc": "0.00%", "MemUsage": "0B / 0B", "PIDs": "0"}


@part
class Containers(StateDocument):
    DOCUMENT = "containers"

    def _initial(self) -> dict[str, Any]:
        group = copy.deepcopy(self._fixtures.group("containers"))
        default, accounts = group.get("default", {}), group.get("accounts", {})
        if not isinstance(default, dict) or not isinstance(accounts, dict):
            raise FixtureError("containers.yaml: default and accounts map service names to containers")
        return {"default": default, "accounts": accounts}

    def _dump(self) -> dict[str, Any]:
        return copy.deepcopy(self._state)

    def _load(self, document: dict[str, Any]) -> None:
        self._state = copy.deepcopy(document)

    def project(self, username: str) -> dict[str, Any]:
        """The compose configuration of ``username``'s project, as ``compose config`` shows it."""
        with self._reading():
            services = {
                name: {
                    "image": service["image"],
                    "container_name": f"{username}_{name}",
                    "deploy": {
                        "resources": {
                            "limits": {"cpus": service["cpus"], "memory": service["memory"], "pids": service["pids"]}
                        }
                    },
                }
                for name, service in self._services(username).items()
            }
            return {"name": username, "services": services}

    def usage(self, username: str) -> list[dict[str, str]]:
        with self._reading():
            return [
                {"Name": f"{username}_{name}", **(service["usage"] if service["running"] else STOPPED_USAGE)}
                for name, service in self._services(username).items()
            ]

    def has(self, username: str, name: str) -> bool:
        with self._reading():
            return name in self._services(username)

    def set_running(self, username: str, name: str, running: bool) -> bool:
        """``False`` when the project has no such service."""
        return self._change(username, name, {"running": running})

    def set_limit(self, username: str, name: str, key: str, value: str) -> bool:
        """``key`` is ``cpus``, ``memory`` or ``pids``; ``False`` when the project has no such service."""
        return self._change(username, name, {key: value})

    def _change(self, username: str, name: str, change: dict[str, Any]) -> bool:
        with self._writing():
            accounts = self._state["accounts"]
            if username not in accounts:
                accounts[username] = copy.deepcopy(self._state["default"])
            if name not in accounts[username]:
                return False
            accounts[username][name].update(change)
            return True

    def _services(self, username: str) -> dict[str, Any]:
        return self._state["accounts"].get(username, self._state["default"])
