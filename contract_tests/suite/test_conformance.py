"""Every allowed operation, fuzzed with schemathesis and judged by all of its checks."""

from hypothesis import HealthCheck, settings
from schemathesis import pytest as st_pytest

schema = st_pytest.from_fixture("contract_schema")


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_operation_conforms(case, confined, target, judged, recorded, within_budget):
    within_budget()
    confined.before(case)
    with judged(case.operation.label, lambda: case.as_curl_command(verify=target.verify_tls), recorded.last):
        response = case.call_and_validate(session=recorded.session, verify=target.verify_tls, allow_redirects=False)
    if response.status_code >= 400:
        confined.refused(case)
