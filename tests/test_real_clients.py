"""The vendor's billing modules and API smoke test, imitated in a few lines each, against the mock.

Each imitation sends exactly what the real client sends and reads exactly the keys it reads
(facts §5), so a change that would break the real client breaks these.
"""

from __future__ import annotations

import uuid

import pytest
import requests

from contract_tests.run.local_mock import DEMO_PASSWORD, DEMO_USERNAME


class WhmcsModule:
    """The current (Feb 2026) WHMCS module: a fresh token per call, JSON content type on every request."""

    def __init__(self, base: str) -> None:
        self.base = base

    def _call(self, method: str, path: str, body=None) -> dict:
        token = requests.post(
            f"{self.base}/api/",
            json={"username": DEMO_USERNAME, "password": DEMO_PASSWORD},
            headers={"Content-Type": "application/json"},
            timeout=10,
        ).json()["access_token"]
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
        return requests.request(method, f"{self.base}{path}", json=body, headers=headers, timeout=10).json()

    def create_account(self, username: str, plan: str, domain: str) -> bool:
        body = {"email": f"{username}@example.com", "username": username, "password": "Pw-1-abc", "plan_name": plan}
        created = self._call("POST", f"/api/users/{username}", body)
        added = self._call(
            "POST", "/api/domains/new", {"username": username, "domain": domain, "docroot": f"/var/www/html/{domain}"}
        )
        return bool(created.get("success")) and "error" not in added

    def suspend(self, username: str) -> bool:
        return bool(self._call("PATCH", f"/api/users/{username}", {"action": "suspend"}).get("success"))

    def unsuspend(self, username: str) -> bool:
        return bool(self._call("PATCH", f"/api/users/{username}", {"action": "unsuspend"}).get("success"))

    def change_package(self, username: str, plan: str) -> bool:
        return bool(self._call("PUT", f"/api/users/{username}", {"plan_name": plan}).get("success"))

    def terminate(self, username: str) -> bool:
        self._call("PATCH", f"/api/users/{username}", {"action": "unsuspend"})
        return bool(self._call("DELETE", f"/api/users/{username}").get("success"))

    def login_link(self, username: str) -> str:
        return self._call("CONNECT", f"/api/users/{username}")["link"]

    def plan_options(self) -> list[str]:
        return [plan["name"] for plan in self._call("GET", "/api/plans")["plans"]]

    def usage(self) -> dict[str, tuple[int, int]]:
        return {
            user: (row["disk_usage"], row["disk_limit"]) for user, row in self._call("GET", "/api/usage/disk").items()
        }

    def services_tab(self, username: str) -> dict:
        user = self._call("GET", f"/api/users/{username}")["user"]
        return {
            "email": user["user"]["email"],
            "plan": user["plan"]["name"],
            "domains": [d["domain_url"] for d in user["domains"]],
            "sites": user["sites"],
            "disk_used": user["disk_usage"]["disk_used"],
        }


def test_whmcs_module_lifecycle(live_mock: str):
    whmcs, name = WhmcsModule(live_mock), f"wh{uuid.uuid4().hex[:8]}"
    assert "Standard plan" in whmcs.plan_options()
    assert whmcs.create_account(name, "Standard plan", f"{name}.example.com")
    tab = whmcs.services_tab(name)
    assert (tab["email"], tab["plan"], tab["domains"]) == (
        f"{name}@example.com",
        "Standard plan",
        [f"{name}.example.com"],
    )
    assert whmcs.login_link(name).startswith("http")
    assert whmcs.suspend(name) and whmcs.unsuspend(name)
    assert whmcs.change_package(name, "Developer Plus") and whmcs.services_tab(name)["plan"] == "Developer Plus"
    usage = whmcs.usage()
    assert usage["stefan"] == (2621440, 41943040) and name in usage
    assert whmcs.terminate(name)


def test_fossbilling_server_manager(live_mock: str):
    token = requests.post(
        f"{live_mock}/api/", json={"username": DEMO_USERNAME, "password": DEMO_PASSWORD}, timeout=10
    ).json()["access_token"]
    headers = {"Content-Type": "application/json", "Authorization": f"Bearer {token}"}
    assert requests.get(f"{live_mock}/api/", headers=headers, timeout=10).json()["message"] == "API is working!"
    name = f"fb{uuid.uuid4().hex[:8]}"
    body = {"email": "c@example.com", "username": name, "password": "Pw-1-abc", "plan_name": "default_plan_nginx"}
    created = requests.post(f"{live_mock}/api/users", json=body, headers=headers, timeout=10)
    assert created.json().get("success") or "Successfully added user" in created.text
    for method, payload in (
        ("PATCH", {"action": "suspend"}),
        ("PATCH", {"action": "unsuspend"}),
        ("PATCH", {"password": "Pw-2-def"}),
        ("PUT", {"plan_name": "default_plan_apache"}),
        ("DELETE", None),
    ):
        answer = requests.request(method, f"{live_mock}/api/users/{name}", json=payload, headers=headers, timeout=10)
        assert answer.json().get("success") in (1, True), f"{method} {payload}: {answer.text}"


READ_ONLY_GETS = [
    "/api/",
    "/api/whoami",
    "/api/users",
    "/api/plans",
    "/api/ips",
    "/api/domains",
    "/api/usage/cpu",
    "/api/usage/memory",
    "/api/usage/disk",
    "/api/usage/server",
    "/api/system",
    "/api/services",
    "/api/services/status",
    "/api/docker/info",
    "/api/notifications",
]


@pytest.mark.parametrize("path", READ_ONLY_GETS)
def test_vendor_smoke_test_gets_exactly_200(live_mock: str, path: str):
    token = requests.post(
        f"{live_mock}/api/", json={"username": DEMO_USERNAME, "password": DEMO_PASSWORD}, timeout=10
    ).json()["access_token"]
    assert (
        requests.get(f"{live_mock}{path}", headers={"Authorization": f"Bearer {token}"}, timeout=10).status_code == 200
    )


def test_vendor_smoke_test_writes(live_mock: str):
    assert requests.get(f"{live_mock}/api/whoami", timeout=10).status_code in (401, 403)
    token = requests.post(
        f"{live_mock}/api/", json={"username": DEMO_USERNAME, "password": DEMO_PASSWORD}, timeout=10
    ).json()["access_token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert requests.get(f"{live_mock}/api/plans/1", headers=auth, timeout=10).status_code in (200, 404)
    name, domain = f"sh{uuid.uuid4().hex[:8]}", f"sh{uuid.uuid4().hex[:8]}.example.com"
    user = {"username": name, "password": "Pw-1-abc", "email": "s@example.com", "plan_name": "Standard plan"}
    assert requests.post(f"{live_mock}/api/users", json=user, headers=auth, timeout=10).status_code in (200, 201)
    plan = {"name": f"sh-plan-{name}", "disk_limit": "2000", "websites_limit": "2"}
    assert requests.post(f"{live_mock}/api/plans", json=plan, headers=auth, timeout=10).status_code in (200, 201)
    assert (
        requests.post(
            f"{live_mock}/api/domains/new", json={"username": name, "domain": domain}, headers=auth, timeout=10
        ).status_code
        == 200
    )
    for action in ("suspend", "unsuspend", "delete"):
        assert requests.post(f"{live_mock}/api/domains/{action}/{domain}", headers=auth, timeout=10).status_code == 200
