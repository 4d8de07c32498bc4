"""Outgoing mail as wire bytes: the envelope and the RFC 5322 message the transports send.

The worker's messages have one fixed shape (a few headers, a text and/or an HTML part), so
they are written directly instead of through ``email.message.EmailMessage``: that class
parses every header into structured objects and its generator refolds them on output, about
1 ms of CPU per html+text message here, more than the SMTP exchange itself (benchmark
scenario e, ``bench/README.md``). Headers with non-ASCII text become RFC 2047 encoded words,
bodies that are not short-lined ASCII go quoted-printable. A message with a non-ASCII
address (allowed by the enqueue check) needs SMTPUTF8 and is built by the email package, as
before.
"""

from __future__ import annotations

import binascii
import datetime as dt
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr

_CRLF = b"\r\n"
_FOLD_AT = 78  # RFC 5322's recommended line length; 998 is the hard limit
_MAX_LINE = 998
_HEADER_NAME = re.compile(r"[!-9;-~]+")  # printable ASCII without ':' and spaces
_ADDRESS_HEADERS = frozenset({"from", "to", "cc", "reply-to", "sender"})
# Headers the message writes itself; a caller's extra header may not repeat them.
_OWN_HEADERS = frozenset(
    {
        "from",
        "to",
        "subject",
        "message-id",
        "date",
        "mime-version",
        "content-type",
        "content-transfer-encoding",
    }
)


@dataclass(frozen=True, slots=True)
class OutgoingMail:
    """What a transport delivers: the SMTP envelope and the message bytes (CRLF line ends)."""

    sender: str
    recipients: tuple[str, ...]
    message_id: str
    data: bytes
    smtputf8: bool = False

    def parsed(self) -> EmailMessage:
        """The message parsed back (tests and the memory transport look at its parts)."""
        message = message_from_bytes(self.data.replace(_CRLF, b"\n"), policy=policy.default)
        assert isinstance(message, EmailMessage)
        return message


def compose(
    *,
    from_address: str,
    to: Sequence[str],
    subject: str,
    message_id: str,
    date: dt.datetime,
    headers: Mapping[str, str],
    text: str | None,
    html: str | None,
) -> OutgoingMail:
    """The message of one outbox row as an account sends it.

    Raises:
        ValueError: a header value with a line break, a bad extra header name, or an extra
            header that repeats one the message writes itself.
    """
    sender = parseaddr(from_address)[1] or from_address
    specs = [sender, *(parseaddr(address)[1] or address for address in to)]
    if not all(spec.isascii() for spec in specs):
        return _composed_by_email_package(
            from_address, to, subject, message_id, date, headers, text, html
        )
    lines = [
        _address_header("From", [from_address]),
        _address_header("To", list(to)),
        _header("Subject", subject),
        _header("Message-ID", message_id),
        _header("Date", format_datetime(date)),
    ]
    for name, value in headers.items():
        lines.append(_extra_header(name, value))
    lines.append(b"MIME-Version: 1.0\r\n")
    data = b"".join(lines) + _body(text, html)
    return OutgoingMail(sender, tuple(to), message_id, data)


def _extra_header(name: str, value: str) -> bytes:
    if not _HEADER_NAME.fullmatch(name) or name.lower() in _OWN_HEADERS:
        raise ValueError(f"mail header {name!r} is not allowed as an extra header")
    if name.lower() in _ADDRESS_HEADERS:
        return _address_header(name, [part.strip() for part in value.split(",")])
    return _header(name, value)


def _check_value(name: str, value: str) -> None:
    if "\r" in value or "\n" in value:
        raise ValueError(f"mail header {name} contains a line break")


def _header(name: str, value: str) -> bytes:
    """One unstructured header: as is when short ASCII, else folded (RFC 2047 if non-ASCII)."""
    _check_value(name, value)
    if value.isascii() and len(name) + 2 + len(value) <= _FOLD_AT:
        return f"{name}: {value}".encode("ascii") + _CRLF
    charset = "us-ascii" if value.isascii() else "utf-8"
    folded = Header(value, charset, header_name=name).encode(linesep="\r\n")
    return f"{name}: {folded}".encode("ascii") + _CRLF


def _address_header(name: str, addresses: list[str]) -> bytes:
    """An address list; a non-ASCII display name becomes an encoded word, the address stays."""
    rendered = []
    for address in addresses:
        _check_value(name, address)
        display, spec = parseaddr(address)
        rendered.append(formataddr((display, spec), charset="utf-8") if display else spec)
    line = f"{name}: {', '.join(rendered)}"
    if len(line) > _FOLD_AT:
        line = f"{name}: " + ",\r\n ".join(rendered)
    return line.encode("ascii") + _CRLF


def _body(text: str | None, html: str | None) -> bytes:
    """The content headers and body: multipart/alternative when both parts are given."""
    if text and html:
        plain, rich = _part("plain", text), _part("html", html)
        boundary = _boundary(plain, rich)
        marker = b"--" + boundary
        return b"".join(
            (
                b'Content-Type: multipart/alternative; boundary="' + boundary + b'"\r\n\r\n',
                marker + _CRLF,
                plain,
                _CRLF + marker + _CRLF,  # the CRLF before a boundary belongs to the boundary
                rich,
                _CRLF + marker + b"--" + _CRLF,
            )
        )
    if html:
        return _part("html", html)
    return _part("plain", text or "")


def _part(subtype: str, content: str) -> bytes:
    """Headers and payload of one text part; 7bit when it can be, quoted-printable else."""
    normal = content.replace("\r\n", "\n").replace("\r", "\n")
    if not normal.endswith("\n"):
        normal += "\n"
    lines = normal.split("\n")
    if normal.isascii() and max(len(line) for line in lines) <= _MAX_LINE:
        encoding, payload = "7bit", normal.encode("ascii")
    else:
        encoding = "quoted-printable"
        payload = binascii.b2a_qp(normal.encode("utf-8"), istext=True)
    head = (
        f'Content-Type: text/{subtype}; charset="utf-8"\r\n'
        f"Content-Transfer-Encoding: {encoding}\r\n\r\n"
    )
    return head.encode("ascii") + payload.replace(b"\n", _CRLF)


def _boundary(*parts: bytes) -> bytes:
    while True:  # a random 128-bit boundary: a clash with the content is practically never
        boundary = b"=_rlib_" + secrets.token_hex(16).encode("ascii")
        if not any(boundary in part for part in parts):
            return boundary


def _composed_by_email_package(
    from_address: str,
    to: Sequence[str],
    subject: str,
    message_id: str,
    date: dt.datetime,
    headers: Mapping[str, str],
    text: str | None,
    html: str | None,
) -> OutgoingMail:
    message = EmailMessage()
    message["From"] = from_address
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message["Message-ID"] = message_id
    message["Date"] = format_datetime(date)
    for name, value in headers.items():
        message[name] = value
    if text and html:
        message.set_content(text)
        message.add_alternative(html, subtype="html")
    elif html:
        message.set_content(html, subtype="html")
    else:
        message.set_content(text or "")
    sender = parseaddr(from_address)[1] or from_address
    data = message.as_bytes(policy=policy.SMTPUTF8)
    return OutgoingMail(sender, tuple(to), message_id, data, smtputf8=True)
