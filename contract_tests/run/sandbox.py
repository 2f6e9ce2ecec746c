"""What the suite creates on a panel: prefixed names, tracked, and removed again even after failures.

Operations that change things name, in the spec's ``x-sandbox`` extension, which of their inputs must
point at the suite's own resources (``path.username: user``, ``body.name: new-plan`` …); the contract
model parses them into ``SandboxRule`` s. This module is the one place that knows how to make each
kind, and how to apply the rules to a request.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from contract_model import Operation, SandboxRule
from contract_tests.config.settings import SANDBOX_PREFIX
from contract_tests.run.client import ApiClient

#: A plan id no panel has: where an auth probe needs a plan, so that even a panel that wrongly
#: accepts the forged token changes nothing real.
ABSENT_PLAN_ID = 2147483647


class SandboxError(Exception):
    """The suite could not set up or remove its own test resources."""


class Sandbox:
    """Accounts, plans and domains the suite owns on the panel under test."""

    def __init__(self, client: ApiClient) -> None:
        self.client = client
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

    def absent(self, kind: str) -> object:
        """A value of ``kind`` that names nothing on the panel (tracked, in case it gets created anyway)."""
        if "user" in kind:
            return self.new_name()
        if "domain" in kind:
            return self.new_domain()
        return self.new_plan_name() if kind == "new-plan" else ABSENT_PLAN_ID

    # -- applying the rules --------------------------------------------------------------------

    def confine(
        self, rules: Iterable[SandboxRule], path: dict[str, Any], body: Any, *, negative_path: bool
    ) -> tuple[dict[str, Any], Any]:
        """A generated request's inputs, pointed at our own resources before it is sent.

        Deliberately invalid values are left alone: they must be refused, and no real resource can
        carry them. Names the sandbox handed out before (carried over a link) are kept.
        """
        for rule in rules:
            if rule.location == "path" and rule.name in path and not negative_path:
                if not _ours(path[rule.name]):
                    path = {**path, rule.name: self.value(rule.kind)}
            elif (
                rule.location == "body"
                and isinstance(body, dict)
                and _sendable(body.get(rule.name))
                and (rule.fresh or not _ours(body[rule.name]))
            ):
                body = {**body, rule.name: self.value(rule.kind)}
        return path, body

    def forget_refused(self, rules: Iterable[SandboxRule], path: dict[str, Any] | None, body: Any) -> None:
        """The panel refused a request: the fresh names it carried were never created."""
        for rule in rules:
            values = body if rule.location == "body" else path
            if rule.fresh and isinstance(values, dict):
                self.forget(values.get(rule.name))

    # -- names ---------------------------------------------------------------------------------

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

    # -- resources -----------------------------------------------------------------------------

    def plan_name(self) -> str:
        """A plan of the panel's own to create sandbox accounts on."""
        if self._plan_name is None:
            response = self.client.call("listPlans")
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
        self._expect_2xx(self.client.call("createUser", json=body), f"creating account {name}")
        return name

    def create_plan(self) -> int:
        name = self.new_plan_name()
        response = self.client.call("createPlan", json={"name": name})
        self._expect_2xx(response, f"creating plan {name}")
        plan_id = self.find_plan_id(name, response)
        with self._lock:
            self.plans[name] = plan_id
        return plan_id

    def create_domain(self) -> str:
        owner = str(self.value("user"))
        domain = self.new_domain()
        response = self.client.call("addDomain", json={"username": owner, "domain": domain})
        self._expect_2xx(response, f"adding domain {domain}")
        return domain

    def find_plan_id(self, name: str, response: Any) -> int:
        """The id of a plan just created: from its answer, or (servers that do not answer it) the list."""
        try:
            return int(response.json()["plan"]["id"])
        except (ValueError, KeyError, TypeError):
            plan_id = self.plan_ids().get(name)
            if plan_id is None:
                raise SandboxError(f"created plan {name} is not in GET /api/plans") from None
            return plan_id

    def plan_ids(self) -> dict[str, int]:
        """Plan name → id, from one plan listing (empty when the answer is unusable)."""
        try:
            plans = self.client.call("listPlans").json()["plans"]
            return {plan["name"]: int(plan["id"]) for plan in plans if isinstance(plan, dict) and "name" in plan}
        except (ValueError, KeyError, TypeError):
            return {}

    # -- clean-up ------------------------------------------------------------------------------

    def cleanup(self) -> list[str]:
        """Remove everything this run created; answer what could not be removed."""
        leftovers = []
        for domain in sorted(self.domains):
            status = self.client.call("deleteDomain", domain=domain).status_code
            if not (200 <= status < 300 or status == 404):
                leftovers.append(f"domain {domain} (delete answered {status})")
        for name in sorted(self.created):
            status = self.client.call("deleteUser", username=name).status_code
            if not (200 <= status < 300 or status == 404):
                # 2024 servers refused to delete a suspended account: unsuspend, then retry (as WHMCS does).
                self.client.call("modifyUser", json={"action": "unsuspend"}, username=name)
                status = self.client.call("deleteUser", username=name).status_code
            if not (200 <= status < 300 or status == 404):
                leftovers.append(f"{name} (DELETE answered {status})")
        found = self.plan_ids() if None in self.plans.values() else {}  # one listing for all unknown ids
        for name, plan_id in sorted(self.plans.items()):
            plan_id = plan_id if plan_id is not None else found.get(name)
            if plan_id is None:
                continue
            status = self.client.call("deletePlan", plan_id=plan_id).status_code
            if not (200 <= status < 300 or status == 404):
                leftovers.append(f"plan {name} (delete answered {status})")
        self.created.clear()
        self.plans.clear()
        self.domains.clear()
        self._shared.clear()
        return leftovers

    # -- internals -----------------------------------------------------------------------------

    def _shared_value(self, kind: str, make: Callable[[], object], exists: Callable[[object], bool]) -> object:
        """One long-lived resource per kind for operations that change but do not delete it."""
        with self._lock:
            value = self._shared.get(kind)
            if value is None or not exists(value):
                value = self._shared[kind] = make()
            return value

    def _user_exists(self, name: object) -> bool:
        return self.client.call("getUser", username=name).status_code == 200

    def _plan_exists(self, plan_id: object) -> bool:
        return self.client.call("getPlan", plan_id=plan_id).status_code == 200

    def _domain_exists(self, domain: object) -> bool:
        response = self.client.call("listDomains")
        try:
            return any(item["domain_url"] == domain for item in response.json()["domains"])
        except (ValueError, KeyError, TypeError):
            return False

    @staticmethod
    def _expect_2xx(response: Any, what: str) -> None:
        if not 200 <= response.status_code < 300:
            raise SandboxError(f"{what} answered {response.status_code}: {response.text[:200]}")


def documented_request(operation: Operation, sandbox: Sandbox | None, *, absent: bool = False) -> tuple[str, Any]:
    """Path and body from the spec's examples, every ``x-sandbox`` input pointed at our own resources
    (or, with ``absent``, at resources that do not exist). Operations without rules need no sandbox."""
    params: dict[str, object] = {}
    body = operation.example_body()
    for rule in operation.sandbox:
        if sandbox is None:
            raise SandboxError(f"{operation.operation_id} writes: it needs the sandbox")
        value = sandbox.absent(rule.kind) if absent else sandbox.value(rule.kind)
        if rule.location == "path":
            params[rule.name] = value
        elif isinstance(body, dict):
            body[rule.name] = value
    return operation.path_with(**params), body


def _ours(value: object) -> bool:
    """A name the sandbox handed out (e.g. carried over a link from an earlier create): keep it."""
    return isinstance(value, str) and value.startswith(SANDBOX_PREFIX)


def _sendable(value: object) -> bool:
    # Only replace values of the documented kind; a wrong type is negative data and must stay.
    return isinstance(value, str | int) and not isinstance(value, bool)
