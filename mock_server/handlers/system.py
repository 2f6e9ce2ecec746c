"""Tags ``system`` and ``docker``: server facts, dedicated IPs, the container engine."""

from __future__ import annotations

from mock_server.answer import Answer
from mock_server.handlers.registry import Call, operation


@operation("getSystemInfo", volatile=True)
def get_system_info(call: Call) -> Answer:
    return Answer(call.panel.metrics.system())


@operation("listDedicatedIps")
def list_dedicated_ips(call: Call) -> Answer:
    return Answer({user.username: user.ip for user in call.hosting.users() if user.ip})


@operation("getDockerInfo")
def get_docker_info(call: Call) -> Answer:
    return Answer(call.panel.metrics.engine_info())


@operation("getDockerContext")
def get_docker_context(call: Call) -> Answer:
    return Answer(call.panel.metrics.engine_contexts())
