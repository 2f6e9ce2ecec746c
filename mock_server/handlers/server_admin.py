"""Tags ``cron``, ``ssh``, ``server``, ``processes``, ``power``, ``migration`` (endpoint group B2).

Every change lands in the mock's ``ServerAdmin`` state and shows in the matching read; nothing reaches
the machine the mock runs on. The group's refusals read over HTTP as this module's table says.
"""

from __future__ import annotations

import functools
import time

from mock_server.answer import Answer
from mock_server.errors import ApiError
from mock_server.handlers.registry import Call, Handler, operation
from mock_server.panel.errors import StateError
from mock_server.panel.license import LicenseNotActive, LicenseRejected
from mock_server.panel.server_admin import (
    CronJobNotFound,
    MigrationRunning,
    NodeUnreachable,
    ProcessNotFound,
    ServerAdmin,
    SshKeyNotFound,
    UnknownTimezone,
)

#: The group's refusals → HTTP status of their ``{"error"}`` body. A value the request may well carry
#: but this server does not have is 404 (a named thing missing) or 409 (a conflict with its state).
REFUSALS: dict[type[StateError], int] = {
    CronJobNotFound: 404,
    SshKeyNotFound: 404,
    ProcessNotFound: 404,
    UnknownTimezone: 409,
    NodeUnreachable: 409,
    MigrationRunning: 409,
    LicenseRejected: 409,
    LicenseNotActive: 409,
}
SSH_SETTINGS = ("port", "password_auth", "pubkey_auth", "permit_root_login")


def refusing(handler: Handler) -> Handler:
    """Answer the group's panel refusals as the table says (the shared table knows only hosting's)."""

    @functools.wraps(handler)
    def wrapped(call: Call) -> Answer:
        try:
            return handler(call)
        except tuple(REFUSALS) as error:
            raise ApiError.app(REFUSALS[type(error)], str(error)) from None

    return wrapped


def _done(message: str) -> Answer:
    return Answer({"success": True, "message": message})


def _state(call: Call) -> ServerAdmin:
    return call.panel.part(ServerAdmin)


# -- cron -------------------------------------------------------------------------------------


@operation("listCronJobs")
def list_cron_jobs(call: Call) -> Answer:
    jobs = _state(call).cron_jobs()
    return Answer(jobs or None)


@operation("updateCronJobs")
@refusing
def update_cron_jobs(call: Call) -> Answer:
    _state(call).update_cron_jobs(call.body["jobs"])
    return _done("Cron jobs updated successfully")


# -- SSH --------------------------------------------------------------------------------------


@operation("getSshOverview")
def get_ssh_overview(call: Call) -> Answer:
    return Answer(_state(call).ssh())


@operation("changeSsh")
@refusing
def change_ssh(call: Call) -> Answer:
    """One change, the first present field winning, as the 2.x server orders them."""
    body, state = call.body, _state(call)
    if "action" in body:
        state.ssh_action(body["action"])
        return _done(f"SSH service has been {body['action']}ed.")
    if "config" in body:
        state.replace_ssh_config(body["config"])
        return _done("SSH configuration updated and service restarted.")
    if "new_key" in body:
        state.add_ssh_key(body["new_key"])
        return _done("New SSH key added.")
    if "key_to_remove" in body:
        state.remove_ssh_key(body["key_to_remove"])
        return _done("SSH key removed.")
    state.change_ssh_settings({key: body[key] for key in SSH_SETTINGS if key in body})
    return _done("SSH settings updated.")


@operation("getSshConfig")
def get_ssh_config(call: Call) -> Answer:
    return Answer({"config": _state(call).ssh()["config"]})


@operation("replaceSshConfig")
def replace_ssh_config(call: Call) -> Answer:
    _state(call).replace_ssh_config(call.body["config"])
    return _done("SSH configuration updated and service restarted.")


# -- time zone, memory, cluster node ---------------------------------------------------------


@operation("getTimezone")
def get_timezone(call: Call) -> Answer:
    current, zones = _state(call).timezone()
    return Answer({"current_timezone": current, "available_timezones": zones})


@operation("setTimezone")
@refusing
def set_timezone(call: Call) -> Answer:
    _state(call).set_timezone(call.body["timezone"])
    return Answer({"success": True, "timezone": call.body["timezone"]})


@operation("dropMemoryCache")
def drop_memory_cache(call: Call) -> Answer:
    _state(call).drop("caches")
    return Answer({"status": "success", "message": "Cache dropped successfully."})


@operation("dropSwap")
def drop_swap(call: Call) -> Answer:
    _state(call).drop("swap")
    return Answer({"status": "success", "message": "Swap clearing started in background."}, 202)


@operation("getClusterNode")
def get_cluster_node(call: Call) -> Answer:
    return Answer(_state(call).node())


@operation("setClusterNode")
@refusing
def set_cluster_node(call: Call) -> Answer:
    fields = ("default_node", "default_ssh_key_path")
    _state(call).set_node({key: call.body[key] for key in fields if key in call.body})
    return _done("Default node edited successfully.")


# -- processes --------------------------------------------------------------------------------


@operation("listProcesses")
def list_processes(call: Call) -> Answer:
    return Answer(_state(call).processes(call.query.get("sort") or "cpu"))


@operation("killProcess")
@refusing
def kill_process(call: Call) -> Answer:
    pid = int(call.params["pid"])
    _state(call).kill(pid)
    return _done(f"Process with PID {pid} killed successfully")


# -- power and migration ----------------------------------------------------------------------


@operation("changeRootPassword")
def change_root_password(call: Call) -> Answer:
    _state(call).change_root_password()
    return _done("SSH password changed successfully!")


@operation("rebootServer")
def reboot_server(call: Call) -> Answer:
    _state(call).reboot(call.body["reboot_type"], time.time())
    return Answer({"success": True, "reboot_started": True})


@operation("getRebootStatus", volatile=True)
def get_reboot_status(call: Call) -> Answer:
    return Answer({"status": _state(call).reboot_status(time.time())})


@operation("getMigrationStatus", volatile=True)
def get_migration_status(call: Call) -> Answer:
    return Answer(_state(call).migration(time.time()))


@operation("startMigration")
@refusing
def start_migration(call: Call) -> Answer:
    _state(call).start_migration(call.body["host"], call.body["root"], time.time())
    return _done("Migration process started.")
