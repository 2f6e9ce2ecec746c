"""The opencli commands the 2.x handlers run, acting on the mock's panel as the scripts act on MySQL.

Each returns what the handler sees: stdout, stderr and the script's own exit status (see
``deviations``: the handlers are emulated as if that status reached them). Lookups follow each
script's SQL: MySQL's latin1 collation compares case-insensitively and ignores trailing spaces, and
``LIKE`` patterns keep ``_`` and ``%`` as wildcards unless the script escapes them. Texts are the
scripts' own (NOTES §6).
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from contract_model import original_name
from mock_server.panel.errors import StateError
from mock_server.panel.fixtures import Plan, User
from mock_server.variants.v2.context import Go

#: ``password_strength`` in openpanel.config (lib/password_strength.sh default).
MIN_STRENGTH = 50
_NAME = re.compile(r"[a-zA-Z][a-zA-Z0-9]*")
_PLAN_NAME = re.compile(r"[a-zA-Z0-9_. -]+")
_FEATURE_SET = re.compile(r"[a-zA-Z0-9_-]+")
_INTEGER = re.compile(r"-?[0-9]+")
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_QUOTA = re.compile(r"([0-9]+([.][0-9]+)?)([BkMGT]?)")
#: plan-create's integer checks, in its order, with the argument each reads.
PLAN_COUNTS = (
    ("ftp_limit", "ftp"),
    ("emails_limit", "emails"),
    ("max_hourly_email", "max_hourly_email"),
    ("domains_limit", "domains"),
    ("websites_limit", "websites"),
    ("disk_limit", "disk"),
    ("inodes_limit", "inodes"),
    ("db_limit", "databases"),
    ("bandwidth", "bandwidth"),
)
_COLUMNS = {"ftp": "ftp_limit", "emails": "email_limit", "domains": "domains_limit", "websites": "websites_limit"}
_COLUMNS |= {"inodes": "inodes_limit", "databases": "db_limit", "bandwidth": "bandwidth"}
_COLUMNS |= {"max_hourly_email": "max_hourly_email"}


@dataclass(frozen=True)
class Run:
    stdout: str = ""
    stderr: str = ""
    returncode: int = 0

    @property
    def error(self) -> str:
        """What Go's ``exec`` reports for a failed command."""
        return f"exit status {self.returncode}"


def mysql_equal(stored: str, given: str) -> bool:
    return stored.rstrip(" ").casefold() == given.rstrip(" ").casefold()


def mysql_like(stored: str, pattern: str) -> bool:
    regex = ""
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and index + 1 < len(pattern):
            index += 1
            regex += re.escape(pattern[index])
        else:
            regex += {"%": ".*", "_": "."}.get(char, re.escape(char))
        index += 1
    return re.fullmatch(regex, stored, re.IGNORECASE | re.DOTALL) is not None


def find_user(go: Go, test: Any) -> User | None:
    """The first account (in id order, as MySQL without ORDER BY) whose stored name passes ``test``."""
    return next((user for user in go.hosting.users() if test(user.username)), None)


def _plan_named(go: Go, name: str) -> Plan | None:
    return next((plan for plan in go.hosting.plans() if mysql_equal(plan.name, name)), None)


def password_strength(password: str) -> int:
    """lib/password_strength.sh: one sixth of 100 per criterion met."""
    criteria = [
        len(password) >= 8,
        len(password) >= 12,
        any(c.islower() and c.isascii() for c in password),
        any(c.isupper() and c.isascii() for c in password),
        any(c.isdigit() and c.isascii() for c in password),
        any(c in string.punctuation for c in password),
    ]
    return (sum(criteria) * 100 + 3) // 6


def _weak(password: str) -> Run | None:
    strength = password_strength(password)
    if strength >= MIN_STRENGTH:
        return None
    return Run(
        f"ERROR: Password is too weak (strength {strength}/100, minimum required is {MIN_STRENGTH}/100).\n", "", 1
    )


def _refused(text: str) -> Run:
    return Run("", f"[✘] ERROR: {text}\n", 1)


# -- accounts ----------------------------------------------------------------------------------------


