"""A region's agreement cycle and its milestones."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .base import enum_column, utcnow
from .parties import Region
from .types import UTCDateTime


class CycleState(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class MilestoneKind(enum.StrEnum):
    KICKOFF = "kickoff"
    WORKSHOP = "workshop"
    PRIORITISATION = "prioritisation"  # the steering group scores the themes (issue 14)
    THEME_DAY = "theme_day"
    QUESTIONNAIRE = "questionnaire"
    CONSULTATION = "consultation"
    DRAFT = "draft"
    APPROVAL = "approval"
    OTHER = "other"


class Cycle(Model):
    __tablename__ = "cycles"
    __table_args__ = (
        UniqueConstraint("region_id", "title"),
        CheckConstraint("last_year >= first_year AND last_year - first_year <= 2", name="years"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    first_year: Mapped[int] = mapped_column(Integer)
    last_year: Mapped[int] = mapped_column(Integer)
    state: Mapped[CycleState] = mapped_column(
        enum_column(CycleState, "cycle_state"), default=CycleState.DRAFT
    )
    description: Mapped[str] = mapped_column(Text, default="")
    cloned_from_id: Mapped[int | None] = mapped_column(ForeignKey("cycles.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    region: Mapped[Region] = relationship(lazy="raise")
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="cycle",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="(Milestone.ends_at, Milestone.id)",
    )

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def years_label(self) -> str:
        if self.first_year == self.last_year:
            return str(self.first_year)
        return f"{self.first_year}–{self.last_year}"

    def __repr__(self) -> str:
        return f"<Cycle {self.title}>"


class Milestone(Model):
    __tablename__ = "milestones"
    __table_args__ = (
        CheckConstraint("starts_at IS NULL OR starts_at <= ends_at", name="start_before_end"),
        Index("ix_milestones_cycle_ends", "cycle_id", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"))
    kind: Mapped[MilestoneKind] = mapped_column(enum_column(MilestoneKind, "milestone_kind"))
    title: Mapped[str] = mapped_column(String(200))
    # A pure deadline has no start; a meeting or a period has both.
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    place: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    # Roles this milestone asks something of (shown in their "Mine opgaver"); empty = everyone.
    audience: Mapped[list[str]] = mapped_column(JSON, default=list)
    is_public: Mapped[bool] = mapped_column(Boolean, default=True)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    cycle: Mapped[Cycle] = relationship(back_populates="milestones", lazy="raise")

    @property
    def region_id(self) -> int:
        """The region it belongs to (the cycle must be loaded, as the scoped loaders do)."""
        return self.cycle.region_id

    __mapper_args__ = {"version_id_col": version_id}

    def concerns(self, roles: set[str]) -> bool:
        return not self.audience or bool(set(self.audience) & set(roles))

    def __repr__(self) -> str:
        return f"<Milestone {self.kind} {self.title}>"
