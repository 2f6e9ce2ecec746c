"""Password checks at the panel's real cost, paid once per correct password rather than per login.

The panel hashes administrator passwords with pbkdf2 at 260,000 rounds (≈50 ms of CPU), and clients
such as the vendor's WHMCS module log in before every call. A correct password for a given stored
hash stays correct, so a success is remembered; failures are never remembered and always pay the
full price, as guessing should. The memo holds keyed digests (a random key per start), never
passwords.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from werkzeug.security import check_password_hash

from mock_server.memo import BoundedMemo


class PasswordVerifier:
    """Werkzeug's ``check_password_hash`` with successes remembered."""

    def __init__(self, capacity: int = 1024) -> None:
        self._key = secrets.token_bytes(32)
        self._known: BoundedMemo[bytes, bool] = BoundedMemo(capacity)

    def verify(self, password_hash: str, password: str) -> bool:
        digest = hmac.new(self._key, f"{password_hash}\0{password}".encode(), hashlib.sha256).digest()
        if self._known.get(digest):
            return True
        if not check_password_hash(password_hash, password):
            return False
        self._known.put(digest, True)
        return True