def user_add(go: Go, username: str, password: str, email: str, plan_name: str) -> Run:
    name = username.lower()
    docs = "https://openpanel.com/docs/articles/accounts/forbidden-usernames/"
    if find_user(go, lambda stored: mysql_equal(stored, name) or mysql_like(stored, rf"SUSPENDED\_%\_{name}")):
        return _refused(f"Username '{name}' is already taken.")
    if not 3 <= len(name) <= 20:
        return _refused(f"Username must be 3\u201320 characters. See {docs}#openpanel")  # an en dash
    if not _NAME.fullmatch(name):
        return _refused("Username must start with a letter and contain only letters and numbers.")
    if name in go.hosting.fixtures.forbidden_usernames:
        return _refused(f"Username '{name}' is not allowed. See {docs}#reserved-usernames")
    plan = _plan_named(go, plan_name)
    if plan is None:
        return _refused(f"Plan '{plan_name}' not found.")
    weak = _weak(password)
    if weak is not None:
        return weak
    try:
        go.hosting.create_user(name, password, email, plan.name)
    except StateError as refusal:  # another request created the name meanwhile
        return _refused(str(refusal))
    return Run(f"[✔] Successfully added user {name} with password: {password}\n")


def user_suspend(go: Go, username: str) -> Run:
    user = find_user(go, lambda stored: mysql_equal(stored, username))
    if user is None:
        return Run("", f"Error: No username '{username}'\n", 1)
    owner = original_name(user.username)
    has_domains = any(domain.owner == owner for domain, _ in go.hosting.domains())
    try:
        go.hosting.suspend(user.username)
    except StateError:
        return Run("", f"Error: No username '{username}'\n", 1)
    lines = "" if has_domains else f"No domains found for user '{username}'.\n"
    return Run(f"{lines}User '{username}' suspended successfully.\n")


def user_unsuspend(go: Go, username: str) -> Run:
    if find_user(go, lambda stored: mysql_like(stored, rf"SUSPENDED\_%{username}")) is None:
        return Run("", f"Error: No username '{username}'\n", 1)
    for user in go.hosting.users():
        if mysql_like(user.username, rf"SUSPENDED\_%_{username}"):
            go.hosting.unsuspend(user.username)
    return Run(f"User '{username}' unsuspended successfully.\n")


def user_delete(go: Go, username: str) -> Run:
    name = username.rsplit("_", 1)[-1]  # ${USERNAME##*_}
    doomed = [
        user
        for user in go.hosting.users()
        if mysql_equal(user.username, name) or mysql_like(user.username, f"SUSPENDED_%_{name}")
    ]
    if not doomed:
        return Run(f"ERROR: User '{name}' not found in the database.\n", "", 1)
    for user in doomed:
        go.hosting.delete_user(user.username)
    return Run(f"User {name} deleted successfully.\n")


def user_password(go: Go, username: str, password: str) -> Run:
    weak = _weak(password)
    if weak is not None:
        return weak
    user = find_user(go, lambda stored: mysql_equal(stored, username))
    if user is not None:  # an UPDATE of no row succeeds too: the script never checks
        go.hosting.set_password(user.username, password)
    return Run(f"Successfully changed password for user {username}\n")


def user_change_plan(go: Go, username: str, plan_name: str) -> Run:
    user = find_user(go, lambda stored: mysql_equal(stored, username))
    if user is None or user.plan_id is None:  # users u JOIN plans, by the exact name
        return Run(f"Error: User '{username}' not found in the database.\n", "", 1)
    plan = _plan_named(go, plan_name)
    if plan is None:
        return Run(f"Error: Plan '{plan_name}' not found in the database.\n", "", 1)
    _, previous = go.hosting.change_plan(user.username, plan.name)
    columns = plan.columns
    ram = re.sub(r"\D", "", str(columns.get("ram", "0"))) or "0"
    ram_text = "0" if ram == "0" else f"{ram}G"
    return Run(
        f"[✔] Total CPU limit ({columns.get('cpu', '')}) set successfully for docker context.\n"
        f"[✔] Total RAM limit ({ram_text}) set successfully for docker context.\n"
        f"[✔] Disk limit ({columns.get('disk_limit', '')}) and inodes ({columns.get('inodes_limit', '')}) "
        "applied successfully.\n"
        f"Plan changed successfully for user {username} from {previous} to {plan_name}\n"
    )


# -- plans -------------------------------------------------------------------------------------------


