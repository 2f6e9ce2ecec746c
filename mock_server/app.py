"""The application factory: a Flask app whose API requests go through the contract's pipeline."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import Any

from flask import Flask, Request, Response, jsonify, request

from contract_model import Contract
from mock_server.answer_cache import AnswerCache
from mock_server.config import DEFAULT_FIXTURES, MockConfig
from mock_server.cors import install_cors
from mock_server.errors import register_error_handlers
from mock_server.handlers import HANDLERS
from mock_server.handlers.registry import VOLATILE
from mock_server.mock import Mock
from mock_server.panel import Panel
from mock_server.panel.clock import MockClock
from mock_server.panel.fixtures import load_fixtures
from mock_server.panel.hosting import Hosting
from mock_server.panel.metrics import Metrics
from mock_server.panel.notifications import NotificationLog
from mock_server.panel.parts import PARTS
from mock_server.panel.services import Services
from mock_server.panel.store import Store
from mock_server.panel.tokens import TokenIssuer
from mock_server.pipeline import Pipeline
from mock_server.pipeline.parsing import request_json
from mock_server.pipeline.stages import StandardStages
from mock_server.variants import load_all


def create_app(config: MockConfig | None = None, **overrides: Any) -> Flask:
    """Build a mock panel: contract from ``config.spec_path``, state from ``config.fixtures_dir``.

    Keyword overrides patch single config fields, e.g. ``create_app(token_lifetime=5)``.
    """
    config = replace(config or MockConfig(), **overrides)
    mock = build_mock(config)

    app = Flask("openpanel_mock")
    app.config.update(
        # The flavor may have changed it (real servers of both generations set no limit).
        MAX_CONTENT_LENGTH=mock.config.max_body_bytes,
        # Tests want a broken response to raise, not to be turned into a 500.
        PROPAGATE_EXCEPTIONS=config.raise_on_contract_violation,
    )
    app.json.sort_keys = True
    app.extensions["openpanel"] = mock
    register_error_handlers(app)

    @app.before_request
    def _api() -> Response | None:
        # Every /api request, whatever its method, is the pipeline's: it routes from the contract.
        return mock.serve(request) if _is_api(request) else None

    _register_control_routes(app, mock)
    # Transport-level middleware: CORS preflights before anything routes.
    install_cors(app, config.cors_origins, mock.contract.methods)
    if mock.keepable:  # outermost: a kept answer is sent without Flask seeing the request
        clock = mock.config.clock
        assert isinstance(clock, MockClock)
        app.wsgi_app = AnswerCache(app.wsgi_app, mock.store.version, clock.base)  # type: ignore[method-assign]
    logging.getLogger("openpanel_mock").setLevel(logging.INFO)
    return app


def build_mock(config: MockConfig) -> Mock:
    """The contract, the panel from the fixtures, the pipeline, and the flavor's and faults' variants."""
    store = Store(config.state_path)
    clock = MockClock(config.clock, store)
    config = replace(config, clock=clock)
    contract = Contract.load(config.spec_path)
    fixtures = load_fixtures(config.fixtures_dir, overlay=flavor_fixtures(config))
    panel = Panel(
        hosting=Hosting(fixtures, clock, config.password_hash_method, store),
        services=Services(fixtures, store),
        notifications=NotificationLog(fixtures, store),
        metrics=Metrics(fixtures.server, clock, live=config.live_metrics),
        tokens=TokenIssuer(config.jwt_secret, config.token_lifetime, clock),
        # Importing the handlers registered every group's state part.
        parts={cls: cls(fixtures, store) for cls in PARTS},
    )
    missing = [op.operation_id for op in contract.operations if op.operation_id not in HANDLERS]
    if missing:
        raise RuntimeError(f"operations without a handler: {', '.join(missing)}")
    stages = StandardStages(config, contract, panel, HANDLERS)
    pipeline = Pipeline(stages.as_dict(), contract.by_id)
    mock = Mock(config, contract, panel, pipeline, stages.router, store, stages.validator)
    variants = load_all()
    variants.apply_flavor(mock, config.flavor)
    variants.apply_faults(mock, config.faults)
    mock.keepable = keepable_operations(contract, config)
    return mock


def keepable_operations(contract: Contract, config: MockConfig) -> frozenset[str]:
    """The reads whose answers depend on nothing but the request and the state."""
    if config.latency_ms[1] > 0 or config.error_rate > 0 or config.live_metrics or not config.answer_cache:
        return frozenset()
    return frozenset(
        op.operation_id
        for op in contract.operations
        if op.method == "GET" and op.safety == "read" and op.operation_id not in VOLATILE
    )


def flavor_fixtures(config: MockConfig) -> Path | None:
    """The built-in fixtures of a server generation (``fixtures/<flavor>/``: its installer's plans, its
    stock files), laid over the shared ones; ``None`` when the user chose a fixtures directory."""
    overlay = DEFAULT_FIXTURES / config.flavor
    return overlay if config.fixtures_dir == DEFAULT_FIXTURES and overlay.is_dir() else None


def _is_api(request: Request) -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def _register_control_routes(app: Flask, mock: Mock) -> None:
    """Routes outside ``/api`` that drive the mock itself; not part of the contract."""
    clock = mock.config.clock
    assert isinstance(clock, MockClock)

    @app.post("/__mock__/reset")
    def reset():
        mock.reset()
        return jsonify({"message": "state reset to fixtures"})

    @app.post("/__mock__/clock")
    def move_clock():
        """Move the mock's clock forward (e.g. past a token's expiry): ``{"advance": seconds}``."""
        body = request_json(request)
        advance = body.get("advance") if isinstance(body, dict) else None
        if not isinstance(advance, int | float) or isinstance(advance, bool) or not 0 <= advance <= 10 * 365 * 86400:
            return jsonify({"error": 'send {"advance": seconds}, 0 to 315360000'}), 400
        return jsonify({"now": clock.advance(float(advance))})

    @app.get("/__mock__/health")
    def health():
        return jsonify({"status": "ok"})

    @app.get("/__mock__/state")
    def state():
        """Every account (as stored, ``SUSPENDED_`` prefix included), plan and domain: what a test
        needs to assert that a run left nothing behind, whatever the flavor's own listings show."""
        hosting = mock.panel.hosting
        return jsonify(
            {
                "users": [user.username for user in hosting.users()],
                "plans": [{"id": plan.id, "name": plan.name} for plan in hosting.plans()],
                "domains": [domain.domain_url for domain, _ in hosting.domains()],
            }
        )
