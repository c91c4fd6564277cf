"""Scoped loaders of theme days, their themes, items and voters: another region's, or one the
person may not see, is a 404 like an unknown id."""

from __future__ import annotations

from typing import Any

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...extensions import db
from ...formatting import danish_key
from ...models import (
    CatalogueItem,
    CatalogueTheme,
    Cycle,
    PrioritisationBoard,
    ThemeDay,
    ThemeDayVoter,
    User,
)
from ...permissions import can
from ...workflows.theme_days import themes_with_items


def _day_query() -> Any:
    return select(ThemeDay).options(joinedload(ThemeDay.cycle), joinedload(ThemeDay.milestone))


def scoped_day_or_404(day_id: int, user: Any, action: str = "theme_day.view") -> ThemeDay:
    day = db.session.scalar(_day_query().join(Cycle, Cycle.id == ThemeDay.cycle_id)
                            .where(ThemeDay.id == day_id, Cycle.region_id == user.region_id))
    if day is None or not can(user, action, day):
        abort(404)
    return day


def theme_or_404(day: ThemeDay, theme_id: int) -> CatalogueTheme:
    theme = next((t for t in themes_with_items(day) if t.id == theme_id), None)
    if theme is None:
        abort(404)
    return theme


def item_or_404(day: ThemeDay, item_id: int) -> CatalogueItem:
    item = next((i for t in themes_with_items(day) for i in t.items if i.id == item_id), None)
    if item is None:
        abort(404)
    return item


def cycle_days(cycle: Cycle, user: Any) -> list[ThemeDay]:
    """The cycle's theme days the person may see (one query)."""
    days = list(db.session.scalars(_day_query().where(ThemeDay.cycle_id == cycle.id)
                                   .order_by(ThemeDay.id)))
    return [d for d in days if can(user, "theme_day.view", d)]


def voters(day: ThemeDay) -> list[ThemeDayVoter]:
    """The persons the secretariat added, with their organisation, by name (one query)."""
    rows = list(db.session.scalars(
        select(ThemeDayVoter).where(ThemeDayVoter.theme_day_id == day.id)
        .options(joinedload(ThemeDayVoter.user).joinedload(User.organisation))))
    return sorted(rows, key=lambda v: danish_key(v.user.name))


def cycle_boards(cycle: Cycle) -> list[PrioritisationBoard]:
    """The cycle's boards, to take the themes from (one query)."""
    return list(db.session.scalars(select(PrioritisationBoard).where(
        PrioritisationBoard.cycle_id == cycle.id).order_by(PrioritisationBoard.id)))
