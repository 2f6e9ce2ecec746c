"""The administrator's notification log."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from mock_server.panel.document import StateDocument
from mock_server.panel.errors import NotificationNotFound
from mock_server.panel.fixtures import Notification


class NotificationLog(StateDocument):
    """The administrator's notification log; positions count from the newest, starting at 1."""

    DOCUMENT = "notifications"

    def _initial(self) -> list[dict[str, Any]]:
        return [asdict(line) for line in self._fixtures.notifications]

    def _dump(self) -> list[dict[str, Any]]:
        return [asdict(line) for line in self._lines]

    def _load(self, document: list[dict[str, Any]]) -> None:
        self._lines = [Notification(**line) for line in document]

    def newest_first(self) -> list[tuple[int, Notification]]:
        with self._reading():
            return [(position, replace(line)) for position, line in enumerate(reversed(self._lines), start=1)]

    def mark_read(self, position: int, every: bool = False) -> None:
        with self._writing():
            for line in self._lines if every else [self._at(position)]:
                line.status = "READ"

    def delete(self, position: int, every: bool = False) -> None:
        with self._writing():
            if every:
                self._lines.clear()
            else:
                self._lines.remove(self._at(position))

    def _at(self, position: int) -> Notification:
        if not 1 <= position <= len(self._lines):
            raise NotificationNotFound("Invalid line number")
        return self._lines[len(self._lines) - position]
