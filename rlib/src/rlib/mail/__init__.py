"""Email through a durable outbox: context-bound senders, templates, SMTP failover, a worker.

``send_email`` writes an outbox row in the caller's transaction; the worker delivers it after
commit, retrying temporary failures and failing over between a context's SMTP accounts.
"""

from rlib.mail.accounts import MailAccount, MailConfig, MailConfigError, RetryPolicy
from rlib.mail.api import (
    MAIL_MESSAGES,
    BatchEmail,
    ContextSender,
    Mailer,
    make_context_sender,
    send_email,
    send_email_batch,
)
from rlib.mail.outbox import MailStatus, OutboxMixin
from rlib.mail.templates import Rendered, TemplateSet, UnknownTemplateError
from rlib.mail.transports import (
    FileTransport,
    MemoryTransport,
    PermanentFailure,
    SmtpTransport,
    TemporaryFailure,
    Transport,
    build_transports,
)
from rlib.mail.worker import OutboxWorker, WorkerHooks

__all__ = [
    "MAIL_MESSAGES",
    "BatchEmail",
    "ContextSender",
    "FileTransport",
    "MailAccount",
    "MailConfig",
    "MailConfigError",
    "MailStatus",
    "Mailer",
    "MemoryTransport",
    "OutboxMixin",
    "OutboxWorker",
    "PermanentFailure",
    "Rendered",
    "RetryPolicy",
    "SmtpTransport",
    "TemplateSet",
    "TemporaryFailure",
    "Transport",
    "UnknownTemplateError",
    "WorkerHooks",
    "build_transports",
    "make_context_sender",
    "send_email",
    "send_email_batch",
]
