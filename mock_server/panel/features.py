"""Feature sets (group C1): which OpenPanel features a plan's ``feature_set`` enables.

A panel keeps one file per set (``/etc/openpanel/features/<set>.txt``, a reseller's under its own
directory); an administrator works on the panel-wide sets, a reseller only on its own.
"""

from __future__ import annotations

import copy
from typing import Any

from mock_server.panel.document import StateDocument
from mock_server.panel.errors import FeatureSetNotFound, SettingsRefused
from mock_server.panel.fixtures import FixtureError
from mock_server.panel.parts import part

#: The owner key of the panel-wide sets.
PANEL = ""


@part
class FeatureSets(StateDocument):
    """Feature sets by owner (``PANEL`` or a reseller's name), and the catalogue they choose from."""

    DOCUMENT = "feature_sets"

    def _initial(self) -> dict[str, Any]:
        raw = self._fixtures.group("settings").get("features", {"sets": {"default": []}})
        if not isinstance(raw, dict) or not isinstance(raw.get("sets"), dict):
            raise FixtureError("settings.yaml: `features` needs `catalogue` and `sets`")
        sets = {PANEL: {str(k): [str(f) for f in v] for k, v in raw["sets"].items()}}
        for owner, own in (raw.get("reseller_sets") or {}).items():
            sets[str(owner)] = {str(k): [str(f) for f in v] for k, v in own.items()}
        return {
            "catalogue": list(raw.get("catalogue", [])),
            "plugins": list(raw.get("plugins", [])),
            "modules": [str(name) for name in raw.get("modules", [])],
            "sets": sets,
        }

    def _dump(self) -> dict[str, Any]:
        return self._doc

    def _load(self, document: dict[str, Any]) -> None:
        self._doc = copy.deepcopy(document)

    def names(self, owner: str) -> list[str]:
        with self._reading():
            return sorted(self._doc["sets"].get(owner, {}))

    def create(self, owner: str, name: str) -> None:
        with self._writing():
            own = self._doc["sets"].setdefault(owner, {})
            if name in own:
                raise SettingsRefused("Feature set already exists.")
            own[name] = []

    def show(self, owner: str, name: str) -> dict[str, Any]:
        with self._reading():
            enabled = list(self._find(owner, name))
            modules = set(self._doc["modules"])

            def marked(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
                return [
                    {**entry, "status": entry["name"] in enabled, "module_enabled": entry["name"] in modules}
                    for entry in entries
                ]

            return {
                "enabled_modules": enabled,
                "plan": name,
                "features": marked(self._doc["catalogue"]),
                "plugins": marked(self._doc["plugins"]),
            }

    def set_features(self, owner: str, name: str, features: list[str] | None) -> None:
        """``None`` enables the whole catalogue."""
        with self._writing():
            self._find(owner, name)
            chosen = [entry["name"] for entry in self._doc["catalogue"]] if features is None else list(features)
            self._doc["sets"][owner][name] = chosen

    def delete(self, owner: str, name: str, in_use: bool) -> None:
        with self._writing():
            self._find(owner, name)
            if name == "default":
                raise SettingsRefused("default feature set can not be deleted.")
            if in_use:
                raise SettingsRefused(f"Feature set {name} can not be deleted as it is used by a hosting package.")
            del self._doc["sets"][owner][name]

    def rename_owner(self, owner: str, new_owner: str) -> None:
        """A renamed reseller keeps its sets."""
        with self._writing():
            if owner in self._doc["sets"]:
                self._doc["sets"][new_owner] = self._doc["sets"].pop(owner)

    def forget_owner(self, owner: str) -> None:
        """A deleted reseller's sets go with it (``opencli admin delete``)."""
        with self._writing():
            self._doc["sets"].pop(owner, None)

    def _find(self, owner: str, name: str) -> list[str]:
        found = self._doc["sets"].get(owner, {}).get(name)
        if found is None:
            raise FeatureSetNotFound(f"Feature set {name} not found")
        return found
