"""HTTP-level errors of the mock, each carried as a status plus a JSON body the spec documents."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

UNKNOWN_ROUTE = (
    "This api route does not exist. Please check the documentation: "
    "https://openpanel.com/docs/articles/dev-experience/openadmin-api"
)


class ApiError(Exception):
    """Raised anywhere below a view to answer ``status`` with ``body``."""

    def __init__(self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        super().__init__(body.get("error") or body.get("msg"))
        self.status = status
        self.body = body
        self.headers = headers or {}

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


def register_error_handlers(app: Flask) -> None:
    """Answer every error as JSON, keeping Werkzeug's headers (``Allow`` on 405, for instance)."""

    @app.errorhandler(ApiError)
    def _api_error(error: ApiError):
        response = jsonify(error.body)
        response.status_code = error.status
        response.headers.update(error.headers)
        return response

    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        response = error.get_response()
        message = UNKNOWN_ROUTE if error.code == 404 else error.description
        body = jsonify({"error": message})
        body.status_code = error.code or 500
        for name in ("Allow", "Retry-After"):
            if name in response.headers:
                body.headers[name] = response.headers[name]
        return body
