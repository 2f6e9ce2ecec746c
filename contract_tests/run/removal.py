"""Removing the suite's own resources, each confirmed gone by reading it back.

A DELETE's status proves nothing: a 1.x panel answers 500 to deleting an account that fuzzing already
removed, a 2.x panel answers 200 to deleting a plan it keeps. So every removal ends with a read, and
follows what each generation needs: a suspended account may have to be unsuspended first (2024
servers refuse to delete it, as the WHMCS module knows), and a 2.x panel deletes plans by *name* —
the id it is given in the path — so a plan that survives its DELETE is renamed to its id and deleted
again.
"""

from __future__ import annotations

from typing import Any

from contract_tests.run.client import ApiClient


def _answer(client: ApiClient, operation_id: str, **options: Any) -> int:
    try:
        return client.call(operation_id, **options).status_code
    except OSError as error:  # requests' errors are OSErrors: a dropped connection is a "could not"
        raise RemovalFailed(f"{operation_id} failed: {error.__class__.__name__}") from None


class RemovalFailed(Exception):
    """The resource may still exist; the message says why."""


def _still_there(client: ApiClient, operation_id: str, **params: Any) -> bool:
    status = _answer(client, operation_id, **params)
    if status == 404:
        return False
    if status == 200:
        return True
    raise RemovalFailed(f"cannot tell whether it is gone: {operation_id} answered {status}")


def remove_account(client: ApiClient, name: str) -> None:
    """Delete the account ``name`` (by its original name, suspended or not) and confirm it is gone."""
    if not _still_there(client, "getUser", username=name):
        return
    status = _answer(client, "deleteUser", username=name)
    if not _still_there(client, "getUser", username=name):
        return
    _answer(client, "modifyUser", json={"action": "unsuspend"}, username=name)
    status = _answer(client, "deleteUser", username=name)
    if _still_there(client, "getUser", username=name):
        raise RemovalFailed(f"still readable after DELETE answered {status}")


def remove_plan(client: ApiClient, plan_id: int) -> None:
    """Delete the plan ``plan_id`` (whatever it is called by now) and confirm it is gone."""
    if not _still_there(client, "getPlan", plan_id=plan_id):
        return
    status = _answer(client, "deletePlan", plan_id=plan_id)
    if not _still_there(client, "getPlan", plan_id=plan_id):
        return
    _answer(client, "replacePlan", json={"name": str(plan_id)}, plan_id=plan_id)
    status = _answer(client, "deletePlan", plan_id=plan_id)
    if _still_there(client, "getPlan", plan_id=plan_id):
        raise RemovalFailed(f"still readable after DELETE answered {status}")


def remove_domain(client: ApiClient, domain: str) -> None:
    """Delete ``domain`` and confirm it is no longer listed."""
    if not _listed(client, domain):
        return
    status = _answer(client, "deleteDomain", domain=domain)
    if _listed(client, domain):
        raise RemovalFailed(f"still listed after delete answered {status}")


def _listed(client: ApiClient, domain: str) -> bool:
    response = client.call("listDomains")
    try:
        domains = response.json()["domains"]
        return any(isinstance(item, dict) and item.get("domain_url") == domain for item in domains)
    except (ValueError, KeyError, TypeError):
        raise RemovalFailed(
            f"cannot tell whether it is gone: GET /api/domains answered {response.status_code}"
        ) from None
