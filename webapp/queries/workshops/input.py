"""The input of a workshop's themes as read: scoped loaders and each page's data in a fixed
number of queries, whatever the number of themes, items and comments."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ...extensions import db
from ...models import (
    Cycle,
    InputItem,
    InputKind,
    User,
    Workshop,
    WorkshopSession,
    WorkshopTheme,
)
from ...permissions.workshop_input import ThemeInput
from .participants import participant_ids


def scoped_workshop_or_404(workshop_id: int, user: Any) -> Workshop:
    """A workshop of the person's own region (its cycle loaded); another region's is a 404."""
    workshop = db.session.scalar(
        select(Workshop).join(Cycle, Cycle.id == Workshop.cycle_id)
        .where(Workshop.id == workshop_id, Cycle.region_id == user.region_id)
        .options(joinedload(Workshop.cycle)))
    if workshop is None:
        abort(404)
    return workshop


def theme_access_or_404(workshop_id: int, theme_id: int, user: Any) -> ThemeInput:
    """A theme of this workshop with what the input rules need; a theme of another workshop
    (or region) is a 404, also when its id exists."""
    workshop = scoped_workshop_or_404(workshop_id, user)
    theme = db.session.scalar(
        select(WorkshopTheme).where(WorkshopTheme.id == theme_id,
                                    WorkshopTheme.workshop_id == workshop.id)
        .options(joinedload(WorkshopTheme.session)))
    if theme is None:
        abort(404)
    return theme_access(theme, workshop)


def theme_access(theme: WorkshopTheme, workshop: Workshop) -> ThemeInput:
    return ThemeInput(theme, workshop,
                      frozenset(participant_ids([theme.id]).get(theme.id, set())))


def item_or_404(access: ThemeInput, item_id: int) -> InputItem:
    """An item of this theme (another theme's is a 404), with its comments."""
    item = db.session.scalar(
        select(InputItem).where(InputItem.id == item_id,
                                InputItem.theme_id == access.theme.id)
        .options(selectinload(InputItem.comments)))
    if item is None:
        abort(404)
    return item


@dataclass(frozen=True)
class HeadingGroup:
    """Items under one sub-heading ("" for items without one), in the order written."""

    heading: str
    items: list[InputItem]


@dataclass(frozen=True)
class InputGroups:
    """Challenges and actions, each grouped by sub-heading."""

    challenges: list[HeadingGroup]
    actions: list[HeadingGroup]

    @property
    def count(self) -> int:
        return sum(len(g.items) for g in (*self.challenges, *self.actions))

    def kinds(self) -> list[tuple[InputKind, list[HeadingGroup]]]:
        return [(InputKind.CHALLENGE, self.challenges), (InputKind.ACTION, self.actions)]


@dataclass(frozen=True)
class ThemeBlock(InputGroups):
    """One theme's input."""

    theme: WorkshopTheme
    session_title: str
    facilitator: str


def split_kinds(items: Iterable[InputItem]) -> dict[str, list[HeadingGroup]]:
    """The keyword arguments `challenges` and `actions` of an InputGroups."""
    listed = list(items)
    return {"challenges": group_by_heading(i for i in listed if i.kind == InputKind.CHALLENGE),
            "actions": group_by_heading(i for i in listed if i.kind == InputKind.ACTION)}


def group_by_heading(items: Iterable[InputItem]) -> list[HeadingGroup]:
    """Items without a sub-heading first, then each sub-heading in the order it first came."""
    groups: dict[str, list[InputItem]] = {}
    for item in items:
        groups.setdefault(item.heading, []).append(item)
    return [HeadingGroup(h, groups[h]) for h in sorted(groups, key=lambda h: h != "")]


def _items(theme_ids: Sequence[int]) -> dict[int, list[InputItem]]:
    """The themes' items with their comments: two queries for any number."""
    out: dict[int, list[InputItem]] = {t: [] for t in theme_ids}
    if not theme_ids:
        return out
    for item in db.session.scalars(
            select(InputItem).where(InputItem.theme_id.in_(theme_ids))
            .order_by(InputItem.created_at, InputItem.id)
            .options(selectinload(InputItem.comments))):
        out[item.theme_id].append(item)
    return out


def _block(theme: WorkshopTheme, items: list[InputItem], facilitators: dict[int, str]
           ) -> ThemeBlock:
    return ThemeBlock(theme=theme, session_title=theme.session.title,
                      facilitator=facilitators.get(theme.facilitator_id or 0, ""),
                      **split_kinds(items))


def _facilitators(themes: Sequence[WorkshopTheme]) -> dict[int, str]:
    ids = {t.facilitator_id for t in themes if t.facilitator_id is not None}
    if not ids:
        return {}
    return dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


def theme_block(access: ThemeInput) -> ThemeBlock:
    """One theme's page: its items and comments, and the facilitator's name."""
    theme = access.theme
    return _block(theme, _items([theme.id])[theme.id], _facilitators([theme]))


def workshop_themes(workshop: Workshop) -> list[WorkshopTheme]:
    """The workshop's themes in programme order, each with its session (one query)."""
    return list(db.session.scalars(
        select(WorkshopTheme).join(WorkshopTheme.session)
        .where(WorkshopTheme.workshop_id == workshop.id)
        .options(joinedload(WorkshopTheme.session))
        .order_by(WorkshopSession.position, WorkshopSession.id, WorkshopTheme.position,
                  WorkshopTheme.id)))


def workshop_input(workshop: Workshop) -> list[ThemeBlock]:
    """Every theme's input, in programme order: four queries for any size."""
    themes = workshop_themes(workshop)
    items = _items([t.id for t in themes])
    facilitators = _facilitators(themes)
    return [_block(t, items[t.id], facilitators) for t in themes]
