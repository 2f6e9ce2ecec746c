"""Every operation's documented example, sent as documented: the answer must be documented too.

Deterministic where fuzzing is not: schemathesis reports one failure per operation, so one drift can
hide another; this test looks at each operation's plain success path on its own.
"""

from __future__ import annotations

import pytest

from contract_tests.document import ContractDocument, DocumentedOperation
from contract_tests.findings import Breach, curl
from contract_tests.plugin import sandbox_if_allowed
from contract_tests.sandbox import Sandbox
from contract_tests.session import TIMEOUT, PanelSession
from contract_tests.settings import Target


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "documented_operation" in metafunc.fixturenames:
        document = ContractDocument.load(metafunc.config.getoption("--openpanel-spec"))
        operations = [op for op in document.operations if op.operation_id not in _SKIPPED]
        metafunc.parametrize("documented_operation", operations, ids=[f"{op.method} {op.path}" for op in operations])


CHECK = "documented example"
#: Logging in is covered by test_auth (and is rate-limited on real panels).
_SKIPPED = {"login", "loginWithoutSlash"}


def example_request(operation: DocumentedOperation, contract: ContractDocument, sandbox: Sandbox | None):
    """Path and body from the spec's examples, with every ``x-sandbox`` input pointed at our own resources."""
    params: dict[str, object] = {}
    body = contract.example_body(operation)
    for target, kind in (operation.definition.get("x-sandbox") or {}).items():
        assert sandbox is not None
        location, name = target.split(".", 1)
        if location == "path":
            params[name] = sandbox.value(kind)
        elif isinstance(body, dict):
            body[name] = sandbox.value(kind)
    return operation.path_with(**params), body


def test_documented_example_is_answered_as_documented(
    documented_operation: DocumentedOperation,
    target: Target,
    panel: PanelSession,
    contract: ContractDocument,
    request: pytest.FixtureRequest,
):
    operation = documented_operation
    sandbox = sandbox_if_allowed(operation, target, request)
    path, body = example_request(operation, contract, sandbox)
    headers = {"Content-Type": "application/json", **panel.auth_headers()}
    response = panel.send(
        operation.method, target.base_url + path, json=body, headers=headers, timeout=TIMEOUT, allow_redirects=False
    )
    label, reproduce = f"{operation.method} {operation.path}", curl(operation.method, target.base_url + path, body)
    documented = operation.definition["responses"]
    if str(response.status_code) not in documented:
        raise Breach(
            f"{operation.method} {path} answered {response.status_code}, which is not documented "
            f"(documented: {', '.join(documented)}): {response.text[:300]}",
            operation=label,
            check=CHECK,
            reproduce=reproduce,
        )
    confined = bool(operation.definition.get("x-sandbox")) or "{" not in operation.path
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
