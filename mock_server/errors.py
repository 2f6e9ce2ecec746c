"""HTTP-level errors of the mock, each carried as a status plus a JSON body the spec documents."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from mock_server.answer import Answer

UNKNOWN_ROUTE = (
    "This api route does not exist. Please check the documentation: "
    "https://openpanel.com/docs/articles/dev-experience/openadmin-api"
)

#: What every ``/api`` route answers (404, before authentication) while the panel's API is switched off
#: (facts §1.2; spec/DECISIONS.md #60).
API_DISABLED = "API access is disabled! To enable api access OpenAdmin > Settings"


class ApiError(Exception):
    """Raised by any stage of the request pipeline to answer ``status`` with ``body`` at once."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        super().__init__(body.get("error") or body.get("msg"))
        self.status = status
        self.body = body
        self.headers = headers or {}

    def answer(self, deviation: str | None = None) -> Answer:
        return Answer(self.body, self.status, self.headers, deviation=deviation)

    @classmethod
    def app(cls, status: int, message: str, **extra: Any) -> ApiError:
        """An application-level ``{"error": ...}`` body."""
        return cls(status, {"error": message, **extra})

    @classmethod
    def command(cls, status: int, message: str) -> ApiError:
        """A failed panel command: ``{"success": false, "error": ...}``."""
        return cls(status, {"success": False, "error": message})


class ContractViolation(Exception):
    """The mock produced a response its own contract forbids: always a bug in the mock."""


def http_error(error: HTTPException) -> ApiError:
    """Werkzeug's HTTP error (404, 405, 413 …) as the API words it, keeping ``Allow`` and ``Retry-After``."""
    headers = error.get_response().headers
    kept = {name: headers[name] for name in ("Allow", "Retry-After") if name in headers}
    message = UNKNOWN_ROUTE if error.code == 404 else str(error.description)
    return ApiError(error.code or 500, {"error": message}, kept)


def register_error_handlers(app: Flask) -> None:
    """Answer every error outside the API pipeline (control routes, unknown paths, crashes) as JSON."""

    @app.errorhandler(ApiError)
    def _api_error(error: ApiError):
        response = jsonify(error.body)
        response.status_code = error.status
        response.headers.update(error.headers)
        return response

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        return _api_error(http_error(error))
