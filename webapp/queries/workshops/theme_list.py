"""The prioritisation list ("temaliste") as read: its themes in order with their group,
recommendation, rationale, source themes and items (each with its origin theme), the region's
labels, and the items no list theme carries yet — in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...models import (
    InputItem,
    ListTheme,
    ListThemeItem,
    RecommendationLabel,
    Workshop,
    WorkshopTheme,
)
from .input import InputGroups, split_kinds, workshop_themes


@dataclass(frozen=True)
class ListEntry(InputGroups):
    theme: ListTheme
    label: str
    sources: list[str]  # the workshop themes' titles
    origin: dict[int, str]  # item id -> the title of the theme it was given in

    @property
    def how(self) -> str:
        """"plenum", "kept", "renamed", "merged" or "split": for the page's wording."""
        if not self.sources:
            return "plenum"
        if len(self.sources) > 1:
            return "merged"
        return "kept" if self.sources[0] == self.theme.title else "renamed"


@dataclass(frozen=True)
class ThemeListData:
    entries: list[ListEntry]
    labels: list[RecommendationLabel]
    themes: list[WorkshopTheme]
    unplaced: list[InputItem] = field(default_factory=list)

    @property
    def groups(self) -> list[tuple[str, list[ListEntry]]]:
        """The entries per group, groups in the order they first come ("" last)."""
        out: dict[str, list[ListEntry]] = {}
        for entry in self.entries:
            out.setdefault(entry.theme.group_name, []).append(entry)
        return sorted(out.items(), key=lambda pair: pair[0] == "")


def region_labels(region_id: int) -> list[RecommendationLabel]:
    return list(db.session.scalars(select(RecommendationLabel).where(
        RecommendationLabel.region_id == region_id).order_by(
        RecommendationLabel.position, RecommendationLabel.id)))


def list_theme_or_404(workshop: Workshop, list_theme_id: int) -> ListTheme:
    """A theme of this workshop's list with its sources and items (another's is a 404)."""
    entry = db.session.scalar(
        select(ListTheme).where(ListTheme.id == list_theme_id,
                                ListTheme.workshop_id == workshop.id)
        .options(selectinload(ListTheme.sources), selectinload(ListTheme.items)))
    if entry is None:
        abort(404)
    return entry


def theme_list(workshop: Workshop) -> ThemeListData:
    """The whole list: six queries whatever its size."""
    themes = workshop_themes(workshop)
    titles = {t.id: t.title for t in themes}
    entries = list(db.session.scalars(
        select(ListTheme).where(ListTheme.workshop_id == workshop.id)
        .order_by(ListTheme.position, ListTheme.id)
        .options(selectinload(ListTheme.sources),
                 selectinload(ListTheme.items).joinedload(ListThemeItem.item))))
    labels = region_labels(workshop.region_id)
    names = {label.id: label.name for label in labels}
    placed = {link.item_id for entry in entries for link in entry.items}
    unplaced = list(db.session.scalars(
        select(InputItem).join(WorkshopTheme).where(WorkshopTheme.workshop_id == workshop.id)
        .order_by(InputItem.created_at, InputItem.id))) if entries else []
    out = []
    for entry in entries:
        items = sorted((link.item for link in entry.items), key=lambda i: (i.created_at, i.id))
        out.append(ListEntry(
            theme=entry, label=names.get(entry.label_id or 0, ""),
            sources=[titles[s.theme_id] for s in entry.sources if s.theme_id in titles],
            origin={i.id: titles.get(i.theme_id, "") for i in items}, **split_kinds(items)))
    return ThemeListData(entries=out, labels=labels, themes=themes,
                         unplaced=[i for i in unplaced if i.id not in placed])
