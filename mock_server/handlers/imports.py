"""Tag ``import`` (group C2): account imports from cPanel and CyberPanel backups, transfers from other
OpenPanel servers, and their logs. Starting one only adds a running job to the mock's state."""

from __future__ import annotations

from datetime import UTC, datetime

from mock_server.answer import Answer
from mock_server.errors import ApiError
from mock_server.handlers.registry import Call, operation
from mock_server.panel.imports import Imports


def _imports(call: Call) -> Imports:
    return call.panel.part(Imports)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@operation("listCpanelImports")
@operation("listCyberpanelImports")
def list_imports(call: Call) -> Answer:
    """Both panel types answer the same list: the server has one import log directory."""
    return Answer(_imports(call).imports())


def _start_import(call: Call, panel_name: str) -> Answer:
    path = call.body["path"]
    _imports(call).start_import(path, _now())
    return Answer({"success": True, "message": f"Import process from {path} ({panel_name} backup) has started."})


@operation("importCpanelBackup")
def import_cpanel_backup(call: Call) -> Answer:
    return _start_import(call, "cPanel")


@operation("importCyberpanelBackup")
def import_cyberpanel_backup(call: Call) -> Answer:
    return _start_import(call, "CyberPanel")


def _log(call: Call, kind: str) -> Answer:
    content = _imports(call).log(kind, call.params["log_filename"])
    if content is None:
        raise ApiError(404, {"status": "error", "message": "Log file does not exist."})
    return Answer({"status": "success", "log": content})


@operation("getAccountImportLog")
def get_account_import_log(call: Call) -> Answer:
    return _log(call, "imports")


@operation("getTransferLog")
def get_transfer_log(call: Call) -> Answer:
    return _log(call, "transfers")


@operation("listBackupFiles")
def list_backup_files(call: Call) -> Answer:
    return Answer(_imports(call).backup_files())


@operation("listTransfers")
def list_transfers(call: Call) -> Answer:
    return Answer(_imports(call).transfer_files())


@operation("startTransfer")
def start_transfer(call: Call) -> Answer:
    account = call.body["openpanel_username"]
    _imports(call).start_transfer(account, call.body["server"], _now())
    return Answer({"success": True, "message": f"Transfer process for account {account} started in the background."})


@operation("listUserTransfers")
def list_user_transfers(call: Call) -> Answer:
    return Answer(_imports(call).transfers_of(call.params["username"]))
