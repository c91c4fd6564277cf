"""The political theme day (issue 14): setup, the catalogue, voters, sending, the vote."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from ...extensions import db
from ...i18n import gettext as _
from ...models import CatalogueItem, CatalogueItemKind, CatalogueTheme, ThemeDay
from ...permissions import Actor, RegionScope, require
from ..base import WorkflowError
from ..states import THEME_DAYS


def require_manage(actor: Actor, region_id: int) -> None:
    require(actor, "theme_day.manage", RegionScope(region_id),
            message=_("Kun sekretariatet kan tilrettelægge temadagen."))


def require_draft(day: ThemeDay) -> None:
    """The catalogue and the day's settings change only while the day is being prepared."""
    if not THEME_DAYS.is_editable(day):
        raise WorkflowError(_("Afstemningen er åbnet, så kataloget kan ikke længere ændres."))


def lock_day(day: ThemeDay) -> None:
    """A row lock on the theme day (PostgreSQL; SQLite's writing request holds the database's
    write lock anyway), and its state read again: a vote and the end of the vote are written
    one after the other, never across each other."""
    db.session.flush()  # what this transaction changed stays
    db.session.refresh(day, attribute_names=["state", "version_id", "picks_per_theme",
                                             "ended_at"], with_for_update=True)


def themes_with_items(day: ThemeDay) -> list[CatalogueTheme]:
    """The catalogue's themes in order, each with its items in order and each challenge with
    its solutions: two queries for any size. The read side uses it too."""
    themes = list(db.session.scalars(select(CatalogueTheme).where(
        CatalogueTheme.theme_day_id == day.id)
        .order_by(CatalogueTheme.position, CatalogueTheme.id)))
    items = list(db.session.scalars(select(CatalogueItem).join(
        CatalogueTheme, CatalogueTheme.id == CatalogueItem.theme_id)
        .where(CatalogueTheme.theme_day_id == day.id)
        .order_by(CatalogueItem.position, CatalogueItem.id)))
    by_theme: dict[int, list[CatalogueItem]] = {t.id: [] for t in themes}
    by_parent: dict[int, list[CatalogueItem]] = {}
    for item in items:
        by_theme[item.theme_id].append(item)
        if item.parent_id is not None:
            by_parent.setdefault(item.parent_id, []).append(item)
    themes_by_id = {t.id: t for t in themes}
    items_by_id = {i.id: i for i in items}
    for theme in themes:
        set_committed_value(theme, "theme_day", day)
        set_committed_value(theme, "items", by_theme[theme.id])
    for item in items:
        set_committed_value(item, "theme", themes_by_id[item.theme_id])
        set_committed_value(item, "solutions", by_parent.get(item.id, [])
                            if item.kind == CatalogueItemKind.CHALLENGE else [])
        set_committed_value(item, "parent", items_by_id.get(item.parent_id)
                            if item.parent_id is not None else None)
    set_committed_value(day, "themes", themes)
    return themes
