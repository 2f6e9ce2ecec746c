"""Tag ``domains``: answers carry the panel command's output, as the real endpoints do."""

from __future__ import annotations

from mock_server.answer import Answer
from mock_server.handlers.registry import Call, operation


def command_result(stdout: str) -> Answer:
    return Answer({"stdout": stdout, "stderr": "", "returncode": 0})


@operation("listDomains")
def list_domains(call: Call) -> Answer:
    domains = [
        {
            "domain_id": domain.domain_id,
            "domain_url": domain.domain_url,
            "docroot": domain.docroot,
            "php_version": domain.php_version,
            "username": owner,
            "status": "suspended" if domain.suspended else "active",
        }
        for domain, owner in call.hosting.domains()
    ]
    return Answer({"domains": domains})


@operation("addDomain")
def add_domain(call: Call) -> Answer:
    domain = call.hosting.add_domain(call.body["username"], call.body["domain"], call.body.get("docroot"))
    return command_result(f"Domain {domain.domain_url} added successfully")


@operation("suspendDomain")
def suspend_domain(call: Call) -> Answer:
    changed = call.hosting.set_domain_suspended(call.params["domain"], True)
    # The panel's own wording (facts §2.20), including its no-op answers.
    return command_result("Domain suspended successfully." if changed else "Domain is already suspended.")


@operation("unsuspendDomain")
def unsuspend_domain(call: Call) -> Answer:
    name = call.params["domain"]
    changed = call.hosting.set_domain_suspended(name, False)
    return command_result("Domain unsuspended successfully." if changed else f"Domain {name} is not suspended.")


@operation("deleteDomain")
def delete_domain(call: Call) -> Answer:
    domain = call.hosting.delete_domain(call.params["domain"])
    return command_result(f"Domain {domain.domain_url} deleted successfully")
