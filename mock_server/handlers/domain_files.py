"""Tag ``domain-files``: the templates new domains get (``internal/handlers/api_domain_files.go``)."""

from __future__ import annotations

from mock_server.answer import Answer
from mock_server.handlers.registry import Call, operation
from mock_server.panel.domain_files import DomainFileTemplates


@operation("getDomainFileTemplates")
def get_domain_file_templates(call: Call) -> Answer:
    return Answer(call.panel.part(DomainFileTemplates).all())


@operation("updateDomainFileTemplates")
def update_domain_file_templates(call: Call) -> Answer:
    call.panel.part(DomainFileTemplates).replace(call.body)
    return Answer({"success": True, "message": "Templates updated successfully!"})
