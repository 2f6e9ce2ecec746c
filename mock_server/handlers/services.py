"""Tag ``services``."""

from __future__ import annotations

from mock_server.answer import Answer
from mock_server.handlers.registry import Call, operation

#: Where the real panel keeps the file; its update message names it.
SERVICES_FILE = "/etc/openpanel/openadmin/config/services.json"


@operation("listServices")
def list_services(call: Call) -> Answer:
    return Answer(call.panel.services.entries())


@operation("replaceServices")
def replace_services(call: Call) -> Answer:
    call.panel.services.replace_all(call.body)
    return Answer({"message": f"{SERVICES_FILE} updated successfully"})


@operation("getServicesStatus")
def get_services_status(call: Call) -> Answer:
    return Answer(call.panel.services.statuses())


@operation("controlService")
def control_service(call: Call) -> Answer:
    return Answer({"success": call.panel.services.control(call.params["action"], call.params["service_name"])})
