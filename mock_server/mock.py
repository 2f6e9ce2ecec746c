"""One running mock: the contract it serves, the panel it emulates and the pipeline in between."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Request, Response

from contract_model import Contract
from mock_server.answer import Answer
from mock_server.answer_cache import KEEPABLE_UNTIL, token_expiry
from mock_server.config import MockConfig
from mock_server.panel import Panel
from mock_server.panel.document import StateDocument
from mock_server.panel.store import Store
from mock_server.pipeline import Exchange, Pipeline
from mock_server.pipeline.routing import Router
from mock_server.pipeline.validation import Validator


@dataclass
class Mock:
    """Everything one mock owns, kept in ``app.extensions["openpanel"]``."""

    config: MockConfig
    contract: Contract
    panel: Panel
    pipeline: Pipeline
    #: The contract's routes (variants that answer by path shape ask it which operations a path is).
    router: Router
    #: Where the panel's state and the clock keep their documents.
    store: Store
    #: The contract's request and response checks (a flavor that does not refuse invalid requests still
    #: asks whether the contract would have).
    validator: Validator
    #: State a flavor keeps beside the panel's (files of that server the contract has no model of),
    #: reset with it.
    flavor_state: list[StateDocument] = field(default_factory=list)
    #: Operations whose answers the answer cache may keep (``mock_server.answer_cache``); empty when
    #: the mock's answers are not a function of request and state (latency, error rate, live metrics).
    keepable: frozenset[str] = frozenset()

    def serve(self, request: Request) -> Response:
        """Answer one API request."""
        exchange = Exchange(request)
        answer = self.pipeline.run(exchange)
        if exchange.operation_id in self.keepable:
            expires = token_expiry(request.headers.get("Authorization"))
            # By the base clock: the offset is part of the state, so a kept answer never sees it move.
            request.environ[KEEPABLE_UNTIL] = self.config.clock.on_base(expires)  # type: ignore[attr-defined]
        return to_response(answer)

    def reset(self) -> None:
        self.panel.reset()
        for document in self.flavor_state:
            document.reset()


def to_response(answer: Answer) -> Response:
    response = Response(answer.body, status=answer.status, content_type=answer.content_type or None)
    if not answer.content_type:
        del response.headers["Content-Type"]
    response.headers.update(answer.headers)
    return response
