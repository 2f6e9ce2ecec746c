"""The two files of group B2's machine the mock keeps as text, read and written as the 2.x server does:
``/etc/cron.d/openpanel`` (GO ``cronjobs.go``) and ``sshd_config`` (GO ``ssh.go``)."""

from __future__ import annotations

import re
from typing import Any

LOG_SUFFIX = "echo cron executed >> /var/log/openpanel-cron.log"
#: ``sshd_config`` directive → key of the overview; with the value the 2.x server assumes when absent
#: and when commented out.
SSH_SETTINGS = {
    "Port": ("port", "22", "22"),
    "PasswordAuthentication": ("password_auth", "yes", "no"),
    "PubkeyAuthentication": ("pubkey_auth", "no", "no"),
    "PermitRootLogin": ("permit_root_login", "yes", "no"),
}


def parse_cron_line(line: str) -> dict[str, Any] | None:
    """A job line as the 2.x server lists it (``None`` for comments, ``@`` lines and settings)."""
    stripped = line.strip()
    fields = stripped.split()
    if not stripped or stripped.startswith(("#", "@")) or len(fields) < 6:
        return None
    command_part = " ".join(fields[6:])
    logged = "&&" in command_part and "#&&" not in command_part
    command = re.split(r"\s*#?&&\s*", command_part, maxsplit=1)[0].strip()
    command = re.sub(r"^/usr/local/bin/opencli", "opencli", command)
    return {"schedule": " ".join(fields[:5]), "command": command, "log": logged}


def cron_line(schedule: str, command: str, logged: bool) -> str:
    """A job line again, the listed command's prefixes put back (``opencli sentinel`` is the
    notifications script, as the 2.x server writes it)."""
    if command.startswith("opencli sentinel"):
        command = command.replace("opencli sentinel", "/bin/bash /usr/local/admin/service/notifications.sh", 1)
    elif command.startswith("opencli"):
        command = command.replace("opencli", "/usr/local/bin/opencli", 1)
    return f"{schedule} root {command} {'&&' if logged else '#&&'} {LOG_SUFFIX}"


def ssh_settings(config: str) -> dict[str, str]:
    """The four settings of an ``sshd_config``: the last line naming each (commented or not) wins."""
    settings = {key: default for key, default, _ in SSH_SETTINGS.values()}
    for line in config.splitlines():
        stripped = line.strip()
        for directive, (key, _, commented) in SSH_SETTINGS.items():
            if stripped.startswith(f"#{directive}"):
                settings[key] = commented
            elif stripped.startswith(directive):
                fields = stripped.split()
                if len(fields) > 1:
                    settings[key] = fields[1]
    return settings
