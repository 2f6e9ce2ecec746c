"""State scenarios of endpoint group B2 (cron, SSH, time zone, cluster node): what a change writes, the
next read shows — and every scenario puts back what it changed, since nothing here is the suite's own
except the SSH key it adds (and removes).

The cron change needs ``--destructive``; the others change the machine and need ``--server-control``.
Reboot, migration, a process kill and the licence never get a valid request (``x-ends-run``). A panel
that does not serve these 2.x routes (a 1.x one answers 404) is skipped here: that is the other phases'
finding.
"""

from __future__ import annotations

from typing import Any

import pytest
import requests

from contract_tests.config.settings import Target
from contract_tests.judge.kinds import EFFECT_NOT_SHOWN
from contract_tests.run.sandbox import Sandbox
from contract_tests.run.scenario import Scenario


def _needs(target: Target, safety: str) -> None:
    if safety not in target.allowed_safety:
        pytest.skip(f"changes {'the machine' if safety == 'server-control' else 'panel settings'}: needs --{safety}")


def _served(api: Scenario, operation_id: str) -> Any:
    """The read's body; skips when the panel does not serve the route at all."""
    response: requests.Response = api.client.call(operation_id)
    if response.status_code == 404:
        pytest.skip(f"{operation_id} answered 404: this panel does not serve it")
    return api.body(api.call(operation_id))


def _jobs(api: Scenario) -> dict[int, dict[str, Any]]:
    listed = api.body(api.call("listCronJobs")) or []
    return {job["line_number"]: job for job in listed if isinstance(job, dict) and "line_number" in job}


def test_cron_schedule_change_is_listed_and_put_back(api: Scenario, target: Target):
    _needs(target, "destructive")
    jobs = _served(api, "listCronJobs")
    if not jobs:
        pytest.skip("the panel has no cron job to change")
    job = jobs[0]
    original = {"line_number": job["line_number"], "schedule": job["schedule"], "logging": job["log"]}
    changed = {**original, "schedule": "17 4 * * 0", "logging": not job["log"]}
    api.call("updateCronJobs", {"jobs": [changed]})
    try:
        now = _jobs(api).get(job["line_number"], {})
        api.expect(now.get("schedule") == "17 4 * * 0", f"the changed job lists schedule {now.get('schedule')!r}")
        api.expect(now.get("log") is changed["logging"], f"the changed job lists log={now.get('log')!r}")
        api.expect(now.get("command") == job["command"], "changing the schedule changed the job's command")
    finally:
        api.call("updateCronJobs", {"jobs": [original]})
    restored = _jobs(api).get(job["line_number"], {})
    api.expect(restored.get("schedule") == job["schedule"], "the job's schedule was not put back")
    api.call("updateCronJobs", {"jobs": [{"line_number": 100000, "schedule": "* * * * *"}]}, expect=404)


def test_added_ssh_key_is_listed_then_removed(api: Scenario, target: Target, sandbox: Sandbox):
    _needs(target, "server-control")
    _served(api, "getSshOverview")
    key = sandbox.fresh("ssh-key")
    api.call("changeSsh", {"new_key": key})
    keys = [entry.get("key") for entry in api.body(api.call("getSshOverview"))["keys"]]
    api.expect(key in keys, "an added SSH key is missing from GET /api/server/ssh", kind=EFFECT_NOT_SHOWN)
    api.call("changeSsh", {"key_to_remove": key})
    keys = [entry.get("key") for entry in api.body(api.call("getSshOverview"))["keys"]]
    api.expect(key not in keys, "a removed SSH key is still authorized")
    api.call("changeSsh", {"key_to_remove": key}, expect=404)


def test_ssh_config_replacement_reads_back_and_is_put_back(api: Scenario, target: Target):
    _needs(target, "server-control")
    original = _served(api, "getSshConfig")["config"]
    if not original:
        pytest.skip("the panel's sshd_config is empty or unreadable: nothing to put back")
    changed = original.rstrip("\n") + "\n# checked by openpanel-contract\n"
    api.call("replaceSshConfig", {"config": changed})
    try:
        now = api.body(api.call("getSshConfig"))["config"]
        api.expect(now == changed, "GET /api/server/ssh/config does not answer the text just written")
    finally:
        api.call("replaceSshConfig", {"config": original})
    api.expect(api.body(api.call("getSshConfig"))["config"] == original, "sshd_config was not put back")


def test_timezone_change_is_shown_and_put_back(api: Scenario, target: Target):
    _needs(target, "server-control")
    zones = _served(api, "getTimezone")
    current, available = zones["current_timezone"], zones["available_timezones"]
    other = next((zone for zone in available if zone != current), None)
    if other is None or current not in available:
        pytest.skip("the panel offers no other time zone to switch to (and back)")
    api.call("setTimezone", {"timezone": other})
    try:
        now = api.body(api.call("getTimezone"))["current_timezone"]
        api.expect(now == other, f"after setting {other} the time zone reads {now!r}")
    finally:
        api.call("setTimezone", {"timezone": current})
    api.expect(api.body(api.call("getTimezone"))["current_timezone"] == current, "the time zone was not put back")


def test_cluster_key_path_change_is_shown_and_put_back(api: Scenario, target: Target):
    _needs(target, "server-control")
    original = _served(api, "getClusterNode")["default_ssh_key_path"]
    # One field alone is saved without an SSH login to the node (only both together are checked).
    api.call("setClusterNode", {"default_ssh_key_path": "/root/.ssh/openpanel-contract-check"})
    try:
        now = api.body(api.call("getClusterNode"))["default_ssh_key_path"]
        api.expect(now == "/root/.ssh/openpanel-contract-check", f"the key path reads {now!r}")
    finally:
        api.call("setClusterNode", {"default_ssh_key_path": original})
    restored = api.body(api.call("getClusterNode"))["default_ssh_key_path"]
    api.expect(restored == original, "the key path was not put back")
