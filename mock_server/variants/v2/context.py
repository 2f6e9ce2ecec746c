"""What every 2.x handler works with, and the few answer shapes the Go handlers share."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mock_server.answer import Answer
from mock_server.mock import Mock
from mock_server.panel.hosting import Hosting
from mock_server.pipeline import Exchange
from mock_server.variants.twins import FlavorFiles


@dataclass
class Go:
    """One 2.x twin: the mock whose panel it acts on, and the server files the panel model lacks."""

    mock: Mock
    #: ``suspended_domains``: domains with a copy in /etc/openpanel/caddy/suspended_domains/;
    #: ``off_contract``: what a request the contract refuses has stored (``plans``: ids, ``services``).
    files: FlavorFiles
    #: The login limiter's buckets by client address (in the Go process's memory; shared here by the
    #: mock's workers).
    limiter: FlavorFiles

    @property
    def hosting(self) -> Hosting:
        return self.mock.panel.hosting

    def now(self) -> float:
        return self.mock.config.clock()


Handler = Callable[[Go, Exchange], Answer]
#: Handler name (``GoRoute.handler``) → the twin's handler.
HANDLERS: dict[str, Handler] = {}


def handles(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        HANDLERS[name] = handler
        return handler

    return register


def error(status: int, message: str) -> Answer:
    """``writeJSONError`` (login.go): ``{"error": message}``."""
    return Answer({"error": message}, status)


def failure(message: str, status: int = 500) -> Answer:
    """A failed command as the handlers write it: ``{"error": …, "success": false}``."""
    return Answer({"error": message, "success": False}, status)


def created(message: str) -> Answer:
    """The account handlers' success: 201 ``{"response": {"message": …}, "success": true}``."""
    return Answer({"response": {"message": message}, "success": True}, 201)


#: ``http.NotFound``: Go's own plain-text page.
TEXT_404 = Answer(
    status=404,
    raw=b"404 page not found\n",
    content_type="text/plain; charset=utf-8",
    headers={"X-Content-Type-Options": "nosniff"},
)


def params(exchange: Exchange) -> dict[str, Any]:
    """The Go route's path values (``r.PathValue``)."""
    return exchange.route.params if exchange.route is not None else {}
