"""The 2.x server's API tokens: ``createAPIToken`` and ``parseAPIToken`` (api_common.go) over
golang-jwt v5.3.1 with ``WithValidMethods(["HS256"])``.

Written out rather than through PyJWT because the two libraries disagree exactly where the twin has
to be faithful: golang-jwt accepts a token without ``exp`` for ever, never checks ``iat``, ignores
flask-jwt-extended's ``type`` (a refresh token passes), and refuses padded base64.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Callable
from typing import Any

#: ``APIJWTExpiry`` (api_common.go): 15 minutes.
LIFETIME = 900
_STRINGS = ("sub", "iss", "jti")
_DATES = ("exp", "nbf", "iat")


def issue(subject: str, secret: str, now: float, lifetime: int = LIFETIME) -> str:
    """A token as ``createAPIToken`` writes it: header as a Go map (sorted), claims in struct order."""
    issued = int(now)
    header = {"alg": "HS256", "typ": "JWT"}
    claims = {"sub": subject, "exp": issued + lifetime, "nbf": issued, "iat": issued}
    signing_input = f"{_b64(_compact(header))}.{_b64(_compact(claims))}"
    return f"{signing_input}.{_b64(_sign(signing_input, secret))}"


def subject(authorization: str | None, secret: str, clock: Callable[[], float]) -> str | None:
    """The token's ``sub`` when the header carries a valid token, else ``None`` (every failure looks
    the same to the middlewares)."""
    token = (authorization or "").strip()  # net/textproto trims header values
    if not token.startswith("Bearer ") or not token[len("Bearer ") :]:
        return None
    parts = token[len("Bearer ") :].split(".")
    if len(parts) != 3:
        return None
    header, claims, signature = (_unb64(part) for part in parts)
    if header is None or claims is None or signature is None:
        return None
    header_json, claims_json = _object(header), _object(claims)
    if header_json is None or claims_json is None or header_json.get("alg") != "HS256":
        return None
    if not hmac.compare_digest(signature, _sign(f"{parts[0]}.{parts[1]}", secret)):
        return None
    if not _registered_claims_decode(claims_json):
        return None
    now = clock()
    if "exp" in claims_json and claims_json["exp"] is not None and not now < claims_json["exp"]:
        return None
    if "nbf" in claims_json and claims_json["nbf"] is not None and now < claims_json["nbf"]:
        return None
    sub = claims_json.get("sub")
    return sub if isinstance(sub, str) and sub else None


def _registered_claims_decode(claims: dict[str, Any]) -> bool:
    """Whether the claims decode into ``jwt.RegisteredClaims`` (a wrong type makes the token malformed)."""
    for name in _STRINGS:
        if claims.get(name) is not None and not isinstance(claims[name], str):
            return False
    for name in _DATES:
        value = claims.get(name)
        if value is not None and (not isinstance(value, int | float) or isinstance(value, bool)):
            return False
    audience = claims.get("aud")
    return (
        audience is None
        or isinstance(audience, str)
        or (isinstance(audience, list) and all(isinstance(item, str) for item in audience))
    )


def _compact(value: dict[str, Any]) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def _sign(signing_input: str, secret: str) -> bytes:
    return hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(part: str) -> bytes | None:
    """``base64.RawURLEncoding.DecodeString``: no padding, nothing outside the URL-safe alphabet."""
    if any(char in part for char in "=+/") or len(part) % 4 == 1:
        return None
    try:
        return base64.b64decode(part.translate(_TO_STANDARD) + "=" * (-len(part) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None


_TO_STANDARD = str.maketrans("-_", "+/")


def _object(data: bytes) -> dict[str, Any] | None:
    try:
        value = json.loads(data)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
