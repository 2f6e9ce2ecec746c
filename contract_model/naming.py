"""The account-name rule the contract states: a suspended account is renamed, never hidden.

``SUSPENDED_<YYYYmmddHHMMSS>_<name>`` (a 14-digit timestamp, as in the seed document's
``SUSPENDED_20240103122300_jasta``) while suspended; the original name again once unsuspended.
"""

from __future__ import annotations

import re
from datetime import datetime

SUSPENDED_PREFIX = "SUSPENDED_"
_SUSPENDED = re.compile(r"^SUSPENDED_(\d{14})_(.+)$")


def original_name(username: str) -> str:
    """The account name without a ``SUSPENDED_<timestamp>_`` prefix."""
    match = _SUSPENDED.match(username)
    return match.group(2) if match else username


def is_suspended(username: str) -> bool:
    return _SUSPENDED.match(username) is not None


def suspended_name(username: str, when: datetime) -> str:
    """The name an account carries while suspended since ``when``."""
    return f"{SUSPENDED_PREFIX}{when:%Y%m%d%H%M%S}_{username}"
