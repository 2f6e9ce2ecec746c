"""An authenticated connection to the panel under test that renews its token before it expires."""

from __future__ import annotations

import threading
import time
from typing import Any

import jwt
import requests

from contract_tests.settings import Target, UsageError

#: Renew this many seconds before the token's ``exp``, so no request races the expiry.
RENEW_MARGIN = 30
#: Seconds to wait for the panel; a hung panel is a failure, not a hung CI job.
TIMEOUT = 30


class LoginFailed(UsageError):
    """The panel refused the credentials or did not answer like the contract's login."""


class PanelSession:
    """Logs in through ``POST /api/`` and hands out a valid bearer token for every request."""

    def __init__(self, target: Target) -> None:
        self.target = target
        self.http = requests.Session()
        self.http.verify = target.verify_tls
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = threading.Lock()
        self.logins = 0

    def token(self) -> str:
        with self._lock:
            if self._token is None or time.time() >= self._expires_at - RENEW_MARGIN:
                self._token, self._expires_at = self._login()
            return self._token

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token()}"}

    def request(self, method: str, path: str, *, json: Any = None, auth: bool = True) -> requests.Response:
        """One call with the headers real clients send (JSON content type even without a body)."""
        headers = {"Content-Type": "application/json", **(self.auth_headers() if auth else {})}
        return self.http.request(method, self.target.base_url + path, json=json, headers=headers, timeout=TIMEOUT)

    def _login(self) -> tuple[str, float]:
        url = f"{self.target.base_url}/api/"
        try:
            response = self.http.post(
                url, json={"username": self.target.username, "password": self.target.password}, timeout=TIMEOUT
            )
        except requests.RequestException as error:
            raise LoginFailed(f"cannot reach {url}: {error.__class__.__name__}") from None
        try:
            token = response.json()["access_token"]
        except (ValueError, KeyError, TypeError):
            raise LoginFailed(
                f"login as {self.target.username!r} at {url} answered {response.status_code} without an access_token"
            ) from None
        self.logins += 1
        try:
            claims = jwt.decode(token, options={"verify_signature": False})
            expires_at = float(claims["exp"])
        except (jwt.InvalidTokenError, KeyError, TypeError, ValueError):
            # An unreadable expiry: renew at the documented 15-minute lifetime.
            expires_at = time.time() + 900
        return token, expires_at
