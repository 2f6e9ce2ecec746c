"""Faults break the same contract whatever flavor they are put on (``--flavor v2 --fault …``)."""

from __future__ import annotations

import pytest

from tests.twins import twin

FLAVORS = ["contract", "v1", "v2"]


@pytest.mark.parametrize("flavor", FLAVORS)
def test_accept_invalid_body_answers_success_to_a_broken_body(flavor: str):
    # Its success message once read "ok", which the contract's UserCreated pattern refuses: the mock
    # answered 500 "broke its own contract" instead of accepting the body.
    broken = twin(flavor, faults=("accept-invalid-body",))
    response = broken.client.post("/api/users", json={"username": 5}, headers=broken.auth())
    assert response.status_code == 200 and response.json["success"] is True


@pytest.mark.parametrize("flavor", FLAVORS)
def test_create_not_persisted_and_delete_not_deleting(flavor: str):
    plan = {"contract": "Standard plan", "v1": "ubuntu_nginx_mysql", "v2": "Standard plan"}[flavor]
    body = {"username": "octestfault", "password": "Pw-1234abcd", "email": "f@example.com", "plan_name": plan}
    lost = twin(flavor, faults=("create-not-persisted",))
    assert lost.client.post("/api/users", json=body, headers=lost.auth()).status_code in (200, 201)
    assert "octestfault" not in lost.client.get("/__mock__/state").json["users"]
    kept = twin(flavor, faults=("delete-not-deleting",))
    auth = kept.auth()
    kept.client.post("/api/users", json=body, headers=auth)
    deleted = kept.client.delete("/api/users/octestfault", headers={**auth, "Content-Type": "application/json"})
    assert deleted.status_code == 200
    assert "octestfault" in kept.client.get("/__mock__/state").json["users"]


@pytest.mark.parametrize("flavor", FLAVORS)
def test_status_and_type_faults(flavor: str):
    gone = twin(flavor, faults=("undocumented-status",))
    assert gone.client.get("/api/plans/999", headers=gone.auth()).status_code == 410
    crashed = twin(flavor, faults=("server-error",), raise_on_contract_violation=False)  # a crash, not raised
    assert crashed.client.get("/api/users/octest1x", headers=crashed.auth()).status_code == 500
    labelled = twin(flavor, faults=("wrong-content-type",))
    token = labelled.client.post("/api/", json={"username": "admin", "password": "openpanel-mock"})
    assert token.content_type == "text/html; charset=utf-8"
