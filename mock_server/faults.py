"""Deliberately broken variants of the mock (``openpanel-mock --fault NAME``).

Each fault breaks the contract in one known way, so the conformance suite can be shown to catch it.
Faults that corrupt what goes over the wire wrap the WSGI app, outside the mock's own response
validation; faults in behaviour patch the panel's state or token checks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from flask import Flask

from mock_server.errors import ApiError
from mock_server.fixtures import User
from mock_server.state import PanelState
from mock_server.wsgi_patches import rewrite_json, rewrite_status, set_header

FaultFunction = Callable[[Flask], None]
FAULTS: dict[str, tuple[FaultFunction, str]] = {}


def fault(name: str, description: str) -> Callable[[FaultFunction], FaultFunction]:
    def register(function: FaultFunction) -> FaultFunction:
        FAULTS[name] = (function, description)
        return function

    return register


def apply_faults(app: Flask, names: Iterable[str]) -> None:
    for name in names:
        if name not in FAULTS:
            raise ValueError(f"unknown fault {name!r}; known: {', '.join(sorted(FAULTS))}")
        FAULTS[name][0](app)


def _panel(app: Flask):
    return app.extensions["openpanel"]


@fault("skip-auth", "protected operations answer without checking the token")
def _skip_auth(app: Flask) -> None:
    _panel(app).tokens.subject = lambda authorization: "admin"


@fault("drop-required-field", "whoami answers without its required logged_in_as")
def _drop_required_field(app: Flask) -> None:
    rewrite_json(
        app,
        lambda method, path: path == "/api/whoami",
        lambda body: {k: v for k, v in body.items() if k != "logged_in_as"},
    )


@fault("wrong-type", "plan ids are sent as strings")
def _wrong_type(app: Flask) -> None:
    def rewrite(body: Any) -> Any:
        for plan in body.get("plans", []) if isinstance(body, dict) else []:
            plan["id"] = str(plan["id"])
        return body

    rewrite_json(app, lambda method, path: path == "/api/plans", rewrite)


@fault("undocumented-status", "a missing plan answers 410 instead of 404")
def _undocumented_status(app: Flask) -> None:
    rewrite_status(
        app,
        lambda method, path: path.startswith("/api/plans/"),
        lambda status: "410 GONE" if status.startswith("404") else status,
    )


@fault("extra-status", "malformed input answers 422 instead of the documented 400 (an undocumented extra status)")
def _extra_status(app: Flask) -> None:
    rewrite_status(
        app,
        lambda method, path: path.startswith("/api/plans/"),
        lambda status: "422 UNPROCESSABLE ENTITY" if status.startswith("400") else status,
    )


@fault("server-error", "an account name with a digit crashes the single-account read (500)")
def _server_error(app: Flask) -> None:
    state: PanelState = _panel(app).state
    original = state.user

    def user(name: str) -> User:
        if any(char.isdigit() for char in name):
            raise RuntimeError("simulated crash")
        return original(name)

    state.user = user  # type: ignore[method-assign]


@fault("wrong-content-type", "JSON bodies are labelled text/html")
def _wrong_content_type(app: Flask) -> None:
    set_header(app, "Content-Type", "text/html; charset=utf-8")


@fault("create-not-persisted", "create answers success but stores nothing")
def _create_not_persisted(app: Flask) -> None:
    state: PanelState = _panel(app).state
    original = state.create_user

    def create_user(username: str, password: str, email: str, plan_name: str) -> User:
        user = original(username, password, email, plan_name)
        state.delete_user(username)
        return user

    state.create_user = create_user  # type: ignore[method-assign]


@fault("delete-not-deleting", "delete answers success but the account stays")
def _delete_not_deleting(app: Flask) -> None:
    state: PanelState = _panel(app).state
    state.delete_user = lambda name: state.user(name)  # type: ignore[method-assign]


@fault("accept-invalid-body", "create-user accepts bodies that break the schema")
def _accept_invalid_body(app: Flask) -> None:
    panel = _panel(app)
    check = panel.validator.check_request

    def check_request(operation, params, request):
        if operation.operation_id != "createUser":
            check(operation, params, request)

    panel.validator.check_request = check_request  # type: ignore[method-assign]  # this app's validator only
    create = panel.handlers["createUser"]
    defaults = {"username": "nobody", "password": "x", "email": "x", "plan_name": "Standard plan"}

    def tolerant(call):
        body = call.body if isinstance(call.body, dict) else {}
        values = {key: str(body.get(key, default)) for key, default in defaults.items()}
        try:
            return create(replace(call, body=values))
        except ApiError:
            return {"success": True, "response": {"message": "ok"}}, 200

    panel.handlers["createUser"] = tolerant
