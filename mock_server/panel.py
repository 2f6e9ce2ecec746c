"""One mock panel instance: its contract, its state and its token issuer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mock_server.config import MockConfig
from mock_server.contract import Contract, Operation
from mock_server.server_state import Metrics, NotificationLog, ServicesState
from mock_server.state import PanelState
from mock_server.tokens import TokenIssuer


@dataclass
class Panel:
    """Everything one mock owns, kept in ``app.extensions["openpanel"]``."""

    config: MockConfig
    contract: Contract
    state: PanelState
    services: ServicesState
    notifications: NotificationLog
    metrics: Metrics
    tokens: TokenIssuer
    #: operationId → handler; a per-app copy so a fault or flavor can replace one without touching others.
    handlers: dict[str, Callable[..., tuple[Any, int]]]

    #: ``(operation, Authorization header) → administrator``, raising ``ApiError`` to refuse.
    #: A flavor may replace it to refuse the way another server generation does.
    authenticate: Callable[[Operation, str | None], str] | None = None

    def __post_init__(self) -> None:
        if self.authenticate is None:
            self.authenticate = lambda operation, header: self.tokens.subject(header)

    def reset(self) -> None:
        """Forget every change: back to the fixtures."""
        self.state.reset()
        self.services.reset()
        self.notifications.reset()
