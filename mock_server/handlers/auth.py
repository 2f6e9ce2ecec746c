"""Tag ``auth``: health, login, whoami."""

from __future__ import annotations

from mock_server.errors import ApiError
from mock_server.registry import Call, operation


@operation("getApiStatus")
def api_status(call: Call):
    return {"message": "API is working!"}, 200


@operation("login")
@operation("loginWithoutSlash")
def login(call: Call):
    username, password = call.body["username"], call.body["password"]
    admin = call.state.admin(username)
    if admin is None or not call.panel.passwords.verify(admin.password_hash, password):
        raise ApiError.app(401, "Invalid credentials")
    return {"access_token": call.panel.tokens.issue(admin.username)}, 200


@operation("whoami")
def whoami(call: Call):
    return {"logged_in_as": call.admin}, 200
