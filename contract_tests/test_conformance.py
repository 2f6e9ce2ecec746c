"""Every allowed operation, fuzzed with schemathesis and judged by all of its checks."""

from hypothesis import HealthCheck, settings
from schemathesis import pytest as st_pytest

from contract_tests.plugin import confine_to_sandbox

schema = st_pytest.from_fixture("contract_schema")


@schema.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_operation_conforms(case, sandbox, target):
    confine_to_sandbox(case, sandbox)
    case.call_and_validate(verify=target.verify_tls)
