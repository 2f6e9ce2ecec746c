"""Tags ``settings-modules``, ``settings-custom-code``, ``settings-php`` and ``settings-caddy``: panel
configuration files read and written whole (group C2)."""

from __future__ import annotations

from mock_server.answer import Answer
from mock_server.handlers.registry import Call, operation
from mock_server.panel.panel_config import CUSTOM_CODE_FIELDS, PHP_FIELDS, PanelConfig


def _config(call: Call) -> PanelConfig:
    return call.panel.part(PanelConfig)


def _saved(message: str) -> Answer:
    return Answer({"success": True, "message": message})


def _strings(call: Call, fields: tuple[str, ...]) -> dict[str, str]:
    """The fields of the body that name a file and carry text; the server skips the rest silently."""
    body = call.body if isinstance(call.body, dict) else {}
    return {key: body[key] for key in fields if isinstance(body.get(key), str)}


@operation("getModuleSettings")
def get_module_settings(call: Call) -> Answer:
    return Answer(_config(call).modules())


@operation("updateModuleSettings")
def update_module_settings(call: Call) -> Answer:
    _config(call).enable_modules(list(call.body["enabled_modules"]))
    return _saved("Modules updated successfully.")


@operation("getCustomCode")
def get_custom_code(call: Call) -> Answer:
    return Answer(_config(call).custom_code())


@operation("updateCustomCode")
def update_custom_code(call: Call) -> Answer:
    _config(call).write_custom_code(_strings(call, CUSTOM_CODE_FIELDS))
    return _saved("Files updated successfully!")


@operation("getPhpSettings")
def get_php_settings(call: Call) -> Answer:
    return Answer(_config(call).php())


@operation("updatePhpSettings")
def update_php_settings(call: Call) -> Answer:
    return Answer({"success": True, "updated": _config(call).write_php(_strings(call, PHP_FIELDS))})


@operation("getCaddyMetrics")
def get_caddy_metrics(call: Call) -> Answer:
    """Caddy's Prometheus page, passed through as text like the server does."""
    return Answer(raw=_config(call).caddy_metrics().encode(), content_type="text/plain")
