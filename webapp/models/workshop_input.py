"""The workshop's input (issue 13): what each theme group recorded — challenges and proposed
actions, each optionally under a sub-heading, with comments — and the prioritisation list the
secretariat makes of the themes afterwards (the list the prioritisation board scores).

The list is its own table, not a flag on the workshop's themes: a list theme may come from one
theme (kept or renamed), from several (merged), from part of one (split) or from none (added in
plenary). Its sources and its items are link tables, so every item still names the theme it
was given in.
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
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
from .parties import Region
from .types import UTCDateTime
from .workshops import Workshop, WorkshopTheme


class InputKind(enum.StrEnum):
    CHALLENGE = "challenge"  # "Udfordring"
    ACTION = "action"  # "Tiltag"


class InputItem(Model):
    """One challenge or proposed action of a theme. `body` is Markdown (shown only through the
    safe `markdown` filter). The author's name is kept as written, so the item still says who
    wrote it when the account is gone."""

    __tablename__ = "workshop_input_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("workshop_themes.id"), index=True)
    kind: Mapped[InputKind] = mapped_column(enum_column(InputKind, "input_kind"))
    heading: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_by_name: Mapped[str] = mapped_column(String(200), default="")
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    theme: Mapped[WorkshopTheme] = relationship(lazy="raise")
    comments: Mapped[list[InputComment]] = relationship(
        back_populates="item", lazy="raise", cascade="all, delete-orphan",
        order_by="(InputComment.created_at, InputComment.id)")

    __mapper_args__ = {"version_id_col": version_id}


class InputComment(Model):
    """A participant's comment on an item."""

    __tablename__ = "workshop_input_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("workshop_input_items.id"), index=True)
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    author_name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    item: Mapped[InputItem] = relationship(back_populates="comments", lazy="raise")


class RecommendationLabel(Model):
    """One of a region's recommendation labels ("Anbefales", "Anbefales ikke", …)."""

    __tablename__ = "recommendation_labels"
    __table_args__ = (UniqueConstraint("region_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)

    region: Mapped[Region] = relationship(lazy="raise")


class ListTheme(Model):
    """A theme of a workshop's prioritisation list ("temaliste"): its group, the working
    group's recommendation (a label of the region) and its rationale, in list order."""

    __tablename__ = "workshop_list_themes"
    # (id, workshop_id) is referenced by the source links: a source of another workshop's
    # list cannot be written, whatever the code does.
    __table_args__ = (UniqueConstraint("id", "workshop_id"),
                      UniqueConstraint("workshop_id", "title"))

    id: Mapped[int] = mapped_column(primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    group_name: Mapped[str] = mapped_column(String(200), default="")
    label_id: Mapped[int | None] = mapped_column(ForeignKey("recommendation_labels.id"))
    rationale: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    workshop: Mapped[Workshop] = relationship(lazy="raise")
    label: Mapped[RecommendationLabel | None] = relationship(lazy="raise")
    sources: Mapped[list[ListThemeSource]] = relationship(
        back_populates="list_theme", lazy="raise", cascade="all, delete-orphan",
        order_by="ListThemeSource.theme_id")
    items: Mapped[list[ListThemeItem]] = relationship(
        back_populates="list_theme", lazy="raise", cascade="all, delete-orphan",
        order_by="ListThemeItem.item_id")

    __mapper_args__ = {"version_id_col": version_id}


class ListThemeSource(Model):
    """A workshop theme a list theme came from. The workshop id is repeated and tied to the
    list theme's by a composite key, and the workflow ties it to the theme's: a merge across
    workshops cannot be stored."""

    __tablename__ = "workshop_list_theme_sources"
    __table_args__ = (
        ForeignKeyConstraint(["list_theme_id", "workshop_id"],
                             ["workshop_list_themes.id", "workshop_list_themes.workshop_id"],
                             ondelete="CASCADE"),
    )

    list_theme_id: Mapped[int] = mapped_column(primary_key=True)
    theme_id: Mapped[int] = mapped_column(ForeignKey("workshop_themes.id"), primary_key=True)
    workshop_id: Mapped[int] = mapped_column(ForeignKey("workshops.id"))

    list_theme: Mapped[ListTheme] = relationship(back_populates="sources", lazy="raise")
    theme: Mapped[WorkshopTheme] = relationship(lazy="raise")


class ListThemeItem(Model):
    """An input item a list theme carries (its origin is the item's own theme)."""

    __tablename__ = "workshop_list_theme_items"

    list_theme_id: Mapped[int] = mapped_column(
        ForeignKey("workshop_list_themes.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[int] = mapped_column(
        ForeignKey("workshop_input_items.id", ondelete="CASCADE"), primary_key=True, index=True)

    list_theme: Mapped[ListTheme] = relationship(back_populates="items", lazy="raise")
    item: Mapped[InputItem] = relationship(lazy="raise")
