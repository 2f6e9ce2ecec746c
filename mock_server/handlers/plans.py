"""Tag ``plans``."""

from __future__ import annotations

from mock_server.errors import ApiError
from mock_server.handlers.refusals import refusal
from mock_server.registry import Call, operation
from mock_server.state import PlanNotFound, StateError


@operation("listPlans")
def list_plans(call: Call):
    return {"plans": [plan.as_json() for plan in call.state.plans()]}, 200


@operation("getPlan")
def get_plan(call: Call):
    try:
        plan = call.state.plan(int(call.params["plan_id"]))
    except StateError as error:
        raise _as_app_error(error) from None
    return {"plan": plan.as_json()}, 200


@operation("createPlan")
def create_plan(call: Call):
    try:
        plan = call.state.create_plan(call.body)
    except StateError as error:
        raise refusal(error) from None
    return {"success": True, "message": "Plan created successfully.", "plan": plan.as_json()}, 200


@operation("replacePlan")
def replace_plan(call: Call):
    return _update(call, partial=False)


@operation("patchPlan")
def patch_plan(call: Call):
    return _update(call, partial=True)


@operation("deletePlan")
def delete_plan(call: Call):
    try:
        call.state.delete_plan(int(call.params["plan_id"]))
    except StateError as error:
        raise _as_app_error(error) from None
    return {"success": True, "message": "Plan deleted successfully."}, 200


def _update(call: Call, *, partial: bool):
    try:
        call.state.update_plan(int(call.params["plan_id"]), call.body, partial=partial)
    except StateError as error:
        raise _as_app_error(error) from None
    return {"success": True, "message": "Plan updated successfully."}, 200


def _as_app_error(error: StateError) -> ApiError:
    """A plan addressed by id answers a plain ``{"error"}`` when missing (facts §2.14)."""
    if isinstance(error, PlanNotFound):
        return ApiError.app(404, "Plan not found")
    return refusal(error)
