"""Stateful fuzzing over the spec's links (``--mutating``): create, then act on what was created.

schemathesis chains operations through the contract's OpenAPI links (create account → read, modify,
re-plan, autologin, delete it; add domain → suspend, unsuspend, delete it; create plan → read, patch,
replace, delete it) and checks every answer on the way. Every request is confined to the sandbox.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, settings


def test_linked_operations_conform(contract_schema, confined, target, run_settings, judged, within_budget):
    if not target.mutating:
        pytest.skip("creates and changes resources: needs --mutating")
    budget = max(5, run_settings.max_examples // 2)

    class Confined(contract_schema.as_state_machine()):
        def before_call(self, case):
            confined.before(case)
            super().before_call(case)

        def validate_response(self, response, case, **kwargs):
            with judged(case.operation.label, case.as_curl_command, lambda: response):
                return super().validate_response(response, case, **kwargs)

    Confined.run(
        settings=settings(
            max_examples=budget, stateful_step_count=6, deadline=None, suppress_health_check=list(HealthCheck)
        )
    )
