"""Tag ``plans``."""

from __future__ import annotations

from mock_server.errors import ApiError
from mock_server.registry import Call, operation
from mock_server.state import PlanNotFound


@operation("listPlans")
def list_plans(call: Call):
    return {"plans": [plan.as_json() for plan in call.state.plans()]}, 200


@operation("getPlan")
def get_plan(call: Call):
    try:
        plan = call.state.plan(int(call.params["plan_id"]))
    except PlanNotFound as error:
        raise ApiError.app(404, str(error)) from None
    return {"plan": plan.as_json()}, 200
