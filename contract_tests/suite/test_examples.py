"""Every operation's documented example, sent as documented: the answer must be documented too.

Deterministic where fuzzing is not: schemathesis reports one failure per operation, so one drift can
hide another; this test looks at each operation's plain success path on its own.
"""

from __future__ import annotations

import pytest

from contract_model import Contract, Operation
from contract_tests.judge.answers import body_problem, parsed
from contract_tests.judge.findings import BLOCKING, Breach, curl
from contract_tests.judge.kinds import CATCH_ALL, REJECTED_VALID_INPUT, SERVER_ERROR, STATUS_DRIFT, is_health_message
from contract_tests.plugin import contract_of
from contract_tests.run.client import ApiClient

CHECK = "documented example"
#: Logging in is covered by test_auth (and is rate-limited on real panels).
_SKIPPED = {"login", "loginWithoutSlash"}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "documented_operation" in metafunc.fixturenames:
        operations = [op for op in contract_of(metafunc.config).operations if op.operation_id not in _SKIPPED]
        metafunc.parametrize("documented_operation", operations, ids=[op.label for op in operations])


def test_documented_example_is_answered_as_documented(
    documented_operation: Operation, client: ApiClient, contract: Contract, prepared
):
    operation = documented_operation
    path, body = prepared(operation)
    response = client.request(operation.method, path, json=body, allow_redirects=False)
    status = response.status_code

    def breach(message: str, kind: str, **details: object) -> Breach:
        reproduce = curl(operation.method, client.target.base_url + path, body)
        return Breach(
            message,
            operation=operation.label,
            check=CHECK,
            kind=kind,
            severity=BLOCKING,
            reproduce=reproduce,
            **details,
        )

    answer = f"{operation.method} {path} answered {status}"
    if not operation.documents(status):
        kind = SERVER_ERROR if status >= 500 else STATUS_DRIFT
        documented = ", ".join(operation.responses)
        raise breach(
            f"{answer}, which is not documented (documented: {documented}): {response.text[:300]}",
            kind,
            expected=documented,
            received=status,
        )
    confined = bool(operation.sandbox) or "{" not in operation.path
    if confined and not 200 <= status < 300:
        kind = SERVER_ERROR if status >= 500 else REJECTED_VALID_INPUT
        raise breach(
            f"{answer} to its documented example: {response.text[:300]}", kind, expected="2xx", received=status
        )
    problem = body_problem(contract, operation, response)
    if problem is not None:
        kind = CATCH_ALL if 200 <= status < 300 and is_health_message(parsed(response)) else problem[0]
        raise breach(f"{answer}; the body breaks the contract: {problem[1]}", kind, received=status)
