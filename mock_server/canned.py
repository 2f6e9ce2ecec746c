"""Documented answers on request: Prism-compatible ``Prefer`` headers and ``--error-rate``.

Frontend developers need to see their error paths. ``Prefer: code=404`` answers the operation's
documented 404 with its example; ``Prefer: example=NAME`` picks a named example; both combine
(``Prefer: code=409, example=taken``). ``--error-rate`` answers that share of requests with one of
the operation's documented error responses at random. Every such answer is still a documented one,
so it is validated like any other; it carries ``X-Mock-Canned`` so nobody mistakes it for state.
"""

from __future__ import annotations

import copy
import random
import re
from typing import Any

from mock_server.contract import Contract, Operation
from mock_server.errors import ApiError

_PREFERENCE = re.compile(r'\s*([A-Za-z][\w-]*)\s*=\s*("(?:[^"\\]|\\.)*"|[^,;\s]*)')
HEADER = "X-Mock-Canned"


class CannedAnswers:
    """The examples the contract documents, per operation and status."""

    def __init__(self, contract: Contract, error_rate: float = 0.0, rng: random.Random | None = None) -> None:
        self._contract = contract
        self._error_rate = error_rate
        self._random = rng or random.Random()
        self._examples = {operation.operation_id: self._collect(operation) for operation in contract.operations}

    def for_request(self, operation: Operation, prefer: str | None) -> tuple[Any, int, dict[str, str]] | None:
        """The canned answer this request asks for (or draws), else ``None`` for the normal path."""
        examples = self._examples[operation.operation_id]
        if prefer:
            wanted = dict(parse_prefer(prefer))
            if "code" in wanted or "example" in wanted:
                return self._preferred(operation, examples, wanted)
        if self._error_rate and self._random.random() < self._error_rate:
            errors = [(status, name) for status, named in examples.items() if status >= 400 for name in named]
            if errors:
                status, name = self._random.choice(errors)
                return copy.deepcopy(examples[status][name]), status, {HEADER: f"error-rate; example={name}"}
        return None

    def _preferred(
        self, operation: Operation, examples: dict[int, dict[str, Any]], wanted: dict[str, str]
    ) -> tuple[Any, int, dict[str, str]]:
        documented = ", ".join(str(status) for status in sorted(examples)) or "none"
        code = wanted.get("code")
        if code is not None and (not code.isdigit() or int(code) not in examples):
            raise _refusal(
                f"Prefer: code={code} is not a documented JSON answer of {operation.operation_id} "
                f"(documented: {documented})"
            )
        statuses = [int(code)] if code is not None else sorted(examples, key=lambda status: (status >= 400, status))
        name = wanted.get("example")
        for status in statuses:
            named = examples[status]
            if name is None:
                first = next(iter(named))
                return copy.deepcopy(named[first]), status, {HEADER: f"prefer; example={first}"}
            if name in named:
                return copy.deepcopy(named[name]), status, {HEADER: f"prefer; example={name}"}
        raise _refusal(f"Prefer: example={name} is not a documented example of {operation.operation_id}")

    def _collect(self, operation: Operation) -> dict[int, dict[str, Any]]:
        method, path = operation.validate_as or (operation.method, operation.path)
        responses = self._contract.document["paths"][path][method].get("responses", {})
        found: dict[int, dict[str, Any]] = {}
        for status, response in responses.items():
            if not str(status).isdigit():
                continue
            media = self._resolve(response).get("content", {}).get("application/json", {})
            named = {name: self._resolve(item).get("value") for name, item in media.get("examples", {}).items()}
            if "example" in media:
                named = {"default": media["example"], **named}
            if named:
                found[int(status)] = named
        return found

    def _resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while isinstance(node, dict) and "$ref" in node:
            target: Any = self._contract.document
            for part in node["$ref"].lstrip("#/").split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            node = target
        return node


def parse_prefer(header: str) -> list[tuple[str, str]]:
    """``Prefer`` preferences (RFC 7240) as ``(name, value)`` pairs; quoted values unquoted."""
    pairs = []
    for match in _PREFERENCE.finditer(header):
        value = match.group(2)
        if value.startswith('"'):
            value = value[1:-1].replace('\\"', '"')
        pairs.append((match.group(1).lower(), value))
    return pairs


def _refusal(message: str) -> ApiError:
    return ApiError.app(400, message, field="header.Prefer", rule="prefer")
