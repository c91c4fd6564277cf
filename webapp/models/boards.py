"""Prioritisation boards (issue 14): the steering group scores a cycle's themes on criteria.

A board hangs on a milestone of kind PRIORITISATION (its end is the scoring deadline the
reminders chase). Its themes are copied from the workshop's prioritisation list (`ListTheme`,
kept as `list_theme_id` so the workshop input can be shown) or typed in; its members are
people, added by role (a snapshot of the region's steering-group members) or by name.

The rules hold in the database, not only in the code:

- a score is 1–5 (CHECK) and unique per (theme, criterion, member);
- a score's theme, criterion and member belong to the score's board (composite foreign keys
  to (id, board_id) and to the member row), so a score by someone not on the board, or for a
  theme or criterion of another board, cannot be stored;
- a member's ballot (`BoardMember.version_id`) moves with every save, so two tabs saving the
  same member's scores at once cannot silently overwrite each other.

Results (means, spread, ranking) are computed from the scores, never stored.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    Boolean,
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
from .cycles import Cycle, Milestone
from .parties import User
from .types import UTCDateTime
from .workshop_input import ListTheme
from .workshops import Workshop


class BoardState(enum.StrEnum):
    DRAFT = "draft"  # kladde: the secretariat prepares themes, criteria and members
    OPEN = "open"  # åben: members score (blind)
    CLOSED = "closed"  # lukket: scores are final; the secretariat sees the results
    PUBLISHED = "published"  # offentliggjort: the members (and maybe the region) see them


class Recommendation(enum.StrEnum):
    """The working group's recommendation as a fact the results compare against; the label
    as written ("Anbefales (DAS/politisk?)") is kept beside it for display."""

    RECOMMENDED = "recommended"
    NOT_RECOMMENDED = "not_recommended"
    NONE = "none"


class PrioritisationBoard(Model):
    __tablename__ = "prioritisation_boards"
    __table_args__ = (UniqueConstraint("cycle_id", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("cycles.id"), index=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id"))
    # The workshop whose prioritisation list the themes were taken from, if any.
    workshop_id: Mapped[int | None] = mapped_column(ForeignKey("workshops.id"))
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")  # Markdown
    state: Mapped[BoardState] = mapped_column(
        enum_column(BoardState, "board_state"), default=BoardState.DRAFT)
    # The secretariat's conclusion, written after the close (Markdown).
    conclusion: Mapped[str] = mapped_column(Text, default="")
    # Publish to the region's people too, not only to the members.
    publish_to_region: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    cycle: Mapped[Cycle] = relationship(lazy="raise")
    milestone: Mapped[Milestone] = relationship(lazy="raise")
    workshop: Mapped[Workshop | None] = relationship(lazy="raise")
    criteria: Mapped[list[BoardCriterion]] = relationship(
        back_populates="board", lazy="raise", cascade="all, delete-orphan",
        order_by="(BoardCriterion.position, BoardCriterion.id)")
    themes: Mapped[list[BoardTheme]] = relationship(
        back_populates="board", lazy="raise", cascade="all, delete-orphan",
        order_by="(BoardTheme.position, BoardTheme.id)")
    members: Mapped[list[BoardMember]] = relationship(
        back_populates="board", lazy="raise", cascade="all, delete-orphan",
        order_by="BoardMember.name")

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def region_id(self) -> int:
        return self.cycle.region_id

    @property
    def deadline(self) -> datetime:
        return self.milestone.ends_at


class BoardCriterion(Model):
    """A criterion ("Tværkommunal relevans"), scored 1–5, with a weight (1 when none is
    given) in the weighted mean."""

    __tablename__ = "board_criteria"
    __table_args__ = (
        UniqueConstraint("board_id", "title"),
        UniqueConstraint("id", "board_id"),
        CheckConstraint("weight >= 1 AND weight <= 10", name="weight_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(
        ForeignKey("prioritisation_boards.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[int] = mapped_column(Integer, default=1)
    position: Mapped[int] = mapped_column(Integer, default=0)

    board: Mapped[PrioritisationBoard] = relationship(back_populates="criteria", lazy="raise")


class BoardTheme(Model):
    """A theme on the board: its group, the working group's recommendation (the label as
    written, and what it means) and rationale, copied from the list theme when it came from
    one. `for_theme_day` is the secretariat's pick after the close."""

    __tablename__ = "board_themes"
    __table_args__ = (
        UniqueConstraint("board_id", "title"),
        UniqueConstraint("id", "board_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(
        ForeignKey("prioritisation_boards.id", ondelete="CASCADE"), index=True)
    # The theme is a copy: when the workshop's list changes later (a merge), the link goes.
    list_theme_id: Mapped[int | None] = mapped_column(
        ForeignKey("workshop_list_themes.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(200))
    group_name: Mapped[str] = mapped_column(String(200), default="")
    recommendation_label: Mapped[str] = mapped_column(String(100), default="")
    recommendation: Mapped[Recommendation] = mapped_column(
        enum_column(Recommendation, "recommendation"), default=Recommendation.NONE)
    rationale: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    for_theme_day: Mapped[bool] = mapped_column(Boolean, default=False)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    board: Mapped[PrioritisationBoard] = relationship(back_populates="themes", lazy="raise")
    list_theme: Mapped[ListTheme | None] = relationship(lazy="raise")

    __mapper_args__ = {"version_id_col": version_id}


class BoardMember(Model):
    """A member of the board. The name is copied (the results still name a member whose
    account is gone). `version_id` is the member's ballot counter: every save of their scores
    moves it. `completed_at` is set when every theme is scored on every criterion or
    abstained (the reminders' "pending")."""

    __tablename__ = "board_members"
    __table_args__ = (UniqueConstraint("board_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(
        ForeignKey("prioritisation_boards.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    board: Mapped[PrioritisationBoard] = relationship(back_populates="members", lazy="raise")
    user: Mapped[User] = relationship(lazy="raise")

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def region_id(self) -> int:
        return self.board.region_id


class BoardScore(Model):
    """One member's score of one theme on one criterion."""

    __tablename__ = "board_scores"
    __table_args__ = (
        UniqueConstraint("theme_id", "criterion_id", "user_id"),
        CheckConstraint("value >= 1 AND value <= 5", name="score_range"),
        ForeignKeyConstraint(["theme_id", "board_id"], ["board_themes.id", "board_themes.board_id"],
                             ondelete="CASCADE"),
        ForeignKeyConstraint(["criterion_id", "board_id"],
                             ["board_criteria.id", "board_criteria.board_id"], ondelete="CASCADE"),
        ForeignKeyConstraint(["board_id", "user_id"],
                             ["board_members.board_id", "board_members.user_id"],
                             ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("prioritisation_boards.id"), index=True)
    theme_id: Mapped[int] = mapped_column(Integer)
    criterion_id: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(Integer)
    value: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class BoardThemeNote(Model):
    """A member's comment on a theme, and their abstention ("inhabil": conflict of interest)
    with its note. An abstaining member has no scores for the theme."""

    __tablename__ = "board_theme_notes"
    __table_args__ = (
        UniqueConstraint("theme_id", "user_id"),
        ForeignKeyConstraint(["theme_id", "board_id"], ["board_themes.id", "board_themes.board_id"],
                             ondelete="CASCADE"),
        ForeignKeyConstraint(["board_id", "user_id"],
                             ["board_members.board_id", "board_members.user_id"],
                             ondelete="CASCADE"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("prioritisation_boards.id"), index=True)
    theme_id: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")
    abstained: Mapped[bool] = mapped_column(Boolean, default=False)
    abstain_note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
