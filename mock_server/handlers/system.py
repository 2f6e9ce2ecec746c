"""Tag ``system``."""

from __future__ import annotations

from mock_server.registry import Call, operation


@operation("listDedicatedIps")
def list_dedicated_ips(call: Call):
    return {user.username: user.ip for user in call.state.users() if user.ip}, 200
