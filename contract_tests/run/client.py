"""An authenticated client of the API under test: operations by ``operationId``, a token renewed
before it expires, the run's request budget, and 429 answers waited out."""

from __future__ import annotations

import threading
import time
from typing import Any

import jwt
import requests

from contract_model import Contract
from contract_tests.config.settings import Target, UsageError, requests_per_second
from contract_tests.run import interrupts

#: Renew this many seconds before the token's ``exp``, so no request races the expiry.
RENEW_MARGIN = 30
#: Seconds to wait for the panel; a hung panel is a failure, not a hung CI job.
TIMEOUT = 30
#: How often, and for how long at most, to wait out a 429 before giving up.
RATE_LIMIT_RETRIES = 3
MAX_RETRY_AFTER = 60.0
JSON = "application/json"


class LoginFailed(UsageError):
    """The panel refused the credentials or did not answer like the contract's login."""


class ApiClient:
    """Logs in through the contract's ``login`` operation and signs every later call."""

    def __init__(self, target: Target, contract: Contract | None = None) -> None:
        self.target = target
        #: The contract whose operations ``call`` knows (the bundled one unless told otherwise).
        self.contract = contract or Contract.load()
        self.http = requests.Session()
        self.http.verify = target.verify_tls
        self._token: str | None = None
        self._expires_at = 0.0
        #: The run's first token and its expiry: an expired token for free once a run outlasts it.
        self.first_token: tuple[str, float] | None = None
        self._lock = threading.Lock()
        self.logins = 0
        per_second = requests_per_second(target.rate)
        self._interval = 1 / per_second if per_second else 0.0
        self._next_slot = 0.0
        self._pace_lock = threading.Lock()

    # -- the token -----------------------------------------------------------------------------

    def token(self) -> str:
        with self._lock:
            if self._token is None or time.time() >= self._expires_at - RENEW_MARGIN:
                self._token, self._expires_at = self._login()
                self.first_token = self.first_token or (self._token, self._expires_at)
            return self._token

    def invalidate(self) -> None:
        """Forget the token (the panel's clock moved, or it was revoked); the next call logs in again."""
        with self._lock:
            self._token = None

    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token()}"}

    # -- calls ---------------------------------------------------------------------------------

    def call(self, operation_id: str, *, json: Any = None, **options: Any) -> requests.Response:
        """Call an operation of the contract; path parameters by name, the rest as for ``request``."""
        operation = self.contract.operation(operation_id)
        names = [p["name"] for p in operation.parameters if p["in"] == "path"]
        missing = [name for name in names if name not in options]
        if missing:
            raise TypeError(f"{operation_id} needs the path parameters {', '.join(missing)}")
        path = operation.path_with(**{name: options.pop(name) for name in names})
        return self.request(operation.method, path, json=json, **options)

    def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        data: bytes | None = None,
        auth: bool = True,
        headers: dict[str, str] | None = None,
        content_type: str | None = JSON,
        allow_redirects: bool = False,
    ) -> requests.Response:
        """One request with the headers real clients send: a JSON content type, even without a body
        (``content_type=None`` sends none), and the token unless ``auth=False``."""
        sent = {**({"Content-Type": content_type} if content_type else {}), **(self.auth_headers() if auth else {})}
        return self.send(
            method,
            self.target.base_url + path,
            json=json,
            data=data,
            headers={**sent, **(headers or {})},
            allow_redirects=allow_redirects,
        )

    def send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        """Send within ``--rate``, waiting out 429 answers as ``Retry-After`` says. A redirect is an
        answer to judge, not followed (a panel redirecting every route to a login page must not loop)."""
        kwargs.setdefault("timeout", TIMEOUT)
        kwargs.setdefault("allow_redirects", False)
        for attempt in range(RATE_LIMIT_RETRIES + 1):
            interrupts.checkpoint()
            self._pace()
            response = self.http.request(method, url, **kwargs)
            if response.status_code != 429 or attempt == RATE_LIMIT_RETRIES:
                return response
            time.sleep(_retry_after(response, attempt))
        return response

    def _pace(self) -> None:
        if not self._interval:
            return
        with self._pace_lock:
            now = time.monotonic()
            wait = self._next_slot - now
            self._next_slot = max(now, self._next_slot) + self._interval
        if wait > 0:
            time.sleep(wait)

    def _login(self) -> tuple[str, float]:
        login = self.contract.operation("login")
        url = self.target.base_url + login.path
        credentials = {"username": self.target.username, "password": self.target.password}
        try:
            response = self.send(login.method, url, json=credentials)
        except requests.RequestException as error:
            raise LoginFailed(f"cannot reach {url}: {error.__class__.__name__}") from None
        try:
            token = response.json()["access_token"]
        except (ValueError, KeyError, TypeError):
            if _api_switched_off(response):
                raise LoginFailed(
                    f"the panel at {self.target.base_url} has its API switched off ({response.status_code}: "
                    f"{response.json()['error']!r}); enable it in OpenAdmin > Settings > API "
                    "(2.x also needs a licence key)"
                ) from None
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


def _api_switched_off(response: requests.Response) -> bool:
    """The API/licence gate's answer: every route, before authentication (facts §1.2)."""
    try:
        error = response.json().get("error", "")
    except (ValueError, AttributeError):
        return False
    return response.status_code == 404 and isinstance(error, str) and "API access is disabled" in error


def _retry_after(response: requests.Response, attempt: int) -> float:
    """Seconds to wait: the server's ``Retry-After`` when it gives one, else 2, 4, 8 … seconds."""
    try:
        return min(MAX_RETRY_AFTER, max(0.0, float(response.headers.get("Retry-After", ""))))
    except ValueError:
        return min(MAX_RETRY_AFTER, 2.0 * 2**attempt)
