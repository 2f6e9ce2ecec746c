"""The mail server: settings, mailboxes, the outgoing queue and hourly sending limits (tag ``email``).

Seeded from ``fixtures/email.yaml``. Methods that can be refused because of the state answer whether
they acted (``False``/the names they could not find), checked and changed under one lock, and the
handler words the refusal — the panel knows nothing of HTTP.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from mock_server.panel.document import StateDocument
from mock_server.panel.fixtures import FixtureError
from mock_server.panel.parts import part

#: The switches the settings endpoint accepts, as the 2.x server lists them.
SWITCHES = (
    "ENABLE_POSTFWD",
    "ENABLE_AMAVIS",
    "ENABLE_DNSBL",
    "ENABLE_RSPAMD",
    "ENABLE_SPAMASSASSIN",
    "ENABLE_MTA_STS",
    "ENABLE_OPENDKIM",
    "ENABLE_OPENDMARC",
    "ENABLE_POP3",
    "ENABLE_IMAP",
    "ENABLE_CLAMAV",
    "ENABLE_FAIL2BAN",
    "SMTP_ONLY",
    "ENABLE_SRS",
)
_UNITS = {"": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40}
_SIZE = re.compile(r"^([0-9.]+)([KMGT]?)$")
_RULE = re.compile(r"^id=(\S+) ; sender=~\.\+@([\w.\-]+) ; .*?\n\s+action=rate\((\w+)_ratelimit/(\d+)/3600", re.M)


def _bytes(size: str) -> float | None:
    match = _SIZE.match(size)
    return float(match.group(1)) * _UNITS[match.group(2)] if match else None


def quota_line(used: str, quota: str) -> str:
    """The quota column as docker-mailserver's ``setup email list`` prints it."""
    used_bytes, limit = _bytes(used), _bytes(quota)
    percent = int(100 * used_bytes / limit) if used_bytes is not None and limit else 0
    return f"( {used} / {quota} ) [{percent}%]"


def rule_text(username: str, domain: str, limit: int) -> str:
    """One postfwd rule, as the panel writes it (``buildPostfwdRule``)."""
    key = domain.replace(".", "_")
    return (
        f"id=limit_{username}_{key} ; sender=~.+@{domain} ; protocol_state==RCPT\n"
        f"                action=rate({username}_ratelimit/{limit}/3600/450 4.7.1 sorry, OpenPanel account "
        f"reached limit of {limit} emails per hour)\n\n"
    )


