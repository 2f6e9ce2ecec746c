"""State of the settings group (``--mutating``): OpenAdmin accounts and feature sets the suite makes —
created, listed, changed, deleted, gone — and an account's own files, written and read back.

Only things of the suite's own are touched: panel-wide settings (general, defaults, languages) change
what every account gets and are left to the fuzzing phases' ``--destructive`` mode. On a panel that
predates these routes (1.x, ``x-since: 2.x``) ``Scenario.call`` skips the scenarios.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from contract_tests.config.settings import Target
from contract_tests.judge.kinds import EFFECT_NOT_SHOWN, LOST_STATE
from contract_tests.run.sandbox import Sandbox, SandboxError
from contract_tests.run.scenario import Scenario


@pytest.fixture(autouse=True)
def _needs_mutating(target: Target) -> None:
    if not target.mutating:
        pytest.skip("changes state: needs --mutating")


def _rows(api: Scenario, operation_id: str) -> dict[str, dict[str, Any]]:
    body = api.body(api.call(operation_id))
    return {row["username"]: row for row in body if isinstance(row, dict) and "username" in row}


@pytest.mark.parametrize(
    ("noun", "manage", "listing"),
    [("admin", "manageAdministrator", "listAdministrators"), ("reseller", "manageReseller", "listResellers")],
)
def test_openadmin_account_lifecycle(api: Scenario, sandbox: Sandbox, noun: str, manage: str, listing: str):
    name, password = sandbox.fresh(noun), f"Pw-{uuid.uuid4().hex[:16]}"
    created = api.body(api.call(manage, {"action": "create", "username": name, "password": password}))
    api.expect(created.get("success") is True, f"create answered {created!r}")
    rows = _rows(api, listing)
    api.expect(name in rows, f"a created {noun} is missing from its list", kind=EFFECT_NOT_SHOWN)
    token = api.body(api.call("login", {"username": name, "password": password}, auth=False)).get("access_token")
    whoami = api.body(api.call("whoami", auth=False, headers={"Authorization": f"Bearer {token}"}))
    api.expect(whoami.get("logged_in_as") == name, f"the created {noun}'s token names {whoami!r}")
    api.call(manage, {"action": "suspend", "username": name})
    api.expect(_rows(api, listing).get(name, {}).get("is_active") is False, f"a suspended {noun} lists as active")
    api.call(manage, {"action": "unsuspend", "username": name})
    api.expect(_rows(api, listing).get(name, {}).get("is_active") is True, f"an unsuspended {noun} lists as suspended")
    renamed = sandbox.fresh(noun)
    api.call(manage, {"action": "rename_user", "username": name, "new_username": renamed})
    rows = _rows(api, listing)
    api.expect(renamed in rows and name not in rows, f"a renamed {noun} is not listed under its new name only")
    api.call(manage, {"action": "delete", "username": renamed})
    api.expect(renamed not in _rows(api, listing), f"a deleted {noun} is still listed", kind=LOST_STATE)


def test_reseller_limits_show_in_the_list(api: Scenario, sandbox: Sandbox):
    name = sandbox.fresh("reseller")
    api.call("manageReseller", {"action": "create", "username": name, "password": f"Pw-{uuid.uuid4().hex[:16]}"})
    api.call("manageReseller", {"action": "update", "username": name, "max_accounts": "7", "max_disk_blocks": "1000"})
    row = _rows(api, "listResellers").get(name, {})
    api.expect(
        (row.get("max_accounts"), row.get("max_disk_blocks")) == (7, 1000),
        f"a reseller's new limits list as {row.get('max_accounts')!r}/{row.get('max_disk_blocks')!r}",
    )


def test_feature_set_lifecycle(api: Scenario, sandbox: Sandbox):
    name = sandbox.fresh("feature-set")
    api.call("createFeatureSet", {"feature_name": name})
    names = api.body(api.call("listFeatureSets"))
    api.expect(name in names, "a created feature set is missing from the list", kind=EFFECT_NOT_SHOWN)
    shown = api.body(api.call("getFeatureSet", plan=name))
    api.expect(shown.get("enabled_modules") == [], f"a new feature set enables {shown.get('enabled_modules')!r}")
    offered = [feature["name"] for feature in shown.get("features", []) if isinstance(feature, dict)]
    if offered:
        api.call("updateFeatureSet", {"action": "update", "features": offered[:1]}, plan=name)
        enabled = api.body(api.call("getFeatureSet", plan=name)).get("enabled_modules")
        api.expect(enabled == offered[:1], f"after an update the set enables {enabled!r}, not {offered[:1]!r}")
    api.call("updateFeatureSet", {"action": "disable_all"}, plan=name)
    enabled = api.body(api.call("getFeatureSet", plan=name)).get("enabled_modules")
    api.expect(enabled == [], f"after disable_all the set enables {enabled!r}")
    api.call("updateFeatureSet", {"action": "delete"}, plan=name)
    api.call("getFeatureSet", expect=404, kind=LOST_STATE, plan=name)
    api.expect(name not in api.body(api.call("listFeatureSets")), "a deleted feature set is still listed")


def test_account_files_read_back(api: Scenario, sandbox: Sandbox):
    try:
        user = sandbox.value("user")
    except SandboxError as error:
        pytest.skip(str(error))
    before = api.body(api.call("getAccountFiles", username=user))
    env = f"{before.get('env', '')}# octest {uuid.uuid4().hex}\n"
    saved = api.body(api.call("updateAccountFiles", {"env": env}, username=user))
    api.expect(saved.get("env") == env, "the answer does not carry the account's new .env")
    again = api.body(api.call("getAccountFiles", username=user))
    api.expect(again.get("env") == env, "the account's new .env does not read back")
    api.expect(again.get("compose") == before.get("compose"), "writing the .env changed docker-compose.yml")
