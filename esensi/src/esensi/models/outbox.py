"""The mail outbox: mail is rendered at enqueue and sent by the worker after commit.

Columns and constraints come from rlib's outbox mixin; esensi fixes the table name and its
closed list of mail contexts.
"""

from __future__ import annotations

from esensi.models.base import Base
from esensi.models.enums import MailContext
from rlib.mail.outbox import OutboxMixin, outbox_table_args


class MailOutbox(OutboxMixin, Base):
    __tablename__ = "mail_outbox"
    __table_args__ = outbox_table_args(MailContext)
