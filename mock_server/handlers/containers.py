"""Tag ``containers``: an account's compose project and its containers' actions, worded as the 2.x
server words them (``internal/handlers/api_containers.go``, ``users_containers.go``)."""

from __future__ import annotations

from contract_model import original_name
from mock_server.answer import Answer
from mock_server.errors import ApiError
from mock_server.handlers.registry import Call, operation
from mock_server.panel.containers import Containers


def _account(call: Call) -> str:
    """The path's account by its original name; an unknown one is the panel's 404."""
    username = original_name(call.params["username"])
    call.hosting.user(username)
    return username


def _missing(call: Call, username: str) -> ApiError:
    return ApiError.app(404, f"No container named {call.params['container_name']} for user {username}")


@operation("listUserContainers")
def list_user_containers(call: Call) -> Answer:
    username, containers = _account(call), call.panel.part(Containers)
    if call.query.get("stats"):
        return Answer({"container_stats": containers.usage(username)})
    return Answer(containers.project(username))


def _start_or_stop(call: Call, running: bool) -> Answer:
    username, name = _account(call), call.params["container_name"]
    if not call.panel.part(Containers).set_running(username, name, running):
        raise _missing(call, username)
    message = f"Container '{name}' {'activated' if running else 'deactivated'} successfully."
    return Answer({"success": True, "response": {"success": True, "message": message}})


@operation("startUserContainer")
def start_user_container(call: Call) -> Answer:
    return _start_or_stop(call, True)


@operation("stopUserContainer")
def stop_user_container(call: Call) -> Answer:
    return _start_or_stop(call, False)


@operation("restartUserContainer")
def restart_user_container(call: Call) -> Answer:
    username, name = _account(call), call.params["container_name"]
    if not call.panel.part(Containers).set_running(username, name, True):
        raise _missing(call, username)
    return Answer({"success": True, "message": f"Container {name} restarted successfully."})


def _limit(call: Call, action: str, key: str) -> Answer:
    username, name = _account(call), call.params["container_name"]
    value = str(call.body["value"])
    if not call.panel.part(Containers).set_limit(username, name, key, value):
        raise _missing(call, username)
    if value in ("0", "0G"):
        return Answer(
            {"success": True, "message": f"{action} limits for container {name} removed and set to unlimited"}
        )
    return Answer({"success": True, "message": f"Max {action} for container {name} set to {value}"})


@operation("limitUserContainerCpu")
def limit_user_container_cpu(call: Call) -> Answer:
    return _limit(call, "CPU", "cpus")


@operation("limitUserContainerRam")
def limit_user_container_ram(call: Call) -> Answer:
    return _limit(call, "RAM", "memory")


@operation("limitUserContainerPids")
def limit_user_container_pids(call: Call) -> Answer:
    return _limit(call, "PIDS", "pids")
