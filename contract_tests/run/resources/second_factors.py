"""The calling administrator's second factors, as the suite may touch them (``--destructive`` only).

A TOTP enrolment is the one thing of this group the suite makes: it is journaled before the enabling
request is sent and removed (2FA disabled with the run's own password) at clean-up, so a crash never
leaves an administrator with a secret only the suite knew. The reference kinds fill what a valid
2FA or passkey request needs from the run itself: a fresh secret and its current code, the run's
password, one of the administrator's own passkeys (they are registered in a browser, never by us).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
import weakref
from typing import TYPE_CHECKING, Any

from contract_tests.run.removal import RemovalFailed, status_of
from contract_tests.run.resources import Resource, reference, resource

if TYPE_CHECKING:
    from contract_tests.run.client import ApiClient
    from contract_tests.run.sandbox import Sandbox


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238 with the 2.x server's parameters: SHA-1, 6 digits, 30-second steps."""
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = struct.pack(">Q", int((time.time() if at is None else at) // 30))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    return str((struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000).zfill(6)


def two_factor_on(client: ApiClient) -> bool | None:
    """Whether the caller's 2FA is on (``None``: the panel's answer does not tell)."""
    try:
        return client.call("getTwoFactorStatus").json().get("totp_enabled")
    except (ValueError, AttributeError, OSError):
        return None


@resource
class TotpEnrolment(Resource):
    noun, journal_kind, removal_order = "totp", "totp-enrolment", 10

    def create(self, sandbox: Sandbox, name: str) -> object:
        from contract_tests.run.sandbox import SandboxError

        raise SandboxError("a TOTP enrolment is made by the request that names it (own-totp-secret)")

    def exists(self, client: ApiClient, value: object) -> bool:
        return two_factor_on(client) is True

    def remove(self, client: ApiClient, name: str, entry: dict[str, Any]) -> None:
        if two_factor_on(client) is False:
            return
        status = status_of(client, "disableTwoFactor", json={"password": client.target.password})
        if two_factor_on(client) is not False:
            raise RemovalFailed(f"2FA still on after disabling answered {status}")


#: sandbox → the secret last handed out, which ``own-totp-code`` answers the code of (never journaled).
_SECRETS: weakref.WeakKeyDictionary[Sandbox, str] = weakref.WeakKeyDictionary()


def _ours_to_touch(sandbox: Sandbox) -> None:
    """2FA the administrator had before the run is theirs: the suite neither replaces nor removes it."""
    from contract_tests.run.sandbox import SandboxError

    if not sandbox.tracked["totp"] and two_factor_on(sandbox.client) is not False:
        raise SandboxError("2FA is on for this administrator (or unreadable): the suite leaves it alone")


@reference("own-totp-secret")
def own_totp_secret(sandbox: Sandbox) -> str:
    """A fresh secret, the enrolment journaled (once a run) so clean-up turns 2FA off again."""
    _ours_to_touch(sandbox)
    if not sandbox.tracked["totp"]:
        sandbox.fresh("totp")
    _SECRETS[sandbox] = secret = base64.b32encode(secrets.token_bytes(20)).decode("ascii")
    return secret


@reference("own-totp-code")
def own_totp_code(sandbox: Sandbox) -> str:
    secret = _SECRETS.get(sandbox) or own_totp_secret(sandbox)
    return totp(secret)


@reference("own-password")
def own_password(sandbox: Sandbox) -> str:
    """The run's password, for turning off 2FA: only while it is off or the run's own."""
    _ours_to_touch(sandbox)
    return sandbox.client.target.password


@reference("own-passkey")
def own_passkey(sandbox: Sandbox) -> int:
    from contract_tests.run.sandbox import SandboxError

    response = sandbox.client.call("listPasskeys")
    try:
        ids = [int(p["id"]) for p in response.json()["passkeys"]]
    except (ValueError, KeyError, TypeError):
        ids = []
    if not ids:
        raise SandboxError(f"GET /api/security/passkeys answered {response.status_code}: no passkey of ours to use")
    return ids[-1]
