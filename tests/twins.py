"""Helpers for the twins' answer tests: an in-process twin that checks its own marking discipline.

Every answer to a documented operation is validated against the contract unless a deviation marked
it (``raise_on_contract_violation`` makes an unmarked bad answer raise). The other half of the
discipline is checked here: a *marked* answer must be one the contract refuses, or the mark hides
nothing but also checks nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from contract_tests.run.local_mock import DEMO_PASSWORD
from mock_server import create_app
from mock_server.answer import Answer
from mock_server.errors import ContractViolation
from mock_server.mock import Mock
from mock_server.pipeline import Exchange


@dataclass
class Twin:
    app: Flask
    client: FlaskClient
    #: Marked answers the contract would have accepted: (operation, deviation, status).
    needless_marks: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def mock(self) -> Mock:
        return self.app.extensions["openpanel"]

    def token(self, username: str = "admin") -> str:
        response = self.client.post("/api/", json={"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.json["access_token"]

    def auth(self, username: str = "admin") -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(username)}"}


def twin(flavor: str, clock: Any = None, **overrides: Any) -> Twin:
    settings: dict[str, Any] = {"flavor": flavor, "raise_on_contract_violation": True}
    settings["password_hash_method"] = "pbkdf2:sha256:1000"
    if clock is not None:
        settings["clock"] = clock
    app = create_app(**{**settings, **overrides})
    made = Twin(app, app.test_client())
    mock = made.mock

    def respond(inner: Any, exchange: Exchange, answer: Answer) -> Answer:
        if answer.deviation is not None and exchange.operation is not None:
            try:
                mock.validator.check_response(exchange.operation, exchange.params, exchange.request, answer)
            except ContractViolation:
                pass
            else:
                made.needless_marks.append((exchange.operation.operation_id, answer.deviation, answer.status))
        return inner(exchange, answer)

    mock.pipeline.wrap("respond", respond)
    return made
