"""Tag ``domains``: answers carry the panel command's output, as the real endpoints do."""

from __future__ import annotations

from mock_server.handlers.refusals import refusal
from mock_server.registry import Call, operation
from mock_server.state import StateError


def command_result(stdout: str):
    return {"stdout": stdout, "stderr": "", "returncode": 0}, 200


@operation("listDomains")
def list_domains(call: Call):
    domains = [
        {
            "domain_id": domain.domain_id,
            "domain_url": domain.domain_url,
            "docroot": domain.docroot,
            "php_version": domain.php_version,
            "username": owner,
            "status": "suspended" if domain.suspended else "active",
        }
        for domain, owner in call.state.domains()
    ]
    return {"domains": domains}, 200


@operation("addDomain")
def add_domain(call: Call):
    try:
        domain = call.state.add_domain(call.body["username"], call.body["domain"], call.body.get("docroot"))
    except StateError as error:
        raise refusal(error) from None
    return command_result(f"Domain {domain.domain_url} added successfully")


@operation("suspendDomain")
def suspend_domain(call: Call):
    return _set_suspended(call, True)


@operation("unsuspendDomain")
def unsuspend_domain(call: Call):
    return _set_suspended(call, False)


@operation("deleteDomain")
def delete_domain(call: Call):
    try:
        domain = call.state.delete_domain(call.params["domain"])
    except StateError as error:
        raise refusal(error) from None
    return command_result(f"Domain {domain.domain_url} deleted successfully")


def _set_suspended(call: Call, suspended: bool):
    name = call.params["domain"]
    try:
        changed = call.state.set_domain_suspended(name, suspended)
    except StateError as error:
        raise refusal(error) from None
    # The panel's own wording (facts §2.20), including its no-op answers.
    if suspended:
        return command_result("Domain suspended successfully." if changed else "Domain is already suspended.")
    return command_result("Domain unsuspended successfully." if changed else f"Domain {name} is not suspended.")
