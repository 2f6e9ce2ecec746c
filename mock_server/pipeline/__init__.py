"""The request pipeline: every API request passes the same named stages, in this order::

    route → delay → canned → authenticate → authorize → parse → validate_request → handle
        (a refusal of the panel anywhere on the way → refuse)
    → validate_response → respond

Transport limits and CORS come before it, as WSGI middleware around the app (``mock_server.app``).
A request stage returns ``None`` to go on or an ``Answer`` to answer at once; ``handle`` always
answers. Each stage is a function with one job (``mock_server.pipeline.stages``). A *variant* — a
flavor's deviation or a deliberate fault (``mock_server.variants``) — wraps or replaces any stage,
for every operation or only for some.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from flask import Request
from werkzeug.exceptions import HTTPException

from contract_model import Operation
from mock_server.answer import Answer
from mock_server.errors import ApiError, http_error
from mock_server.panel.errors import StateError
from mock_server.panel.fixtures import Admin

#: Stages that work on the request; the first to return an ``Answer`` ends this part.
REQUEST_STAGES = ("route", "delay", "canned", "authenticate", "authorize", "parse", "validate_request", "handle")
#: ``refuse(exchange, error)`` turns a panel refusal into an answer; the last two take and give an answer.
STAGES = (*REQUEST_STAGES, "refuse", "validate_response", "respond")

#: ``(exchange) -> Answer | None`` for request stages; ``(exchange, error | answer) -> Answer`` for the others.
Stage = Callable[..., Any]


@dataclass
class Exchange:
    """One API request on its way through the stages; each stage fills in what it finds out."""

    request: Request
    #: Set by ``route``: the documented operation, and its path parameters.
    operation: Operation | None = None
    params: dict[str, str] = field(default_factory=dict)
    #: Set by ``authenticate``: the administrator the token names (``None`` where no token is needed).
    admin: str | None = None
    #: Set by ``authorize``: that account and its role (``None`` where no token is needed).
    principal: Admin | None = None
    #: Set by ``parse``: the JSON body (``None`` when there is none).
    body: Any = None
    #: Set by a flavor's own ``route`` stage: the route of that server the request matched (its
    #: middleware and handler), which need not be a documented operation (``operation`` is then ``None``).
    route: Any = None

    @property
    def operation_id(self) -> str | None:
        return self.operation.operation_id if self.operation else None


class Pipeline:
    """The stages of one mock, by name; variants change them through ``wrap`` and ``replace``."""

    def __init__(self, stages: dict[str, Stage], operation_ids: Iterable[str]) -> None:
        missing = [name for name in STAGES if name not in stages]
        if missing:
            raise ValueError(f"a pipeline needs every stage; missing: {', '.join(missing)}")
        self._stages = {name: stages[name] for name in STAGES}
        self._operation_ids = frozenset(operation_ids)

    def wrap(self, name: str, around: Callable[..., Any], operations: Iterable[str] | None = None) -> None:
        """Run ``around(inner, exchange, *rest)`` instead of stage ``name``; ``inner`` is the stage as it was.

        With ``operations``, only requests routed to those ``operationId`` s take the detour (so it is
        meaningless for ``route``, which runs before anything is routed).
        """
        inner = self._stage(name)
        if operations is None:
            self._stages[name] = lambda exchange, *rest: around(inner, exchange, *rest)
            return
        chosen = frozenset(operations)
        unknown = chosen - self._operation_ids
        if unknown:
            raise ValueError(f"no such operations in the contract: {', '.join(sorted(unknown))}")

        def stage(exchange: Exchange, *rest: Any) -> Any:
            if exchange.operation_id in chosen:
                return around(inner, exchange, *rest)
            return inner(exchange, *rest)

        self._stages[name] = stage

    def replace(self, name: str, stage: Stage, operations: Iterable[str] | None = None) -> None:
        """Run ``stage`` instead of stage ``name`` (for ``operations`` only, if given)."""
        self.wrap(name, lambda inner, exchange, *rest: stage(exchange, *rest), operations)

    def run(self, exchange: Exchange) -> Answer:
        """Take one request through every stage; the answer to send."""
        stages = self._stages
        answer: Answer | None = None
        try:
            for name in REQUEST_STAGES:
                answer = stages[name](exchange)
                if answer is not None:
                    break
        except StateError as error:
            answer = stages["refuse"](exchange, error)
        except ApiError as error:
            answer = error.answer()
        except HTTPException as error:  # e.g. 413 while reading an oversized body
            answer = http_error(error).answer()
        if answer is None:
            raise RuntimeError(f"the handle stage of {exchange.operation_id} gave no answer")
        if exchange.operation is not None:  # a documented operation: its answer must be documented too
            answer = stages["validate_response"](exchange, answer)
        return stages["respond"](exchange, answer)

    def _stage(self, name: str) -> Stage:
        try:
            return self._stages[name]
        except KeyError:
            raise ValueError(f"no stage {name!r}; stages: {', '.join(STAGES)}") from None
