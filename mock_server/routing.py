"""Binds every operation of the contract to its handler: the only place that knows about HTTP flow.

Per request: authenticate (if the operation needs a token) → validate the request → run the handler.
Every answer of a known operation, errors included, is then validated against the contract in
``check_response``.
"""

from __future__ import annotations

import json
import logging
import random
import time
from typing import Any

from flask import Blueprint, Flask, Request, Response, current_app, g, jsonify, request
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, RequestRedirect, Rule

from mock_server import handlers  # noqa: F401  (registers the handlers)
from mock_server.contract import Contract, Operation
from mock_server.errors import ApiError, ContractViolation
from mock_server.registry import HANDLERS, Call

log = logging.getLogger("openpanel_mock")


def build_api(contract: Contract) -> Blueprint:
    """A blueprint with one URL rule per documented operation, named by its ``operationId``."""
    missing = [op.operation_id for op in contract.operations if op.operation_id not in HANDLERS]
    if missing:
        raise RuntimeError(f"operations without a handler: {', '.join(missing)}")
    blueprint = Blueprint("api", __name__)
    connect_rules = []
    for operation in contract.operations:
        if operation.method == "connect":
            connect_rules.append(Rule(operation.flask_rule, endpoint=operation.operation_id, methods=["CONNECT"]))
            continue
        blueprint.add_url_rule(
            operation.flask_rule,
            endpoint=operation.operation_id,
            view_func=_view(operation),
            methods=[operation.method.upper()],
            strict_slashes=True,
        )
    connect_map = Map(connect_rules)

    @blueprint.before_app_request
    def _no_slash_redirects() -> None:
        # Documented paths are exact: ``GET /api`` is a method the path lacks (405), not a
        # redirect to ``/api/``; ``/api/whoami/`` is no route at all (404).
        if isinstance(request.routing_exception, RequestRedirect):
            adapter = current_app.url_map.bind_to_environ(request.environ)
            methods = adapter.allowed_methods(request.path)
            raise MethodNotAllowed(valid_methods=methods) if methods else NotFound()

    @blueprint.before_app_request
    def _dispatch_connect() -> Response | None:
        # CONNECT is routed outside the URL map so that ``Allow`` headers list only the methods
        # the spec can document.
        if request.method != "CONNECT":
            return None
        adapter = connect_map.bind_to_environ(request.environ)
        try:
            endpoint, params = adapter.match(method="CONNECT")
        except Exception:
            return None  # let the normal router answer 404/405
        return _serve(contract.by_id[endpoint], params)

    @blueprint.after_app_request
    def _check(response: Response) -> Response:
        return check_response(response)

    return blueprint


def _view(operation: Operation):
    def view(**params: str) -> Response:
        return _serve(operation, params)

    view.__name__ = operation.operation_id
    return view


def _serve(operation: Operation, params: dict[str, str]) -> Response:
    app = current_app
    panel = app.extensions["openpanel"]
    g.contract_call = (operation, params)
    low, high = panel.config.latency_ms
    if high > 0:
        time.sleep(random.uniform(low, high) / 1000)
    try:
        canned = panel.canned.for_request(operation, request.headers.get("Prefer"))
    except ApiError:
        g.contract_deviation = "prefer"  # a refused Prefer header is the mock's own answer, not the API's
        raise
    if canned is not None:
        payload, status, headers = canned
        response = _json(payload, status)
        response.headers.update(headers)
        return response
    admin = panel.authenticate(operation, request.headers.get("Authorization")) if operation.secured else None
    body = request_json(request)
    panel.validator.check_request(operation, params, request)
    call = Call(
        params=params,
        query=request.args.to_dict(),
        body=body,
        admin=admin,
        panel=panel,
        host=request.host.rsplit(":", 1)[0] if not request.host.endswith("]") else request.host,
        scheme=request.scheme,
    )
    payload, status = panel.handlers[operation.operation_id](call)
    return _json(payload, status)


def request_json(request: Request) -> Any:
    """The request body as JSON, parsed once for the handler (validation judges the same bytes).

    Reading it enforces ``MAX_CONTENT_LENGTH`` (413) before anything parses. JSON nested deeper than
    Python's recursion limit makes every JSON parser here raise ``RecursionError``: it is answered as
    the malformed input it is, before validation, instead of a 500. Anything else that does not
    parse is left to validation, which words the error.
    """
    data = request.get_data(cache=True)
    if not data or not request.is_json:
        return None
    try:
        return json.loads(data)
    except RecursionError:
        too_deep = "Invalid JSON format: the body is nested too deeply"
        raise ApiError.app(400, too_deep, field="body", rule="json") from None
    except ValueError:
        return None


def _json(payload: Any, status: int) -> Response:
    response = jsonify(payload)
    response.status_code = status
    return response


def check_response(response: Response) -> Response:
    """Validate the answer of a documented operation; a violation is the mock's bug, said loudly."""
    contract_call = g.pop("contract_call", None)
    if contract_call is None or g.get("contract_deviation"):
        # Not a documented operation, or a flavor answering differently from the contract on purpose.
        return response
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    panel = app.extensions["openpanel"]
    try:
        panel.validator.check_response(*contract_call, request, response)
    except ContractViolation as violation:
        if panel.config.raise_on_contract_violation:
            raise
        log.error("contract violation: %s", violation)
        return _json({"error": f"The mock broke its own contract (a bug in the mock): {violation}"}, 500)
    return response