def _plan_fields(args: dict[str, str], *, first: tuple[tuple[str, str], ...] = ()) -> tuple[dict[str, Any], Run | None]:
    """The checks plan-create and plan-edit share, in their order; the columns to store, or the failure."""
    for label, key in (*first, *PLAN_COUNTS):
        if not _INTEGER.fullmatch(args[key]):
            return {}, Run(f"Error: {label} must be a number (integer only)\n", "", 1)
    quota = _QUOTA.fullmatch(args["max_email_quota"])
    if quota is None:
        return {}, Run(f"Error: {args['max_email_quota']} must be a number with optional unit (B|k|M|G|T)\n", "", 1)
    for key in ("cpu", "ram"):
        if not _NUMBER.fullmatch(args[key]):
            return {}, Run(f"Error: {key} must be a number (integer or float)\n", "", 1)
    fields: dict[str, Any] = {column: int(args[key]) for key, column in _COLUMNS.items()}
    fields |= {"description": args["description"], "feature_set": args["feature_set"], "cpu": args["cpu"]}
    fields |= {"disk_limit": f"{args['disk']} GB", "ram": f"{args['ram']}g"}
    number, unit = quota.group(1), quota.group(3)
    fields["max_email_quota"] = f"{number}G" if not unit and number != "0" else args["max_email_quota"]
    return fields, None


def _name_checks(args: dict[str, str]) -> Run | None:
    if not _PLAN_NAME.fullmatch(args["name"]):
        return Run("Error: name may only contain letters, numbers, spaces, '.', '_' and '-'\n", "", 1)
    if not _FEATURE_SET.fullmatch(args["feature_set"]):
        return Run("Error: feature_set may only contain letters, numbers, '_' and '-'\n", "", 1)
    return None


def plan_create(go: Go, args: dict[str, str]) -> Run:
    refused = _name_checks(args)
    if refused is not None:
        return refused
    if _plan_named(go, args["name"]) is not None:
        return Run(f"Error: Plan name '{args['name']}' already exists. Please choose another name.\n", "", 1)
    fields, refused = _plan_fields(args)
    if refused is not None:
        return refused
    fields["inodes_limit"] = max(0, fields["inodes_limit"])
    try:
        go.hosting.create_plan({"name": args["name"], **fields})
    except StateError:
        return Run(f"Failed to create plan: {args['name']}\n")  # the script's own wording, exit 0
    return Run(f"Plan {args['name']} created successfully.\n")


def plan_edit(go: Go, plan_id: str, args: dict[str, str]) -> Run:
    plan = next((plan for plan in go.hosting.plans() if plan.id == int(plan_id)), None)  # WHERE id='<raw>'
    if plan is None:
        return Run(f"ERROR: Plan with id '{plan_id}' does not exist.\n", "", 1)
    fields, refused = _plan_fields({**args, "plan_id": plan_id}, first=(("plan_id", "plan_id"),))
    if refused is not None:
        return refused
    fields["max_email_quota"] = args["max_email_quota"]  # plan-edit stores it as given
    refused = _name_checks(args)
    if refused is not None:
        return refused
    go.hosting.update_plan(plan.id, {"name": args["name"], **fields}, partial=False, unique_name=False)
    users = sum(1 for user in go.hosting.users() if user.plan_id == plan.id)
    if not users:
        return Run(f"Successfully updated plan id {plan_id}\n")
    limits = ("disk_limit", "inodes_limit", "cpu", "ram", "bandwidth", "max_hourly_email")
    if any(str(plan.columns.get(key)) != str(fields[key]) for key in limits):
        stamp = _stamp(go.now())
        return Run(
            f"Plan ID {plan_id} updated successfully. Applying new limits to {users} users on this plan..\n\n"
            f"You can track progress using the command:\ntail -f /tmp/opencli_plan_apply_{stamp}.log\n"
        )
    return Run(
        f"Successfully updated plan id {plan_id}. You currently have {users} users on this plan. "
        "New limits have been applied.\n"
    )


def plan_delete(go: Go, name: str) -> Run:
    """plan-delete takes a plan NAME; the handler passes it the id from the path."""
    plans = [plan for plan in go.hosting.plans() if mysql_equal(plan.name, name)]
    on_plan = [user for user in go.hosting.users() if user.plan_id in {plan.id for plan in plans}]
    if on_plan:
        names = "\n".join(
            user.username.rsplit("_", 1)[-1] for user in on_plan if not user.username.startswith("SUSPENDED_")
        )
        error = f"Cannot delete plan '{name}' as there are users assigned to it."
        return Run(f'{{"error": "{error}", "users": [{names}]}}\n', "", 1)
    for plan in plans:
        go.hosting.delete_plan(plan.id)
    return Run(f"{{\"message\": \"Plan '{name}' and Docker network '{name}' deleted successfully.\"}}\n")


def _stamp(now: float) -> str:
    return datetime.fromtimestamp(now, tz=UTC).strftime("%Y%m%d_%H%M%S")
