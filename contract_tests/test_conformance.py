"""Every allowed operation, fuzzed with schemathesis and judged by all of its checks."""

from hypothesis import HealthCheck, settings
from schemathesis import pytest as st_pytest
from schemathesis.core.failures import FailureGroup

from contract_tests.findings import BLOCKING, Finding, from_schemathesis
from contract_tests.plugin import confine_to_sandbox, forget_refused_names

schema = st_pytest.from_fixture("contract_schema")


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_operation_conforms(case, sandbox, target, findings, request, within_budget):
    within_budget()
    confine_to_sandbox(case, sandbox)
    try:
        response = case.call_and_validate(verify=target.verify_tls)
    except FailureGroup as failures:
        # The last failing call is the example hypothesis reports; keep one finding per check.
        reproduce = case.as_curl_command(verify=target.verify_tls)
        for finding in from_schemathesis(case.operation.label, failures, reproduce, request.node.nodeid):
            findings.add(finding)
        raise
    except Exception as error:
        label, check = case.operation.label, f"suite error: {type(error).__name__}"
        findings.add(Finding(label, check, BLOCKING, str(error), test=request.node.nodeid))
        raise
    if response.status_code >= 400:
        forget_refused_names(case, sandbox)
