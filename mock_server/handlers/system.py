"""Tags ``system`` and ``docker``: server facts, dedicated IPs, the container engine."""

from __future__ import annotations

from mock_server.registry import Call, operation


@operation("getSystemInfo")
def get_system_info(call: Call):
    return call.panel.metrics.system(), 200


@operation("listDedicatedIps")
def list_dedicated_ips(call: Call):
    return {user.username: user.ip for user in call.state.users() if user.ip}, 200


@operation("getDockerInfo")
def get_docker_info(call: Call):
    return call.panel.metrics.engine_info(), 200


@operation("getDockerContext")
def get_docker_context(call: Call):
    return call.panel.metrics.engine_contexts(), 200
