"""Which server generation a deployment speaks, judged from read-only answers it gives."""

from __future__ import annotations

from dataclasses import dataclass

import requests

from contract_tests.run.client import ApiClient


@dataclass(frozen=True)
class Generation:
    name: str
    evidence: list[str]


CONTRACT = "contract (Python 1.x-like)"
GO_2X = "OpenAdmin 2.x (Go)"
MIXED = "mixed"


def detect_generation(client: ApiClient) -> Generation:
    """Ask five read-only questions whose answers differ between the contract and the Go 2.x server."""
    go, contract = [], []

    def ask(label: tuple[str, str], go_when, contract_when, operation_id: str, auth: bool = True) -> None:
        try:
            response = client.call(operation_id, auth=auth)
            body = response.json() if response.content else None
        except (requests.RequestException, ValueError):
            return
        if go_when(response.status_code, body):
            go.append(label[0])
        elif contract_when(response.status_code, body):
            contract.append(label[1])

    ask(
        ("no token on an admin route: 404 User not found", "no token: 401"),
        lambda s, b: s == 404,
        lambda s, b: s == 401,
        operation_id="listDedicatedIps",
        auth=False,
    )
    ask(
        ("token errors worded {error: Missing or invalid token}", "token errors worded {msg}"),
        lambda s, b: isinstance(b, dict) and b.get("error") == "Missing or invalid token",
        lambda s, b: isinstance(b, dict) and "msg" in b,
        operation_id="whoami",
        auth=False,
    )
    ask(
        ("/api/docker/context not routed (health message)", "/api/docker/context lists contexts"),
        lambda s, b: isinstance(b, dict) and b.get("message") == "API is working!",
        lambda s, b: isinstance(b, list),
        operation_id="getDockerContext",
    )
    ask(
        ("per-account disk usage keyed diskusage", "per-account disk usage keyed disk_usage"),
        lambda s, b: isinstance(b, dict) and any(isinstance(v, dict) and "diskusage" in v for v in b.values()),
        lambda s, b: isinstance(b, dict) and any(isinstance(v, dict) and "disk_usage" in v for v in b.values()),
        operation_id="getUserDiskUsage",
    )
    ask(
        ("system counts sent as text", "system counts sent as integers"),
        lambda s, b: isinstance(b, dict) and isinstance(b.get("running_processes"), str),
        lambda s, b: isinstance(b, dict) and isinstance(b.get("running_processes"), int),
        operation_id="getSystemInfo",
    )
    if go and not contract:
        return Generation(GO_2X, go)
    if contract and not go:
        return Generation(CONTRACT, contract)
    if not go and not contract:
        return Generation("unknown", ["no distinguishing answer"])
    return Generation(MIXED, [f"2.x: {item}" for item in go] + [f"contract: {item}" for item in contract])
