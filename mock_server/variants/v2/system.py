"""Server-wide endpoints on 2.x: api_services.go, api_system.go, api_notifications.go."""

from __future__ import annotations

import re
from typing import Any

from contract_model import is_suspended, original_name
from mock_server.answer import Answer
from mock_server.handlers.services import SERVICES_FILE
from mock_server.panel.errors import NotificationNotFound, ServiceNotFound
from mock_server.pipeline import Exchange
from mock_server.variants import depart, depart_unless_documented
from mock_server.variants.twins import refused_by_contract
from mock_server.variants.v2.context import Go, error, handles, params
from mock_server.variants.v2.deviations import (
    DISK_USAGE_KEYS,
    HEAD_QUIRKS,
    NOTIFICATIONS_RAW,
    SERVICE_ERRORS_400,
    SERVICES_ANY_JSON,
)
from mock_server.variants.v2.gojson import UNDECODABLE, into_struct

_ATOI = re.compile(r"[+-]?[0-9]+")
#: ``systemInfo`` (dashboard.go): the struct's field order, which its JSON keeps.
SYSTEM_FIELDS = ("hostname", "os", "time", "kernel", "cpu", "openpanel_version", "uptime", "running_processes")
SYSTEM_FIELDS += ("package_updates",)


# -- services ----------------------------------------------------------------------------------------


@handles("services_file")
def services_file(go: Go, exchange: Exchange) -> Answer:
    """``ServeServicesFile``: GET reads the file; every other method reaching it (PUT, HEAD) writes it."""
    services = go.mock.panel.services
    if exchange.request.method == "GET":
        answer = Answer(services.entries())
        return depart(answer, SERVICES_ANY_JSON) if go.files.read()["services_off_contract"] else answer
    refused = exchange.request.method == "HEAD"
    if "application/json" not in exchange.request.headers.get("Content-Type", "") or exchange.body is UNDECODABLE:
        answer = error(400, "Request must be JSON")
        return depart(answer, HEAD_QUIRKS) if refused else answer
    off_contract = refused_by_contract(go.mock, exchange)
    services.replace_all(exchange.body)
    go.files.change(lambda files: files.__setitem__("services_off_contract", off_contract))
    answer = Answer({"message": f"{SERVICES_FILE} updated successfully"})
    return depart(answer, HEAD_QUIRKS) if refused else answer


@handles("services_status")
def services_status(go: Go, exchange: Exchange) -> Answer:
    """``ServeServicesStatus``: the ``on_dashboard: true`` entries (none in the stock file) with a status."""
    services = go.mock.panel.services
    entries = services.entries()
    if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
        kind = "object" if isinstance(entries, dict) else "value"
        go_error = f"json: cannot unmarshal {kind} into Go value of type []map[string]interface {{}}"
        message = f"Unable to read services.json file: {go_error}"
        return depart(error(500, message), SERVICES_ANY_JSON)
    try:
        return Answer(services.statuses())
    except (KeyError, TypeError):  # a dashboard entry without a real_name
        return depart(
            Answer([{**e, "status": "Inactive"} for e in entries if e.get("on_dashboard") is True]), SERVICES_ANY_JSON
        )


@handles("control_service")
def control_service(go: Go, exchange: Exchange) -> Answer:
    """``HandleManageService``."""
    action, name = params(exchange)["action"], params(exchange)["service_name"]
    if action not in ("start", "restart", "stop"):
        return depart_unless_documented(error(400, f"Invalid action: {action}"), SERVICE_ERRORS_400, exchange.operation)
    try:
        sentence = go.mock.panel.services.control(action, name)
    except (ServiceNotFound, AttributeError, KeyError, TypeError):
        refusal = error(400, f"Invalid service: {name}")
        return depart_unless_documented(refusal, SERVICE_ERRORS_400, exchange.operation)
    service = sentence.rsplit(" ", 2)[0]
    return Answer({"success": f"{service} {action}ed successfully"})  # "stoped", as Go writes it


# -- system, docker, usage ---------------------------------------------------------------------------


@handles("docker_info")
def docker_info(go: Go, exchange: Exchange) -> Answer:
    return Answer(go.mock.panel.metrics.engine_info())


@handles("ips")
def ips(go: Go, exchange: Exchange) -> Answer:
    """``ServeIPs``: users JOIN plans, each one's ip.json (found under the stored, unsuspended name)."""
    users = go.hosting.users()
    return Answer({u.username: u.ip for u in users if u.ip and u.plan_id is not None and not is_suspended(u.username)})


@handles("system")
def system(go: Go, exchange: Exchange) -> Answer:
    facts = go.mock.panel.metrics.system()
    return Answer({key: str(facts[key]) for key in SYSTEM_FIELDS}, encoding="go-struct")


@handles("cpu")
def cpu(go: Go, exchange: Exchange) -> Answer:
    return Answer(go.mock.panel.metrics.cpu())


@handles("memory")
def memory(go: Go, exchange: Exchange) -> Answer:
    figures = go.mock.panel.metrics.memory()
    percent = figures["ram_info"]["percent"]
    human = {**figures["human_readable_info"], "percent": f"{percent:g}%"}  # Go's %v: "21%", not "21.0%"
    return Answer({**figures, "human_readable_info": human})


@handles("server_disks")
def server_disks(go: Go, exchange: Exchange) -> Answer:
    return Answer(go.mock.panel.metrics.partitions())


@handles("disk_usage")
def disk_usage(go: Go, exchange: Exchange) -> Answer:
    """``ServeDiskUsage``: the quota report (Linux accounts, so original names) under Go's own keys."""
    usage: dict[str, Any] = {}
    for user in go.hosting.users():
        quota = user.quota
        usage[original_name(user.username)] = {
            "bwlimit": 0,
            "bwusage": 0,
            "disklimit": quota.get("disk_hard", 0),
            "diskusage": quota.get("disk_used", 0),
            "inodeslimit": quota.get("inodes_hard", 0),
            "inodesusage": quota.get("inodes_used", 0),
        }
    return depart(Answer(usage), DISK_USAGE_KEYS) if usage else Answer(usage)


# -- notifications -----------------------------------------------------------------------------------


@handles("notifications")
def notifications(go: Go, exchange: Exchange) -> Answer:
    lines = [
        f"{line.date} {line.status} {line.title} MESSAGE: {line.message}".strip()
        for _, line in go.mock.panel.notifications.newest_first()
    ]
    return Answer({"notifications": sorted(lines, reverse=True), "success": True})


@handles("notification_read")
def notification_read(go: Go, exchange: Exchange) -> Answer:
    return _notification_command(go, exchange, "mark_all_as_read", go.mock.panel.notifications.mark_read)


@handles("notification_delete")
def notification_delete(go: Go, exchange: Exchange) -> Answer:
    return _notification_command(go, exchange, "delete_all", go.mock.panel.notifications.delete)


def _notification_command(go: Go, exchange: Exchange, every: str, act: Any) -> Answer:
    raw = params(exchange)["line_number"]
    if not _ATOI.fullmatch(raw):
        return depart_unless_documented(error(404, "Not Found"), NOTIFICATIONS_RAW, exchange.operation)
    body, _ = into_struct(exchange.body, "command")  # read whatever the Content-Type; errors ignored
    command = exchange.request.args.get("command") or body.get("command", "")
    try:
        act(int(raw), command == every)
    except NotificationNotFound:
        return depart_unless_documented(error(400, "Invalid line number"), NOTIFICATIONS_RAW, exchange.operation)
    return Answer({"success": True})
