"""The mock's notion of now: a base clock plus an offset that ``POST /__mock__/clock`` moves.

The offset is part of the shared state, so every worker process agrees on the time (a token one
worker sees as expired is expired for all of them).
"""

from __future__ import annotations

from collections.abc import Callable

from mock_server.panel.store import Replica, Store


class MockClock:
    DOCUMENT = "clock"

    def __init__(self, base: Callable[[], float], store: Store | None = None) -> None:
        self.base = base
        self._offset = 0.0
        self._store = store or Store()
        self._store.attach(self.DOCUMENT, Replica(self._dump, self._load, lambda: {"offset": 0.0}))

    def __call__(self) -> float:
        with self._store.reading():
            return self.base() + self._offset

    def on_base(self, moment: float) -> float:
        """When the base clock will read ``moment`` of this clock, as long as the offset stays as it is."""
        with self._store.reading():
            return moment - self._offset

    def advance(self, seconds: float) -> float:
        """Move time forward by ``seconds``; answers the new now."""
        with self._store.writing(self.DOCUMENT):
            self._offset += seconds
            return self.base() + self._offset

    def _dump(self) -> dict[str, float]:
        return {"offset": self._offset}

    def _load(self, document: dict[str, float]) -> None:
        self._offset = float(document["offset"])
