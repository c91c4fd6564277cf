"""The workshop (issue 13): a workshop on a cycle's workshop milestone, its sessions and each
session's themes. Sign-up (invitees, picks, waiting lists) and the input per theme live in
their own modules; they all hang on these three tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .base import utcnow
from .cycles import Cycle, Milestone
from .types import UTCDateTime


class Workshop(Model):
    """A workshop: its place and time are its milestone's. Sign-up closes at
    `signup_deadline` (the reminders' deadline); participants may add input until
    `input_deadline`."""

    __tablename__ = "workshops"
    __table_args__ = (UniqueConstraint("cycle_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id"))
    title: Mapped[str] = mapped_column(String(200))
    programme: Mapped[str] = mapped_column(Text, default="")  # Markdown
    signup_deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    input_deadline: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    cycle: Mapped[Cycle] = relationship(lazy="raise")
    milestone: Mapped[Milestone] = relationship(lazy="raise")
    sessions: Mapped[list[WorkshopSession]] = relationship(
        back_populates="workshop", lazy="raise", cascade="all, delete-orphan",
        order_by="(WorkshopSession.position, WorkshopSession.id)",
    )

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def region_id(self) -> int:
        return self.cycle.region_id


class WorkshopSession(Model):
    """A session ("Session 1: Mestring af eget liv") with its pick rule: each participant
    picks between `picks_min` and `picks_max` of its themes (equal: an exact number)."""

    __tablename__ = "workshop_sessions"
    __table_args__ = (
        UniqueConstraint("workshop_id", "title"),
        CheckConstraint("picks_min >= 0 AND picks_max >= picks_min AND picks_max >= 1",
                        name="pick_rule"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    picks_min: Mapped[int] = mapped_column(Integer, default=1)
    picks_max: Mapped[int] = mapped_column(Integer, default=1)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    workshop: Mapped[Workshop] = relationship(back_populates="sessions", lazy="raise")
    themes: Mapped[list[WorkshopTheme]] = relationship(
        back_populates="session", lazy="raise", cascade="all, delete-orphan",
        order_by="(WorkshopTheme.position, WorkshopTheme.id)",
    )

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def region_id(self) -> int:
        return self.workshop.region_id


class WorkshopTheme(Model):
    """A theme group of a session: at most `capacity` participants (None: no limit); below
    `minimum` the secretariat is warned. A closed theme takes no sign-ups; its people were
    moved. `facilitator_id` names the person who records its input besides the secretariat."""

    __tablename__ = "workshop_themes"
    __table_args__ = (
        UniqueConstraint("session_id", "title"),
        CheckConstraint("capacity IS NULL OR capacity >= 1", name="capacity_positive"),
        CheckConstraint("minimum IS NULL OR minimum >= 0", name="minimum_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The workshop too, so that a theme of another workshop is refused by a key, not a join.
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id"), index=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("workshop_sessions.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    capacity: Mapped[int | None] = mapped_column(Integer)
    minimum: Mapped[int | None] = mapped_column(Integer)
    facilitator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_reason: Mapped[str] = mapped_column(Text, default="")
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    session: Mapped[WorkshopSession] = relationship(back_populates="themes", lazy="raise")

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def region_id(self) -> int:
        return self.session.region_id

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None
