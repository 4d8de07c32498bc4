"""Ways out for a built message: SMTP (aiosmtplib, one reused connection per account), a folder
of ``.eml`` files (the demo default, so a new user can read what was sent), memory (tests).

A transport raises :class:`TemporaryFailure` when trying again later may work (SMTP 4xx,
timeouts, connection errors, a refused login) and :class:`PermanentFailure` when it cannot
(SMTP 5xx for the message or its recipients).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

import aiosmtplib

from rlib.mail.accounts import MailAccount
from rlib.mail.mime import OutgoingMail


class TemporaryFailure(Exception):
    """Delivery failed for now; the worker retries later or tries the next account."""


class PermanentFailure(Exception):
    """Delivery can never succeed (SMTP 5xx); the worker marks the message failed."""


class Transport(Protocol):
    """Delivers one message; raises :class:`TemporaryFailure` or :class:`PermanentFailure`."""

    async def send(self, mail: OutgoingMail) -> None: ...

    async def close(self) -> None: ...


class _RateGate:
    """Spaces sends ``60 / rate_per_minute`` seconds apart (0: no limit)."""

    def __init__(self, rate_per_minute: int) -> None:
        self._interval = 60.0 / rate_per_minute if rate_per_minute > 0 else 0.0
        self._next = 0.0

    async def wait(self) -> None:
        if not self._interval:
            return
        delay = self._next - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)  # pacing an account, not waiting for a condition
        self._next = max(time.monotonic(), self._next) + self._interval


def classify(exc: BaseException) -> Exception:
    """Map an aiosmtplib or socket error to a temporary or permanent failure."""
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [refused.code for refused in exc.recipients]
        if any(code < 500 for code in codes):
            return TemporaryFailure(f"recipients refused: {codes}")
        return PermanentFailure(f"recipients refused: {codes}")
    if isinstance(exc, aiosmtplib.SMTPAuthenticationError):
        # A refused login is the account's problem, not the message's: fail over.
        return TemporaryFailure(f"{exc.code} {exc.message}")
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        text = f"{exc.code} {exc.message}"
        return PermanentFailure(text) if exc.code >= 500 else TemporaryFailure(text)
    if isinstance(exc, TimeoutError):
        return TemporaryFailure(f"timeout: {type(exc).__name__}")
    return TemporaryFailure(f"{type(exc).__name__}: {exc}")


class SmtpTransport:
    """SMTP through one connection kept open per account and reopened after any failure."""

    def __init__(self, account: MailAccount) -> None:
        self.account = account
        self._client: aiosmtplib.SMTP | None = None
        self._lock = asyncio.Lock()
        self._gate = _RateGate(account.rate_per_minute)
        self.connections = 0

    async def send(self, mail: OutgoingMail) -> None:
        """Send ``mail``; a dropped idle connection is reopened once before failing."""
        async with self._lock:
            await self._gate.wait()
            reused = self._client is not None
            try:
                await self._send(mail)
            except aiosmtplib.SMTPServerDisconnected as exc:
                await self._drop()
                if not reused:
                    raise classify(exc) from exc
                await self._send_fresh(mail)
            except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
                await self._drop()
                raise classify(exc) from exc

    async def _send_fresh(self, mail: OutgoingMail) -> None:
        try:
            await self._send(mail)
        except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
            await self._drop()
            raise classify(exc) from exc

    async def _send(self, mail: OutgoingMail) -> None:
        client = await self._connected()
        options = ["SMTPUTF8"] if mail.smtputf8 else None
        async with asyncio.timeout(self.account.timeout_s * 4):
            await client.sendmail(mail.sender, mail.recipients, mail.data, mail_options=options)

    async def _connected(self) -> aiosmtplib.SMTP:
        if self._client is not None and self._client.is_connected:
            return self._client
        account = self.account
        client = aiosmtplib.SMTP(
            hostname=account.host,
            port=account.port,
            use_tls=account.security == "tls",
            start_tls=account.security == "starttls",
            username=account.username,
            password=account.password,
            timeout=account.timeout_s,
        )
        self._client = client
        await client.connect()
        self.connections += 1
        return client

    async def _drop(self) -> None:
        client, self._client = self._client, None
        if client is not None:
            client.close()

    async def close(self) -> None:
        """Say QUIT when the connection is still up, then forget it."""
        async with self._lock:
            client, self._client = self._client, None
            if client is not None and client.is_connected:
                try:
                    await client.quit()
                except (aiosmtplib.SMTPException, OSError, TimeoutError):
                    client.close()


class FileTransport:
    """Writes each message as ``<directory>/<UTC time>_<Message-ID>.eml``."""

    def __init__(self, account: MailAccount) -> None:
        self.directory = Path(account.directory)

    async def send(self, mail: OutgoingMail) -> None:
        """Write the message; a file-system error is temporary (disk full, permissions)."""
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        local = (mail.message_id or "message").strip("<>").split("@")[0]
        path = self.directory / f"{stamp}_{local}.eml"
        try:
            await asyncio.to_thread(self._write, path, mail.data)
        except OSError as exc:
            raise TemporaryFailure(f"{type(exc).__name__}: {exc}") from exc

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)

    async def close(self) -> None:
        """Nothing to release."""


class MemoryTransport:
    """Keeps sent messages, parsed back, in ``sent`` (tests and local runs without a server)."""

    def __init__(self, account: MailAccount | None = None) -> None:
        self.account = account
        self.sent: list[EmailMessage] = []

    async def send(self, mail: OutgoingMail) -> None:
        """Remember the message."""
        self.sent.append(mail.parsed())

    async def close(self) -> None:
        """Nothing to release."""


def build_transports(accounts: Mapping[str, MailAccount]) -> dict[str, Transport]:
    """One transport per account, chosen by the account's ``transport`` kind."""
    built: dict[str, Transport] = {}
    for name, account in accounts.items():
        if account.transport == "smtp":
            built[name] = SmtpTransport(account)
        elif account.transport == "file":
            built[name] = FileTransport(account)
        else:
            built[name] = MemoryTransport(account)
    return built
