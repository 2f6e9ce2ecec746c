"""Broken requests every body-taking operation must refuse: a documented 4xx, never 2xx, never 5xx.

Schemathesis fuzzes what the schema can describe; these are the transport-level breaks it cannot:
malformed JSON, a wrong or missing Content-Type, and an oversized body.
"""

from __future__ import annotations

import json

import pytest

from contract_model import Contract, Operation
from contract_tests.judge.answers import body_problem, is_documented_redirect
from contract_tests.judge.findings import WARNING, Breach
from contract_tests.judge.kinds import ACCEPTED_INVALID_INPUT, SERVER_ERROR, STATUS_DRIFT
from contract_tests.plugin import contract_of
from contract_tests.run.client import ApiClient

#: name → (Content-Type, body bytes from the documented example's JSON text)
PROBES = {
    "malformed JSON": ("application/json", lambda text: text[: max(1, len(text) // 2)].encode()),
    "text/plain body": ("text/plain", lambda text: text.encode()),
    "no Content-Type": (None, lambda text: text.encode()),
    "oversized body (2 MiB)": (
        "application/json",
        lambda text: json.dumps({"padding": "x" * (2 * 1024 * 1024)}).encode(),
    ),
}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "body_operation" in metafunc.fixturenames:
        operations = [op for op in contract_of(metafunc.config).expressible if op.request_body]
        metafunc.parametrize("body_operation", operations, ids=[op.label for op in operations])


@pytest.mark.parametrize("probe", list(PROBES))
def test_broken_body_is_refused_as_documented(
    body_operation: Operation, probe: str, client: ApiClient, contract: Contract, prepared
):
    operation = body_operation
    path, body = prepared(operation)
    content_type, make_body = PROBES[probe]
    response = client.request(
        operation.method,
        path,
        data=make_body(json.dumps(body)),
        content_type=content_type,
        auth=operation.secured,
        allow_redirects=False,
    )
    label, check = operation.label, f"negative input: {probe}"
    status = response.status_code
    if is_documented_redirect(operation, response):
        return  # e.g. POST /api → 308 /api/: the server has not judged the body, its target will
    if status < 400 or status >= 500:
        raise Breach(
            f"{probe} answered {status}, expected a 4xx: {response.text[:300]}",
            operation=label,
            check=check,
            kind=SERVER_ERROR if status >= 500 else ACCEPTED_INVALID_INPUT,
            expected="4xx",
            received=status,
        )
    if not operation.documents(status):
        raise Breach(
            f"{probe} answered {status}, which is not documented: {response.text[:300]}",
            operation=label,
            check=check,
            kind=STATUS_DRIFT,
            severity=WARNING,
            expected=", ".join(code for code in operation.responses if code.startswith("4")),
            received=status,
        )
    problem = body_problem(contract, operation, response)
    if problem is not None:
        raise Breach(
            f"{probe}: the {status} body breaks the contract: {problem[1]}",
            operation=label,
            check=check,
            kind=problem[0],
            received=status,
        )
