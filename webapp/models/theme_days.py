"""The political theme day (issue 14): the catalogue of the chosen themes and the vote.

A theme day hangs on a milestone of kind THEME_DAY and usually on the board whose chosen
themes it takes. Each catalogue theme has items: challenges, and under each challenge its
solution options ordered from very close to limited cooperation ("fra meget tæt til
begrænset samarbejde"). Participants pick the items they want as focus.

The vote's rules hold in the database:

- one vote per person per item (unique (item, user));
- at most `picks_per_theme` votes per person per theme: a vote names a numbered slot,
  (theme, user, slot) is unique, and the slot is checked against the limit it carries, which is
  tied to the theme day's own limit by a composite foreign key (the limit cannot change under
  cast votes);
- a vote's item belongs to its theme, and its theme to its theme day (composite keys).

Whether a vote may still be cast (the day's state) is checked by the workflow under a row lock
on the theme day.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    ForeignKeyConstraint,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import Model
from .base import enum_column, utcnow
from .boards import BoardTheme, PrioritisationBoard
from .cycles import Cycle, Milestone
from .parties import User
from .types import UTCDateTime


class ThemeDayState(enum.StrEnum):
    DRAFT = "draft"  # the catalogue is being written
    OPEN = "open"  # voting is open
    ENDED = "ended"  # the secretariat ended the vote; the tally is frozen


class CatalogueItemKind(enum.StrEnum):
    CHALLENGE = "challenge"  # "Udfordring"
    SOLUTION = "solution"  # "Løsningsscenarie"


class ThemeDay(Model):
    __tablename__ = "theme_days"
    __table_args__ = (
        UniqueConstraint("cycle_id", "title"),
        UniqueConstraint("id", "picks_per_theme"),
        CheckConstraint("picks_per_theme >= 1 AND picks_per_theme <= 20", name="picks_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id"))
    board_id: Mapped[int | None] = mapped_column(ForeignKey("prioritisation_boards.id"))
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")  # Markdown
    picks_per_theme: Mapped[int] = mapped_column(Integer, default=3)
    state: Mapped[ThemeDayState] = mapped_column(
        enum_column(ThemeDayState, "theme_day_state"), default=ThemeDayState.DRAFT)
    catalogue_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    cycle: Mapped[Cycle] = relationship(lazy="raise")
    milestone: Mapped[Milestone] = relationship(lazy="raise")
    board: Mapped[PrioritisationBoard | None] = relationship(lazy="raise")
    themes: Mapped[list[CatalogueTheme]] = relationship(
        back_populates="theme_day", lazy="raise", cascade="all, delete-orphan",
        order_by="(CatalogueTheme.position, CatalogueTheme.id)")
    voters: Mapped[list[ThemeDayVoter]] = relationship(
        back_populates="theme_day", lazy="raise", cascade="all, delete-orphan")

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def region_id(self) -> int:
        return self.cycle.region_id


class CatalogueTheme(Model):
    """A theme of the catalogue ("Borgerens mestring af eget liv"), from a board theme picked
    for the theme day or typed in."""

    __tablename__ = "catalogue_themes"
    __table_args__ = (
        UniqueConstraint("theme_day_id", "title"),
        UniqueConstraint("id", "theme_day_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_day_id: Mapped[int] = mapped_column(
        ForeignKey("theme_days.id", ondelete="CASCADE"), index=True)
    board_theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("board_themes.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")  # Markdown
    position: Mapped[int] = mapped_column(Integer, default=0)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    theme_day: Mapped[ThemeDay] = relationship(back_populates="themes", lazy="raise")
    board_theme: Mapped[BoardTheme | None] = relationship(lazy="raise")
    items: Mapped[list[CatalogueItem]] = relationship(
        back_populates="theme", lazy="raise", cascade="all, delete-orphan",
        order_by="(CatalogueItem.position, CatalogueItem.id)",
        foreign_keys="CatalogueItem.theme_id")

    __mapper_args__ = {"version_id_col": version_id}


class CatalogueItem(Model):
    """A challenge of a theme, or a solution option under a challenge (`parent_id`). Options
    are ordered by `position` from very close to limited cooperation; `cooperation` says in
    words how close ("Fælles regionalt tilbud", "Erfaringsudveksling")."""

    __tablename__ = "catalogue_items"
    __table_args__ = (
        UniqueConstraint("id", "theme_id"),
        CheckConstraint("(kind = 'challenge') = (parent_id IS NULL)", name="solution_has_parent"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(
        ForeignKey("catalogue_themes.id", ondelete="CASCADE"), index=True)
    kind: Mapped[CatalogueItemKind] = mapped_column(
        enum_column(CatalogueItemKind, "catalogue_item_kind"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("catalogue_items.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")  # Markdown
    cooperation: Mapped[str] = mapped_column(String(200), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)

    theme: Mapped[CatalogueTheme] = relationship(
        back_populates="items", lazy="raise", foreign_keys=[theme_id])
    parent: Mapped[CatalogueItem | None] = relationship(
        remote_side="CatalogueItem.id", lazy="raise", back_populates="solutions")
    solutions: Mapped[list[CatalogueItem]] = relationship(
        lazy="raise", back_populates="parent",
        order_by="(CatalogueItem.position, CatalogueItem.id)")


class ThemeDayVoter(Model):
    """A person the secretariat added as a voter (a director); the region's politicians vote
    by their role."""

    __tablename__ = "theme_day_voters"

    theme_day_id: Mapped[int] = mapped_column(
        ForeignKey("theme_days.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    theme_day: Mapped[ThemeDay] = relationship(back_populates="voters", lazy="raise")
    user: Mapped[User] = relationship(lazy="raise")


class ThemeDayVote(Model):
    """One person's pick of one item."""

    __tablename__ = "theme_day_votes"
    __table_args__ = (
        UniqueConstraint("item_id", "user_id"),
        UniqueConstraint("theme_id", "user_id", "slot"),
        CheckConstraint("slot >= 1 AND slot <= picks_limit", name="slot_within_limit"),
        ForeignKeyConstraint(["item_id", "theme_id"], ["catalogue_items.id",
                                                       "catalogue_items.theme_id"],
                             ondelete="CASCADE"),
        ForeignKeyConstraint(["theme_id", "theme_day_id"], ["catalogue_themes.id",
                                                            "catalogue_themes.theme_day_id"],
                             ondelete="CASCADE"),
        ForeignKeyConstraint(["theme_day_id", "picks_limit"], ["theme_days.id",
                                                               "theme_days.picks_per_theme"],
                             ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_day_id: Mapped[int] = mapped_column(Integer, index=True)
    theme_id: Mapped[int] = mapped_column(Integer)
    item_id: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    slot: Mapped[int] = mapped_column(Integer)
    picks_limit: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
