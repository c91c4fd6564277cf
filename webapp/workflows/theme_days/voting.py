"""Voting at the theme day: a person sets their picks for one catalogue theme (challenges and
solution options), at most `picks_per_theme`, one vote per option.

The limits hold in the database (models/theme_days.py): a vote names a numbered slot
1..picks_per_theme, unique per person and theme, and (item, person) is unique. The workflow
checks the same first, so a person gets a Danish message at the field; and it takes the theme
day's row lock before writing, so ending the vote cannot race a vote."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from ...extensions import db
from ...i18n import gettext as _
from ...i18n import ngettext
from ...models import CatalogueTheme, ThemeDay, ThemeDayState, ThemeDayVote
from ...permissions import Actor, can
from ..base import WorkflowError, record
from . import lock_day

FIELD = "items"


def limit_text(day: ThemeDay) -> str:
    return ngettext("Vælg højst %(num)d punkt", "Vælg højst %(num)d punkter",
                    day.picks_per_theme)


def pick_problem(day: ThemeDay, theme: CatalogueTheme, item_ids: Sequence[int]) -> str | None:
    """What is wrong with these picks for the theme, in Danish, or None."""
    if len(set(item_ids)) != len(item_ids):
        return _("Du kan kun stemme én gang på hver mulighed.")
    own = {i.id for i in theme.items}
    if any(i not in own for i in item_ids):
        return _("Vælg kun punkter fra temaet “%(theme)s”.", theme=theme.title)
    if len(item_ids) > day.picks_per_theme:
        return _("%(rule)s i “%(theme)s” (du har valgt %(n)d).", rule=limit_text(day),
                 theme=theme.title, n=len(item_ids))
    return None


def save_picks(actor: Actor, day: ThemeDay, theme: CatalogueTheme, item_ids: Sequence[int], *,
               now: datetime) -> list[ThemeDayVote]:
    """Set the person's picks for the theme to `item_ids` (none: withdraw them). The picks
    that stay keep their slot."""
    if theme.theme_day_id != day.id:
        raise WorkflowError(_("Temaet hører ikke til temadagen."), field=FIELD)
    lock_day(day)
    if day.state == ThemeDayState.ENDED:
        raise WorkflowError(_("Afstemningen er afsluttet. Din stemme er ikke gemt."),
                            field=FIELD)
    if day.state != ThemeDayState.OPEN:
        raise WorkflowError(_("Afstemningen er ikke åbnet endnu."), field=FIELD)
    if not can(actor, "theme_day.vote", day, now):
        raise WorkflowError(_("Du kan ikke stemme på denne temadag. Kun regionens politikere "
                              "og de personer, sekretariatet har tilføjet, kan stemme."),
                            field=FIELD)
    problem = pick_problem(day, theme, item_ids)
    if problem:
        raise WorkflowError(problem, field=FIELD)
    existing = list(db.session.scalars(select(ThemeDayVote).where(
        ThemeDayVote.theme_id == theme.id, ThemeDayVote.user_id == actor.id)))
    wanted = list(item_ids)
    before = [v.item_id for v in existing]
    for vote in existing:
        if vote.item_id not in wanted:
            db.session.delete(vote)
    db.session.flush()
    kept = {v.item_id: v for v in existing if v.item_id in wanted}
    used = {v.slot for v in kept.values()}
    free = iter(n for n in range(1, day.picks_per_theme + 1) if n not in used)
    made = list(kept.values())
    for item_id in wanted:
        if item_id in kept:
            continue
        vote = ThemeDayVote(theme_day_id=day.id, theme_id=theme.id, item_id=item_id,
                            user_id=actor.id, slot=next(free), picks_limit=day.picks_per_theme,
                            created_at=now)
        db.session.add(vote)
        made.append(vote)
    db.session.flush()
    titles = {i.id: i.title for i in theme.items}
    record(actor=actor, action="theme_day.voted", obj=theme, now=now, region_id=day.region_id,
           label=f"{day.title}: {theme.title}",
           before={"picks": [titles.get(i, str(i)) for i in before]},
           after={"picks": [titles[i] for i in wanted]})
    return made
