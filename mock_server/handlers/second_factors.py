"""Tags ``two-factor`` and ``passkeys``: the calling administrator's own second factors.

Each handler acts on the token's account (``call.admin``); a token whose administrator has been
removed since is answered 404, as the 2.x server's acting-user lookup answers it.
"""

from __future__ import annotations

from mock_server.answer import Answer
from mock_server.handlers.registry import Call, operation
from mock_server.panel.second_factors import (
    AdminGone,
    IncorrectPassword,
    InvalidCode,
    PasskeyNotFound,
    SecondFactors,
    new_secret,
)
from mock_server.pipeline.refusals import REFUSALS

#: A blank 1x1 PNG: the mock draws no QR code (clients enrol with ``secret``; decision B1-10).
BLANK_PNG = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAAAAAA6fptVAAAACklEQVR4nGNgAAAAAgABSK+kcQAAAABJRU5ErkJggg=="
)

REFUSALS.update(
    {
        InvalidCode: (403, "app"),
        IncorrectPassword: (403, "app"),
        PasskeyNotFound: (404, "app"),
        AdminGone: (404, "app"),
    }
)


def _acting(call: Call) -> tuple[str, SecondFactors]:
    """The token's administrator (it must still exist) and the second-factor state."""
    admin = call.hosting.admin(call.admin or "")
    if admin is None:
        raise AdminGone("User not found")
    return admin.username, call.panel.part(SecondFactors)


@operation("getTwoFactorStatus", volatile=True)
def get_two_factor_status(call: Call) -> Answer:
    admin, factors = _acting(call)
    if factors.totp_enabled(admin):
        return Answer({"totp_enabled": True})
    return Answer({"totp_enabled": False, "secret": new_secret(), "qr_data_uri": BLANK_PNG})


@operation("enableTwoFactor")
def enable_two_factor(call: Call) -> Answer:
    admin, factors = _acting(call)
    factors.enable_totp(admin, call.body["secret"], call.body["code"])
    return Answer({"success": True, "message": "Two-factor authentication has been enabled."})


@operation("disableTwoFactor")
def disable_two_factor(call: Call) -> Answer:
    admin, factors = _acting(call)
    account = call.hosting.admin(admin)
    if account is None or not call.panel.passwords.verify(account.password_hash, call.body["password"]):
        raise IncorrectPassword("Incorrect password.")
    factors.disable_totp(admin)
    return Answer({"success": True, "message": "Two-factor authentication has been disabled."})


@operation("listPasskeys")
def list_passkeys(call: Call) -> Answer:
    admin, factors = _acting(call)
    return Answer({"passkeys": factors.passkeys(admin)})


@operation("renamePasskey")
def rename_passkey(call: Call) -> Answer:
    admin, factors = _acting(call)
    factors.rename_passkey(admin, call.body["id"], call.body["name"])
    return Answer({"success": True, "message": "Passkey renamed."})


@operation("deletePasskey")
def delete_passkey(call: Call) -> Answer:
    admin, factors = _acting(call)
    factors.delete_passkey(admin, call.body["id"])
    return Answer({"success": True, "message": "Passkey removed."})
