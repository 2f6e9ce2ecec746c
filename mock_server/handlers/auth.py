"""Tag ``auth``: health, login, whoami."""

from __future__ import annotations

from mock_server.answer import Answer
from mock_server.errors import ApiError
from mock_server.handlers.registry import Call, operation

HEALTH = {"message": "API is working!"}


@operation("getApiStatus")
def api_status(call: Call) -> Answer:
    return Answer(HEALTH)


@operation("login")
@operation("loginWithoutSlash")
def login(call: Call) -> Answer:
    username, password = call.body["username"], call.body["password"]
    admin = call.hosting.admin(username)
    if admin is None or not call.panel.passwords.verify(admin.password_hash, password):
        raise ApiError.app(401, "Invalid credentials")
    return Answer({"access_token": call.panel.tokens.issue(admin.username)})


@operation("whoami")
def whoami(call: Call) -> Answer:
    return Answer({"logged_in_as": call.admin})