@part
class MailServer(StateDocument):
    DOCUMENT = "email"

    def _initial(self) -> dict[str, Any]:
        document = copy.deepcopy(self._fixtures.group("email"))
        for key in ("config", "accounts", "queue", "limits"):
            if key in document and not isinstance(document[key], dict | list):
                raise FixtureError(f"email.yaml: {key} has the wrong shape")
        document.setdefault("config", {})
        document["config"] = {str(k): str(v) for k, v in document["config"].items()}
        for key in ("accounts", "queue", "limits"):
            document.setdefault(key, [])
        document.setdefault("hits", {})
        document.setdefault("mailserver_status", "running")
        document.setdefault("webmail_status", "running")
        document.setdefault("webmail_selected", [])
        document.setdefault("webmail_domain", "")
        document.setdefault("email_storage_location", "/var/mail/")
        document.setdefault("postfwd_enabled", True)
        document["raw_rules"] = None  # a rules file written as is (raw_content) instead of from `limits`
        return document

    def _dump(self) -> dict[str, Any]:
        return copy.deepcopy(self._state)

    def _load(self, document: dict[str, Any]) -> None:
        self._state = copy.deepcopy(document)

    # -- settings ----------------------------------------------------------------------------------

    def settings(self) -> dict[str, Any]:
        with self._reading():
            state = self._state
            config = dict(state["config"], ENABLE_POSTFWD="1" if state["postfwd_enabled"] else "0")
            return {
                "webmail-status": state["webmail_status"],
                "webmail-domain": state["webmail_domain"],
                "webmail-selected": list(state["webmail_selected"]),
                "mailserver-status": state["mailserver_status"],
                "emails": len(state["accounts"]),
                "config_data": config,
                "email_storage_location": state["email_storage_location"],
            }

    def set_storage(self, location: str) -> bool:
        """Move mail storage; refused (``False``) while mailboxes exist."""
        with self._writing():
            if self._state["accounts"]:
                return False
            self._state["email_storage_location"] = location
            return True

    def set_webmail_domain(self, domain: str, configured: set[str]) -> bool:
        """Serve webmail on ``domain``; refused when it already has a web configuration (``configured``
        or the current webmail domain)."""
        with self._writing():
            if domain in configured or domain == self._state["webmail_domain"]:
                return False
            self._state["webmail_domain"] = domain
            return True

    def set_webmail_software(self, software: str) -> None:
        with self._writing():
            self._state["webmail_selected"] = [software]
            self._state["webmail_status"] = "running"

    def set_switches(self, values: dict[str, str]) -> None:
        with self._writing():
            for key, value in values.items():
                if key == "ENABLE_POSTFWD":
                    self._state["postfwd_enabled"] = value == "1"
                else:
                    self._state["config"][key] = value

    # -- mailboxes ---------------------------------------------------------------------------------

    def accounts(self) -> tuple[str, list[dict[str, str]]]:
        with self._reading():
            status = self._state["mailserver_status"]
            rows = [{"email": a["email"], "quota": quota_line(a["used"], a["quota"])} for a in self._state["accounts"]]
            return status, rows if status == "running" else []

    def change_account(self, email: str, change: dict[str, Any]) -> bool:
        """Apply ``change`` (keys of the mailbox record) to ``email``; ``False`` when there is none."""
        with self._writing():
            account = next((a for a in self._state["accounts"] if a["email"] == email), None)
            if account is None:
                return False
            account.update(change)
            return True

    def delete_accounts(self, emails: list[str]) -> list[str]:
        """Delete every one of ``emails``, or none: the addresses no mailbox has."""
        with self._writing():
            known = {a["email"] for a in self._state["accounts"]}
            missing = [e for e in emails if e not in known]
            if not missing:
                self._state["accounts"] = [a for a in self._state["accounts"] if a["email"] not in emails]
            return missing

    # -- queue -------------------------------------------------------------------------------------

    def queue(self) -> tuple[str, list[dict[str, Any]]]:
        with self._reading():
            return self._state["mailserver_status"], copy.deepcopy(self._state["queue"])

    def act_on_queue(self, action: str, ids: list[str] | None) -> None:
        """``delete`` removes the messages (all when ``ids`` is ``None``); ``retry`` moves them to the
        active queue. Ids no longer queued are passed over."""
        with self._writing():
            chosen = [m for m in self._state["queue"] if ids is None or m["queue_id"] in ids]
            if action == "delete":
                self._state["queue"] = [m for m in self._state["queue"] if m not in chosen]
            else:
                for message in chosen:
                    message["queue_name"] = "active"

    # -- sending limits ----------------------------------------------------------------------------

    def limits(self) -> dict[str, Any]:
        with self._reading():
            raw = self._raw()
            rules = [
                {"id": rule_id, "username": user, "domain": domain, "limit": int(limit), "current": None}
                for rule_id, domain, user, limit in _RULE.findall(raw)
            ]
            counters = {r["username"]: r["current"] for r in self._state["limits"] if r.get("current") is not None}
            for rule in rules:
                rule["current"] = counters.get(rule["username"])
            users = sorted({r["username"] for r in rules})
            return {"rules": rules or None, "usernames": users, "raw_content": raw}

    def hits(self, domain: str) -> list[str]:
        with self._reading():
            return list(self._state["hits"].get(domain, []))

    def write_rules(self, raw: str) -> None:
        with self._writing():
            self._state["raw_rules"] = raw
            self._state["limits"] = [
                {"username": user, "domain": domain, "limit": int(limit)}
                for _, domain, user, limit in _RULE.findall(raw)
            ]

    def set_limit(self, username: str, domain: str, limit: int) -> None:
        with self._writing():
            kept = [r for r in self._state["limits"] if (r["username"], r["domain"]) != (username, domain)]
            self._state["limits"] = [*kept, {"username": username, "domain": domain, "limit": limit}]
            self._state["raw_rules"] = None

    def delete_limits(self, *, username: str | None = None, domain: str | None = None) -> list[str]:
        """Remove the rules of ``username`` or of ``domain`` (every rule when neither); the ids removed."""
        with self._writing():
            before = self._state["limits"]
            kept = [
                r
                for r in before
                if (username is not None and r["username"] != username)
                or (domain is not None and r["domain"] != domain)
            ]
            self._state["limits"] = kept
            self._state["raw_rules"] = None
            return [f"limit_{r['username']}_{r['domain'].replace('.', '_')}" for r in before if r not in kept]

    def reset_counters(self, *, username: str | None = None, domain: str | None = None) -> int:
        """Start the hour's counters again for matching rules; how many rules matched."""
        with self._writing():
            matched = [
                r
                for r in self._state["limits"]
                if (username is None or r["username"] == username) and (domain is None or r["domain"] == domain)
            ]
            for rule in matched:
                rule.pop("current", None)
            return len(matched)

    def _raw(self) -> str:
        if self._state["raw_rules"] is not None:
            return self._state["raw_rules"]
        return "".join(rule_text(r["username"], r["domain"], int(r["limit"])) for r in self._state["limits"])
