"""Panel-wide settings (group C1): general settings, account defaults and their files, each account's
own files, resellers' limits and the installed languages — one document, as the panel keeps them in a
handful of config files the API reads back on every request.

The default ``.env`` is kept as text, as on a panel, and grouped on reading the way the 2.x server
groups it (``readDefaultsEnvGroups``), so what ``POST /api/settings/defaults`` writes and what
``POST /api/settings/defaults/files`` replaces are one state.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from mock_server.panel.document import StateDocument
from mock_server.panel.errors import SettingsRefused
from mock_server.panel.fixtures import FixtureError
from mock_server.panel.parts import part

FIXTURE = "settings"
#: Keys the grouped view leaves out: per-account values, secrets and ports (GO ``defaultsEnvKeyExcluded``).
_EXCLUDED = frozenset(
    {"USERNAME", "USER_ID", "CONTEXT", "TOTAL_CPU", "TOTAL_RAM", "PIDS", "PGADMIN_MAIL", "OS", "HOSTNAME"}
    | {"OS_CPU", "OS_RAM", "OS_PIDS", "BUSYBOX_RAM", "BUSYBOX_CPU"}
)
_PHP_FPM = re.compile(r"^PHP_FPM_(\d+)_(\d+)_(.+)$")
_SERVICE = re.compile(r"^ {2}([A-Za-z0-9_.-]+):\s*$")
_LOCALE = re.compile(r"^[a-zA-Z]{2,3}-[a-zA-Z]{2,3}$")
TRANSLATIONS_DIR = "/etc/openpanel/openpanel/translations"
RESELLER_DEFAULTS: dict[str, Any] = {"max_accounts": 0, "max_disk_blocks": 0, "allowed_plans": [], "logo_url": ""}
#: A fixtures directory without ``settings.yaml`` (it is optional): a fresh panel's ports, no default
#: files, English only.
BARE: dict[str, Any] = {
    "general": {"port": "2083", "admin_port": "2087", "proxy": "openpanel", "force_domain": "", "dev_mode": "off"},
    "defaults": {"env": "", "compose": ""},
    "locales": {"available": ["en-us"], "installed": ["en"], "default": "en"},
}


@part
class Settings(StateDocument):
    """The settings files of one mock panel, seeded from ``fixtures/settings.yaml``."""

    DOCUMENT = "settings"

    def _initial(self) -> dict[str, Any]:
        raw = self._fixtures.group(FIXTURE) or BARE
        try:
            defaults = raw["defaults"]
            document = {
                "general": {key: str(value) for key, value in raw["general"].items()},
                "env": str(defaults["env"]),
                "compose": str(defaults["compose"]),
                "autostart": [str(name) for name in defaults.get("autostart", [])],
                "php_versions": dict(defaults.get("php_versions", {})),
                "account_files": {},
                "resellers": {name: {**RESELLER_DEFAULTS, **row} for name, row in raw.get("resellers", {}).items()},
                "locales": dict(raw["locales"]),
            }
        except (KeyError, TypeError, AttributeError) as error:
            needs = "general, defaults (env, compose) and locales"
            raise FixtureError(f"{FIXTURE}.yaml: needs {needs} ({error})") from None
        # What "the vendor's published files" are for a reset: the files the panel started with.
        document["published"] = {"env": document["env"], "compose": document["compose"]}
        return document

    def _dump(self) -> dict[str, Any]:
        return self._doc

    def _load(self, document: dict[str, Any]) -> None:
        self._doc = copy.deepcopy(document)

    # -- general -----------------------------------------------------------------------------

    def general(self) -> dict[str, str]:
        with self._reading():
            return dict(self._doc["general"])

    def update_general(self, changes: dict[str, str]) -> None:
        with self._writing():
            self._doc["general"].update(changes)

    # -- account defaults --------------------------------------------------------------------

    def defaults(self) -> dict[str, Any]:
        with self._reading():
            return {
                "defaults": grouped_env(self._doc["env"]),
                "php_versions_data": copy.deepcopy(self._doc["php_versions"]),
                "autostart_available_services": services_of(self._doc["compose"]),
                "autostart_active_services": list(self._doc["autostart"]),
            }

    def update_defaults(self, values: dict[str, Any], services: list[Any] | None) -> None:
        """Set the ``.env`` keys it already has; replace the autostart list by the known services sent."""
        with self._writing():
            self._doc["env"] = _set_env_values(self._doc["env"], values)
            if services is not None:
                known = set(services_of(self._doc["compose"]))
                chosen = {str(name).strip() for name in services} & known
                self._doc["autostart"] = sorted(chosen)

    def files(self) -> dict[str, str]:
        with self._reading():
            return {"env": self._doc["env"], "compose": self._doc["compose"]}

    def replace_files(self, files: dict[str, str]) -> None:
        with self._writing():
            self._doc.update({key: value for key, value in files.items() if key in ("env", "compose")})

    def reset_files(self) -> None:
        with self._writing():
            self._doc.update(self._doc["published"])

    # -- each account's own files ------------------------------------------------------------

    def account_files(self, username: str) -> dict[str, str]:
        """The account's files; one never written has the defaults it was made from."""
        with self._reading():
            own = self._doc["account_files"].get(username, {})
            return {"env": own.get("env", self._doc["env"]), "compose": own.get("compose", self._doc["compose"])}

    def replace_account_files(self, username: str, files: dict[str, str]) -> dict[str, str]:
        current = self.account_files(username)
        with self._writing():
            current.update({key: value for key, value in files.items() if key in ("env", "compose")})
            self._doc["account_files"][username] = current
            return dict(current)

    # -- resellers' limits -------------------------------------------------------------------

    def reseller_limits(self, username: str) -> dict[str, Any]:
        with self._reading():
            return copy.deepcopy(self._doc["resellers"].get(username, RESELLER_DEFAULTS))

    def update_reseller(self, username: str, changes: dict[str, Any]) -> None:
        with self._writing():
            limits = self._doc["resellers"].setdefault(username, copy.deepcopy(RESELLER_DEFAULTS))
            limits.update(changes)

    def rename_reseller(self, username: str, new_username: str) -> None:
        with self._writing():
            if username in self._doc["resellers"]:
                self._doc["resellers"][new_username] = self._doc["resellers"].pop(username)

    def forget_reseller(self, username: str) -> None:
        with self._writing():
            self._doc["resellers"].pop(username, None)

    # -- languages ---------------------------------------------------------------------------

    def locales(self) -> dict[str, Any]:
        with self._reading():
            locales = self._doc["locales"]
            default, installed = locales["default"], set(locales["installed"])
            rows = []
            for name in locales["available"]:
                base = name.split("-", 1)[0]
                rows.append(
                    {
                        "locale": name,
                        "provider": "OpenPanel" if base == "en" else "Community",
                        "path": f"{TRANSLATIONS_DIR}/{base}" if base in installed else "",
                        "installed": base in installed,
                        "is_default": base == default,
                    }
                )
            return {"default_locale": default, "translations": rows}

    def install_locale(self, locale: str) -> None:
        with self._writing():
            base = locale.split("-", 1)[0]
            if base not in self._doc["locales"]["installed"]:
                self._doc["locales"]["installed"].append(base)

    def set_default_locale(self, locale: str) -> str:
        base = locale.split("-", 1)[0]
        with self._writing():
            if base not in self._doc["locales"]["installed"]:
                raise SettingsRefused(f"Locale '{locale}' is not installed.")
            self._doc["locales"]["default"] = base
            return base


