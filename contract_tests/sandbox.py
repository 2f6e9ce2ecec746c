"""What the suite creates on a panel: prefixed names, tracked, and removed again even after failures.

Operations that change things name, in the spec's ``x-sandbox`` extension, which of their inputs
must point at the suite's own resources (``path.username: user``, ``body.name: new-plan`` …). The
kinds below are the only place that knows how to make each one.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable

from contract_tests.session import PanelSession
from contract_tests.settings import SANDBOX_PREFIX


class SandboxError(Exception):
    """The suite could not set up or remove its own test resources."""


class Sandbox:
    """Accounts, plans and domains the suite owns on the panel under test."""

    def __init__(self, session: PanelSession) -> None:
        self.session = session
        self.created: set[str] = set()
        self.plans: dict[str, int | None] = {}
        self.domains: set[str] = set()
        self._shared: dict[str, object] = {}
        self._plan_name: str | None = None
        self._lock = threading.RLock()
        self.kinds: dict[str, Callable[[], object]] = {
            "new-user": self.new_name,
            "user": lambda: self._shared_value("user", self.create_user, self._user_exists),
            "disposable-user": self.create_user,
            "new-plan": self.new_plan_name,
            "plan": lambda: self._shared_value("plan", self.create_plan, self._plan_exists),
            "disposable-plan": self.create_plan,
            "new-domain": self.new_domain,
            "domain": lambda: self._shared_value("domain", self.create_domain, self._domain_exists),
            "disposable-domain": self.create_domain,
        }

    def value(self, kind: str) -> object:
        """A sandbox value of ``kind`` (as named in ``x-sandbox``)."""
        try:
            return self.kinds[kind]()
        except KeyError:
            raise SandboxError(f"the spec names an unknown x-sandbox kind {kind!r}") from None

    # -- names -------------------------------------------------------------------------------

    def new_name(self) -> str:
        """A fresh, recognisable account name, tracked for clean-up before it is ever sent."""
        name = f"{SANDBOX_PREFIX}{uuid.uuid4().hex[:12]}"
        with self._lock:
            self.created.add(name)
        return name

    def new_plan_name(self) -> str:
        name = f"{SANDBOX_PREFIX}-plan-{uuid.uuid4().hex[:10]}"
        with self._lock:
            self.plans.setdefault(name, None)
        return name

    def new_domain(self) -> str:
        domain = f"{SANDBOX_PREFIX}{uuid.uuid4().hex[:10]}.example.com"
        with self._lock:
            self.domains.add(domain)
        return domain

    def forget(self, value: object) -> None:
        """A name the panel refused to create: nothing to clean up."""
        if not isinstance(value, str):
            return
        with self._lock:
            self.created.discard(value)
            self.domains.discard(value)
            if self.plans.get(value) is None:
                self.plans.pop(value, None)

    # -- resources ---------------------------------------------------------------------------

    def plan_name(self) -> str:
        """A plan of the panel's own to create sandbox accounts on."""
        if self._plan_name is None:
            response = self.session.request("GET", "/api/plans")
            try:
                self._plan_name = response.json()["plans"][0]["name"]
            except (ValueError, KeyError, IndexError, TypeError):
                raise SandboxError(f"GET /api/plans answered {response.status_code}: no plan to use") from None
        return self._plan_name

    def create_user(self) -> str:
        name = self.new_name()
        body = {
            "username": name,
            "password": f"Pw-{uuid.uuid4().hex}",
            "email": f"{name}@example.com",
            "plan_name": self.plan_name(),
        }
        self._expect_2xx(self.session.request("POST", "/api/users", json=body), f"creating account {name}")
        return name

    def create_plan(self) -> int:
        name = self.new_plan_name()
        response = self.session.request("POST", "/api/plans", json={"name": name})
        self._expect_2xx(response, f"creating plan {name}")
        plan_id = self._find_plan_id(name, response)
        with self._lock:
            self.plans[name] = plan_id
        return plan_id

    def create_domain(self) -> str:
        owner = str(self.value("user"))
        domain = self.new_domain()
        response = self.session.request("POST", "/api/domains/new", json={"username": owner, "domain": domain})
        self._expect_2xx(response, f"adding domain {domain}")
        return domain

    # -- clean-up ----------------------------------------------------------------------------

    def cleanup(self) -> list[str]:
        """Remove everything this run created; answer what could not be removed."""
        leftovers = []
        for domain in sorted(self.domains):
            status = self.session.request("POST", f"/api/domains/delete/{domain}").status_code
            if not (200 <= status < 300 or status == 404):
                leftovers.append(f"domain {domain} (delete answered {status})")
        for name in sorted(self.created):
            status = self.session.request("DELETE", f"/api/users/{name}").status_code
            if not (200 <= status < 300 or status == 404):
                # 2024 servers refused to delete a suspended account: unsuspend, then retry (as WHMCS does).
                self.session.request("PATCH", f"/api/users/{name}", json={"action": "unsuspend"})
                status = self.session.request("DELETE", f"/api/users/{name}").status_code
            if not (200 <= status < 300 or status == 404):
                leftovers.append(f"{name} (DELETE answered {status})")
        found = self._plan_ids() if None in self.plans.values() else {}  # one listing for all unknown ids
        for name, plan_id in sorted(self.plans.items()):
            plan_id = plan_id if plan_id is not None else found.get(name)
            if plan_id is None:
                continue
            status = self.session.request("DELETE", f"/api/plans/{plan_id}").status_code
            if not (200 <= status < 300 or status == 404):
                leftovers.append(f"plan {name} (delete answered {status})")
        self.created.clear()
        self.plans.clear()
        self.domains.clear()
        self._shared.clear()
        return leftovers

    # -- internals ---------------------------------------------------------------------------

    def _shared_value(self, kind: str, make: Callable[[], object], exists: Callable[[object], bool]) -> object:
        """One long-lived resource per kind for operations that change but do not delete it."""
        with self._lock:
            value = self._shared.get(kind)
            if value is None or not exists(value):
                value = self._shared[kind] = make()
            return value

    def _user_exists(self, name: object) -> bool:
        return self.session.request("GET", f"/api/users/{name}").status_code == 200

    def _plan_exists(self, plan_id: object) -> bool:
        return self.session.request("GET", f"/api/plans/{plan_id}").status_code == 200

    def _domain_exists(self, domain: object) -> bool:
        response = self.session.request("GET", "/api/domains")
        try:
            return any(item["domain_url"] == domain for item in response.json()["domains"])
        except (ValueError, KeyError, TypeError):
            return False

    def _find_plan_id(self, name: str, response) -> int:
        try:
            return int(response.json()["plan"]["id"])
        except (ValueError, KeyError, TypeError):
            plan_id = self._lookup_plan_id(name)  # servers that do not answer the plan (Go 2.x)
            if plan_id is None:
                raise SandboxError(f"created plan {name} is not in GET /api/plans") from None
            return plan_id

    def _lookup_plan_id(self, name: str) -> int | None:
        return self._plan_ids().get(name)

    def _plan_ids(self) -> dict[str, int]:
        """Plan name → id, from one ``GET /api/plans`` (empty when the answer is unusable)."""
        try:
            plans = self.session.request("GET", "/api/plans").json()["plans"]
            return {plan["name"]: int(plan["id"]) for plan in plans if isinstance(plan, dict) and "name" in plan}
        except (ValueError, KeyError, TypeError):
            return {}

    @staticmethod
    def _expect_2xx(response, what: str) -> None:
        if not 200 <= response.status_code < 300:
            raise SandboxError(f"{what} answered {response.status_code}: {response.text[:200]}")
