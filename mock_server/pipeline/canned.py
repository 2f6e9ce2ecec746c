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

from contract_model import Contract, Operation
from mock_server.answer import Answer
from mock_server.errors import ApiError

_PREFERENCE = re.compile(r'\s*([A-Za-z][\w-]*)\s*=\s*("(?:[^"\\]|\\.)*"|[^,;\s]*)')
HEADER = "X-Mock-Canned"


class CannedAnswers:
    """The examples the contract documents, per operation and status."""

    def __init__(self, contract: Contract, error_rate: float = 0.0, rng: random.Random | None = None) -> None:
        self._error_rate = error_rate
        self._random = rng or random.Random()
        self._examples = {
            operation.operation_id: contract.response_examples(operation) for operation in contract.operations
        }

    def for_request(self, operation: Operation, prefer: str | None) -> Answer | None:
        """The canned answer this request asks for (or draws), else ``None`` for the normal path.

        A preference the operation cannot satisfy is the mock's own 400 about its own feature, not an
        answer of the API, so it is marked as departing from the contract.
        """
        examples = self._examples[operation.operation_id]
        if prefer:
            wanted = dict(parse_prefer(prefer))
            if "code" in wanted or "example" in wanted:
                try:
                    return self._preferred(operation, examples, wanted)
                except ApiError as refusal:
                    return refusal.answer(deviation="prefer")
        if self._error_rate and self._random.random() < self._error_rate:
            errors = [(status, name) for status, named in examples.items() if status >= 400 for name in named]
            if errors:
                status, name = self._random.choice(errors)
                return _canned(examples[status][name], status, f"error-rate; example={name}")
        return None

    def _preferred(self, operation: Operation, examples: dict[int, dict[str, Any]], wanted: dict[str, str]) -> Answer:
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
                return _canned(named[first], status, f"prefer; example={first}")
            if name in named:
                return _canned(named[name], status, f"prefer; example={name}")
        raise _refusal(f"Prefer: example={name} is not a documented example of {operation.operation_id}")


def parse_prefer(header: str) -> list[tuple[str, str]]:
    """``Prefer`` preferences (RFC 7240) as ``(name, value)`` pairs; quoted values unquoted."""
    pairs = []
    for match in _PREFERENCE.finditer(header):
        value = match.group(2)
        if value.startswith('"'):
            value = value[1:-1].replace('\\"', '"')
        pairs.append((match.group(1).lower(), value))
    return pairs


def _canned(example: Any, status: int, how: str) -> Answer:
    return Answer(copy.deepcopy(example), status, {HEADER: how})


def _refusal(message: str) -> ApiError:
    return ApiError.app(400, message, field="header.Prefer", rule="prefer")