def valid_locale(value: str) -> bool:
    return bool(_LOCALE.match(value))


def grouped_env(env: str) -> dict[str, dict[str, Any]]:
    """The ``.env`` grouped by key prefix, as the 2.x server shows it."""
    grouped: dict[str, dict[str, Any]] = {"DEFAULTS": {}}
    for raw in env.splitlines():
        line = raw.strip()
        if not line or "=" not in line:
            continue
        commented = line.startswith("#")
        key, _, value = line.lstrip("#").partition("=")
        key, value = key.strip(), value.strip().strip('"').strip("'")
        if key == "PROXY_HTTP_PORT":
            grouped["DEFAULTS"]["VARNISH"] = not commented
            continue
        if commented or _excluded(key):
            continue
        if key in ("WEB_SERVER", "MYSQL_TYPE"):
            grouped["DEFAULTS"][key] = value
        elif key == "DEFAULT_PHP_VERSION":
            grouped["DEFAULTS"]["PHP_VERSION"] = value
        elif match := _PHP_FPM.match(key):
            versions = grouped.setdefault("PHP_FPM", {})
            versions.setdefault(f"{match[1]}.{match[2]}", {})[match[3]] = value
        else:
            prefix, _, suffix = key.partition("_")
            grouped.setdefault(prefix, {})[suffix] = value
    return grouped


def services_of(compose: str) -> list[str]:
    """The services a compose file defines, but the docker proxy (GO ``getAvailableServices``)."""
    found, inside = [], False
    for line in compose.splitlines():
        line = line.rstrip()
        if line == "services:":
            inside = True
            continue
        if inside:
            if line and not line.startswith(" "):
                break
            match = _SERVICE.match(line)
            if match and match[1] != "docker-proxy":
                found.append(match[1])
    return found


def _excluded(key: str) -> bool:
    if key in _EXCLUDED or (key.endswith("_PORT") and key != "PROXY_HTTP_PORT"):
        return True
    return key.endswith(("_PW", "_PASSWORD", "_USER"))


def _set_env_values(env: str, values: dict[str, Any]) -> str:
    """Rewrite the lines of keys in ``values``; ``VARNISH`` 1/0 (un)comments ``PROXY_HTTP_PORT``."""
    varnish = None if "VARNISH" not in values else str(values["VARNISH"]).strip() == "1"
    lines = []
    for raw in env.splitlines():
        line = raw.strip()
        key = line.partition("=")[0].strip()
        if line and not line.startswith("#") and "=" in line and key in values:
            value = str(values[key]).strip()
            if key.endswith("_RAM") and re.fullmatch(r"[0-9.]+", value) and value not in ("0", "0.0"):
                value += "G"
            raw = f'{key}="{value.strip(chr(34)).strip(chr(39))}"'
            if key == "VARNISH":
                varnish = value == "1"
        if "PROXY_HTTP_PORT=" in raw and varnish is not None:
            bare = raw.strip().lstrip("#").strip()
            raw = bare if varnish else f"#{bare}"
        lines.append(raw)
    return "\n".join(lines) + ("\n" if env.endswith("\n") else "")
