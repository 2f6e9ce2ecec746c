"""Tag ``plans``."""

from __future__ import annotations

from mock_server.answer import Answer
from mock_server.handlers.registry import Call, operation

UPDATED = Answer({"success": True, "message": "Plan updated successfully."})


@operation("listPlans")
def list_plans(call: Call) -> Answer:
    return Answer({"plans": [plan.as_json() for plan in call.hosting.plans()]})


@operation("getPlan")
def get_plan(call: Call) -> Answer:
    return Answer({"plan": call.hosting.plan(int(call.params["plan_id"])).as_json()})


@operation("createPlan")
def create_plan(call: Call) -> Answer:
    plan = call.hosting.create_plan(call.body)
    return Answer({"success": True, "message": "Plan created successfully.", "plan": plan.as_json()})


@operation("replacePlan")
def replace_plan(call: Call) -> Answer:
    call.hosting.update_plan(int(call.params["plan_id"]), call.body, partial=False)
    return UPDATED


@operation("patchPlan")
def patch_plan(call: Call) -> Answer:
    call.hosting.update_plan(int(call.params["plan_id"]), call.body, partial=True)
    return UPDATED


@operation("deletePlan")
def delete_plan(call: Call) -> Answer:
    call.hosting.delete_plan(int(call.params["plan_id"]))
    return Answer({"success": True, "message": "Plan deleted successfully."})
