"""Backup imports and server-to-server transfers (group C2), as their log directories show them.

The 2.x server starts a background script and learns everything else from its log file: the lists
are the log directories, a status is read from the log's PID line and last line. The mock keeps each
log with a ``running`` flag in place of a live process; a started job stays running (the mock runs no
script), a fixture's logs have finished."""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from contract_model import original_name
from mock_server.panel.document import StateDocument
from mock_server.panel.fixtures import FixtureError
from mock_server.panel.parts import part

IMPORT_LOG_DIR = "/var/log/openpanel/admin/imports/"
TRANSFER_LOG_DIR = "/var/log/openpanel/admin/transfers/"
#: Fuzzing starts many jobs; the oldest logs go first beyond this (a log rotation of sorts).
MAX_LOGS = 200
_FIRST_PID = 5000


@part
class Imports(StateDocument):
    """Import and transfer logs, and the backup archives lying on the server."""

    DOCUMENT = "imports"

    def _initial(self) -> dict[str, Any]:
        document = self._fixtures.group("imports")
        for key in ("backup_files", "imports", "transfers"):
            if not isinstance(document.get(key, []), list):
                raise FixtureError(f"imports.yaml: {key} must be a list")
        return {
            "backup_files": [str(path) for path in document.get("backup_files", [])],
            "imports": [_log(entry, "imports") for entry in document.get("imports", [])],
            "transfers": [_log(entry, "transfers") for entry in document.get("transfers", [])],
            "next_pid": _FIRST_PID,
        }

    def _dump(self) -> dict[str, Any]:
        return copy.deepcopy(self._doc)

    def _load(self, document: dict[str, Any]) -> None:
        self._doc = copy.deepcopy(document)

    def backup_files(self) -> list[str]:
        with self._reading():
            return list(self._doc["backup_files"])

    def imports(self) -> list[dict[str, str]]:
        """Each import log with the status the server reads from it."""
        with self._reading():
            entries = sorted(self._doc["imports"], key=lambda entry: entry["filename"])
            return [{"filename": entry["filename"], "status": _import_status(entry)} for entry in entries]

    def transfer_files(self) -> list[str]:
        with self._reading():
            return sorted(TRANSFER_LOG_DIR + entry["filename"] for entry in self._doc["transfers"])

    def transfers_of(self, username: str) -> list[dict[str, Any]]:
        """The transfers of one account (its original name, if it is a suspended one's)."""
        prefix = original_name(username) + "_"
        with self._reading():
            entries = sorted(self._doc["transfers"], key=lambda entry: entry["filename"])
            return [_transfer_status(entry) for entry in entries if entry["filename"].startswith(prefix)]

    def log(self, kind: str, filename: str) -> str | None:
        """The content of an ``imports`` or ``transfers`` log, ``None`` if there is none of that name."""
        with self._reading():
            return next((entry["log"] for entry in self._doc[kind] if entry["filename"] == filename), None)

    def start_import(self, backup_path: str, now: datetime) -> str:
        """A running import of ``backup_path``; answers its log's name."""
        stem = backup_path.rsplit("/", 1)[-1].removesuffix(".tar.gz").removesuffix(".tar") or "backup"
        stem = "".join(char if char.isalnum() or char in "._-" else "_" for char in stem)
        with self._writing():
            pid = self._pid()
            filename = self._unique("imports", f"{stem}_{now:%Y-%m-%d_%H-%M-%S}")
            self._add("imports", {"filename": filename, "log": f"Import started\nPID: {pid}\n", "running": True})
            return filename

    def start_transfer(self, account: str, host: str, now: datetime) -> str:
        """A running transfer of ``account`` from ``host``; answers its log's name."""
        with self._writing():
            pid = self._pid()
            filename = self._unique("transfers", f"{account}_{host}_{now:%Y-%m-%d_%H-%M-%S}")
            stamp = f"[{now:%Y-%m-%d %H:%M:%S}]"
            log = f"{stamp} Log file: {TRANSFER_LOG_DIR}{filename}\n{stamp} PID: {pid}\n"
            self._add("transfers", {"filename": filename, "log": log, "running": True})
            return filename

    def _pid(self) -> int:
        pid = int(self._doc["next_pid"])
        self._doc["next_pid"] = pid + 1
        return pid

    def _unique(self, kind: str, stem: str) -> str:
        taken = {entry["filename"] for entry in self._doc[kind]}
        candidate, number = f"{stem}.log", 1
        while candidate in taken:
            number += 1
            candidate = f"{stem}-{number}.log"
        return candidate

    def _add(self, kind: str, entry: dict[str, Any]) -> None:
        self._doc[kind].append(entry)
        del self._doc[kind][:-MAX_LOGS]


def _log(entry: Any, kind: str) -> dict[str, Any]:
    if not isinstance(entry, dict) or not str(entry.get("filename", "")).endswith(".log"):
        raise FixtureError(f"imports.yaml: every entry of {kind} needs a filename ending in .log and a log")
    return {"filename": str(entry["filename"]), "log": str(entry.get("log", "")), "running": bool(entry.get("running"))}


def _lines(entry: dict[str, Any]) -> list[str]:
    return entry["log"].splitlines()


def _import_status(entry: dict[str, Any]) -> str:
    """The server's reading: a live PID on the second line is ``running``, else the last line decides."""
    lines = _lines(entry)
    if not lines:
        return "unknown"
    if entry["running"] and len(lines) > 1 and "PID:" in lines[1]:
        return "running"
    if "SUCCESS:" in lines[-1]:
        return "completed"
    if "FATAL ERROR:" in lines[-1]:
        return "failed"
    return "unknown"


def _transfer_status(entry: dict[str, Any]) -> dict[str, Any]:
    """The server's reading of a transfer log: no PID line is ``failed``; a live PID ``in progress``."""
    answer: dict[str, Any] = {"filename": entry["filename"], "file": TRANSFER_LOG_DIR + entry["filename"], "pid": None}
    lines = _lines(entry)
    pid_line = next((line for line in lines if "PID:" in line), None)
    if pid_line is None:
        return {**answer, "status": "failed"}
    digits = pid_line.split("PID:", 1)[1].strip()
    if not digits.isdigit():
        return {**answer, "status": "error", "error": f'strconv.Atoi: parsing "{digits}": invalid syntax'}
    answer["pid"] = int(digits)
    if entry["running"]:
        return {**answer, "status": "in progress"}
    return {**answer, "status": "success" if lines and "SUCCESS:" in lines[-1] else "failed"}
