"""OpenAdmin accounts (administrators, resellers) and feature sets, as the suite makes and removes them.

Account names are the sandbox prefix and hex digits, which fit the panel's administrator rule
(letters, digits, ``_``). An account is removed with its own ``delete`` action and confirmed gone
from its list; a feature set with its ``delete`` action and confirmed by a 404 read.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from contract_tests.config.settings import SANDBOX_PREFIX
from contract_tests.run.removal import RemovalFailed, status_of, still_there
from contract_tests.run.resources import Resource, resource

if TYPE_CHECKING:
    from contract_tests.run.client import ApiClient
    from contract_tests.run.sandbox import Sandbox


class _OpenAdminAccount(Resource):
    """An account of the OpenAdmin panel itself, managed through one actions operation."""

    manage = ""
    listing = ""

    def fresh_name(self) -> str:
        return f"{SANDBOX_PREFIX}_{uuid.uuid4().hex[:12]}"

    def create(self, sandbox: Sandbox, name: str) -> str:
        body = {"action": "create", "username": name, "password": f"Pw-{uuid.uuid4().hex[:16]}"}
        sandbox.expect_2xx(sandbox.client.call(self.manage, json=body), f"creating {self.journal_kind} {name}")
        return name

    def exists(self, client: ApiClient, value: object) -> bool:
        return value in self._names(client)

    def remove(self, client: ApiClient, name: str, entry: dict[str, Any]) -> None:
        if name not in self._names(client):
            return
        status = status_of(client, self.manage, json={"action": "delete", "username": name})
        if name in self._names(client):
            raise RemovalFailed(f"still listed after its delete action answered {status}")

    def listed(self, client: ApiClient) -> dict[str, dict[str, Any]]:
        try:
            names = self._names(client)
        except RemovalFailed:
            return {}  # an unreadable list shows no leftovers; clean-up of journaled names still tries
        return {name: {} for name in names if name.startswith(SANDBOX_PREFIX)}

    def _names(self, client: ApiClient) -> set[str]:
        response = client.call(self.listing)
        if response.status_code == 404:
            return set()  # a panel without the route (1.x) has no OpenAdmin accounts of ours to remove
        try:
            return {str(row["username"]) for row in response.json() if isinstance(row, dict)}
        except (ValueError, KeyError, TypeError):
            status = response.status_code
            raise RemovalFailed(f"cannot tell whether it is gone: {self.listing} answered {status}") from None


@resource
class Administrator(_OpenAdminAccount):
    noun, journal_kind, removal_order = "admin", "administrator", 40
    manage, listing = "manageAdministrator", "listAdministrators"


@resource
class Reseller(_OpenAdminAccount):
    # After the hosting accounts (20) it may own.
    noun, journal_kind, removal_order = "reseller", "reseller", 45
    manage, listing = "manageReseller", "listResellers"


@resource
class FeatureSet(Resource):
    noun, journal_kind, removal_order = "feature-set", "feature set", 35

    def fresh_name(self) -> str:
        return f"{SANDBOX_PREFIX}-fs-{uuid.uuid4().hex[:10]}"

    def create(self, sandbox: Sandbox, name: str) -> str:
        response = sandbox.client.call("createFeatureSet", json={"feature_name": name})
        sandbox.expect_2xx(response, f"creating feature set {name}")
        return name

    def exists(self, client: ApiClient, value: object) -> bool:
        return client.call("getFeatureSet", plan=value).status_code == 200

    def remove(self, client: ApiClient, name: str, entry: dict[str, Any]) -> None:
        if not still_there(client, "getFeatureSet", plan=name):
            return
        status = status_of(client, "updateFeatureSet", json={"action": "delete"}, plan=name)
        if still_there(client, "getFeatureSet", plan=name):
            raise RemovalFailed(f"still readable after its delete action answered {status}")

    def listed(self, client: ApiClient) -> dict[str, dict[str, Any]]:
        response = client.call("listFeatureSets")
        try:
            names = [str(name) for name in response.json()]
        except (ValueError, TypeError):
            return {}
        return {name: {} for name in names if name.startswith(SANDBOX_PREFIX)}
