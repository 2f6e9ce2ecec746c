"""A bounded memo for results that depend only on their key (validation verdicts, verified tokens)."""

from __future__ import annotations

import threading
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BoundedMemo(Generic[K, V]):
    """At most ``capacity`` entries; the oldest goes first, so a fuzzer's endless new inputs cannot
    grow memory while a client's repeated requests stay remembered."""

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._entries: dict[K, V] = {}
        self._lock = threading.Lock()

    def get(self, key: K, default: V | None = None) -> V | None:
        # A plain dict read is atomic under the GIL; only writers, which evict, take the lock.
        return self._entries.get(key, default)

    def put(self, key: K, value: V) -> None:
        with self._lock:
            self._entries[key] = value
            while len(self._entries) > self._capacity:
                del self._entries[next(iter(self._entries))]
