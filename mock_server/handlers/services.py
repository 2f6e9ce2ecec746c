"""Tag ``services``."""

from __future__ import annotations

from mock_server.handlers.refusals import refusal
from mock_server.registry import Call, operation
from mock_server.state import StateError

#: Where the real panel keeps the file; its update message names it.
SERVICES_FILE = "/etc/openpanel/openadmin/config/services.json"


@operation("listServices")
def list_services(call: Call):
    return call.panel.services.entries(), 200


@operation("replaceServices")
def replace_services(call: Call):
    call.panel.services.replace_all(call.body)
    return {"message": f"{SERVICES_FILE} updated successfully"}, 200


@operation("getServicesStatus")
def get_services_status(call: Call):
    return call.panel.services.statuses(), 200


@operation("controlService")
def control_service(call: Call):
    try:
        sentence = call.panel.services.control(call.params["action"], call.params["service_name"])
    except StateError as error:
        raise refusal(error) from None
    return {"success": sentence}, 200
