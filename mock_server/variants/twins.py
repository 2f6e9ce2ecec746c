"""What both twins (``v1``, ``v2``) need around their own routing and handlers.

A twin answers with its server's router, middleware and handlers, yet every answer to a documented
operation is still checked against the contract unless a deviation marked it. So a twin tells the
pipeline which documented operation a request is (``documented_operation``), and marks an answer
that the contract would never give to a request it refuses (``accepted_off_contract``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Request

from contract_model import Operation
from mock_server.answer import Answer
from mock_server.errors import ApiError, ContractViolation
from mock_server.mock import Mock
from mock_server.panel.document import StateDocument
from mock_server.panel.fixtures import Fixtures
from mock_server.pipeline import Exchange
from mock_server.variants import depart

#: Real servers of both generations read a body of any size; the mock still stops somewhere.
TWIN_BODY_LIMIT = 16 * 1024 * 1024


def documented_operation(mock: Mock, request: Request) -> tuple[Operation | None, dict[str, str]]:
    """The contract's operation for this method and path (``None`` where the contract has none)."""
    try:
        matched = mock.router.match(request)
    except ApiError:
        return None, {}
    if isinstance(matched, Answer):  # a plain OPTIONS, which the contract documents nowhere
        return None, {}
    return matched


def refused_by_contract(mock: Mock, exchange: Exchange) -> bool:
    """Whether the contract's request validation would refuse this request (400/415)."""
    if exchange.operation is None:
        return False
    try:
        mock.validator.check_request(exchange.operation, exchange.params, exchange.request)
    except ApiError:
        return True
    return False


def accepted_off_contract(mock: Mock, exchange: Exchange, answer: Answer, name: str) -> Answer:
    """``answer``, marked ``name`` where the server accepted (2xx/3xx) a request the contract refuses
    and what it answered does not fit the contract's schema either.

    The contract defines no successful answer to a request it refuses, so such an answer's shape is
    the server's, not a bug of the mock; where it happens to fit, it is still checked (and the suite
    reports the accepted request itself).
    """
    if answer.deviation is not None or answer.status >= 400 or exchange.operation is None:
        return answer
    if not refused_by_contract(mock, exchange):
        return answer
    try:
        mock.validator.check_response(exchange.operation, exchange.params, exchange.request, answer)
    except ContractViolation:
        return depart(answer, name)
    return answer


def install_common_stages(mock: Mock) -> None:
    """What every twin shares: bodies of any size, and ``Prefer``/``--error-rate`` (mock features,
    answered with the contract's own examples) only for requests that are documented operations."""
    mock.config.max_body_bytes = TWIN_BODY_LIMIT

    def canned(inner: Callable[[Exchange], Answer | None], exchange: Exchange) -> Answer | None:
        return inner(exchange) if exchange.operation is not None else None

    mock.pipeline.wrap("canned", canned)


class FlavorFiles(StateDocument):
    """Server state a twin needs that the contract's panel model has no place for (a file the server
    keeps, a limiter's buckets): one JSON document, shared by the workers, reset with the panel."""

    def __init__(self, name: str, initial: Callable[[Fixtures], dict[str, Any]], mock: Mock) -> None:
        self.DOCUMENT = f"flavor:{name}"
        self._make = initial
        super().__init__(mock.panel.hosting.fixtures, mock.store)
        mock.flavor_state.append(self)

    def _initial(self) -> dict[str, Any]:
        return self._make(self._fixtures)

    def _dump(self) -> dict[str, Any]:
        return self._data

    def _load(self, document: dict[str, Any]) -> None:
        self._data = document

    def read(self) -> dict[str, Any]:
        with self._reading():
            return self._data

    def change(self, function: Callable[[dict[str, Any]], Any]) -> Any:
        """Run ``function`` on the document under the store's write lock; answer what it answers."""
        with self._writing():
            return function(self._data)
