"""Broken requests every body-taking operation must refuse: a documented 4xx, never 2xx, never 5xx.

Schemathesis fuzzes what the schema can describe; these are the transport-level breaks it cannot:
malformed JSON, a wrong or missing Content-Type, and an oversized body.
"""

from __future__ import annotations

import json

import pytest

from contract_tests.document import ContractDocument, DocumentedOperation
from contract_tests.findings import BLOCKING, WARNING, Breach
from contract_tests.plugin import sandbox_if_allowed
from contract_tests.session import PanelSession
from contract_tests.settings import Target
from contract_tests.test_examples import example_request

#: name → (headers, body bytes from the documented example's JSON text)
PROBES = {
    "malformed JSON": ({"Content-Type": "application/json"}, lambda text: text[: max(1, len(text) // 2)].encode()),
    "text/plain body": ({"Content-Type": "text/plain"}, lambda text: text.encode()),
    "no Content-Type": ({}, lambda text: text.encode()),
    "oversized body (2 MiB)": (
        {"Content-Type": "application/json"},
        lambda text: json.dumps({"padding": "x" * (2 * 1024 * 1024)}).encode(),
    ),
}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "body_operation" in metafunc.fixturenames:
        document = ContractDocument.load(metafunc.config.getoption("--openpanel-spec"))
        operations = [op for op in document.operations if op.definition.get("requestBody")]
        metafunc.parametrize("body_operation", operations, ids=[f"{op.method} {op.path}" for op in operations])


@pytest.mark.parametrize("probe", list(PROBES))
def test_broken_body_is_refused_as_documented(
    body_operation: DocumentedOperation,
    probe: str,
    target: Target,
    panel: PanelSession,
    contract: ContractDocument,
    request: pytest.FixtureRequest,
):
    operation = body_operation
    sandbox = sandbox_if_allowed(operation, target, request)
    path, body = example_request(operation, contract, sandbox)
    headers, make_body = PROBES[probe]
    auth = panel.auth_headers() if operation.secured else {}
    response = panel.send(
        operation.method,
        target.base_url + path,
        data=make_body(json.dumps(body)),
        headers={**headers, **auth},
        allow_redirects=False,
    )
    label, check = f"{operation.method} {operation.path}", f"negative input: {probe}"
    status = response.status_code
    if status < 400 or status >= 500:
        raise Breach(
            f"{probe} answered {status}, expected a 4xx: {response.text[:300]}",
            operation=label,
            check=check,
            severity=BLOCKING,
        )
    if str(status) not in operation.definition["responses"]:
        raise Breach(
            f"{probe} answered {status}, which is not documented: {response.text[:300]}",
            operation=label,
            check=check,
            severity=WARNING,
        )
    schema = contract.response_schema(operation.operation_id, status)
    try:
        errors = contract.schema_errors(response.json(), schema) if schema else []
    except ValueError:
        errors = [f"not JSON: {response.text[:200]!r}"]
    if errors:
        raise Breach(f"{probe}: the {status} body breaks the contract: {errors}", operation=label, check=check)
