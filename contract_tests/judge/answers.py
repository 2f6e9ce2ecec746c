"""Judging one answer against what the contract documents for it — the checks every phase shares."""

from __future__ import annotations

from typing import Any

import requests

from contract_model import Contract, Operation
from contract_tests.judge.kinds import CONTENT_TYPE, SCHEMA_BREAK


def parsed(response: requests.Response) -> Any:
    """The JSON body, or ``None`` when the answer is not JSON (an HTML error page, an empty body …)."""
    try:
        return response.json()
    except ValueError:
        return None


def body_problem(contract: Contract, operation: Operation, response: requests.Response) -> tuple[str, str] | None:
    """``(kind, explanation)`` when the body does not fit the schema documented for the answer's status;
    ``None`` when it fits or the contract documents no JSON body for that status."""
    schema = contract.response_schema(operation.operation_id, response.status_code)
    if schema is None:
        return None
    try:
        body = response.json()
    except ValueError:
        content_type = response.headers.get("Content-Type", "") or "no Content-Type"
        kind = SCHEMA_BREAK if "json" in content_type else CONTENT_TYPE
        return kind, f"not JSON ({content_type}): {response.text[:200]!r}"
    errors = contract.schema_errors(body, schema)
    return (SCHEMA_BREAK, str(errors)) if errors else None


def is_documented_redirect(operation: Operation, response: requests.Response) -> bool:
    """A redirect the contract documents (``POST /api`` → ``/api/``) is an answer, not a failure."""
    return 300 <= response.status_code < 400 and operation.documents(response.status_code)
