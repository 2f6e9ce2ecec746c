"""Stateful fuzzing over the spec's links (``--mutating``): create, then act on what was created.

schemathesis chains operations through the contract's OpenAPI links (create account → read, modify,
re-plan, autologin, delete it; add domain → suspend, unsuspend, delete it; create plan → read, patch,
replace, delete it) and checks every answer on the way. Every request is confined to the sandbox.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings

from contract_tests.findings import from_schemathesis
from contract_tests.plugin import confine_to_sandbox


def test_linked_operations_conform(contract_schema, sandbox, target, findings, request, within_budget):
    if not target.mutating:
        pytest.skip("creates and changes resources: needs --mutating")
    from schemathesis.core.failures import FailureGroup

    machine = contract_schema.as_state_machine()

    class Confined(machine):  # type: ignore[misc, valid-type]
        def before_call(self, case):
            confine_to_sandbox(case, sandbox)
            super().before_call(case)

        def validate_response(self, response, case, **kwargs):
            try:
                return super().validate_response(response, case, **kwargs)
            except FailureGroup as failures:
                for finding in from_schemathesis(
                    case.operation.label, failures, case.as_curl_command(), request.node.nodeid
                ):
                    findings.add(finding)
                raise

    budget = max(5, target.max_examples // 2)
    Confined.run(
        settings=settings(
            max_examples=budget, stateful_step_count=6, deadline=None, suppress_health_check=list(HealthCheck)
        )
    )
