"""Access tokens: flask-jwt-extended's claim set, and every forged or stale token refused with 401."""

from __future__ import annotations

import jwt
import pytest

from contract_tests.run.probes import alg_none, foreign_key, tampered_signature, tampered_subject
from mock_server.errors import ApiError
from mock_server.panel.tokens import MISSING_HEADER, WRONG_SCHEME, TokenIssuer

SECRET = "k" * 64


@pytest.fixture
def issuer(clock) -> TokenIssuer:
    return TokenIssuer(SECRET, 900, clock)


def _refusal(issuer: TokenIssuer, header: str | None) -> ApiError:
    with pytest.raises(ApiError) as caught:
        issuer.subject(header)
    return caught.value


def test_token_carries_flask_jwt_extended_claims(issuer, clock):
    claims = jwt.decode(issuer.issue("admin"), SECRET, algorithms=["HS256"], options={"verify_exp": False})
    assert set(claims) == {"fresh", "iat", "jti", "type", "sub", "nbf", "csrf", "exp"}
    assert claims["sub"] == "admin" and claims["type"] == "access"
    assert claims["exp"] - claims["iat"] == 900


def test_valid_token_names_its_subject(issuer):
    assert issuer.subject(f"Bearer {issuer.issue('opsupport')}") == "opsupport"


def test_token_expires_exactly_at_its_lifetime(issuer, clock):
    header = f"Bearer {issuer.issue('admin')}"
    clock.now += 899
    assert issuer.subject(header) == "admin"
    clock.now += 1
    error = _refusal(issuer, header)
    assert (error.status, error.body) == (401, {"msg": "Token has expired"})


@pytest.mark.parametrize(
    ("header", "message"),
    [
        (None, MISSING_HEADER),
        ("", MISSING_HEADER),
        ("Basic YWRtaW46YWRtaW4=", WRONG_SCHEME),
        ("Bearer", "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"),
        ("Bearer a b", "Bad Authorization header. Expected 'Authorization: Bearer <JWT>'"),
        ("Bearer abc", "Not enough segments"),
    ],
)
def test_malformed_headers_are_refused(issuer, header, message):
    error = _refusal(issuer, header)
    assert (error.status, error.body) == (401, {"msg": message})


def test_bearer_word_is_case_sensitive(issuer):
    assert _refusal(issuer, f"bearer {issuer.issue('admin')}").body == {"msg": WRONG_SCHEME}


@pytest.mark.parametrize(
    ("forge", "message"),
    [
        (tampered_signature, "Signature verification failed"),
        (tampered_subject, "Signature verification failed"),
        (foreign_key, "Signature verification failed"),
        (alg_none, "The specified alg value is not allowed"),
    ],
)
def test_forged_tokens_are_refused(issuer, forge, message):
    error = _refusal(issuer, f"Bearer {forge(issuer.issue('admin'))}")
    assert (error.status, error.body) == (401, {"msg": message})


def test_refresh_tokens_are_refused(issuer, clock):
    token = jwt.encode({"sub": "admin", "type": "refresh", "exp": clock.now + 60}, SECRET, algorithm="HS256")
    assert _refusal(issuer, f"Bearer {token}").body == {"msg": "Only non-refresh tokens are allowed"}


def test_token_without_expiry_is_refused(issuer):
    token = jwt.encode({"sub": "admin"}, SECRET, algorithm="HS256")
    assert _refusal(issuer, f"Bearer {token}").status == 401


def test_tokens_of_another_instance_are_refused(clock):
    mine, theirs = TokenIssuer("a" * 64, 900, clock), TokenIssuer("b" * 64, 900, clock)
    assert _refusal(mine, f"Bearer {theirs.issue('admin')}").status == 401
