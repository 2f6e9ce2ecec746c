"""Tags ``license`` and ``support`` (endpoint group B2): the licence key and the diagnostics report."""

from __future__ import annotations

from mock_server.answer import Answer
from mock_server.handlers.registry import Call, operation
from mock_server.handlers.server_admin import refusing
from mock_server.panel.license import License

REPORT = "Information collected successfully. Please provide the following key to the support team:\n{name}"


@operation("getLicenseKey")
def get_license_key(call: Call) -> Answer:
    return Answer({"key": call.panel.part(License).key()})


@operation("setLicenseKey")
@refusing
def set_license_key(call: Call) -> Answer:
    return Answer({"response": call.panel.part(License).set_key(call.body["key"])})


@operation("deleteLicenseKey")
def delete_license_key(call: Call) -> Answer:
    call.panel.part(License).delete()
    return Answer({"delete": ""})


@operation("getLicenseInfo")
@refusing
def get_license_info(call: Call) -> Answer:
    return Answer({"info": call.panel.part(License).info()})


@operation("verifyLicense")
@refusing
def verify_license(call: Call) -> Answer:
    return Answer({"verify": call.panel.part(License).verify()})


@operation("getSupportReport")
def get_support_report(call: Call) -> Answer:
    """The mock uploads nothing: it answers the key the support site would have given."""
    hostname = call.panel.metrics.system()["hostname"]
    return Answer({"success": True, "message": REPORT.format(name=f"{hostname}-report.txt")})
