"""Deliberately broken mocks (``openpanel-mock --fault NAME``): each breaks the contract in one known
way, so the conformance suite can be shown to catch it.

Faults in what goes over the wire wrap ``respond``, after the mock's own response validation; faults
in behaviour wrap ``authenticate``, ``validate_request`` or ``handle``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from mock_server.answer import Answer
from mock_server.mock import Mock
from mock_server.panel.errors import StateError
from mock_server.pipeline import Exchange
from mock_server.variants import FAULT, variant

PLAN_BY_ID = ["getPlan", "replacePlan", "patchPlan", "deletePlan"]
CREATES = ["createUser", "createUserAtPath"]


@variant("skip-auth", group=FAULT, description="protected operations answer without checking the token")
def _skip_auth(mock: Mock) -> None:
    def authenticate(exchange: Exchange) -> None:
        exchange.admin = "admin"

    mock.pipeline.replace("authenticate", authenticate)


@variant("drop-required-field", group=FAULT, description="whoami answers without its required logged_in_as")
def _drop_required_field(mock: Mock) -> None:
    def respond(inner, exchange: Exchange, answer: Answer) -> Answer:
        answer = inner(exchange, answer)
        if not isinstance(answer.payload, dict):
            return answer
        return replace(answer, payload={k: v for k, v in answer.payload.items() if k != "logged_in_as"})

    mock.pipeline.wrap("respond", respond, ["whoami"])


@variant("wrong-type", group=FAULT, description="plan ids are sent as strings")
def _wrong_type(mock: Mock) -> None:
    def respond(inner, exchange: Exchange, answer: Answer) -> Answer:
        answer = inner(exchange, answer)
        plans = answer.payload.get("plans") if isinstance(answer.payload, dict) else None
        if not isinstance(plans, list):
            return answer
        return replace(answer, payload={**answer.payload, "plans": [{**p, "id": str(p["id"])} for p in plans]})

    mock.pipeline.wrap("respond", respond, ["listPlans"])


def _status_fault(mock: Mock, operations: list[str], was: int, becomes: int) -> None:
    def respond(inner, exchange: Exchange, answer: Answer) -> Answer:
        answer = inner(exchange, answer)
        return replace(answer, status=becomes) if answer.status == was else answer

    mock.pipeline.wrap("respond", respond, operations)


@variant("undocumented-status", group=FAULT, description="a missing plan answers 410 instead of 404")
def _undocumented_status(mock: Mock) -> None:
    _status_fault(mock, PLAN_BY_ID, 404, 410)


@variant(
    "extra-status",
    group=FAULT,
    description="malformed input answers 422 instead of the documented 400 (an undocumented extra status)",
)
def _extra_status(mock: Mock) -> None:
    _status_fault(mock, PLAN_BY_ID, 400, 422)


@variant("server-error", group=FAULT, description="an account name with a digit crashes the single-account read (500)")
def _server_error(mock: Mock) -> None:
    def handle(inner, exchange: Exchange) -> Answer:
        if any(char.isdigit() for char in exchange.params.get("username", "")):
            raise RuntimeError("simulated crash")
        return inner(exchange)

    mock.pipeline.wrap("handle", handle, ["getUser"])


@variant("wrong-content-type", group=FAULT, description="JSON bodies are labelled text/html")
def _wrong_content_type(mock: Mock) -> None:
    def respond(inner, exchange: Exchange, answer: Answer) -> Answer:
        return replace(inner(exchange, answer), content_type="text/html; charset=utf-8")

    mock.pipeline.wrap("respond", respond)


@variant("create-not-persisted", group=FAULT, description="create answers success but stores nothing")
def _create_not_persisted(mock: Mock) -> None:
    def handle(inner, exchange: Exchange) -> Answer:
        answer = inner(exchange)
        if 200 <= answer.status < 300:  # a flavor that validates nothing may have refused the body itself
            name = str(exchange.body["username"])
            # A server generation may store the name otherwise (2.x lower-cases it).
            stored = next((u.username for u in mock.panel.hosting.users() if u.username.lower() == name.lower()), name)
            mock.panel.hosting.delete_user(stored)
        return answer

    mock.pipeline.wrap("handle", handle, CREATES)


@variant("delete-not-deleting", group=FAULT, description="delete answers success but the account stays")
def _delete_not_deleting(mock: Mock) -> None:
    from mock_server.handlers.users import deleted

    def handle(exchange: Exchange) -> Answer:
        return deleted(mock.panel.hosting.user(exchange.params["username"]))

    mock.pipeline.replace("handle", handle, ["deleteUser"])


@variant("accept-invalid-body", group=FAULT, description="create-user accepts bodies that break the schema")
def _accept_invalid_body(mock: Mock) -> None:
    defaults = {"username": "nobody", "password": "x", "email": "x", "plan_name": "Standard plan"}

    def tolerant(inner, exchange: Exchange) -> Answer:
        body: Any = exchange.body if isinstance(exchange.body, dict) else {}
        exchange.body = {key: str(body.get(key, default)) for key, default in defaults.items()}
        try:
            answer = inner(exchange)
        except StateError:
            answer = None
        if answer is not None and 200 <= answer.status < 300:
            return answer
        # Whatever the panel (or a flavor's own checks) made of it: a success, worded as the contract's.
        created = f"Successfully added user {exchange.body['username']} password: {exchange.body['password']}"
        return Answer({"success": True, "response": {"message": created}})

    mock.pipeline.replace("validate_request", lambda exchange: None, ["createUser"])
    mock.pipeline.wrap("handle", tolerant, ["createUser"])


@variant("roles-unchecked", group=FAULT, description="a reseller may call every operation, on every account")
def _roles_unchecked(mock: Mock) -> None:
    mock.pipeline.replace("authorize", lambda exchange: None)
