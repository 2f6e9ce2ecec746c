"""Every operation's documented example, sent as documented: the answer must be documented too.

Deterministic where fuzzing is not: schemathesis reports one failure per operation, so one drift can
hide another; this test looks at each operation's plain success path on its own.
"""

from __future__ import annotations

import pytest

from contract_model import Contract, Operation
from contract_tests.judge.findings import Breach, curl
from contract_tests.plugin import contract_of
from contract_tests.run.client import ApiClient
from contract_tests.run.sandbox import documented_request

CHECK = "documented example"
#: Logging in is covered by test_auth (and is rate-limited on real panels).
_SKIPPED = {"login", "loginWithoutSlash"}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "documented_operation" in metafunc.fixturenames:
        operations = [op for op in contract_of(metafunc.config).expressible if op.operation_id not in _SKIPPED]
        metafunc.parametrize("documented_operation", operations, ids=[op.label for op in operations])


def test_documented_example_is_answered_as_documented(
    documented_operation: Operation, client: ApiClient, contract: Contract, sandbox_for
):
    operation = documented_operation
    path, body = documented_request(operation, sandbox_for(operation))
    response = client.request(operation.method, path, json=body, allow_redirects=False)
    url = client.target.base_url + path
    label, reproduce = operation.label, curl(operation.method, url, body)
    if not operation.documents(response.status_code):
        raise Breach(
            f"{operation.method} {path} answered {response.status_code}, which is not documented "
            f"(documented: {', '.join(operation.responses)}): {response.text[:300]}",
            operation=label,
            check=CHECK,
            reproduce=reproduce,
        )
    confined = bool(operation.sandbox) or "{" not in operation.path
    if confined and not 200 <= response.status_code < 300:
        raise Breach(
            f"{operation.method} {path} with its documented example failed: "
            f"{response.status_code} {response.text[:300]}",
            operation=label,
            check=CHECK,
            reproduce=reproduce,
        )
    schema = contract.response_schema(operation.operation_id, response.status_code)
    if schema is not None:
        try:
            errors = contract.schema_errors(response.json(), schema)
        except ValueError:
            errors = [f"not JSON: {response.text[:200]!r}"]
        if errors:
            raise Breach(
                f"{operation.method} {path} {response.status_code} body breaks the contract: {errors}",
                operation=label,
                check=CHECK,
                reproduce=reproduce,
            )
