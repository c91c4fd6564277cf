"""Writing the catalogue while the day is prepared: its themes, each theme's challenges and,
under each challenge, its solution options ordered from very close to limited cooperation.

An item has no counter of its own: a change to a theme's items moves the theme's counter
(`bump_version`), and every item form carries the theme's, so two people editing the same
theme cannot overwrite each other (conflict page, input kept)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import select

from ...extensions import db
from ...i18n import gettext as _
from ...models import CatalogueItem, CatalogueItemKind, CatalogueTheme, ThemeDay
from ...permissions import Actor
from ..base import WorkflowError, bump_version, changed, check_stale, record, snapshot
from . import require_draft, require_manage, themes_with_items

THEME_FIELDS = ("title", "intro")
ITEM_FIELDS = ("title", "description", "cooperation")
MAX_ITEMS = 200

Direction = Literal["up", "down"]


@dataclass
class ItemData:
    title: str
    description: str
    cooperation: str


def _theme_title(day: ThemeDay, title: str, exclude_id: int | None) -> str:
    title = title.strip()
    if not title:
        raise WorkflowError(_("Skriv temaets titel."), field="title")
    taken = select(CatalogueTheme.id).where(CatalogueTheme.theme_day_id == day.id,
                                            CatalogueTheme.title == title)
    if exclude_id is not None:
        taken = taken.where(CatalogueTheme.id != exclude_id)
    if db.session.scalar(taken) is not None:
        raise WorkflowError(_("Kataloget har allerede et tema med denne titel."), field="title")
    return title


def add_theme(actor: Actor, day: ThemeDay, title: str, intro: str, *,
              now: datetime) -> CatalogueTheme:
    require_manage(actor, day.region_id)
    require_draft(day)
    clean = _theme_title(day, title, None)
    themes = themes_with_items(day)
    theme = CatalogueTheme(theme_day_id=day.id, title=clean, intro=intro.strip(),
                           position=max((t.position for t in themes), default=-1) + 1)
    db.session.add(theme)
    db.session.flush()
    record(actor=actor, action="catalogue_theme.created", obj=theme, now=now,
           region_id=day.region_id, after=snapshot(theme, THEME_FIELDS))
    return theme


def update_theme(actor: Actor, theme: CatalogueTheme, title: str, intro: str, *,
                 now: datetime, version: int | None) -> CatalogueTheme:
    day = theme.theme_day
    require_manage(actor, day.region_id)
    check_stale(theme, version)
    require_draft(day)
    clean = _theme_title(day, title, theme.id)
    before = snapshot(theme, THEME_FIELDS)
    theme.title, theme.intro = clean, intro.strip()
    old, new = changed(before, snapshot(theme, THEME_FIELDS))
    if new:
        record(actor=actor, action="catalogue_theme.updated", obj=theme, now=now,
               region_id=day.region_id, before=old, after=new)
    return theme


def remove_theme(actor: Actor, theme: CatalogueTheme, *, now: datetime) -> None:
    day = theme.theme_day
    require_manage(actor, day.region_id)
    require_draft(day)
    record(actor=actor, action="catalogue_theme.removed", obj=theme, now=now,
           region_id=day.region_id, before=snapshot(theme, THEME_FIELDS))
    db.session.delete(theme)


def _swap(rows: Sequence[CatalogueTheme | CatalogueItem], index: int,
          direction: Direction) -> bool:
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(rows):
        return False
    for n, row in enumerate(rows):  # numbered afresh: equal positions never stall a move
        row.position = n
    rows[index].position, rows[other].position = other, index
    return True


def move_theme(actor: Actor, theme: CatalogueTheme, direction: Direction, *,
               now: datetime) -> None:
    day = theme.theme_day
    require_manage(actor, day.region_id)
    require_draft(day)
    themes = themes_with_items(day)
    index = next(n for n, t in enumerate(themes) if t.id == theme.id)
    if _swap(themes, index, direction):
        record(actor=actor, action="catalogue_theme.moved", obj=theme, now=now,
               region_id=day.region_id, after={"position": themes[index].position + 1})


# -- items ---------------------------------------------------------------------------------------

def _item_data(data: ItemData) -> ItemData:
    title = data.title.strip()
    if not title:
        raise WorkflowError(_("Skriv en titel."), field="title")
    if len(title) > 300:
        raise WorkflowError(_("Titlen må højst være 300 tegn."), field="title")
    if len(data.cooperation.strip()) > 200:
        raise WorkflowError(_("Skriv højst 200 tegn."), field="cooperation")
    return ItemData(title, data.description.strip(), data.cooperation.strip())


def add_item(actor: Actor, theme: CatalogueTheme, data: ItemData, *, now: datetime,
             challenge: CatalogueItem | None = None, version: int | None = None
             ) -> CatalogueItem:
    """A challenge of the theme, or (with `challenge`) a solution option under it, last in
    order."""
    day = theme.theme_day
    require_manage(actor, day.region_id)
    check_stale(theme, version)
    require_draft(day)
    clean = _item_data(data)
    if challenge is not None and (challenge.theme_id != theme.id
                                  or challenge.kind != CatalogueItemKind.CHALLENGE):
        raise WorkflowError(_("Vælg en udfordring i temaet."))
    if len(theme.items) >= MAX_ITEMS:
        raise WorkflowError(_("Et tema kan højst have %(n)d punkter.", n=MAX_ITEMS))
    siblings = (challenge.solutions if challenge is not None
                else [i for i in theme.items if i.kind == CatalogueItemKind.CHALLENGE])
    item = CatalogueItem(
        theme_id=theme.id, parent_id=challenge.id if challenge else None,
        kind=CatalogueItemKind.SOLUTION if challenge else CatalogueItemKind.CHALLENGE,
        title=clean.title, description=clean.description, cooperation=clean.cooperation,
        position=max((s.position for s in siblings), default=-1) + 1)
    db.session.add(item)
    db.session.flush()
    bump_version(theme)
    record(actor=actor, action="catalogue_item.created", obj=item, now=now,
           region_id=day.region_id, label=f"{theme.title}: {item.title}",
           after={"kind": item.kind.value, **snapshot(item, ITEM_FIELDS)})
    return item


def update_item(actor: Actor, item: CatalogueItem, data: ItemData, *, now: datetime,
                version: int | None) -> CatalogueItem:
    theme = item.theme
    day = theme.theme_day
    require_manage(actor, day.region_id)
    check_stale(theme, version)
    require_draft(day)
    clean = _item_data(data)
    before = snapshot(item, ITEM_FIELDS)
    item.title, item.description, item.cooperation = (clean.title, clean.description,
                                                      clean.cooperation)
    old, new = changed(before, snapshot(item, ITEM_FIELDS))
    if new:
        bump_version(theme)
        record(actor=actor, action="catalogue_item.updated", obj=item, now=now,
               region_id=day.region_id, label=f"{theme.title}: {item.title}", before=old,
               after=new)
    return item


def remove_item(actor: Actor, item: CatalogueItem, *, now: datetime) -> None:
    """Remove an item (a challenge with its solution options)."""
    theme = item.theme
    day = theme.theme_day
    require_manage(actor, day.region_id)
    require_draft(day)
    record(actor=actor, action="catalogue_item.removed", obj=item, now=now,
           region_id=day.region_id, label=f"{theme.title}: {item.title}",
           before={"kind": item.kind.value, **snapshot(item, ITEM_FIELDS),
                   "solutions": [s.title for s in item.solutions]})
    for solution in item.solutions:
        db.session.delete(solution)
    db.session.delete(item)
    bump_version(theme)


def move_item(actor: Actor, item: CatalogueItem, direction: Direction, *,
              now: datetime) -> None:
    """Move a challenge among the theme's challenges, or an option among its challenge's
    options (up: closer cooperation)."""
    theme = item.theme
    day = theme.theme_day
    require_manage(actor, day.region_id)
    require_draft(day)
    siblings = (item.parent.solutions if item.parent is not None
                else [i for i in theme.items if i.kind == CatalogueItemKind.CHALLENGE])
    index = next(n for n, s in enumerate(siblings) if s.id == item.id)
    if _swap(siblings, index, direction):
        bump_version(theme)
        record(actor=actor, action="catalogue_item.moved", obj=item, now=now,
               region_id=day.region_id, label=f"{theme.title}: {item.title}",
               after={"position": siblings[index].position + 1})
