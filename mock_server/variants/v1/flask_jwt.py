"""``@jwt_required()`` as flask-jwt-extended 4.x does it with its default settings and error handlers.

Reproduced rather than imported so the mock needs no runtime dependency, and so expiry follows the
mock's movable clock; ``tests/test_flavor_v1.py`` checks every refusal against the real library.
Statuses: ``NoAuthorizationError`` and ``ExpiredSignatureError`` are 401, everything else 422.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import jwt

from mock_server.memo import BoundedMemo

HEADER = "Authorization"
MISSING = "Missing Authorization Header"
NO_BEARER = "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer <JWT>'"
BAD_HEADER = "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"
EXPIRED = "Token has expired"


class Refusal(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


class JwtRequired:
    """Verifies access tokens for one secret and clock, remembering decoded claims by token."""

    def __init__(self, secret: str, clock: Callable[[], float]) -> None:
        self._secret = secret
        self._clock = clock
        self._decoded: BoundedMemo[str, dict[str, Any] | Refusal] = BoundedMemo(4096)

    def identity(self, authorization: str | None) -> str:
        """The token's ``sub``, or ``Refusal`` as flask-jwt-extended words it."""
        token = _token_from_header(authorization)
        claims = self._decoded.get(token)
        if claims is None:
            claims = self._decode(token)
            self._decoded.put(token, claims)
        if isinstance(claims, Refusal):
            raise claims
        now = self._clock()  # PyJWT's order: iat, nbf, exp
        if isinstance(claims.get("iat"), int | float) and claims["iat"] > now:
            raise Refusal(422, "The token is not yet valid (iat)")
        if isinstance(claims.get("nbf"), int | float) and claims["nbf"] > now:
            raise Refusal(422, "The token is not yet valid (nbf)")
        if isinstance(claims.get("exp"), int | float) and claims["exp"] <= now:
            raise Refusal(401, EXPIRED)
        return str(claims["sub"])

    def _decode(self, token: str) -> dict[str, Any] | Refusal:
        """What does not depend on the time: PyJWT's decode as flask-jwt-extended calls it."""
        options = {"verify_exp": False, "verify_nbf": False, "verify_iat": False}
        try:
            claims = jwt.decode(token, self._secret, algorithms=["HS256"], options=options)
        except jwt.InvalidTokenError as error:
            return Refusal(422, str(error))
        if "sub" not in claims:
            return Refusal(422, "Missing claim: sub")
        if claims.get("type", "access") == "refresh":
            return Refusal(422, "Only non-refresh tokens are allowed")
        return claims


def _token_from_header(authorization: str | None) -> str:
    """``_decode_jwt_from_headers``: comma-separated values, the one whose first word is ``Bearer``."""
    header = (authorization or "").strip().strip(",")
    if not header:
        raise Refusal(401, MISSING)
    candidates = [value for value in re.split(r",\s*", header) if value.split() and value.split()[0] == "Bearer"]
    if len(candidates) != 1:
        raise Refusal(401, NO_BEARER)
    parts = candidates[0].split()
    if len(parts) != 2:
        raise Refusal(422, BAD_HEADER)
    return parts[1]
