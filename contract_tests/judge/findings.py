"""Findings: every way a deployment departed from the contract, as data for reports, baselines and
the exit code.

Each finding has a stable *kind* (``judge.kinds``) — what went wrong for a client — and the check
that found it. Severity follows the release-gate policy: everything blocks a release except an
undocumented extra status code found while fuzzing and HTTP niceties outside the contract, which
warn unless ``--strict``.
"""

from __future__ import annotations

import json
import re
import shlex
import threading
from dataclasses import asdict, dataclass, field
from typing import Any

from contract_tests.judge.kinds import WARNING_KINDS, received_status, schemathesis_kind

BLOCKING, WARNING = "blocking", "warning"

#: schemathesis failure codes that only warn: an undocumented status code or a malformed media type
#: header, found while fuzzing.
WARNING_CODES = frozenset({"ST103", "ST106"})

_SECRET_FIELDS = re.compile(r'("(?:password|access_token|token)"\s*:\s*)"[^"]*"', re.IGNORECASE)
_BEARER = re.compile(r"(Bearer\s+)[A-Za-z0-9._~+/=-]+")


def redact(text: str) -> str:
    """Hide passwords and tokens in anything that goes into a report."""
    return _BEARER.sub(r"\1[redacted]", _SECRET_FIELDS.sub(r'\1"[redacted]"', text))


@dataclass(frozen=True)
class Finding:
    """One departure from the contract."""

    #: ``"GET /api/users"``; for scenarios spanning operations, ``"scenario: <name>"``.
    operation: str
    #: What was checked, stable across runs: ``"ST108 Response violates schema"``, ``"auth: alg none"``…
    check: str
    severity: str
    message: str
    reproduce: str = ""
    test: str = ""
    #: What went wrong for a client (``judge.kinds``).
    kind: str = field(kw_only=True)
    #: What the contract wants and what came instead, when the check can say it (``"401"``, ``"404"``).
    expected: str = field(default="", kw_only=True)
    received: str = field(default="", kw_only=True)

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity for baselines and diffs."""
        return self.operation, self.kind, self.check

    @property
    def cause(self) -> tuple[str, str, str, str]:
        """What reports group by: the same cause on many operations is one line."""
        return self.kind, self.check, self.expected, self.received

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def default_severity(kind: str) -> str:
    return WARNING if kind in WARNING_KINDS else BLOCKING


class Breach(AssertionError):
    """How the suite's own tests say the deployment broke the contract: an assertion that carries
    what a finding needs. The gate turns it (and any plain failed assertion of a scenario) into a
    ``Finding``."""

    def __init__(
        self,
        message: str,
        *,
        operation: str,
        check: str,
        kind: str,
        severity: str | None = None,
        reproduce: str = "",
        expected: object = "",
        received: object = "",
    ) -> None:
        super().__init__(message)
        self.operation, self.check, self.kind, self.reproduce = operation, check, kind, reproduce
        self.severity = severity or default_severity(kind)
        self.expected, self.received = str(expected), str(received)

    def finding(self, test: str) -> Finding:
        return Finding(
            self.operation,
            self.check,
            self.severity,
            str(self),
            self.reproduce,
            test,
            kind=self.kind,
            expected=self.expected,
            received=self.received,
        )


def curl(method: str, url: str, body: Any = None, *, authenticated: bool = True) -> str:
    """A ``curl`` line that reproduces a request, with the token left as a placeholder."""
    parts = ["curl", "-X", method, "-H", "Content-Type: application/json"]
    if authenticated:
        parts += ["-H", "Authorization: Bearer $TOKEN"]
    if body is not None:
        parts += ["-d", redact(json.dumps(body))]
    return " ".join(shlex.quote(part) for part in [*parts, url])


@dataclass
class FindingLog:
    """Findings of one run; thread-safe, one entry per (operation, kind, check)."""

    findings: dict[tuple[str, str, str], Finding] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, finding: Finding) -> None:
        finding = Finding(
            **{**finding.as_dict(), "message": redact(finding.message), "reproduce": redact(finding.reproduce)}
        )
        with self._lock:
            self.findings.setdefault(finding.key, finding)

    def all(self) -> list[Finding]:
        with self._lock:
            return sorted(self.findings.values(), key=lambda f: (f.severity != BLOCKING, f.operation, f.check))


def from_schemathesis(
    operation: str, failures: Any, reproduce: str, test: str, status: int | None = None, body: Any = None
) -> list[Finding]:
    """Findings from a schemathesis ``FailureGroup``; ``status`` and ``body`` are the answer judged, when known."""
    found = []
    for failure in getattr(failures, "exceptions", [failures]):
        code = getattr(failure, "code", "ST900")
        title = getattr(failure, "title", type(failure).__name__)
        received = received_status(failure) or status
        kind = schemathesis_kind(code, received, body)
        found.append(
            Finding(
                operation=operation,
                check=f"{code} {title}",
                severity=WARNING if code in WARNING_CODES else default_severity(kind),
                message=str(getattr(failure, "message", failure)),
                reproduce=reproduce,
                test=test,
                kind=kind,
                received=str(received or ""),
            )
        )
    return found
