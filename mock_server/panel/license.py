"""The Enterprise licence of the mock panel (endpoint group B2), and the licensing server it asks.

The licensing server is the fixture's list of active keys; the texts are what ``opencli license``
prints with ``--json``. Removing the key is recorded only: the mock keeps serving its API (a real 2.x
panel stops, which is why the contract marks that operation ``x-ends-run``).
"""

from __future__ import annotations

import json
from typing import Any

from mock_server.panel.document import StateDocument
from mock_server.panel.errors import StateError
from mock_server.panel.fixtures import FixtureError
from mock_server.panel.parts import part

NO_KEY = "No License Key"


class LicenseRejected(StateError):
    """The licensing server does not know the key as active."""


class LicenseNotActive(StateError):
    pass


@part
class License(StateDocument):
    DOCUMENT = "license"

    def _initial(self) -> dict[str, Any]:
        data = self._fixtures.group("server_admin").get("license", {"key": "", "active": []})
        if not isinstance(data, dict) or not isinstance(data.get("active"), list):
            raise FixtureError("server_admin.yaml: `license:` needs a `key`, an `active` list and `info`")
        return {"key": str(data.get("key", "")), "active": list(data["active"]), "info": dict(data.get("info", {}))}

    def _dump(self) -> dict[str, Any]:
        return {**self._state, "active": list(self._state["active"]), "info": dict(self._state["info"])}

    def _load(self, document: dict[str, Any]) -> None:
        self._state = {**document, "active": list(document["active"]), "info": dict(document["info"])}

    def key(self) -> str:
        with self._reading():
            return self._state["key"] or NO_KEY

    def set_key(self, key: str) -> str:
        """Save an active key; answer what ``opencli license <key> --json --no-restart`` prints."""
        with self._writing():
            if key not in self._state["active"]:
                raise LicenseRejected("License key validation failed")
            self._state["key"] = key
        return f"License key {key} added.\nPlease restart OpenAdmin service to enable new features."

    def delete(self) -> None:
        with self._writing():
            self._state["key"] = ""

    def info(self) -> str:
        """``opencli license info --json``: the licensing server's record, as JSON text."""
        with self._reading():
            self._require_active()
            return json.dumps(self._state["info"], indent=4)

    def verify(self) -> str:
        with self._reading():
            self._require_active()
        return "License is valid"

    def _require_active(self) -> None:
        if self._state["key"] not in self._state["active"]:
            raise LicenseNotActive("License is invalid")
