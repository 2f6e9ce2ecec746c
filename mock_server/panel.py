"""One mock panel instance: its contract, its state and its token issuer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from mock_server.canned import CannedAnswers
from mock_server.config import MockConfig
from mock_server.contract import Contract, Operation
from mock_server.passwords import PasswordVerifier
from mock_server.server_state import Metrics, NotificationLog, ServicesState
from mock_server.state import PanelState
from mock_server.store import Store
from mock_server.tokens import TokenIssuer
from mock_server.validation import Validator


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
    validator: Validator
    #: Documented examples on request (``Prefer``) or by chance (``--error-rate``).
    canned: CannedAnswers
    #: Where ``state``, ``services``, ``notifications`` and the clock keep their documents.
    store: Store
    #: operationId → handler; a per-app copy so a fault or flavor can replace one without touching others.
    handlers: dict[str, Callable[..., tuple[Any, int]]]
    passwords: PasswordVerifier = field(default_factory=PasswordVerifier)

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
