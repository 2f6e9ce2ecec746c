"""Tag ``usage``: metrics from fixtures, per-account quota, and the endpoint list built from the spec."""

from __future__ import annotations

import json

from mock_server.answer import Answer
from mock_server.handlers.registry import Call, operation
from mock_server.panel.fixtures import User


@operation("listUsageEndpoints")
def list_usage_endpoints(call: Call) -> Answer:
    # The list is the contract itself, so it can never drift from what the mock serves.
    endpoints = [
        {
            "method": op.method,
            "path": op.path,
            "description": op.summary,
            "example": f"curl -X {op.method} -H 'Authorization: Bearer JWT_TOKEN' https://OPENPANEL:2087{op.path}",
        }
        for op in call.contract.operations
    ]
    return Answer({"endpoints": endpoints})


@operation("getUsageStats")
def get_usage_stats(call: Call) -> Answer:
    days = call.panel.metrics.usage_stats()
    return Answer({"usage_stats": "\n".join(json.dumps(day, sort_keys=True) for day in days)})


@operation("getCpuUsage")
def get_cpu_usage(call: Call) -> Answer:
    return Answer(call.panel.metrics.cpu())


@operation("getMemoryUsage")
def get_memory_usage(call: Call) -> Answer:
    return Answer(call.panel.metrics.memory())


def disk_usage(user: User) -> dict[str, int]:
    """One account's line of the quota report, under the names the WHMCS module reads."""
    quota = user.quota
    return {
        "disk_usage": quota.get("disk_used", 0),
        "disk_limit": quota.get("disk_hard", 0),
        "inodes_usage": quota.get("inodes_used", 0),
        "inodes_limit": quota.get("inodes_hard", 0),
        "bw_usage": 0,
        "bw_limit": 0,
    }


@operation("getUserDiskUsage")
def get_user_disk_usage(call: Call) -> Answer:
    return Answer({user.username: disk_usage(user) for user in call.hosting.users()})


@operation("getAccountDiskUsage")
def get_account_disk_usage(call: Call) -> Answer:
    user = call.hosting.user(call.params["username"])
    return Answer({user.username: disk_usage(user)})


@operation("getServerDiskUsage")
def get_server_disk_usage(call: Call) -> Answer:
    return Answer(call.panel.metrics.partitions())
