"""The emulated panel: its data and the checks its login makes — everything a handler acts on.

Nothing here knows about HTTP, the contract's validation or the mock's own features; handlers get a
``Panel`` and return answers, the request pipeline (``mock_server.pipeline``) does the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar

from mock_server.panel.document import StateDocument
from mock_server.panel.hosting import Hosting
from mock_server.panel.metrics import Metrics
from mock_server.panel.notifications import NotificationLog
from mock_server.panel.passwords import PasswordVerifier
from mock_server.panel.services import Services
from mock_server.panel.tokens import TokenIssuer

Part = TypeVar("Part", bound=StateDocument)


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
    #: The endpoint groups' own state (``mock_server.panel.parts``), by class.
    parts: dict[type[StateDocument], StateDocument] = field(default_factory=dict)

    def part(self, kind: type[Part]) -> Part:
        """The group state of class ``kind``."""
        found = self.parts[kind]
        assert isinstance(found, kind)
        return found

    def reset(self) -> None:
        """Forget every change: back to the fixtures."""
        self.hosting.reset()
        self.services.reset()
        self.notifications.reset()
        for state in self.parts.values():
            state.reset()
