"""Tag ``email``: the mail server's settings, mailboxes, queue and sending limits, with the 2.x
server's wording (``internal/handlers/api_emails.go``)."""

from __future__ import annotations

from mock_server.answer import Answer
from mock_server.errors import ApiError
from mock_server.handlers.registry import Call, operation
from mock_server.panel.email import SWITCHES, MailServer

RESTARTED = (
    "Configuration updated successfully! Mailserver will be restarted in the background to apply new configuration."
)


def _mail(call: Call) -> MailServer:
    return call.panel.part(MailServer)


@operation("getEmailSettings")
def get_email_settings(call: Call) -> Answer:
    return Answer(_mail(call).settings())


def _done(message: str) -> Answer:
    return Answer({"success": True, "message": message})


@operation("updateEmailSettings")
def update_email_settings(call: Call) -> Answer:
    """One kind of change per request, in the server's order of precedence."""
    body, mail = call.body, _mail(call)
    if "storage_type" in body:
        location = "user_dir" if body["storage_type"] == "user_dir" else body["email_storage_location"]
        if not mail.set_storage(location):
            raise ApiError.app(409, "Email storage location cannot be changed when email accounts already exist.")
        return _done(
            "Email storage location updated successfully. "
            "Make sure to stop and start Mailserver for new storage to apply"
        )
    if "webmail_domain" in body:
        domain = body["webmail_domain"].removeprefix("http://").removeprefix("https://").removesuffix("/")
        configured = {domain.domain_url for domain, _ in call.hosting.domains()}
        if not mail.set_webmail_domain(domain, configured):
            raise ApiError.app(409, f"'{domain}' already exists in Caddy configuration.")
        return _done("Webmail domain updated successfully!")
    if "webmail_software" in body:
        mail.set_webmail_software(body["webmail_software"])
        return _done("Configuration updated successfully! Webmail service will be restarted in the background.")
    switches = {key: str(body[key]) for key in SWITCHES if key in body}
    mail.set_switches(switches)
    recreate = [name for key, name in (("ENABLE_FAIL2BAN", "Fail2Ban"), ("ENABLE_CLAMAV", "ClamAV")) if key in switches]
    if recreate:
        return _done(
            f"Configuration updated! {' and '.join(recreate)} require Mailserver to be recreated. "
            "Make sure to stop&start the service."
        )
    return _done(RESTARTED)


@operation("listEmailAccounts")
def list_email_accounts(call: Call) -> Answer:
    status, emails = _mail(call).accounts()
    return Answer({"status": status, "emails": emails})


def _no_mailbox(email: str) -> ApiError:
    return ApiError(404, {"message": f"Failed: Mailbox {email} does not exist"})


@operation("updateEmailAccount")
def update_email_account(call: Call) -> Answer:
    body = call.body
    action, email = body["action"], body["email"].strip()
    change: dict[str, str] = {}
    message = {"password": "Password updated.", "quota-set": "Quota updated.", "quota-del": "Quota removed."}
    if action == "quota-set":
        change = {"quota": body["quota"]}
    elif action == "quota-del":
        change = {"quota": "~"}
    elif action == "restrict":
        change = {f"restrict_{body['type']}": body["restrict_action"] == "add"}  # type: ignore[dict-item]
    if not _mail(call).change_account(email, change):
        raise _no_mailbox(email)
    return Answer({"message": message.get(action, "Restriction updated.")})


@operation("deleteEmailAccounts")
def delete_email_accounts(call: Call) -> Answer:
    emails = call.body["emails"]
    missing = _mail(call).delete_accounts(emails)
    if missing:
        raise _no_mailbox(missing[0])
    return Answer({"message": f"Deleted {len(emails)} account(s)."})


@operation("getEmailQueue")
def get_email_queue(call: Call) -> Answer:
    status, queue = _mail(call).queue()
    return Answer({"queue": queue, "mailserver_status": status})


@operation("manageEmailQueue")
def manage_email_queue(call: Call) -> Answer:
    body = call.body
    ids = None if body["scope"] == "all" else list(body.get("queue_ids") or [])
    _mail(call).act_on_queue(body["action"], ids)
    return Answer({"success": True})


@operation("getEmailDomainLimits")
def get_email_domain_limits(call: Call) -> Answer:
    domain = call.query.get("hits", "").strip()
    if domain:
        return Answer({"ok": True, "domain": domain, "lines": _mail(call).hits(domain)})
    return Answer(_mail(call).limits())


def _ok(message: str) -> Answer:
    return Answer({"ok": True, "msg": message})


@operation("updateEmailDomainLimits")
def update_email_domain_limits(call: Call) -> Answer:
    """The wording is the ``opencli email-ratelimit`` script's, as the server passes it on."""
    body, mail = call.body, _mail(call)
    if "raw_content" in body:
        mail.write_rules(body["raw_content"])
        return Answer({"success": True, "message": "File saved and postfwd reloaded."})
    action = body["action"]
    domain, username = body.get("domain", ""), body.get("username", "")
    if action == "update-domain":
        limit = int(body["limit"])
        mail.set_limit(username, domain, limit)
        return _ok(f"OK: {username} limit={limit}/hr domain={domain}")
    if action == "delete-all":
        mail.delete_limits()
        return _ok("All rate-limit rules removed.")
    if action == "reset-all":
        count = mail.reset_counters()
        return _ok(f"Regenerating all rules...\n---\nGenerated {count} rules")
    if action == "delete-domain":
        removed = mail.delete_limits(domain=domain)
        if not removed:
            return _ok(f"Deleting rule for domain: {domain}\nNo rule found for domain '{domain}'. Nothing changed.")
        return _ok(f"Deleting rule for domain: {domain}\nRemoved rule: {', '.join(removed)}")
    if action == "delete-user":
        if not mail.delete_limits(username=username):
            return _ok(
                f"Deleting all rules for user: {username}\nNo rules found for user '{username}'. Nothing changed."
            )
        return _ok(f"Deleting all rules for user: {username}\nRemoved all rules for user '{username}'.")
    if action == "reset-domain":
        mail.reset_counters(domain=domain)
        return _ok(f"Updating rule for domain: {domain}")
    mail.reset_counters(username=username)
    return _ok(f"Updating rules for user: {username}")
