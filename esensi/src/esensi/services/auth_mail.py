"""The auth layer's mail, queued in the outbox: rlib names an email and gives its link or code,
this module picks esensi's template and fills its typed model.

The email is written in the request's transaction, so a rolled-back request sends nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping

from esensi.emails import (
    AccountDeleted,
    AccountExists,
    ChangeEmailNotice,
    ChangeEmailVerification,
    DeleteAccountConfirm,
    EmailVerification,
    MailModel,
    OtpCode,
    PasswordChanged,
    ResetPassword,
    TwoFactorChanged,
    send_auth_email,
)
from rlib.auth import mailer as auth_mail
from rlib.auth.mailer import AuthEmail
from rlib.scope import Scope

Build = Callable[[Mapping[str, str], "Links"], MailModel]


class Links:
    """Pages the mails point at, on the configured origins (never the request's Host)."""

    def __init__(self, base_urls: Mapping[str, str]) -> None:
        auth = base_urls.get("auth", "").rstrip("/")
        main = base_urls.get("main", auth).rstrip("/")
        self.sign_in = auth + "/login"
        self.reset = auth + "/forgot-password"
        self.two_factor = auth + "/two-factor"
        self.otp = auth + "/otp"
        self.support = main + "/bantuan"

    def otp_page(self, use: str | None) -> str:
        """Where a code of ``use`` is typed: the 2FA step, or the OTP page (sign-in and
        email verification)."""
        return self.two_factor if use == "two-factor" else self.otp


def _time(context: Mapping[str, str]) -> dt.datetime:
    return dt.datetime.fromisoformat(context["time"])


# rlib's email name -> (esensi template alias, how its model is built).
TEMPLATES: dict[str, tuple[str, Build]] = {
    auth_mail.EMAIL_VERIFICATION: (
        "email-verification",
        lambda c, _: EmailVerification(name=c["name"], url=c["url"]),
    ),
    auth_mail.ACCOUNT_EXISTS: (
        "account-exists",
        lambda c, links: AccountExists(
            name=c.get("name", ""), sign_in_url=links.sign_in, reset_url=links.reset
        ),
    ),
    auth_mail.PASSWORD_RESET: (
        "reset-password",
        lambda c, _: ResetPassword(name=c["name"], url=c["url"]),
    ),
    auth_mail.PASSWORD_CHANGED: (
        "password-changed",
        lambda c, links: PasswordChanged(
            name=c["name"], time=_time(c), ip=c["ip"], support_url=links.support
        ),
    ),
    auth_mail.OTP_CODE: (
        "otp-code",
        lambda c, links: OtpCode(name=c["name"], otp=c["otp"], url=links.otp_page(c.get("use"))),
    ),
    auth_mail.CHANGE_EMAIL_VERIFICATION: (
        "change-email-verification",
        lambda c, _: ChangeEmailVerification(
            name=c["name"], new_email=c["new_email"], url=c["url"]
        ),
    ),
    auth_mail.EMAIL_CHANGED: (
        "change-email-notice",
        lambda c, links: ChangeEmailNotice(
            name=c["name"], new_email=c["new_email"], support_url=links.support
        ),
    ),
    auth_mail.TWO_FACTOR_ENABLED: (
        "two-factor-enabled",
        lambda c, _: TwoFactorChanged(name=c["name"], enabled=True, time=_time(c)),
    ),
    auth_mail.TWO_FACTOR_DISABLED: (
        "two-factor-enabled",
        lambda c, _: TwoFactorChanged(name=c["name"], enabled=False, time=_time(c)),
    ),
    auth_mail.DELETE_ACCOUNT_CONFIRM: (
        "delete-account-confirm",
        lambda c, _: DeleteAccountConfirm(name=c["name"], url=c["url"]),
    ),
    auth_mail.ACCOUNT_DELETED: (
        "account-deleted",
        lambda c, _: AccountDeleted(name=c["name"]),
    ),
}


class OutboxAuthMailer:
    """An :class:`rlib.auth.mailer.AuthMailer` that queues through ``send_auth_email``."""

    def __init__(self, base_urls: Mapping[str, str]) -> None:
        self.links = Links(base_urls)

    async def __call__(self, scope: Scope, email: AuthEmail) -> None:
        """Queue ``email`` with its esensi template.

        Raises:
            KeyError: for an email rlib sends that has no template here (a bug, caught by the
                test that maps every rlib email name).
        """
        alias, build = TEMPLATES[email.template]
        await send_auth_email(
            scope,
            to=email.to,
            template_alias=alias,
            template_model=build(email.context, self.links),
            lang=email.lang,
        )
