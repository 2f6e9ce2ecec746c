"""Tag ``notifications``."""

from __future__ import annotations

from mock_server.handlers.refusals import refusal
from mock_server.registry import Call, operation
from mock_server.state import StateError


@operation("listNotifications")
def list_notifications(call: Call):
    notifications = [
        {"id": position, "date": line.date, "status": line.status, "title": line.title, "message": line.message}
        for position, line in call.panel.notifications.newest_first()
    ]
    return {"success": True, "notifications": notifications}, 200


@operation("markNotificationRead")
def mark_notification_read(call: Call):
    every = call.query.get("command") == "mark_all_as_read"
    return _apply(call, lambda log, position: log.mark_read(position, every))


@operation("deleteNotification")
def delete_notification(call: Call):
    every = call.query.get("command") == "delete_all"
    return _apply(call, lambda log, position: log.delete(position, every))


def _apply(call: Call, action):
    try:
        action(call.panel.notifications, int(call.params["line_number"]))
    except StateError as error:
        raise refusal(error) from None
    return {"success": True}, 200
