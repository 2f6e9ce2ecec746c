"""The pipeline's standard stages: what the contract says, one job each."""

from __future__ import annotations

import logging
import random
import time

from contract_model import Contract
from mock_server.answer import Answer
from mock_server.config import DEFAULT_SPEC, MockConfig
from mock_server.errors import API_DISABLED, ApiError, ContractViolation
from mock_server.handlers.registry import Call, Handler
from mock_server.panel import Panel
from mock_server.panel.errors import StateError
from mock_server.pipeline import Exchange, Stage, access
from mock_server.pipeline.canned import CannedAnswers
from mock_server.pipeline.parsing import request_json
from mock_server.pipeline.refusals import refusal
from mock_server.pipeline.routing import Router
from mock_server.pipeline.validation import Validator

log = logging.getLogger("openpanel_mock")


class StandardStages:
    """One mock's collaborators, and a method per stage that uses them."""

    def __init__(
        self,
        config: MockConfig,
        contract: Contract,
        panel: Panel,
        handlers: dict[str, Handler],
        validator: Validator | None = None,
    ) -> None:
        self.config = config
        self.contract = contract
        self.panel = panel
        self.handlers = handlers
        self.router = Router(contract)
        self.validator = validator or Validator(contract, check_spec=config.spec_path.resolve() != DEFAULT_SPEC)
        self.canned_answers = CannedAnswers(contract, config.error_rate)

    def as_dict(self) -> dict[str, Stage]:
        return {
            "route": self.route,
            "delay": self.delay,
            "canned": self.canned,
            "authenticate": self.authenticate,
            "authorize": self.authorize,
            "parse": self.parse,
            "validate_request": self.validate_request,
            "handle": self.handle,
            "refuse": self.refuse,
            "validate_response": self.validate_response,
            "respond": self.respond,
        }

    def route(self, exchange: Exchange) -> Answer | None:
        if self.config.api_disabled:
            # Not an operation's answer (decision 60): nothing is routed, so nothing validates it.
            return ApiError.app(404, API_DISABLED).answer()
        matched = self.router.match(exchange.request)
        if isinstance(matched, Answer):
            return matched
        exchange.operation, exchange.params = matched
        return None

    def delay(self, exchange: Exchange) -> None:
        """``--latency``: a frontend sees a slow panel."""
        low, high = self.config.latency_ms
        if high > 0:
            time.sleep(random.uniform(low, high) / 1000)

    def canned(self, exchange: Exchange) -> Answer | None:
        """``Prefer`` and ``--error-rate``: a documented example instead of the panel's own answer."""
        assert exchange.operation is not None
        return self.canned_answers.for_request(exchange.operation, exchange.request.headers.get("Prefer"))

    def authenticate(self, exchange: Exchange) -> None:
        assert exchange.operation is not None
        if exchange.operation.secured:
            exchange.admin = self.panel.tokens.subject(exchange.request.headers.get("Authorization"))

    def authorize(self, exchange: Exchange) -> None:
        """The caller's role may call this operation (``x-access``); a reseller only on its own accounts.

        A twin's route that is no operation of the contract (``exchange.operation`` is ``None``) was
        judged by that server's own middleware."""
        if exchange.admin is None:
            return
        exchange.principal = self.panel.hosting.admin(exchange.admin)
        if exchange.operation is None:
            return
        refused = access.refusal(exchange.operation, exchange.principal, exchange.params, self.panel.hosting)
        if refused is not None:
            raise refused

    def parse(self, exchange: Exchange) -> None:
        exchange.body = request_json(exchange.request)

    def validate_request(self, exchange: Exchange) -> None:
        assert exchange.operation is not None
        self.validator.check_request(exchange.operation, exchange.params, exchange.request)

    def handle(self, exchange: Exchange) -> Answer:
        assert exchange.operation is not None
        request = exchange.request
        call = Call(
            params=exchange.params,
            query=request.args.to_dict(),
            body=exchange.body,
            admin=exchange.admin,
            principal=exchange.principal,
            panel=self.panel,
            contract=self.contract,
            host=request.host.rsplit(":", 1)[0] if not request.host.endswith("]") else request.host,
            scheme=request.scheme,
        )
        return self.handlers[exchange.operation.operation_id](call)

    def refuse(self, exchange: Exchange, error: StateError) -> Answer:
        return refusal(error)

    def validate_response(self, exchange: Exchange, answer: Answer) -> Answer:
        """An answer the contract forbids is the mock's own bug: raised in tests, a clear 500 otherwise."""
        if answer.deviation is not None:
            return answer  # a flavor answering as its server does, on purpose
        assert exchange.operation is not None
        try:
            self.validator.check_response(exchange.operation, exchange.params, exchange.request, answer)
        except ContractViolation as violation:
            if self.config.raise_on_contract_violation:
                raise
            log.error("contract violation: %s", violation)
            return Answer({"error": f"The mock broke its own contract (a bug in the mock): {violation}"}, 500)
        return answer

    def respond(self, exchange: Exchange, answer: Answer) -> Answer:
        return answer
