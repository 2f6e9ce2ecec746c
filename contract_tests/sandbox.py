"""What the suite creates on a panel: prefixed names, tracked, and removed again even after failures."""

from __future__ import annotations

import threading
import uuid

from contract_tests.session import PanelSession
from contract_tests.settings import SANDBOX_PREFIX


class SandboxError(Exception):
    """The suite could not set up or remove its own test accounts."""


class Sandbox:
    """Accounts the suite owns on the panel under test.

    Write operations are only ever pointed at these accounts, so a ``--mutating`` run never touches
    an account it did not create.
    """

    def __init__(self, session: PanelSession) -> None:
        self.session = session
        self.created: set[str] = set()
        self._shared: str | None = None
        self._plan_name: str | None = None
        self._lock = threading.Lock()

    def new_name(self) -> str:
        """A fresh, recognisable account name, tracked for clean-up before it is ever sent."""
        name = f"{SANDBOX_PREFIX}{uuid.uuid4().hex[:12]}"
        with self._lock:
            self.created.add(name)
        return name

    def plan_name(self) -> str:
        if self._plan_name is None:
            response = self.session.request("GET", "/api/plans")
            try:
                self._plan_name = response.json()["plans"][0]["name"]
            except (ValueError, KeyError, IndexError, TypeError):
                raise SandboxError(
                    f"GET /api/plans answered {response.status_code}: no plan to create accounts on"
                ) from None
        return self._plan_name

    def create_user(self) -> str:
        """Create a new sandbox account and answer its name."""
        name = self.new_name()
        body = {
            "username": name,
            "password": f"Pw-{uuid.uuid4().hex}",
            "email": f"{name}@example.com",
            "plan_name": self.plan_name(),
        }
        response = self.session.request("POST", "/api/users", json=body)
        if not 200 <= response.status_code < 300:
            raise SandboxError(
                f"creating sandbox account {name} answered {response.status_code}: {response.text[:200]}"
            )
        return name

    def shared_user(self) -> str:
        """One long-lived sandbox account for operations that change but do not delete it."""
        with self._lock:
            shared = self._shared
        if shared is None or self.session.request("GET", f"/api/users/{shared}").status_code == 404:
            shared = self.create_user()
            with self._lock:
                self._shared = shared
        return shared

    def cleanup(self) -> list[str]:
        """Delete every account this run created; answer the ones that could not be removed."""
        leftovers = []
        for name in sorted(self.created):
            # 2024 servers refused to delete a suspended account, so unsuspend first (as WHMCS does).
            self.session.request("PATCH", f"/api/users/{name}", json={"action": "unsuspend"})
            status = self.session.request("DELETE", f"/api/users/{name}").status_code
            if not (200 <= status < 300 or status == 404):
                leftovers.append(f"{name} (DELETE answered {status})")
        self.created.clear()
        self._shared = None
        return leftovers
