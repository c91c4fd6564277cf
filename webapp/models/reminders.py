"""Deadline reminders: rules per milestone, and one delivery row per (rule, recipient, occurrence).

The delivery row is the claim: it is inserted under a unique key before anything is sent, so
two schedulers, or a crash and a restart, never send the same reminder twice.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .base import enum_column, utcnow
from .cycles import Milestone
from .types import UTCDateTime


class RuleKind(enum.StrEnum):
    BEFORE = "before"  # offset_days before the deadline
    OVERDUE = "overdue"  # offset_days after, then every repeat_days until the cycle closes
    DIGEST = "digest"  # to the secretariat: who is still missing, offset_days before (<0: after)


class DeliveryState(enum.StrEnum):
    CLAIMED = "claimed"  # claimed by a pass; the e-mail is in the outbox
    SENT = "sent"
    SKIPPED = "skipped"  # missed beyond the grace window, or the address is unusable
    CANCELLED = "cancelled"  # the party delivered between claim and send


class ReminderRule(Model):
    __tablename__ = "reminder_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id", ondelete="CASCADE"),
                                              index=True)
    kind: Mapped[RuleKind] = mapped_column(enum_column(RuleKind, "rule_kind"))
    offset_days: Mapped[int] = mapped_column(Integer)
    repeat_days: Mapped[int | None] = mapped_column(Integer)
    # Copenhagen wall-clock time "HH:MM": 08:00 stays 08:00 across daylight saving.
    send_at: Mapped[str] = mapped_column(String(5), default="08:00")
    paused: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    milestone: Mapped[Milestone] = relationship(lazy="raise")

    @property
    def region_id(self) -> int:
        return self.milestone.cycle.region_id

    __mapper_args__ = {"version_id_col": version_id}


class ReminderDelivery(Model):
    __tablename__ = "reminder_deliveries"
    __table_args__ = (
        UniqueConstraint("rule_id", "recipient", "occurrence"),
        Index("ix_reminder_deliveries_created", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rule_id: Mapped[int] = mapped_column(ForeignKey("reminder_rules.id"))
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id", ondelete="CASCADE"),
                                              index=True)
    recipient: Mapped[str] = mapped_column(String(254))  # the e-mail address
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Who owes the delivery: this organisation; when there is none, the person user_id (a
    # person-owed item is reminded to that person only), unless the rule is a digest.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"),
                                                        index=True)
    # Which of the rule's reminders this is: 0, or the n-th repeat of an overdue rule. With the
    # rule and the recipient it is the claim's key, so a moved milestone re-plans the time
    # (due_at) without sending the same reminder again.
    occurrence: Mapped[int] = mapped_column(Integer)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime())
    state: Mapped[DeliveryState] = mapped_column(enum_column(DeliveryState, "delivery_state"))
    reason: Mapped[str] = mapped_column(Text, default="")
    email_id: Mapped[int | None] = mapped_column(ForeignKey("outbound_emails.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
