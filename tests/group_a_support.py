"""Shared by group A's tests: its operations, and calls by ``operationId`` whose answers must be
documented (the mock checks too; this checks the check)."""

from __future__ import annotations

from typing import Any

from contract_model import Contract

DOCUMENT = Contract.load()
TAGS = {"email", "dns", "domain-files", "domain-stats", "containers"}
GROUP_A = [
    op
    for op in DOCUMENT.operations
    if TAGS & set(op.tags) or op.operation_id in {"getDomainDocroot", "updateDomainDocroot"}
]


def call(client, auth: dict[str, str], operation_id: str, body: Any = None, query: dict | None = None, **params: str):
    """Send ``operation_id`` (path from the contract); the answer must be one the contract documents."""
    operation = DOCUMENT.operation(operation_id)
    path = operation.path.format(**params)
    response = client.open(path, method=operation.method, json=body, query_string=query, headers=auth)
    schema = DOCUMENT.response_schema(operation_id, response.status_code)
    assert schema is not None, f"{operation_id} does not document {response.status_code}: {response.json}"
    assert not DOCUMENT.schema_errors(response.json, schema), response.json
    return response


def request_example(operation_id: str) -> Any:
    body = DOCUMENT.operation(operation_id).request_body
    return body["content"]["application/json"]["example"] if body else None


def path_examples(operation_id: str) -> dict[str, str]:
    return {p["name"]: str(p["example"]) for p in DOCUMENT.operation(operation_id).parameters if p["in"] == "path"}


def reseller_headers(client) -> dict[str, str]:
    """The demo reseller's ``Authorization`` header."""
    token = client.post("/api/", json={"username": "reseller", "password": "openpanel-mock"}).json["access_token"]
    return {"Authorization": f"Bearer {token}"}
