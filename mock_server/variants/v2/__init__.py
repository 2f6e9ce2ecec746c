"""The flavor ``v2``: a twin of the OpenAdmin 2.x (Go) server, built route by route from its source.

A request takes the Go server's path (NOTES §1): its ``ServeMux`` routes it (``mux``), the API gate
and the route's middleware run (``auth.guard``), and the route's handler answers (``users``,
``plans``, ``domains``, ``system``, over the ``opencli`` commands), reading the body as
``encoding/json`` does (``gojson``) — there is no schema validation. The contract's operation is
still looked up for every request, so that each answer the contract documents is validated unless
a deviation (``deviations``, the one list of them) marked it.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from email.utils import formatdate
from typing import Any

from mock_server.answer import Answer
from mock_server.errors import API_DISABLED, UNKNOWN_ROUTE
from mock_server.mock import Mock
from mock_server.panel.fixtures import Fixtures
from mock_server.pipeline import Exchange
from mock_server.variants import depart, depart_unless_documented, twin
from mock_server.variants.twins import FlavorFiles, accepted_off_contract, documented_operation, install_common_stages
from mock_server.variants.v2 import auth, domains, mux, plans, system, unmodelled, users
from mock_server.variants.v2.context import HANDLERS, TEXT_404, Go, error
from mock_server.variants.v2.deviations import (
    CONNECT_NOT_ROUTED,
    NO_405,
    NO_SCHEMA_VALIDATION,
    PATH_CLEANING,
    SLASHLESS_API,
    V2,
)
from mock_server.variants.v2.gojson import decode_first
from mock_server.variants.v2.unmodelled import by_contract

__all__ = ["V2", "auth", "domains", "plans", "system", "users"]

CSRF_ERROR = {"error": "CSRF error", "message": "CSRF token missing or incorrect."}
#: gorilla/csrf v1.7.3: what passes without a token.
SAFE_METHODS = {"GET", "HEAD", "OPTIONS", "TRACE"}
#: The panel's own "Page not found" page (errors.go renderErrorPage; its template is not reproduced).
HTML_404 = Answer(
    status=404,
    raw=b"<!DOCTYPE html>\n<html><head><title>404</title></head><body><h2>Page not found</h2></body></html>\n",
    content_type="text/html; charset=utf-8",
)


def _files(fixtures: Fixtures) -> dict[str, Any]:
    return {
        "suspended_domains": [d.domain_url for d in fixtures.domains if d.suspended],
        "services_off_contract": False,
    }


@twin(V2)
def install(mock: Mock) -> None:
    go = Go(
        mock, FlavorFiles("v2-files", _files, mock), FlavorFiles("v2-login-limiter", lambda _: {"buckets": {}}, mock)
    )
    install_common_stages(mock)
    pipeline = mock.pipeline
    pipeline.replace("route", lambda exchange: _route(go, exchange))
    pipeline.replace("authenticate", lambda exchange: auth.guard(go, exchange))
    _unless_unmodelled(mock, "parse", _parse)
    _unless_unmodelled(mock, "validate_request", lambda exchange: None)  # the Go server validates nothing
    _unless_unmodelled(mock, "handle", lambda exchange: _handle(go, exchange))
    pipeline.wrap("respond", _encode)


def _unless_unmodelled(mock: Mock, name: str, stage: Any) -> None:
    """``stage`` instead of the contract's, except where the contract answers (``unmodelled``)."""
    mock.pipeline.wrap(name, lambda inner, exchange: inner(exchange) if by_contract(exchange) else stage(exchange))


def _route(go: Go, exchange: Exchange) -> Answer | None:
    request = exchange.request
    exchange.operation, exchange.params = documented_operation(go.mock, request)
    if request.path == "/api":  # not under /api/: the CSRF layer and the static-file route
        return _slashless(exchange)
    found = unmodelled.route(go.mock.contract, exchange) or mux.find(
        request.method, request.path, request.query_string.decode("latin-1")
    )
    if isinstance(found, mux.Redirect):
        return depart_unless_documented(_redirect(request.method, found.location), PATH_CLEANING, exchange.operation)
    if go.mock.config.api_disabled:  # RequireAPIFeatureEnabled, or NotFoundHandler's own check
        exchange.operation = None  # not an operation's answer (spec/DECISIONS.md #60)
        return error(404, API_DISABLED)
    if found is None:
        name = CONNECT_NOT_ROUTED if request.method == "CONNECT" else NO_405
        return depart_unless_documented(error(404, UNKNOWN_ROUTE), name, exchange.operation)
    exchange.route = found
    return None


def _slashless(exchange: Exchange) -> Answer:
    method = exchange.request.method
    cookie = {"Set-Cookie": _csrf_cookie(), "Vary": "Cookie"}
    if method in ("GET", "HEAD"):
        return depart(replace(TEXT_404, headers={**TEXT_404.headers, **cookie}), SLASHLESS_API)
    if method in SAFE_METHODS:
        return depart(HTML_404, SLASHLESS_API)
    answer = Answer(CSRF_ERROR, 400, headers={"Set-Cookie": _csrf_cookie()})
    return depart_unless_documented(answer, SLASHLESS_API, exchange.operation)


def _csrf_cookie() -> str:
    expires = formatdate(usegmt=True)
    return (
        f"_gorilla_csrf={secrets.token_urlsafe(48)}; Path=/; Expires={expires}; Max-Age=43200; HttpOnly; SameSite=Lax"
    )


def _redirect(method: str, location: str) -> Answer:
    """``http.Redirect`` with 301: an HTML link for GET, headers only otherwise."""
    if method == "GET":
        body = f'<a href="{location}">Moved Permanently</a>.\n\n'.encode()
        return Answer(status=301, raw=body, content_type="text/html; charset=utf-8", headers={"Location": location})
    return Answer(status=301, raw=b"", content_type="", headers={"Location": location})


def _parse(exchange: Exchange) -> None:
    # Every handler that reads a body decodes the first JSON value, whatever the Content-Type says;
    # each handler then decides what a failure means (gojson.UNDECODABLE).
    exchange.body = decode_first(exchange.request.get_data(cache=True))


def _handle(go: Go, exchange: Exchange) -> Answer:
    if exchange.route is None:  # only when a fault replaced the route stage's work
        return TEXT_404
    answer = HANDLERS[exchange.route.route.handler](go, exchange)
    return accepted_off_contract(go.mock, exchange, answer, NO_SCHEMA_VALIDATION)


def _encode(inner: Any, exchange: Exchange, answer: Answer) -> Answer:
    answer = inner(exchange, answer)
    if answer.raw is None and answer.encoding == "flask":
        return replace(answer, encoding="go")
    return answer
