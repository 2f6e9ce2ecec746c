"""Panel-wide configuration files of group C2: modules, custom code, PHP, Caddy's metrics page, the
update preferences and the notification settings. The 2.x server keeps each in a file; the mock keeps
one document, so what a POST writes the next GET reads, and a reset brings back ``panel_config.yaml``."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from mock_server.panel.document import StateDocument
from mock_server.panel.fixtures import FixtureError
from mock_server.panel.parts import part

CUSTOM_CODE_FIELDS = (
    "custom_css",
    "custom_js",
    "in_header",
    "in_footer",
    "post_update",
    "pre_startup",
    "custom_section",
    "forbidden_usernames",
    "restricted_domains",
    "howto_guides",
    "wp_themes",
    "wp_plugins",
    "pagespeed_api_key",
)
#: ``options`` first, then the versions: the order the server reports what it wrote.
PHP_FIELDS = (
    "options",
    *(f"php{version}" for version in ["56", "70", "71", "72", "73", "74", "80", "81", "82", "83", "84"]),
)
#: Preference → (autoupdate, autopatch), the 2.x server's table.
UPDATE_PREFERENCES = {
    "minor_and_major": ("on", "on"),
    "minor_only": ("off", "on"),
    "major_only": ("on", "off"),
    "none": ("off", "off"),
}
UPDATE_LOG_DIR = "/var/log/openpanel/updates/"
_SECTIONS = ("modules", "custom_code", "php", "caddy_metrics", "openpanel_config", "updates", "notification_settings")


@part
class PanelConfig(StateDocument):
    """The configuration files, as one document."""

    DOCUMENT = "panel_config"

    def _initial(self) -> dict[str, Any]:
        document = self._fixtures.group("panel_config")
        missing = [key for key in _SECTIONS if key not in document]
        if missing:
            raise FixtureError(f"panel_config.yaml: missing {', '.join(missing)}")
        document = copy.deepcopy(document)
        document["custom_code"] = {key: str(document["custom_code"].get(key, "")) for key in CUSTOM_CODE_FIELDS}
        document["php"] = {key: str(document["php"].get(key, "")) for key in PHP_FIELDS}
        document.setdefault("ssh_whitelist", [])
        return document

    def _dump(self) -> dict[str, Any]:
        return copy.deepcopy(self._doc)

    def _load(self, document: dict[str, Any]) -> None:
        self._doc = copy.deepcopy(document)

    # -- modules -----------------------------------------------------------------------------------

    def modules(self) -> dict[str, Any]:
        """Every feature with ``status`` (on or off) and the plugins."""
        with self._reading():
            enabled = set(self._doc["modules"]["enabled"])
            features = [{**known, "status": known["name"] in enabled} for known in self._doc["modules"]["features"]]
            return {"features": features, "plugins": copy.deepcopy(self._doc["modules"]["plugins"])}

    def enable_modules(self, names: list[str]) -> None:
        """Replace the enabled list (a module not named is off), as ``enabled_modules=`` is rewritten."""
        with self._writing():
            self._doc["modules"]["enabled"] = list(names)
            self._doc["openpanel_config"].setdefault("PANEL", {})["enabled_modules"] = ",".join(names)

    # -- custom code and PHP ------------------------------------------------------------------------

    def custom_code(self) -> dict[str, str]:
        with self._reading():
            return dict(self._doc["custom_code"])

    def write_custom_code(self, files: dict[str, str]) -> None:
        with self._writing():
            self._doc["custom_code"].update({key: files[key] for key in CUSTOM_CODE_FIELDS if key in files})

    def php(self) -> dict[str, str]:
        with self._reading():
            return dict(self._doc["php"])

    def write_php(self, files: dict[str, str]) -> list[str]:
        """Write the files named; answers their keys in the server's order."""
        written = [key for key in PHP_FIELDS if key in files]
        with self._writing():
            self._doc["php"].update({key: files[key] for key in written})
        return written

    def caddy_metrics(self) -> str:
        with self._reading():
            return str(self._doc["caddy_metrics"])

    # -- updates ------------------------------------------------------------------------------------

    def update_settings(self) -> dict[str, Any]:
        """``config_data``, ``latest_version`` and the update logs, newest first."""
        with self._reading():
            logs = sorted(self._doc["updates"]["logs"], key=lambda log: -int(log["timestamp"]))
            return {
                "config_data": copy.deepcopy(self._doc["openpanel_config"]),
                "latest_version": str(self._doc["updates"]["latest_version"]),
                "update_logs": [_update_log(log) for log in logs],
            }

    def set_update_preference(self, preference: str) -> None:
        autoupdate, autopatch = UPDATE_PREFERENCES[preference]
        with self._writing():
            panel = self._doc["openpanel_config"].setdefault("PANEL", {})
            panel.update(autoupdate=autoupdate, autopatch=autopatch)

    def start_update(self, now: datetime) -> None:
        """What an update leaves behind that the API shows: a new update log."""
        with self._writing():
            log = {"file": f"{self._doc['updates']['latest_version']}_{now:%Y%m%d%H%M%S}.log"}
            self._doc["updates"]["logs"].append({**log, "timestamp": int(now.timestamp())})

    def tags(self) -> list[str]:
        """Docker Hub's tags without ``latest``, sorted descending as strings (as the server does)."""
        with self._reading():
            return sorted((str(tag) for tag in self._doc["updates"]["tags"] if tag != "latest"), reverse=True)

    def pin_version(self, version: str) -> None:
        """The version written to the panel's environment (``VERSION=``)."""
        with self._writing():
            self._doc["openpanel_config"].setdefault("DEFAULT", {})["VERSION"] = version

    # -- notification settings ----------------------------------------------------------------------

    def notification_settings(self) -> dict[str, Any]:
        with self._reading():
            main = self._doc["openpanel_config"]
            smtp = main.get("SMTP", {})
            answer = {
                "email_address": main.get("DEFAULT", {}).get("email", ""),
                **{key: str(smtp.get(key, "465" if key == "mail_port" else "")) for key in SMTP_FIELDS},
                "ssh_whitelist": "\n".join(self._doc["ssh_whitelist"]),
                "settings": copy.deepcopy(self._doc["notification_settings"]),
            }
            return answer

    def change_notification_settings(self, changes: NotificationChanges) -> None:
        """Apply what a POST asked for, already validated by the handler."""
        with self._writing():
            settings = self._doc["notification_settings"]
            for section, values in changes.sections.items():
                settings.setdefault(section, {}).update(values)
            self._doc["openpanel_config"].setdefault("SMTP", {}).update(changes.smtp)
            if changes.email is not None:
                self._doc["openpanel_config"].setdefault("DEFAULT", {})["email"] = changes.email
            if changes.ssh_whitelist is not None:
                self._doc["ssh_whitelist"] = list(changes.ssh_whitelist)


SMTP_FIELDS = (
    "mail_server",
    "mail_port",
    "mail_use_tls",
    "mail_use_ssl",
    "mail_debug",
    "mail_username",
    "mail_password",
    "mail_default_sender",
)


class NotificationChanges:
    """The changes a notification-settings POST makes, per file section."""

    def __init__(self) -> None:
        self.sections: dict[str, dict[str, str]] = {}
        self.smtp: dict[str, str] = {}
        self.email: str | None = None
        self.ssh_whitelist: list[str] | None = None

    def set(self, section: str, key: str, value: str) -> None:
        self.sections.setdefault(section, {})[key] = value


def _update_log(log: dict[str, Any]) -> dict[str, Any]:
    stamp = int(log["timestamp"])
    when = datetime.fromtimestamp(stamp, tz=UTC)
    return {
        "file": str(log["file"]),
        "log_dir": UPDATE_LOG_DIR,
        "timestamp": stamp,
        "human_readable_timestamp": f"{when:%Y-%m-%d %H:%M:%S}",
    }
