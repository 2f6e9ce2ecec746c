"""Group B1, per administrator: each OpenAdmin account's TOTP secret and passkeys.

The API acts on the token's own account only (no username in any path), so the state is keyed by
administrator; an administrator the fixtures do not list starts with neither. TOTP codes are checked
against the machine's clock, as a real server checks them against its own, not against the mock's
movable clock: a client computes its code from real time.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import hmac
import secrets
import struct
import time
from typing import Any

from mock_server.panel.document import StateDocument
from mock_server.panel.errors import StateError
from mock_server.panel.fixtures import FixtureError
from mock_server.panel.parts import part

#: RFC 6238 as the 2.x server validates it: SHA-1, 6 digits, 30-second steps, one step either side.
PERIOD, DIGITS, SKEW = 30, 6, 1


class InvalidCode(StateError):
    pass


class IncorrectPassword(StateError):
    pass


class PasskeyNotFound(StateError):
    pass


class AdminGone(StateError):
    """The token names an administrator who no longer exists."""


def new_secret() -> str:
    """160 random bits in unpadded base32: 32 characters, what authenticator apps expect."""
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii")


def totp(secret: str, at: float | None = None) -> str:
    """The code ``secret`` gives at ``at`` (now by default)."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int((time.time() if at is None else at) // PERIOD)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**DIGITS).zfill(DIGITS)


def code_is_valid(secret: str, code: str, at: float | None = None) -> bool:
    now = time.time() if at is None else at
    try:
        return any(hmac.compare_digest(totp(secret, now + step * PERIOD), code) for step in range(-SKEW, SKEW + 1))
    except ValueError:  # not base32: no code fits it
        return False


@part
class SecondFactors(StateDocument):
    """``{admin: {"totp_secret": str | None, "passkeys": [{id, name, created_at}]}}``."""

    DOCUMENT = "second_factors"

    def _initial(self) -> dict[str, Any]:
        written = self._fixtures.group("security").get("admins", {})
        try:
            return {
                str(name): {
                    "totp_secret": entry.get("totp_secret"),
                    "passkeys": [
                        {"id": int(p["id"]), "name": p.get("name"), "created_at": p.get("created_at")}
                        for p in entry.get("passkeys", [])
                    ],
                }
                for name, entry in written.items()
            }
        except (AttributeError, KeyError, TypeError, ValueError) as error:
            raise FixtureError(f"security.yaml: admins: not shaped as documented ({error!r})") from None

    def _dump(self) -> dict[str, Any]:
        return copy.deepcopy(self._admins)

    def _load(self, document: dict[str, Any]) -> None:
        self._admins = copy.deepcopy(document)

    # -- TOTP ------------------------------------------------------------------------------

    def totp_enabled(self, admin: str) -> bool:
        with self._reading():
            return bool(self._admins.get(admin, {}).get("totp_secret"))

    def enable_totp(self, admin: str, secret: str, code: str) -> None:
        if not code_is_valid(secret, code.strip()):
            raise InvalidCode("Invalid authentication code.")
        with self._writing():
            self._entry(admin)["totp_secret"] = secret

    def disable_totp(self, admin: str) -> None:
        with self._writing():
            self._entry(admin)["totp_secret"] = None

    # -- passkeys --------------------------------------------------------------------------

    def passkeys(self, admin: str) -> list[dict[str, Any]]:
        """Newest first, as the server orders them."""
        with self._reading():
            keys = copy.deepcopy(self._admins.get(admin, {}).get("passkeys", []))
        return sorted(keys, key=lambda p: p["created_at"] or "", reverse=True)

    def rename_passkey(self, admin: str, passkey_id: int, name: str) -> None:
        with self._writing():
            self._passkey(admin, passkey_id)["name"] = name.strip()[:100]

    def delete_passkey(self, admin: str, passkey_id: int) -> None:
        with self._writing():
            entry = self._entry(admin)
            entry["passkeys"].remove(self._passkey(admin, passkey_id))

    def _entry(self, admin: str) -> dict[str, Any]:
        return self._admins.setdefault(admin, {"totp_secret": None, "passkeys": []})

    def _passkey(self, admin: str, passkey_id: int) -> dict[str, Any]:
        found = next((p for p in self._admins.get(admin, {}).get("passkeys", []) if p["id"] == passkey_id), None)
        if found is None:
            raise PasskeyNotFound("Invalid passkey.")
        return found
