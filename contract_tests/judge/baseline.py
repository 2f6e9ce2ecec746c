"""Accepted deviations: a YAML file of entries, each naming one kind of finding and the operations it
accepts it for, with a reason and an optional expiry.

An entry can never hide a breach: its ``kind`` is one exact kind (no pattern crosses kinds), and
``auth-bypass`` and ``lost-state`` cannot be accepted at all. Operations and checks may use shell
patterns, and ``received`` narrows an entry to the statuses it accepts (``received: [404]`` accepts a
404 refusal, not a 200).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from contract_tests.config.settings import UsageError
from contract_tests.judge.findings import Finding
from contract_tests.judge.kinds import KINDS, UNACCEPTABLE


@dataclass(frozen=True)
class Accepted:
    kind: str
    operations: tuple[str, ...]
    reason: str
    #: Check names or patterns; empty: any check of this kind.
    checks: tuple[str, ...] = ()
    #: Statuses received; empty: any.
    received: tuple[str, ...] = ()
    expires: dt.date | None = None

    def matches(self, finding: Finding) -> bool:
        return (
            finding.kind == self.kind
            and any(fnmatch.fnmatchcase(finding.operation, pattern) for pattern in self.operations)
            and (not self.checks or any(fnmatch.fnmatchcase(finding.check, pattern) for pattern in self.checks))
            and (not self.received or finding.received in self.received)
        )

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and self.expires < today


def load_baseline(path: Path) -> list[Accepted]:
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except OSError as error:
        raise UsageError(f"cannot read baseline {path}: {error.strerror}") from None
    except yaml.YAMLError as error:
        raise UsageError(f"baseline {path} is not valid YAML: {error}") from None
    entries = document.get("accepted") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise UsageError(f"baseline {path}: expected a top-level 'accepted:' list")
    return [_entry(path, index, entry) for index, entry in enumerate(entries, start=1)]


def _entry(path: Path, index: int, entry: Any) -> Accepted:
    where = f"baseline {path}, entry {index}"
    if not isinstance(entry, dict) or not {"kind", "operations", "reason"} <= entry.keys():
        raise UsageError(f"{where}: every entry needs kind, operations and reason (got {entry!r})")
    kind = entry["kind"]
    if not isinstance(kind, str) or kind not in KINDS:
        raise UsageError(f"{where}: unknown kind {kind!r}; kinds: {', '.join(KINDS)}")
    if kind in UNACCEPTABLE:
        raise UsageError(f"{where}: {kind} can never be accepted ({KINDS[kind]})")
    expires = entry.get("expires")
    if isinstance(expires, str):
        try:
            expires = dt.date.fromisoformat(expires)
        except ValueError:
            raise UsageError(f"{where}: expires must be YYYY-MM-DD, got {expires!r}") from None
    return Accepted(
        kind=kind,
        operations=_strings(where, "operations", entry["operations"]),
        reason=str(entry["reason"]),
        checks=_strings(where, "checks", entry.get("checks", [])),
        received=_strings(where, "received", entry.get("received", [])),
        expires=expires,
    )


def _strings(where: str, name: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str | int) for item in value):
        raise UsageError(f"{where}: {name} must be a list")
    return tuple(str(item) for item in value)


def classify(findings: list[Finding], baseline: list[Accepted], today: dt.date) -> dict[str, list[Any]]:
    """Split findings into ``new``, ``accepted`` and ``expired`` (accepted by an entry that has expired)."""
    result: dict[str, list[Any]] = {"new": [], "accepted": [], "expired": []}
    for finding in findings:
        entry = next((e for e in baseline if e.matches(finding)), None)
        if entry is None:
            result["new"].append(finding)
        elif entry.expired(today):
            result["expired"].append(finding)
        else:
            result["accepted"].append(finding)
    return result


def write_baseline(findings: list[dict[str, Any]], path: Path, reason: str, expires: str | None) -> tuple[int, list]:
    """One entry per (kind, check, received) of a report's findings; answers (entries, refused findings)."""
    grouped: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    refused = []
    for finding in findings:
        if finding["kind"] in UNACCEPTABLE:
            refused.append(finding)
            continue
        grouped[(finding["kind"], finding["check"], finding.get("received", ""))].append(finding["operation"])
    entries = []
    for (kind, check, received), operations in sorted(grouped.items()):
        entry: dict[str, Any] = {"kind": kind, "checks": [check], "operations": sorted(set(operations))}
        if received:
            entry["received"] = [received]
        entry["reason"] = reason
        if expires:
            entry["expires"] = expires
        entries.append(entry)
    header = (
        "# Accepted deviations for openpanel-contract --baseline. Review each reason; add expiry dates.\n"
        "# auth-bypass and lost-state findings are never accepted.\n"
    )
    path.write_text(
        header + yaml.safe_dump({"accepted": entries}, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    return len(entries), refused
