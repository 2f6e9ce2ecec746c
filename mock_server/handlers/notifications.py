"""Tag ``notifications``."""

from __future__ import annotations

from mock_server.answer import Answer
from mock_server.handlers.registry import Call, operation

DONE = Answer({"success": True})


@operation("listNotifications")
def list_notifications(call: Call) -> Answer:
    notifications = [
        {"id": position, "date": line.date, "status": line.status, "title": line.title, "message": line.message}
        for position, line in call.panel.notifications.newest_first()
    ]
    return Answer({"success": True, "notifications": notifications})


@operation("markNotificationRead")
def mark_notification_read(call: Call) -> Answer:
    every = call.query.get("command") == "mark_all_as_read"
    call.panel.notifications.mark_read(int(call.params["line_number"]), every)
    return DONE


@operation("deleteNotification")
def delete_notification(call: Call) -> Answer:
    every = call.query.get("command") == "delete_all"
    call.panel.notifications.delete(int(call.params["line_number"]), every)
    return DONE
