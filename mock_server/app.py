"""The application factory."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from flask import Flask, jsonify, request

from mock_server.canned import CannedAnswers
from mock_server.clock import MockClock
from mock_server.config import MockConfig
from mock_server.contract import Contract
from mock_server.cors import install_cors
from mock_server.draining import install_body_drain
from mock_server.errors import register_error_handlers
from mock_server.faults import apply_faults
from mock_server.fixtures import load_fixtures
from mock_server.flavors import apply_flavor
from mock_server.panel import Panel
from mock_server.registry import HANDLERS
from mock_server.routing import build_api, request_json
from mock_server.server_state import Metrics, NotificationLog, ServicesState
from mock_server.state import PanelState
from mock_server.store import Store
from mock_server.tokens import TokenIssuer
from mock_server.validation import Validator


def create_app(config: MockConfig | None = None, **overrides: Any) -> Flask:
    """Build a mock panel: contract from ``config.spec_path``, state from ``config.fixtures_dir``.

    Keyword overrides patch single config fields, e.g. ``create_app(token_lifetime=5)``.
    """
    config = replace(config or MockConfig(), **overrides)
    store = Store(config.state_path)
    clock = MockClock(config.clock, store)
    config = replace(config, clock=clock)
    contract = Contract.from_path(config.spec_path)
    fixtures = load_fixtures(config.fixtures_dir)
    panel = Panel(
        config=config,
        contract=contract,
        state=PanelState(fixtures, clock, config.password_hash_method, store),
        services=ServicesState(fixtures, store),
        notifications=NotificationLog(fixtures, store),
        metrics=Metrics(fixtures.server, config.clock, live=config.live_metrics),
        tokens=TokenIssuer(config.jwt_secret, config.token_lifetime, config.clock),
        validator=Validator(contract.openapi),
        canned=CannedAnswers(contract, config.error_rate),
        store=store,
        handlers=dict(HANDLERS),
    )

    app = Flask("openpanel_mock")
    app.config.update(
        MAX_CONTENT_LENGTH=config.max_body_bytes,
        # Tests want a broken response to raise, not to be turned into a 500.
        PROPAGATE_EXCEPTIONS=config.raise_on_contract_violation,
    )
    app.json.sort_keys = True
    app.extensions["openpanel"] = panel
    register_error_handlers(app)
    app.register_blueprint(build_api(contract))
    _register_control_routes(app, panel)
    apply_flavor(app, config.flavor)
    apply_faults(app, config.faults)
    install_cors(app, config.cors_origins)
    install_body_drain(app)  # outermost: covers every answer given without reading the body
    logging.getLogger("openpanel_mock").setLevel(logging.INFO)
    return app


def _register_control_routes(app: Flask, panel: Panel) -> None:
    """Routes outside ``/api`` that drive the mock itself; not part of the contract."""
    clock: MockClock = panel.config.clock  # type: ignore[assignment]

    @app.post("/__mock__/reset")
    def reset():
        panel.reset()
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
