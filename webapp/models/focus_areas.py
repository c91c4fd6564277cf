"""The cycle's focus areas (issue 14): what the agreement focuses on, written by the secretariat
from the theme day's outcome, each with its initiatives a), b), c)… and their lead organisation
("tovholder"). An initiative's status is followed through the agreement period as a series of
updates (status, short report, date); the latest is its status. The next cycle's page shows
the earlier cycle's focus areas with their status."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .base import enum_column, utcnow
from .cycles import Cycle
from .parties import Organisation
from .types import UTCDateTime


class InitiativeStatus(enum.StrEnum):
    NOT_STARTED = "not_started"  # ikke startet
    IN_PROGRESS = "in_progress"  # i gang
    DONE = "done"  # afsluttet


class FocusArea(Model):
    __tablename__ = "focus_areas"
    __table_args__ = (UniqueConstraint("cycle_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    vision: Mapped[str] = mapped_column(Text, default="")  # Markdown
    background: Mapped[str] = mapped_column(Text, default="")  # Markdown
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    cycle: Mapped[Cycle] = relationship(lazy="raise")
    initiatives: Mapped[list[Initiative]] = relationship(
        back_populates="focus_area", lazy="raise", cascade="all, delete-orphan",
        order_by="(Initiative.position, Initiative.id)")

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def region_id(self) -> int:
        return self.cycle.region_id


class Initiative(Model):
    """An initiative of a focus area; its letter (a, b, c…) follows from its position. The
    current status is copied from the latest update, so lists read it without the history."""

    __tablename__ = "focus_initiatives"
    __table_args__ = (UniqueConstraint("focus_area_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    focus_area_id: Mapped[int] = mapped_column(
        ForeignKey("focus_areas.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown
    lead_organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[InitiativeStatus] = mapped_column(
        enum_column(InitiativeStatus, "initiative_status"), default=InitiativeStatus.NOT_STARTED)
    status_report: Mapped[str] = mapped_column(Text, default="")
    status_date: Mapped[date | None] = mapped_column(Date)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    focus_area: Mapped[FocusArea] = relationship(back_populates="initiatives", lazy="raise")
    lead_organisation: Mapped[Organisation | None] = relationship(lazy="raise")
    updates: Mapped[list[InitiativeUpdate]] = relationship(
        back_populates="initiative", lazy="raise", cascade="all, delete-orphan",
        order_by="(InitiativeUpdate.reported_on, InitiativeUpdate.id)")

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def region_id(self) -> int:
        return self.focus_area.region_id


class InitiativeUpdate(Model):
    """A status update: the status from that date, with a short report and who wrote it."""

    __tablename__ = "focus_initiative_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    initiative_id: Mapped[int] = mapped_column(
        ForeignKey("focus_initiatives.id", ondelete="CASCADE"), index=True)
    status: Mapped[InitiativeStatus] = mapped_column(
        enum_column(InitiativeStatus, "initiative_status"))
    report: Mapped[str] = mapped_column(Text, default="")
    reported_on: Mapped[date] = mapped_column(Date)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    initiative: Mapped[Initiative] = relationship(back_populates="updates", lazy="raise")
