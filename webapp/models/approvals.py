"""Council approvals ("politisk godkendelse"): the approval round of a cycle on the final text,
and one record per party with a council, carrying that council's meeting and decision.

The agreement's status ("I kraft", "Ikke godkendt", "N af M godkendt") is computed from the
records (webapp/queries/approvals.py), never stored.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .agreements import TextVersion
from .base import enum_column, utcnow
from .cycles import Cycle, Milestone
from .files import StoredFile
from .parties import Organisation
from .types import UTCDateTime


class ApprovalState(enum.StrEnum):
    PENDING = "pending"  # afventer
    SCHEDULED = "scheduled"  # sat på dagsorden (meeting date, body, agenda link)
    APPROVED = "approved"  # godkendt
    APPROVED_WITH_REMARKS = "approved_with_remarks"  # godkendt med bemærkninger
    REJECTED = "rejected"  # ikke godkendt
    POSTPONED = "postponed"  # udsat (to a new meeting date)


class ApprovalRound(Model):
    """A cycle's approval round: one per cycle, on one frozen, final text version, attached to
    the cycle's approval milestone (whose end is the deadline, 15 October). The parties are
    fixed when the round opens: a party added to or removed from the region later changes
    nothing here unless the secretariat adds or removes it."""

    __tablename__ = "approval_rounds"
    __table_args__ = (UniqueConstraint("cycle_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"))
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id"))
    text_version_id: Mapped[int] = mapped_column(ForeignKey("text_versions.id"))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Set when the "in force" e-mail was queued, so it goes out once.
    in_force_notified_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    cycle: Mapped[Cycle] = relationship(lazy="raise")
    milestone: Mapped[Milestone] = relationship(lazy="raise")
    text_version: Mapped[TextVersion] = relationship(lazy="raise")
    approvals: Mapped[list[CouncilApproval]] = relationship(
        back_populates="round", lazy="raise", cascade="all, delete-orphan",
        order_by="CouncilApproval.party_name",
    )
    version_changes: Mapped[list[ApprovalVersionChange]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="ApprovalVersionChange.decided_at",
    )

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def region_id(self) -> int:
        return self.cycle.region_id

    @property
    def deadline(self) -> datetime:
        return self.milestone.ends_at


class CouncilApproval(Model):
    """One party's council in a round: its meeting and its decision. The unique key makes
    "one decision per council per round" a fact of the database; the version counter makes a
    second concurrent save fail instead of overwriting the first."""

    __tablename__ = "council_approvals"
    __table_args__ = (UniqueConstraint("round_id", "organisation_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("approval_rounds.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    # Copied when the round opens (or the party is added): the round keeps its own list.
    party_name: Mapped[str] = mapped_column(String(160))
    council_name: Mapped[str] = mapped_column(String(160))
    state: Mapped[ApprovalState] = mapped_column(
        enum_column(ApprovalState, "approval_state"), default=ApprovalState.PENDING
    )
    # The meeting: when, which committee or council, and a link to the agenda.
    meeting_date: Mapped[date | None] = mapped_column(Date)
    meeting_body: Mapped[str] = mapped_column(String(200), default="")
    agenda_url: Mapped[str] = mapped_column(String(1000), default="")
    # The decision.
    decided_on: Mapped[date | None] = mapped_column(Date)
    remarks: Mapped[str] = mapped_column(Text, default="")  # required "med bemærkninger"
    rejection_reason: Mapped[str] = mapped_column(Text, default="")  # required "ikke godkendt"
    minutes_url: Mapped[str] = mapped_column(String(1000), default="")
    minutes_file_id: Mapped[int | None] = mapped_column(ForeignKey("stored_files.id"))
    recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_by_name: Mapped[str] = mapped_column(String(160), default="")
    # True when the secretariat recorded the decision for the party.
    on_behalf: Mapped[bool] = mapped_column(Boolean, default=False)
    # The secretariat's own note: never on the public page nor in the public API.
    internal_note: Mapped[str] = mapped_column(Text, default="")
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    round: Mapped[ApprovalRound] = relationship(back_populates="approvals", lazy="raise")
    organisation: Mapped[Organisation] = relationship(lazy="raise")
    minutes_file: Mapped[StoredFile | None] = relationship(lazy="raise")

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def region_id(self) -> int:
        return self.round.region_id


class ApprovalVersionChange(Model):
    """A new final version arrived after decisions were recorded: the secretariat's choice
    whether the decisions stand or must be taken again, with its reason (shown on the
    overview)."""

    __tablename__ = "approval_version_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("approval_rounds.id"), index=True)
    from_version_id: Mapped[int] = mapped_column(ForeignKey("text_versions.id"))
    to_version_id: Mapped[int] = mapped_column(ForeignKey("text_versions.id"))
    approvals_stand: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
