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
from contract_tests.run.journal import Journal
from contract_tests.run.removal import RemovalFailed, remove_account, remove_domain, remove_plan

#: A plan id no panel has: where an auth probe needs a plan, so that even a panel that wrongly
#: accepts the forged token changes nothing real.
ABSENT_PLAN_ID = 2147483647
#: Kinds that name something the panel already has, rather than something of ours.
REFERENCES = frozenset({"existing-plan", "other-plan"})


class SandboxError(Exception):
    """The suite could not set up or remove its own test resources."""


class Sandbox:
    """Accounts, plans and domains the suite owns on the panel under test."""

    def __init__(self, client: ApiClient, journal: Journal | None = None) -> None:
        self.client = client
        #: Every name is written here before the request that may create it is sent.
        self.journal = journal or Journal(None, client.target.base_url)
        self.created: set[str] = set()
        self.plans: dict[str, int | None] = {}
        self.domains: set[str] = set()
        self._shared: dict[str, object] = {}
        self._plan_names: list[str] = []
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
            # The panel's own plans, discovered: an example's plan name exists on one era's panels only.
            "existing-plan": self.plan_name,
            "other-plan": lambda: self.plan_name(second=True),
        }

    def value(self, kind: str) -> object:
        """A sandbox value of ``kind`` (as named in ``x-sandbox``)."""
        try:
            return self.kinds[kind]()
        except KeyError:
            raise SandboxError(f"the spec names an unknown x-sandbox kind {kind!r}") from None

    def absent(self, kind: str) -> object:
        """A value of ``kind`` that names nothing on the panel (tracked, in case it gets created anyway);
        a reference to the panel's own things stays real."""
        if kind in REFERENCES:
            return self.value(kind)
        if "user" in kind:
            return self.new_name()
        if "domain" in kind:
            return self.new_domain()
        return self.new_plan_name() if kind == "new-plan" else ABSENT_PLAN_ID

    # -- applying the rules --------------------------------------------------------------------

    def confine(
        self,
        rules: Iterable[SandboxRule],
        path: dict[str, Any],
        body: Any,
        *,
        negative_path: bool = False,
        negative_body: bool = False,
    ) -> tuple[dict[str, Any], Any]:
        """A generated request's inputs, pointed at our own resources before it is sent.

        Deliberately invalid values are left alone: they must be refused, and no real resource can
        carry them. Names the sandbox handed out before (carried over a link) are kept. References
        to the panel's own things (``existing-plan``) are filled in valid requests only: in a
        deliberately invalid one they would turn it valid.
        """
        for rule in rules:
            if rule.location == "path" and rule.name in path and not negative_path:
                if not _ours(path[rule.name]):
                    path = {**path, rule.name: self.value(rule.kind)}
            elif (
                rule.location == "body"
                and isinstance(body, dict)
                and _sendable(body.get(rule.name))
                and not (rule.kind in REFERENCES and negative_body)
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
        self.journal.record("account", name)
        with self._lock:
            self.created.add(name)
        return name

    def new_plan_name(self) -> str:
        name = f"{SANDBOX_PREFIX}-plan-{uuid.uuid4().hex[:10]}"
        self.journal.record("plan", name)
        with self._lock:
            self.plans.setdefault(name, None)
        return name

    def new_domain(self) -> str:
        domain = f"{SANDBOX_PREFIX}{uuid.uuid4().hex[:10]}.example.com"
        self.journal.record("domain", domain)
        with self._lock:
            self.domains.add(domain)
        return domain

    def forget(self, value: object) -> None:
        """A name the panel refused to create: nothing to clean up."""
        if not isinstance(value, str):
            return
        with self._lock:
            if value in self.created:
                self.created.discard(value)
                self.journal.forget("account", value)
            if value in self.domains:
                self.domains.discard(value)
                self.journal.forget("domain", value)
            if value in self.plans and self.plans[value] is None:
                self.plans.pop(value)
                self.journal.forget("plan", value)

    # -- resources -----------------------------------------------------------------------------

    def plan_name(self, *, second: bool = False) -> str:
        """A plan of the panel's own (not one the suite made) to create accounts on, or to move one to."""
        if not self._plan_names:
            response = self.client.call("listPlans")
            try:
                plans = [plan["name"] for plan in response.json()["plans"]]
            except (ValueError, KeyError, TypeError):
                plans = []
            self._plan_names = [name for name in plans if isinstance(name, str) and not _ours(name)]
            if not self._plan_names:
                raise SandboxError(f"GET /api/plans answered {response.status_code}: no plan to use")
        return self._plan_names[1 if second and len(self._plan_names) > 1 else 0]

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
        self.track_plan(name, plan_id)
        return plan_id

    def track_plan(self, name: str, plan_id: int) -> None:
        """A plan of ours is known by id from now on: a panel may rename it (2.x's PATCH names it "None")."""
        self.journal.record("plan", name, id=plan_id)
        with self._lock:
            self.plans[name] = plan_id

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
        """Remove everything this run created, each confirmed by a read; answer what could not be removed."""
        leftovers = []
        found = self.plan_ids() if None in self.plans.values() else {}  # one listing for all unknown ids
        work = [
            *(("domain", domain, lambda d=domain: remove_domain(self.client, d)) for domain in sorted(self.domains)),
            *(("account", name, lambda n=name: remove_account(self.client, n)) for name in sorted(self.created)),
        ]
        for name, plan_id in sorted(self.plans.items()):
            plan_id = plan_id if plan_id is not None else found.get(name)
            if plan_id is None:
                self.journal.forget("plan", name)  # never created: not listed under its name, no id known
                continue
            work.append(("plan", name, lambda i=plan_id: remove_plan(self.client, i)))
        for kind, name, remove in work:
            try:
                remove()
            except RemovalFailed as problem:
                leftovers.append(f"{kind} {name} ({problem})")
                continue
            self.journal.forget(kind, name)
        self.created.clear()
        self.plans.clear()
        self.domains.clear()
        self._shared.clear()
        self.journal.compact()
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
