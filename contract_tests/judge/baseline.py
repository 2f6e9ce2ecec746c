"""Accepted deviations: a YAML file of (operation, check, reason, optional expiry) entries."""

from __future__ import annotations

import datetime as dt
import fnmatch
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from contract_tests.config.settings import UsageError
from contract_tests.judge.findings import Finding


@dataclass(frozen=True)
class Accepted:
    operation: str
    check: str
    reason: str
    expires: dt.date | None = None

    def matches(self, finding: Finding) -> bool:
        """Exact names, or shell-style patterns (``GET /api/usage*``, ``auth: *``)."""
        return fnmatch.fnmatchcase(finding.operation, self.operation) and fnmatch.fnmatchcase(finding.check, self.check)

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
    accepted = []
    for entry in entries:
        if not isinstance(entry, dict) or not {"operation", "check", "reason"} <= entry.keys():
            raise UsageError(f"baseline {path}: every entry needs operation, check and reason: {entry!r}")
        expires = entry.get("expires")
        if isinstance(expires, str):
            try:
                expires = dt.date.fromisoformat(expires)
            except ValueError:
                raise UsageError(f"baseline {path}: expires must be YYYY-MM-DD, got {expires!r}") from None
        accepted.append(Accepted(str(entry["operation"]), str(entry["check"]), str(entry["reason"]), expires))
    return accepted


def classify(findings: list[Finding], baseline: list[Accepted], today: dt.date) -> dict[str, list[Any]]:
    """Split findings into ``new`` and ``accepted``; list baseline entries that ``expired``."""
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


def write_baseline(findings: list[dict[str, Any]], path: Path, reason: str, expires: str | None) -> int:
    entries = []
    for finding in findings:
        entry = {"operation": finding["operation"], "check": finding["check"], "reason": reason}
        if expires:
            entry["expires"] = expires
        entries.append(entry)
    header = "# Accepted deviations for openpanel-contract --baseline. Review each reason; add expiry dates.\n"
    path.write_text(
        header + yaml.safe_dump({"accepted": entries}, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )
    return len(entries)
