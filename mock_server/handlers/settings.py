"""Tags ``settings-general``, ``settings-defaults`` and ``settings-locales``: panel-wide settings files.

What each POST changes, the next GET shows (``panel.settings``). The general settings only change the
mock's record: a real panel flags a restart, the mock never restarts or listens elsewhere.
"""

from __future__ import annotations

from typing import Any

from contract_model import original_name
from mock_server.answer import Answer
from mock_server.errors import ApiError
from mock_server.handlers.registry import Call, operation
from mock_server.panel.settings import Settings


def _settings(call: Call) -> Settings:
    return call.panel.part(Settings)


def _body(call: Call) -> dict[str, Any]:
    return call.body if isinstance(call.body, dict) else {}


@operation("getGeneralSettings")
def get_general_settings(call: Call) -> Answer:
    return Answer(_settings(call).general())


@operation("updateGeneralSettings")
def update_general_settings(call: Call) -> Answer:
    body, settings = _body(call), _settings(call)
    current = settings.general()
    # Ports left out go back to their defaults, the proxy to `openpanel` (GO handlePost).
    admin_port = str(int(body.get("2087_port") or 2087))
    user_port = str(int(body.get("2083_port") or 2083))
    proxy = body.get("openpanel_proxy", "")
    proxy = proxy if proxy and proxy != "openpanel" else "openpanel"
    domain, dev_mode = body.get("force_domain", ""), body.get("dev_mode", "")
    # In the 2.x handler's order: (field, new value, whether it changes, the name `changes` gives it).
    steps = [
        ("port", user_port, user_port != current["port"], "user-panel port"),
        ("force_domain", domain, bool(domain) and domain != current["force_domain"], "domain"),
        ("dev_mode", dev_mode, dev_mode in ("on", "off") and dev_mode != current["dev_mode"], "dev_mode"),
        ("admin_port", admin_port, admin_port != current["admin_port"], "admin-panel port"),
        ("proxy", proxy, proxy != "openpanel", "proxy"),
    ]
    changed = {field: value for field, value, changes_it, _ in steps if changes_it}
    changed["proxy"] = proxy  # re-applied on every call, changed or not
    changes = [name for _, _, changes_it, name in steps if changes_it]
    settings.update_general(changed)
    message = f"Settings updated: {', '.join(changes)}" if changes else "No changes made."
    return Answer({"success": True, "changes": changes, "message": message})


@operation("getAccountDefaults")
def get_account_defaults(call: Call) -> Answer:
    return Answer(_settings(call).defaults())


@operation("updateAccountDefaults")
def update_account_defaults(call: Call) -> Answer:
    body = _body(call)
    services = body.get("services")
    _settings(call).update_defaults(body.get("values") or {}, services if isinstance(services, list) else None)
    return Answer({"success": True, "message": "New defaults saved successfully!"})


@operation("getDefaultFiles")
def get_default_files(call: Call) -> Answer:
    return Answer(_settings(call).files())


@operation("updateDefaultFiles")
def update_default_files(call: Call) -> Answer:
    _settings(call).replace_files(_files(call))
    return Answer({"success": True, "message": "Files updated successfully!"})


@operation("resetDefaultFiles")
def reset_default_files(call: Call) -> Answer:
    _settings(call).reset_files()
    return Answer({"success": True, "message": "Defaults reset successfully from remote source!"})


@operation("getAccountFiles")
def get_account_files(call: Call) -> Answer:
    return Answer(_settings(call).account_files(_account(call)))


@operation("updateAccountFiles")
def update_account_files(call: Call) -> Answer:
    return Answer(_settings(call).replace_account_files(_account(call), _files(call)))


def _files(call: Call) -> dict[str, str]:
    return {key: value for key, value in _body(call).items() if key in ("env", "compose") and value is not None}


def _account(call: Call) -> str:
    """The hosting account in the path, by its original name (its files stay while it is suspended)."""
    name = original_name(call.params["username"])
    if not any(original_name(user.username) == name for user in call.hosting.users()):
        raise ApiError.app(404, "No context found for user")
    return name


@operation("listLocales")
def list_locales(call: Call) -> Answer:
    return Answer(_settings(call).locales())


@operation("updateLocales")
def update_locales(call: Call) -> Answer:
    body, settings = _body(call), _settings(call)
    if body.get("default"):
        base = settings.set_default_locale(body["default"])
        return Answer({"success": True, "message": f"Default locale set to '{base}'."})
    if body.get("locale"):
        settings.install_locale(body["locale"])
        return Answer({"success": True, "message": f"Locale '{body['locale']}' installed successfully."})
    raise ApiError.app(400, "Missing 'locale' or 'default' parameter.")
