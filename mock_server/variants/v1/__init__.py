"""The flavor ``v1``: a twin of the Python/Flask OpenAdmin of 2024 (OpenPanel 0.2.8-0.2.9, DEV24).

Flask does the routing (a Werkzeug ``Map`` of the routes that existed then: strict slashes, HTML
404/405 pages, a 308 for ``/api``, automatic OPTIONS and HEAD), flask-jwt-extended the token checks
(``flask_jwt``), ``request.get_json()`` the body; after that the contract's own checks and handlers
stand in for the closed-source views, with the answers the facts sheet records for 2024 (CLI
failures as 500, a suspended account that cannot be deleted, the partition list under
``/api/usage/disk``). Every deviation is listed in ``deviations``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.routing import Map, RequestRedirect, Rule

from contract_model import is_suspended
from mock_server.answer import Answer
from mock_server.errors import API_DISABLED, ApiError
from mock_server.handlers import HANDLERS as CONTRACT_HANDLERS
from mock_server.handlers.registry import Call
from mock_server.handlers.users import user_row
from mock_server.mock import Mock
from mock_server.panel.errors import AlreadyInState, PlanNotFound, StateError, UserExists, UserNotFound
from mock_server.pipeline import Exchange
from mock_server.variants import depart, depart_unless_documented, refuse_instead, twin
from mock_server.variants.twins import documented_operation, install_common_stages
from mock_server.variants.v1.deviations import (
    CLI_FAILURES_500,
    DELETE_SUSPENDED_REFUSED,
    DISK_USAGE_PARTITIONS,
    FLASK_OPTIONS,
    HTML_404,
    HTML_405,
    JWT_422,
    SLASHLESS_308,
    V1,
    WERKZEUG_JSON,
)
from mock_server.variants.v1.flask_jwt import JwtRequired, Refusal

__all__ = ["V1"]

#: The 2024 routes (DEV24; facts §0.1 up to 0.2.8), as Flask rules → the contract's operation.
ROUTES: tuple[tuple[str, str, str], ...] = (
    ("/api/", "GET", "getApiStatus"),
    ("/api/", "POST", "login"),
    ("/api/whoami", "GET", "whoami"),
    ("/api/users", "GET", "listUsers"),
    ("/api/users", "POST", "createUser"),
    ("/api/users/<username>", "GET", "getUser"),
    ("/api/users/<username>", "PUT", "changeUserPlan"),
    ("/api/users/<username>", "PATCH", "modifyUser"),
    ("/api/users/<username>", "DELETE", "deleteUser"),
    ("/api/users/<username>", "CONNECT", "autologinConnect"),
    ("/api/plans", "GET", "listPlans"),
    ("/api/plans/<int:plan_id>", "GET", "getPlan"),
    ("/api/ips", "GET", "listDedicatedIps"),
    ("/api/usage", "GET", "listUsageEndpoints"),
    ("/api/usage/stats", "GET", "getUsageStats"),
    ("/api/usage/cpu", "GET", "getCpuUsage"),
    ("/api/usage/memory", "GET", "getMemoryUsage"),
    ("/api/usage/disk", "GET", "getUserDiskUsage"),
    ("/api/system", "GET", "getSystemInfo"),
    ("/api/services", "GET", "listServices"),
    ("/api/services", "PUT", "replaceServices"),
    ("/api/services/status", "GET", "getServicesStatus"),
    # DEV24 lists /api/service/start/<name>, /restart/… and /stop/… as three routes.
    ("/api/service/<any(start, stop, restart):action>/<service_name>", "POST", "controlService"),
    ("/api/docker/info", "GET", "getDockerInfo"),
    ("/api/docker/context", "GET", "getDockerContext"),
)
#: Views that read a JSON body with ``request.get_json()``.
JSON_BODIES = {"login", "createUser", "changeUserPlan", "modifyUser", "replaceServices"}
#: What the CLI-backed views answer when the command failed (the Go port kept these texts).
COMMAND_ERRORS = {
    "changeUserPlan": "Error changing plan for user: exit status 1",
    "deleteUser": "Error executing command: exit status 1",
}


@twin(V1)
def install(mock: Mock) -> None:
    install_common_stages(mock)
    url_map = Map([Rule(path, methods=[method, "OPTIONS"], endpoint=op) for path, method, op in ROUTES])
    tokens = JwtRequired(mock.config.jwt_secret, mock.config.clock)
    pipeline = mock.pipeline
    pipeline.replace("route", lambda exchange: _route(mock, url_map, exchange))
    pipeline.wrap("authenticate", lambda inner, exchange: _authenticate(tokens, exchange))
    pipeline.wrap("validate_request", _get_json)
    pipeline.wrap("handle", lambda inner, exchange: _delete(mock, inner, exchange), ["deleteUser"])
    partitions = lambda exchange: depart(Answer(mock.panel.metrics.partitions()), DISK_USAGE_PARTITIONS)  # noqa: E731
    pipeline.replace("handle", partitions, ["getUserDiskUsage"])
    pipeline.replace("handle", lambda exchange: _endpoint_list(mock, exchange), ["listUsageEndpoints"])
    pipeline.replace("handle", lambda exchange: _user_rows(mock, exchange), ["getUser"])
    _cli_failures(mock)
    pipeline.wrap("respond", _pretty)


def _route(mock: Mock, url_map: Map, exchange: Exchange) -> Answer | None:
    request = exchange.request
    if mock.config.api_disabled:  # no fact says otherwise: the 2.x text (spec/DECISIONS.md, 1.x flavor)
        return ApiError.app(404, API_DISABLED).answer()
    operation, params = documented_operation(mock, request)
    adapter = url_map.bind_to_environ(request.environ)
    try:
        endpoint, values = adapter.match()
    except RequestRedirect as redirect:
        exchange.operation = operation
        return depart_unless_documented(_page(redirect, request.environ), SLASHLESS_308, operation)
    except MethodNotAllowed as refusal:
        exchange.operation = operation
        if request.method == "OPTIONS":  # Flask answers OPTIONS itself wherever the path routes
            allowed = ", ".join(refusal.valid_methods or [])
            return depart(
                Answer(status=200, raw=b"", content_type="text/html; charset=utf-8", headers={"Allow": allowed}),
                FLASK_OPTIONS,
            )
        return depart(_page(refusal, request.environ), HTML_405)
    except HTTPException as refusal:
        exchange.operation = operation
        return depart(_page(refusal, request.environ), HTML_404)
    if request.method == "OPTIONS":
        allowed = ", ".join(adapter.allowed_methods())
        return depart(
            Answer(status=200, raw=b"", content_type="text/html; charset=utf-8", headers={"Allow": allowed}),
            FLASK_OPTIONS,
        )
    exchange.operation = mock.contract.by_id[str(endpoint)]
    exchange.params = {**params, **{name: str(value) for name, value in values.items()}}
    return None


def _page(error: HTTPException, environ: dict[str, Any]) -> Answer:
    """Werkzeug's own response for ``error`` (its HTML page, its headers)."""
    response = error.get_response(environ)
    headers = {
        name: value for name, value in response.headers.items() if name not in ("Content-Type", "Content-Length")
    }
    return Answer(
        status=response.status_code, raw=response.get_data(), content_type=response.content_type or "", headers=headers
    )


