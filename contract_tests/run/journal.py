"""What a run is about to create on a target, written down before each create.

A crash, a Ctrl-C or a 2.x panel whose account list is always empty cannot hide a leftover: every
name (and a plan's id, once known) is on disk before the request that creates it is sent, so
``openpanel-contract cleanup`` finds it afterwards. The journal is JSON lines, one target per
``base_url``; entries for names that were refused or are confirmed gone are dropped when it is
compacted.
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path
from typing import Any


def default_journal() -> Path:
    """``$XDG_STATE_HOME/openpanel-contract/journal.jsonl`` (``~/.local/state/…`` by default)."""
    state = Path(os.environ.get("XDG_STATE_HOME") or Path.home() / ".local" / "state")
    return state / "openpanel-contract" / "journal.jsonl"


class Journal:
    """The journal of one target."""

    def __init__(self, path: Path | None, base_url: str) -> None:
        self.path = path or default_journal()
        self.base_url = base_url
        self._lock = threading.Lock()

    def record(self, kind: str, name: str, **details: Any) -> None:
        """Note that ``name`` (an ``account``, ``plan`` or ``domain``) may be created — before it is."""
        self._append({"kind": kind, "name": name, **details})

    def forget(self, kind: str, name: str) -> None:
        """``name`` was never created, or is confirmed gone."""
        self._append({"kind": kind, "name": name, "gone": True})

    def entries(self) -> dict[tuple[str, str], dict[str, Any]]:
        """``(kind, name)`` → what is known of it, for everything of this target not known to be gone."""
        return self._fold(self._lines())

    def compact(self) -> None:
        """Rewrite the file with only what may still exist (every target's)."""
        with self._lock:
            lines = self._lines()
            targets = {line.get("base_url") for line in lines}
            kept = [entry for base_url in targets for entry in Journal(self.path, str(base_url))._fold(lines).values()]
            if not kept and not self.path.exists():
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.path.with_suffix(".tmp")
            temporary.write_text("".join(json.dumps(entry) + "\n" for entry in kept), encoding="utf-8")
            temporary.replace(self.path)

    def _fold(self, lines: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
        folded: dict[tuple[str, str], dict[str, Any]] = {}
        for line in lines:
            if line.get("base_url") != self.base_url or not {"kind", "name"} <= line.keys():
                continue
            key = (str(line["kind"]), str(line["name"]))
            if line.get("gone"):
                folded.pop(key, None)
            else:
                folded[key] = {**folded.get(key, {}), **line}
        return folded

    def _append(self, entry: dict[str, Any]) -> None:
        line = json.dumps({"base_url": self.base_url, "at": round(time.time(), 3), **entry}) + "\n"
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with open(self.path, "a+b") as stream:
                size = stream.seek(0, os.SEEK_END)
                if size:
                    stream.seek(size - 1)
                    if stream.read(1) != b"\n":
                        line = "\n" + line  # a line a crash cut short must not swallow this one
                stream.write(line.encode())
                stream.flush()
                os.fsync(stream.fileno())

    def _lines(self) -> list[dict[str, Any]]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        lines = []
        for raw in text.splitlines():
            try:
                entry = json.loads(raw)
            except ValueError:
                continue  # a line cut short by a crash: the rest still counts
            if isinstance(entry, dict):
                lines.append(entry)
        return lines
