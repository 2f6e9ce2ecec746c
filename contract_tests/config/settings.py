"""Who and what one run tests, resolved once: from the command line, or from pytest options and
``OPENPANEL_*`` environment variables when the suite runs as a plain pytest plugin."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

from contract_model import DEFAULT_SPEC

#: Every name the suite creates starts with this, so it can find and remove its own leftovers.
SANDBOX_PREFIX = "octest"

#: ``x-safety`` classes each mode may call; ``server-control`` only ever when asked for by name.
READ_ONLY = frozenset({"read"})
MUTATING = frozenset({"read", "write"})
DESTRUCTIVE = frozenset({"read", "write", "destructive"})
SERVER_CONTROL = "server-control"

_RATE = re.compile(r"^[1-9][0-9]*/[smh]$")


class UsageError(Exception):
    """The suite was started without what it needs (one line for the user, exit code 2)."""


def requests_per_second(rate: str | None) -> float | None:
    if rate is None:
        return None
    count, unit = rate.split("/")
    return int(count) / {"s": 1, "m": 60, "h": 3600}[unit]


@dataclass(frozen=True)
class Target:
    """A deployment under test, and how far the run may go on it."""

    base_url: str
    username: str
    password: str
    mutating: bool = False
    #: Operations that may change what the suite did not create (server files, services, logs, and
    #: deletes — the latter still confined to sandbox resources where the spec says how).
    destructive: bool = False
    #: True, False (``--insecure``) or the path of a CA bundle.
    verify_tls: bool | str = True
    #: Request budget such as ``"10/s"`` or ``"300/m"``; ``None`` for no limit.
    rate: str | None = None
    #: Operations that change the machine itself (reboot, root password, SSH, firewall, licence …).
    server_control: bool = False
    #: A reseller's credentials, for the access-matrix checks (``None``: not checked).
    reseller: tuple[str, str] | None = None

    @property
    def allowed_safety(self) -> frozenset[str]:
        classes = DESTRUCTIVE if self.destructive else MUTATING if self.mutating else READ_ONLY
        return classes | {SERVER_CONTROL} if self.server_control else classes

    @property
    def mode(self) -> str:
        mode = "destructive" if self.destructive else "mutating" if self.mutating else "read-only"
        return f"{mode} + server-control" if self.server_control else mode

    def as_reseller(self) -> Target | None:
        """The same panel, logged into as the reseller (``None`` without reseller credentials)."""
        if self.reseller is None:
            return None
        return replace(self, username=self.reseller[0], password=self.reseller[1])

    @classmethod
    def resolve(
        cls,
        base_url: str | None,
        username: str | None,
        password: str | None,
        *,
        mutating: bool = False,
        destructive: bool = False,
        verify_tls: bool | str = True,
        rate: str | None = None,
        server_control: bool = False,
        reseller_username: str | None = None,
        reseller_password: str | None = None,
    ) -> Target:
        """Fill gaps from ``OPENPANEL_URL``/``OPENPANEL_USERNAME``/``OPENPANEL_PASSWORD``; check what is given."""
        base_url = base_url or os.environ.get("OPENPANEL_URL")
        username = username or os.environ.get("OPENPANEL_USERNAME")
        password = password or os.environ.get("OPENPANEL_PASSWORD")
        missing = [
            name
            for name, value in (
                ("--base-url/OPENPANEL_URL", base_url),
                ("--username/OPENPANEL_USERNAME", username),
                ("--password/OPENPANEL_PASSWORD", password),
            )
            if not value
        ]
        if missing or not base_url or not username or not password:
            raise UsageError(f"missing {', '.join(missing)}")
        if not base_url.startswith(("http://", "https://")):
            raise UsageError(f"--base-url must start with http:// or https://, got {base_url!r}")
        if rate is not None and not _RATE.match(rate):
            raise UsageError(f"--rate must look like 10/s, 300/m or 1000/h, got {rate!r}")
        reseller_username = reseller_username or os.environ.get("OPENPANEL_RESELLER_USERNAME")
        reseller_password = reseller_password or os.environ.get("OPENPANEL_RESELLER_PASSWORD")
        if bool(reseller_username) != bool(reseller_password):
            raise UsageError("give both --reseller-username and --reseller-password, or neither")
        return cls(
            base_url=base_url.rstrip("/"),
            username=username,
            password=password,
            mutating=mutating or destructive,
            destructive=destructive,
            verify_tls=verify_tls,
            rate=rate,
            server_control=server_control,
            reseller=(reseller_username, reseller_password) if reseller_username and reseller_password else None,
        )


@dataclass(frozen=True)
class RunSettings:
    """Everything about one run besides the target."""

    spec_path: Path = DEFAULT_SPEC
    #: Generated cases per operation.
    max_examples: int = 25
    #: Seconds after which no further operation is fuzzed.
    max_time: float | None = None
    baseline: Path | None = None
    report_json: Path | None = None
    report_md: Path | None = None
    #: Undocumented status codes and headers block too.
    strict: bool = False
    #: The target is ``openpanel-mock``: the expired-token probes may move its clock.
    mock_clock: bool = False
    #: An expired token of the target, for the expired-token probes.
    expired_token: str | None = None
    #: Where the run notes what it is about to create (``None``: the per-user default).
    journal: Path | None = None
