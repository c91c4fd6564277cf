"""The e-mail outbox: a message is a row written in the same transaction as its cause."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import Model
from .base import enum_column
from .types import UTCDateTime


class EmailState(enum.StrEnum):
    QUEUED = "queued"
    HELD = "held"  # a non-urgent notice waiting for the recipient's daily digest
    SENDING = "sending"  # claimed by one sender; next_attempt_at is when the claim lapses
    SENT = "sent"
    FAILED = "failed"  # a try failed; it is tried again later
    SKIPPED = "skipped"  # never sendable (a malformed address) or no longer wanted; reason kept


class OutboundEmail(Model):
    __tablename__ = "outbound_emails"
    __table_args__ = (
        Index("ix_outbound_emails_state_next", "state", "next_attempt_at"),
        Index("ix_outbound_emails_region_created", "region_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"), index=True)
    template: Mapped[str] = mapped_column(String(80))
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(250))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    state: Mapped[EmailState] = mapped_column(
        enum_column(EmailState, "email_state"), default=EmailState.QUEUED
    )
    # Reminders, invitations and password links are urgent; receipts and notices are not, and
    # wait for the daily digest of a person who chose one.
    urgent: Mapped[bool] = mapped_column(Boolean, default=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # One Message-ID for every attempt, so a repeat after a crash is recognisable as the same
    # message; written when queued (rows older than the column get theirs at the first try).
    message_id: Mapped[str | None] = mapped_column(String(250), unique=True)
    # Headers of its own, e.g. X-Aftalehjul-Reminder: rule/recipient/occurrence of a reminder.
    headers: Mapped[dict[str, str] | None] = mapped_column(JSON)


class EmailAttachment(Model):
    """A file sent with a message (an invitation's calendar entry), written with it."""

    __tablename__ = "email_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    email_id: Mapped[int] = mapped_column(ForeignKey("outbound_emails.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(100))
    data: Mapped[bytes] = mapped_column(LargeBinary)
