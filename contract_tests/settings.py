"""Who and what the suite tests, from the command line or ``OPENPANEL_*`` environment variables."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SPEC = Path(__file__).resolve().parent.parent / "spec" / "openapi.yaml"

#: Every name the suite creates starts with this, so it can find and remove its own leftovers.
SANDBOX_PREFIX = "octest"

#: ``x-safety`` classes each mode may call.
READ_ONLY = frozenset({"read"})
MUTATING = frozenset({"read", "write"})
DESTRUCTIVE = frozenset({"read", "write", "destructive"})


_RATE = re.compile(r"^[1-9][0-9]*/[smh]$")


def requests_per_second(rate: str | None) -> float | None:
    if rate is None:
        return None
    count, unit = rate.split("/")
    return int(count) / {"s": 1, "m": 60, "h": 3600}[unit]


class UsageError(Exception):
    """The suite was started without what it needs (one line for the user, exit code 2)."""


@dataclass(frozen=True)
class Target:
    """A deployment under test."""

    base_url: str
    username: str
    password: str
    mutating: bool = False
    #: Operations that may change what the suite did not create (server files, services, logs, and
    #: deletes — the latter still confined to sandbox resources where the spec says how).
    destructive: bool = False
    spec_path: Path = DEFAULT_SPEC
    #: True, False (``--insecure``) or the path of a CA bundle.
    verify_tls: bool | str = True
    #: Request budget such as ``"10/s"`` or ``"300/m"``; ``None`` for no limit.
    rate: str | None = None
    max_examples: int = 25
    seed: int | None = None

    @property
    def allowed_safety(self) -> frozenset[str]:
        if self.destructive:
            return DESTRUCTIVE
        return MUTATING if self.mutating else READ_ONLY

    @classmethod
    def resolve(
        cls,
        base_url: str | None,
        username: str | None,
        password: str | None,
        **options: object,
    ) -> Target:
        """Fill gaps from ``OPENPANEL_URL``/``OPENPANEL_USERNAME``/``OPENPANEL_PASSWORD``."""
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
        if missing:
            raise UsageError(f"missing {', '.join(missing)}")
        assert base_url and username and password
        if not base_url.startswith(("http://", "https://")):
            raise UsageError(f"--base-url must start with http:// or https://, got {base_url!r}")
        rate = options.get("rate")
        if rate is not None and not _RATE.match(str(rate)):
            raise UsageError(f"--rate must look like 10/s, 300/m or 1000/h, got {rate!r}")
        return cls(base_url=base_url.rstrip("/"), username=username, password=password, **options)  # type: ignore[arg-type]
