"""Tag ``settings-plan-features``: feature sets, an administrator's panel-wide, a reseller's its own."""

from __future__ import annotations

from mock_server.answer import Answer
from mock_server.errors import ApiError
from mock_server.handlers.registry import Call, operation
from mock_server.panel.features import PANEL, FeatureSets


def _owner(call: Call) -> str:
    """Whose sets the caller works on; a valid token of a removed account is a 404, as on 2.x."""
    if call.principal is None:
        raise ApiError.app(404, "User not found")
    return call.principal.username if call.principal.is_reseller else PANEL


def _sets(call: Call) -> FeatureSets:
    return call.panel.part(FeatureSets)


@operation("listFeatureSets")
def list_feature_sets(call: Call) -> Answer:
    return Answer(_sets(call).names(_owner(call)))


@operation("createFeatureSet")
def create_feature_set(call: Call) -> Answer:
    _sets(call).create(_owner(call), call.body["feature_name"])
    return Answer({"success": True, "message": "Feature set created successfully."})


@operation("getFeatureSet")
def get_feature_set(call: Call) -> Answer:
    return Answer(_sets(call).show(_owner(call), call.params["plan"]))


@operation("updateFeatureSet")
def update_feature_set(call: Call) -> Answer:
    owner, name, sets = _owner(call), call.params["plan"], _sets(call)
    action = call.body["action"]
    if action == "delete":
        in_use = any(plan.columns.get("feature_set") == name for plan in call.hosting.plans())
        sets.delete(owner, name, in_use)
        return Answer({"success": True, "message": f"Feature set {name} deleted successfully."})
    features = {"update": call.body.get("features", []), "disable_all": [], "enable_all": None}[action]
    sets.set_features(owner, name, features)
    return Answer({"success": True, "message": f"Feature set {name} updated ({action})."})