def _authenticate(tokens: JwtRequired, exchange: Exchange) -> Answer | None:
    assert exchange.operation is not None
    if not exchange.operation.secured:
        return None
    try:
        exchange.admin = tokens.identity(exchange.request.headers.get("Authorization"))
    except Refusal as refusal:
        answer = Answer({"msg": refusal.message}, refusal.status)
        return answer if refusal.status == 401 else depart(answer, JWT_422)
    return None


def _get_json(inner: Any, exchange: Exchange) -> Answer | None:
    """``request.get_json()`` first (Werkzeug's HTML 415/400), then the contract's checks stand in for
    the view's own, which no source shows."""
    if exchange.operation_id in JSON_BODIES:
        try:
            exchange.request.get_json()
        except HTTPException as refusal:
            return depart(_page(refusal, exchange.request.environ), WERKZEUG_JSON)
    return inner(exchange)


def _delete(mock: Mock, inner: Any, exchange: Exchange) -> Answer:
    """The 2024 ``user-delete`` could not delete a suspended account (by either name)."""
    try:
        user = mock.panel.hosting.user(exchange.params["username"])
    except UserNotFound:
        return inner(exchange)  # the command fails: CLI_FAILURES_500
    if is_suspended(user.username):
        return depart(Answer({"error": COMMAND_ERRORS["deleteUser"], "success": False}, 500), DELETE_SUSPENDED_REFUSED)
    return inner(exchange)


def _cli_failures(mock: Mock) -> None:
    def answer(exchange: Exchange, error: StateError) -> Answer:
        message = COMMAND_ERRORS.get(exchange.operation_id or "")
        if exchange.operation_id == "modifyUser":
            action = (
                exchange.body.get("action")
                if isinstance(exchange.body, dict) and not exchange.body.get("password")
                else None
            )
            message = f"Error {action}ing user: exit status 1" if action else "Error executing command: exit status 1"
        return depart(Answer({"error": message or str(error), "success": False}, 500), CLI_FAILURES_500)

    refuse_instead(
        mock,
        ["createUser", "modifyUser", "changeUserPlan", "deleteUser"],
        (UserExists, PlanNotFound, AlreadyInState, UserNotFound),
        answer,
    )


def _endpoint_list(mock: Mock, exchange: Exchange) -> Answer:
    """The 0.2.8 endpoint list (its shape is shown nowhere): the contract's list, reduced to the 2024 routes."""
    answer = CONTRACT_HANDLERS["listUsageEndpoints"](_call(mock, exchange))
    served = {(method, _contract_path(mock, op)) for _, method, op in ROUTES}
    endpoints = [e for e in answer.payload["endpoints"] if (e["method"], e["path"]) in served]
    return Answer({"endpoints": endpoints})


def _user_rows(mock: Mock, exchange: Exchange) -> Answer:
    """The seed document's single account: the list's row form, one row (ROWS_FORM)."""
    hosting = mock.panel.hosting
    return Answer({"users": [user_row(hosting.user(exchange.params["username"]), hosting)]})


def _contract_path(mock: Mock, operation_id: str) -> str:
    return mock.contract.by_id[operation_id].path


def _call(mock: Mock, exchange: Exchange) -> Call:
    request = exchange.request
    return Call(
        exchange.params,
        {},
        None,
        exchange.admin,
        principal=exchange.principal,
        panel=mock.panel,
        contract=mock.contract,
        host=request.host,
        scheme=request.scheme,
    )


def _pretty(inner: Any, exchange: Exchange, answer: Answer) -> Answer:
    answer = inner(exchange, answer)
    return replace(answer, encoding="flask-pretty") if answer.raw is None and answer.encoding == "flask" else answer
