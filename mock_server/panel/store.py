"""Where a mock's changing state lives: JSON documents in one SQLite database.

Every stateful part of the mock (accounts, services, notifications, the clock's offset) keeps a
*replica* in memory, for reads at dictionary speed, and one document in the store. A write runs
inside ``BEGIN IMMEDIATE`` — SQLite's lock, which holds across threads *and* worker processes —
after catching the replica up with writes other processes committed; it saves the replica's new
document before committing. A read only asks SQLite whether anyone else committed since
(``PRAGMA data_version``, a few microseconds) and reloads the documents that changed.

Without a path the database is private to one process (``:memory:``); the CLI gives its workers a
file, temporary unless ``--state-file`` names one that outlives the server.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: Changes whenever the layout of the database or of a document changes incompatibly.
FORMAT = "openpanel-mock-state/1"


class StoreError(Exception):
    """The state file cannot be used (not SQLite, another program's, unreadable)."""


@dataclass
class Replica:
    """How one part of the state turns into a document and back."""

    #: The document now; the store serialises it at once, so it may share the replica's objects.
    dump: Callable[[], Any]
    load: Callable[[Any], None]
    #: The document for a panel that nobody has changed yet.
    initial: Callable[[], Any]


class Store:
    """The documents of one mock, shared by its threads and worker processes."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._replicas: dict[str, Replica] = {}
        self._lock = threading.RLock()
        self._pid = -1
        self._connection: sqlite3.Connection | None = None
        self._data_version = -1
        self._versions: dict[str, int] = {}
        #: Moves whenever this process sees any committed change, its own or another process's.
        self._generation = 0

    def attach(self, name: str, replica: Replica) -> None:
        """Register a part of the state; its document is created from ``initial()`` unless the store has one."""
        with self._lock:
            self._replicas[name] = replica
            connection = self._connect()
            with _transaction(connection):
                connection.execute(
                    "INSERT OR IGNORE INTO documents (name, version, body) VALUES (?, 1, ?)",
                    (name, json.dumps(replica.initial())),
                )
            self._versions.pop(name, None)
            self._data_version = -1  # forces the next sync to load this document

    def version(self) -> int:
        """A number that changes whenever the state may have changed, in any thread or worker process.

        What an answer cache keys on: a commit in this process moves it before ``writing`` returns,
        a commit in another process moves it at the next call here (``PRAGMA data_version``).
        """
        with self._lock:
            self._sync(self._connect())
            return self._generation

    @contextmanager
    def reading(self) -> Iterator[None]:
        """Hold the replicas still, caught up with every committed write."""
        with self._lock:
            self._sync(self._connect())
            yield

    @contextmanager
    def writing(self, *names: str) -> Iterator[None]:
        """Change the replicas ``names`` atomically: saved together, or (on any exception) not at all."""
        with self._lock:
            connection = self._connect()
            try:
                with _transaction(connection):
                    self._sync(connection)
                    yield
                    for name in names:
                        version = self._versions[name] + 1
                        connection.execute(
                            "UPDATE documents SET version = ?, body = ? WHERE name = ?",
                            (version, json.dumps(self._replicas[name].dump()), name),
                        )
                        self._versions[name] = version
                self._generation += 1  # committed; still under the lock, so no reader sees the old number
            except BaseException:
                # The replica may be half-changed: take the committed document back.
                for name in names:
                    self._versions.pop(name, None)
                self._data_version = -1
                self._generation += 1
                raise
            # ``_data_version`` stays as read inside the transaction: our own commit does not change
            # it, and reading it again now could swallow another worker's commit made since.

    def close(self) -> None:
        """Drop this process's connection (before forking workers; the next use reconnects)."""
        with self._lock:
            if self._connection is not None and self._pid == os.getpid():
                self._connection.close()
            self._connection = None
            self._versions.clear()
            self._data_version = -1

    # -- internals ---------------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        """This process's connection: a forked worker must never use its parent's."""
        if self._connection is not None and self._pid == os.getpid():
            return self._connection
        target = str(self.path) if self.path is not None else ":memory:"
        try:
            connection = sqlite3.connect(target, timeout=30.0, isolation_level=None, check_same_thread=False)
            if self.path is not None:
                connection.execute("PRAGMA journal_mode=WAL")
                connection.execute("PRAGMA synchronous=NORMAL")
            with _transaction(connection):
                connection.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
                connection.execute(
                    "CREATE TABLE IF NOT EXISTS documents "
                    "(name TEXT PRIMARY KEY, version INTEGER NOT NULL, body TEXT NOT NULL)"
                )
                connection.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('format', ?)", (FORMAT,))
                found = connection.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{target} is not a usable mock state file: {error}") from None
        if found != FORMAT:
            connection.close()
            raise StoreError(f"{target} holds state of format {found!r}; this mock writes {FORMAT!r}")
        self._connection, self._pid = connection, os.getpid()
        self._versions.clear()
        self._data_version = -1
        return connection

    def _sync(self, connection: sqlite3.Connection) -> None:
        data_version = connection.execute("PRAGMA data_version").fetchone()[0]
        if data_version == self._data_version:
            return
        rows = connection.execute("SELECT name, version FROM documents").fetchall()
        for name, version in rows:
            if name in self._replicas and self._versions.get(name) != version:
                body = connection.execute("SELECT body FROM documents WHERE name = ?", (name,)).fetchone()[0]
                self._replicas[name].load(json.loads(body))
                self._versions[name] = version
        self._data_version = data_version
        self._generation += 1


@contextmanager
def _transaction(connection: sqlite3.Connection) -> Iterator[None]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``; nested use joins the outer transaction."""
    if connection.in_transaction:
        yield
        return
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
