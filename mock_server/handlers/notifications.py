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


def _command(call: Call) -> str | None:
    """``command`` from the query or, as the 2.x server also reads it, from a JSON body."""
    body = call.body if isinstance(call.body, dict) else {}
    return call.query.get("command") or body.get("command")


@operation("markNotificationRead")
def mark_notification_read(call: Call) -> Answer:
    call.panel.notifications.mark_read(int(call.params["line_number"]), _command(call) == "mark_all_as_read")
    return DONE


@operation("deleteNotification")
def delete_notification(call: Call) -> Answer:
    call.panel.notifications.delete(int(call.params["line_number"]), _command(call) == "delete_all")
    return DONE
