"""JWT access tokens as the Python-era panel (flask-jwt-extended over PyJWT) issues and refuses them.

The ``{"msg": ...}`` texts are flask-jwt-extended's defaults (facts §1.4). The status is always 401:
the contract deliberately answers every credential failure with 401 (RFC 6750), where
flask-jwt-extended's defaults would answer 422 for malformed tokens (see spec/DECISIONS.md).
Expiry is checked against the app's clock rather than PyJWT's, so tests can move time.

A token's signature and claims never change, so a token verified once is remembered (bounded) and
later requests only re-check the clock-dependent claims; billing modules send the same token many
times, and PyJWT's decode was the largest cost of a cached read.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

import jwt

from mock_server.errors import ApiError
from mock_server.memo import BoundedMemo

ALGORITHM = "HS256"
MISSING_HEADER = "Missing Authorization Header"
WRONG_SCHEME = "Missing 'Bearer' type in 'Authorization' header. Expected 'Authorization: Bearer <JWT>'"
BAD_HEADER = "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"


class TokenIssuer:
    """Issues and verifies access tokens for one mock instance (one secret, one clock)."""

    def __init__(self, secret: str, lifetime: int, clock: Callable[[], float]) -> None:
        self._secret = secret
        self._lifetime = lifetime
        self._clock = clock
        #: token → (subject, exp, nbf) of tokens whose signature and claim types passed.
        self._verified: BoundedMemo[str, tuple[str, float, float | None]] = BoundedMemo(4096)

    def issue(self, subject: str) -> str:
        """A token with flask-jwt-extended's default access-token claim set."""
        now = int(self._clock())
        claims = {
            "fresh": False,
            "iat": now,
            "jti": str(uuid.uuid4()),
            "type": "access",
            "sub": subject,
            "nbf": now,
            "csrf": str(uuid.uuid4()),
            "exp": now + self._lifetime,
        }
        return jwt.encode(claims, self._secret, algorithm=ALGORITHM)

    def subject(self, authorization: str | None) -> str:
        """The administrator an ``Authorization`` header proves, or an ``ApiError`` saying why not."""
        token = _bearer_token(authorization)
        verified = self._verified.get(token)
        if verified is None:
            verified = self._verify(token)
            self._verified.put(token, verified)
        subject, expires, not_before = verified
        now = self._clock()
        if expires <= now:
            raise ApiError(401, {"msg": "Token has expired"})
        if not_before is not None and not_before > now:
            raise _invalid("The token is not yet valid (nbf)")
        return subject

    def _verify(self, token: str) -> tuple[str, float, float | None]:
        """Everything about a token that does not depend on the time: signature, algorithm, claim types."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.InvalidTokenError as error:
            raise _invalid(str(error)) from None
        if header.get("alg") != ALGORITHM:
            raise _invalid("The specified alg value is not allowed")
        try:
            claims = jwt.decode(
                token,
                self._secret,
                algorithms=[ALGORITHM],
                options={"verify_exp": False, "verify_nbf": False, "verify_iat": False, "require": ["exp", "sub"]},
            )
        except jwt.InvalidSignatureError:
            raise _invalid("Signature verification failed") from None
        except jwt.InvalidTokenError as error:
            raise _invalid(str(error)) from None
        expires, not_before = claims["exp"], claims.get("nbf")
        if not isinstance(expires, int | float) or isinstance(expires, bool):
            raise ApiError(401, {"msg": "Token has expired"})
        if claims.get("type") == "refresh":
            raise _invalid("Only non-refresh tokens are allowed")
        subject = claims["sub"]
        if not isinstance(subject, str) or not subject:
            raise _invalid("Subject must be a string")
        valid_from = not_before if isinstance(not_before, int | float) and not isinstance(not_before, bool) else None
        return subject, float(expires), valid_from


def _bearer_token(authorization: str | None) -> str:
    if not authorization or not authorization.strip():
        raise ApiError(401, {"msg": MISSING_HEADER})
    parts = authorization.split()
    if parts[0] != "Bearer":
        raise ApiError(401, {"msg": WRONG_SCHEME})
    if len(parts) != 2:
        raise _invalid(BAD_HEADER)
    return parts[1]


def _invalid(message: str) -> ApiError:
    return ApiError(401, {"msg": message})
