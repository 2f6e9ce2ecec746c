"""Tags ``settings-updates`` and ``settings-notifications`` (group C2): update preferences, versions,
updating now, and the notification settings. Updating and switching versions only change mock state."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from mock_server.answer import Answer
from mock_server.handlers.registry import Call, operation
from mock_server.panel.panel_config import NotificationChanges, PanelConfig

NUMERIC = {"DEFAULT": ("load", "cpu", "ram", "du", "swap"), "HTTP": ("max_total_conn", "max_conn_per_ip")}
TOGGLES = {
    "DEFAULT": ("update", "attack", "limit", "login", "ssh", "reboot", "dns"),
    "ACTIONS": [
        "admin_status",
        "admin_api",
        "admin_create",
        "reseller_create",
        "admin_password",
        "admin_rename",
        "admin_suspend",
        "admin_unsuspend",
        "waf_domain",
        "waf_status",
        "user_status",
        "user_create",
        "user_delete",
        "user_email",
        "user_ip",
        "user_password",
        "user_rename",
        "ftp_create",
        "ftp_delete",
        "ftp_password",
        "domains_add",
        "domains_delete",
        "domains_status",
        "domains_ssl",
        "domains_hsts",
    ],
}
_EMAIL = re.compile(r"^[^@]+@[^@]+\.[^@]+$")
#: The server's checks on SMTP fields; a value failing one is skipped without an error.
SMTP_CHECKS: dict[str, Any] = {
    "mail_server": None,
    "mail_port": lambda value: value.isdigit() and 1 <= int(value) <= 65535,
    "mail_use_tls": lambda value: value in ("True", "False"),
    "mail_use_ssl": lambda value: value in ("True", "False"),
    "mail_debug": lambda value: value in ("True", "False"),
    "mail_username": _EMAIL.match,
    "mail_password": None,
    "mail_default_sender": _EMAIL.match,
}


def _config(call: Call) -> PanelConfig:
    return call.panel.part(PanelConfig)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@operation("getUpdateSettings")
def get_update_settings(call: Call) -> Answer:
    return Answer(_config(call).update_settings())


@operation("setUpdatePreference")
def set_update_preference(call: Call) -> Answer:
    _config(call).set_update_preference(call.body["preference"])
    return Answer({"success": True, "message": "Update preferences saved successfully."})


@operation("startUpdateNow")
def start_update_now(call: Call) -> Answer:
    _config(call).start_update(_now())
    return Answer({"success": True, "message": "Update process started successfully."})


@operation("listUpdateTags")
def list_update_tags(call: Call) -> Answer:
    return Answer(_config(call).tags())


@operation("pinPanelVersion")
def pin_panel_version(call: Call) -> Answer:
    version = call.body["version"]
    _config(call).pin_version(version)
    return Answer({"success": True, "message": f"Downgraded to version {version} successfully."})


@operation("getNotificationSettings")
def get_notification_settings(call: Call) -> Answer:
    return Answer(_config(call).notification_settings())


@operation("updateNotificationSettings")
def update_notification_settings(call: Call) -> Answer:
    """Only the fields sent, each as the server reads it; the whole request is checked before any change."""
    body: dict[str, Any] = call.body if isinstance(call.body, dict) else {}
    config = _config(call)
    current = config.notification_settings()
    settings = current["settings"]
    changes = NotificationChanges()
    for section, keys in NUMERIC.items():
        for key in keys:
            number = _whole_number(body.get(key))
            if number is not None:
                _set_if_changed(changes, settings, section, key, str(number))
    for key in ("webhook_url", "services"):
        if isinstance(body.get(key), str):
            _set_if_changed(changes, settings, "DEFAULT", key, body[key])
    for section, keys in TOGGLES.items():
        for key in keys:
            if key in body:
                value = "yes" if body[key] is True or body[key] in ("on", "yes") else "no"
                _set_if_changed(changes, settings, section, key, value)
    for key, check in SMTP_CHECKS.items():
        value = body.get(key)
        if isinstance(value, str) and value.strip() != current[key].strip() and (check is None or check(value)):
            changes.smtp[key] = value
    if isinstance(body.get("email"), str) and body["email"].strip() != current["email_address"].strip():
        changes.email = body["email"]
    if "ssh_whitelist" in body:
        changes.ssh_whitelist = _whitelist(body["ssh_whitelist"])
    config.change_notification_settings(changes)
    return Answer({"success": True, "message": "Notification settings updated."})


def _whole_number(value: Any) -> int | None:
    """A JSON number cut toward zero or a digit string, as the server converts it; anything else is skipped."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _set_if_changed(changes: NotificationChanges, settings: dict[str, Any], section: str, key: str, value: str) -> None:
    if settings.get(section, {}).get(key, "").strip() != value.strip():
        changes.set(section, key, value)


def _whitelist(text: Any) -> list[str]:
    """Non-empty lines, trimmed; the contract's pattern already holds each to an IP address or range."""
    return [line.strip() for line in (text if isinstance(text, str) else "").split("\n") if line.strip()]
