"""Panel settings of group C2 (``--destructive``): what a settings POST writes, the next GET shows,
and the suite puts the old value back afterwards.

These settings belong to the panel, not to the suite, so each scenario reads the value first, changes
it to something else and restores what it read, even when a check fails. A panel that does not serve
the 2.x settings routes (a 1.x one answers 404) is not judged here: the other phases report it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from contract_tests.config.settings import Target
from contract_tests.run.scenario import Scenario


@pytest.fixture(autouse=True)
def _needs_destructive(target: Target) -> None:
    if not target.destructive:
        pytest.skip("changes panel-wide settings: needs --destructive")


def _read(api: Scenario, operation_id: str) -> Any:
    """The setting as the panel has it; skips where the panel has no such route (not a 2.x panel)."""
    response = api.client.call(operation_id)
    if response.status_code == 404:
        pytest.skip(f"{operation_id}: the panel does not serve this 2.x route")
    return api.body(api.call(operation_id))


@contextmanager
def _restoring(api: Scenario, operation_id: str, body: Any) -> Iterator[None]:
    """Put ``body`` back with ``operation_id`` however the scenario ends."""
    try:
        yield
    finally:
        api.client.call(operation_id, json=body)


def test_modules_switched_on_show_as_on(api: Scenario):
    before = _read(api, "getModuleSettings")
    names = [feature["name"] for feature in before["features"]]
    enabled = [feature["name"] for feature in before["features"] if feature["status"]]
    if not names:
        pytest.skip("the panel lists no modules")
    changed = [name for name in names if name not in enabled] or names[:-1]
    with _restoring(api, "updateModuleSettings", {"enabled_modules": enabled}):
        api.call("updateModuleSettings", {"enabled_modules": changed})
        after = api.body(api.call("getModuleSettings"))
        shown = sorted(feature["name"] for feature in after["features"] if feature["status"])
        api.expect(shown == sorted(changed), f"modules switched on read back as {shown}, not {sorted(changed)}")


def test_custom_code_reads_back_and_leaves_the_other_files(api: Scenario):
    before = _read(api, "getCustomCode")
    text = "/* openpanel-contract: a check that restores this file */"
    with _restoring(api, "updateCustomCode", {"custom_css": before["custom_css"]}):
        api.call("updateCustomCode", {"custom_css": text})
        after = api.body(api.call("getCustomCode"))
        api.expect(after["custom_css"] == text, "custom CSS written is not what the next read shows")
        others = {key: value for key, value in after.items() if key != "custom_css"}
        api.expect(others == {k: v for k, v in before.items() if k != "custom_css"}, "other custom-code files changed")


def test_php_ini_reads_back(api: Scenario):
    before = _read(api, "getPhpSettings")
    text = before["php84"] + "; openpanel-contract check\n"
    with _restoring(api, "updatePhpSettings", {"php84": before["php84"]}):
        saved = api.body(api.call("updatePhpSettings", {"php84": text}))
        api.expect(saved.get("updated") == ["php84"], f"the server says it wrote {saved.get('updated')}")
        api.expect(api.body(api.call("getPhpSettings"))["php84"] == text, "php84 ini is not what was written")


PREFERENCE = {("on", "on"): "minor_and_major", ("off", "on"): "minor_only", ("on", "off"): "major_only"}


def test_update_preference_shows_in_the_configuration(api: Scenario):
    before = _read(api, "getUpdateSettings")["config_data"]
    flags = next((section for section in before.values() if "autoupdate" in section and "autopatch" in section), None)
    if flags is None:
        pytest.skip("the configuration shows no autoupdate/autopatch to compare with")
    old = PREFERENCE.get((flags["autoupdate"], flags["autopatch"]), "none")
    new = "none" if old != "none" else "minor_only"
    with _restoring(api, "setUpdatePreference", {"preference": old}):
        api.call("setUpdatePreference", {"preference": new})
        after = api.body(api.call("getUpdateSettings"))["config_data"]
        shown = next(section for section in after.values() if "autoupdate" in section)
        got = PREFERENCE.get((shown["autoupdate"], shown.get("autopatch")), "none")
        api.expect(got == new, f"preference {new} reads back as {got}")


def test_notification_threshold_reads_back(api: Scenario):
    before = _read(api, "getNotificationSettings")["settings"].get("DEFAULT", {})
    old = before.get("cpu", "90")
    new = 77 if old.strip() != "77" else 78
    with _restoring(api, "updateNotificationSettings", {"cpu": old}):
        api.call("updateNotificationSettings", {"cpu": new})
        shown = api.body(api.call("getNotificationSettings"))["settings"].get("DEFAULT", {}).get("cpu")
        api.expect(shown == str(new), f"the CPU threshold {new} reads back as {shown!r}")
