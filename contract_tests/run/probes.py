"""Forged credentials for auth probes, built from a real token so only one property is wrong."""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Callable

import jwt


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def tampered_signature(token: str) -> str:
    """The same header and claims with one signature byte flipped."""
    header, payload, signature = token.split(".")
    raw = bytearray(_unb64(signature))
    raw[len(raw) // 2] ^= 0x01
    return f"{header}.{payload}.{_b64(bytes(raw))}"


def alg_none(token: str) -> str:
    """The same claims, unsigned, declaring ``alg: none``."""
    payload = token.split(".")[1]
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    return f"{header}.{payload}."


def foreign_key(token: str) -> str:
    """The same claims signed with a key the panel does not have (another panel's token)."""
    claims = jwt.decode(token, options={"verify_signature": False})
    return jwt.encode(claims, secrets.token_hex(32), algorithm="HS256")


def tampered_subject(token: str) -> str:
    """Claims edited to name another administrator, keeping the original signature."""
    header, payload, signature = token.split(".")
    claims = json.loads(_unb64(payload))
    claims["sub"] = f"{claims.get('sub', '')}-intruder"
    return f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"


#: name → function of a valid token giving the full ``Authorization`` header value (None: no header).
PROBES: dict[str, Callable[[str], str | None]] = {
    "no Authorization header": lambda token: None,
    "empty Authorization header": lambda token: "",
    "Basic scheme": lambda token: "Basic YWRtaW46YWRtaW4=",
    "lower-case bearer": lambda token: f"bearer {token}",
    "Bearer without token": lambda token: "Bearer",
    "not a JWT": lambda token: "Bearer not-a-jwt",
    "tampered signature": lambda token: f"Bearer {tampered_signature(token)}",
    "tampered subject": lambda token: f"Bearer {tampered_subject(token)}",
    "alg none": lambda token: f"Bearer {alg_none(token)}",
    "signed with a foreign key": lambda token: f"Bearer {foreign_key(token)}",
}
