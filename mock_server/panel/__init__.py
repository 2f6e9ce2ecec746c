"""The emulated panel: its data and the checks its login makes — everything a handler acts on.

Nothing here knows about HTTP, the contract's validation or the mock's own features; handlers get a
``Panel`` and return answers, the request pipeline (``mock_server.pipeline``) does the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mock_server.panel.hosting import Hosting
from mock_server.panel.metrics import Metrics
from mock_server.panel.notifications import NotificationLog
from mock_server.panel.passwords import PasswordVerifier
from mock_server.panel.services import Services
from mock_server.panel.tokens import TokenIssuer


@dataclass
class Panel:
    """One emulated OpenPanel server."""

    #: Hosting accounts, plans, domains, and the administrators who may log in.
    hosting: Hosting
    services: Services
    notifications: NotificationLog
    metrics: Metrics
    tokens: TokenIssuer
    passwords: PasswordVerifier = field(default_factory=PasswordVerifier)

    def reset(self) -> None:
        """Forget every change: back to the fixtures."""
        self.hosting.reset()
        self.services.reset()
        self.notifications.reset()
