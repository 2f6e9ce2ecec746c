"""The shape every stateful part of the panel shares: one document in the ``Store``, a replica in memory."""

from __future__ import annotations

from contextlib import AbstractContextManager
from typing import Any

from mock_server.panel.fixtures import Fixtures
from mock_server.panel.store import Replica, Store


class StateDocument:
    """A part of the panel's state, seeded from the fixtures and resettable to them.

    A subclass names its ``DOCUMENT`` and says how it starts (``_initial``), how it is written
    (``_dump``) and read back (``_load``); its public methods read inside ``_reading()`` and change
    inside ``_writing()``, so every thread and worker process sees one consistent state.
    """

    DOCUMENT = ""

    def __init__(self, fixtures: Fixtures, store: Store | None = None) -> None:
        self._fixtures = fixtures
        self._store = store or Store()
        self._store.attach(self.DOCUMENT, Replica(self._dump, self._load, self._initial))

    def reset(self) -> None:
        """Forget every change: back to the fixtures."""
        with self._writing():
            self._load(self._initial())

    def _reading(self) -> AbstractContextManager[None]:
        return self._store.reading()

    def _writing(self) -> AbstractContextManager[None]:
        return self._store.writing(self.DOCUMENT)

    def _initial(self) -> Any:
        raise NotImplementedError

    def _dump(self) -> Any:
        raise NotImplementedError

    def _load(self, document: Any) -> None:
        raise NotImplementedError
