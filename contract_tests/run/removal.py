"""What every removal has in common: a DELETE's status proves nothing, a read afterwards does.

A 1.x panel answers 500 to deleting an account fuzzing already removed, a 2.x panel answers 200 to
deleting a plan it keeps — so each resource type's ``remove`` ends with a read, using these helpers.
"""

from __future__ import annotations

from typing import Any

from contract_tests.run.client import ApiClient


class RemovalFailed(Exception):
    """The resource may still exist; the message says why."""


def status_of(client: ApiClient, operation_id: str, **options: Any) -> int:
    try:
        return client.call(operation_id, **options).status_code
    except OSError as error:  # requests' errors are OSErrors: a dropped connection is a "could not"
        raise RemovalFailed(f"{operation_id} failed: {error.__class__.__name__}") from None


def still_there(client: ApiClient, operation_id: str, **params: Any) -> bool:
    """``True`` if the read answers 200, ``False`` on 404; anything else cannot tell."""
    status = status_of(client, operation_id, **params)
    if status == 404:
        return False
    if status == 200:
        return True
    raise RemovalFailed(f"cannot tell whether it is gone: {operation_id} answered {status}")
