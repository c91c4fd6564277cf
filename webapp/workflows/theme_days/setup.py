"""Setting up a theme day: the day on a THEME_DAY milestone of the cycle, its themes from a
board's themes marked for the theme day (or typed in), its settings while it is prepared, the
voters the secretariat adds, sending the catalogue, and opening and ending the vote.

Ending the vote takes the theme day's row lock (`lock_day`), the same lock a vote takes: a vote
racing the end either lands before it or is refused."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ... import mail
from ...extensions import db
from ...formatting import danish_key, format_datetime
from ...i18n import gettext as _
from ...links import absolute_url
from ...models import (
    BoardTheme,
    CatalogueItemKind,
    CatalogueTheme,
    Cycle,
    Milestone,
    MilestoneKind,
    Organisation,
    PrioritisationBoard,
    Role,
    RoleGrant,
    ThemeDay,
    ThemeDayState,
    ThemeDayVoter,
    User,
)
from ...permissions import Actor
from ..base import WorkflowError, changed, check_stale, record, snapshot
from ..states import CYCLES, THEME_DAYS
from . import lock_day, require_draft, require_manage, themes_with_items

DAY_FIELDS = ("title", "intro", "milestone_id", "picks_per_theme")
MAX_PICKS = 20  # the database's own limit (models/theme_days.py: picks_range)
MAX_THEMES = 50


@dataclass
class ThemeDayData:
    title: str
    intro: str
    milestone: Milestone | None
    picks_per_theme: int | None
    board: PrioritisationBoard | None = None  # on create: take its themes for the theme day
    typed_themes: list[str] = field(default_factory=list)  # on create, without a board


def _check(cycle: Cycle, data: ThemeDayData, exclude_id: int | None) -> str:
    title = data.title.strip()
    if not title:
        raise WorkflowError(_("Skriv en titel."), field="title")
    taken = select(ThemeDay.id).where(ThemeDay.cycle_id == cycle.id, ThemeDay.title == title)
    if exclude_id is not None:
        taken = taken.where(ThemeDay.id != exclude_id)
    if db.session.scalar(taken) is not None:
        raise WorkflowError(_("Cyklussen har allerede en temadag med denne titel."),
                            field="title")
    milestone = data.milestone
    if milestone is None or milestone.cycle_id != cycle.id:
        raise WorkflowError(_("Vælg en milepæl i cyklussen."), field="milestone_id")
    if milestone.kind != MilestoneKind.THEME_DAY:
        raise WorkflowError(_("Vælg en milepæl af typen “Temadag”: den giver temadagens sted "
                              "og tid."), field="milestone_id")
    picks = data.picks_per_theme
    if picks is None or not 1 <= picks <= MAX_PICKS:
        raise WorkflowError(_("Angiv, hvor mange valg hver deltager har pr. tema (1–%(max)d).",
                              max=MAX_PICKS), field="picks_per_theme")
    return title


def _board_themes(cycle: Cycle, board: PrioritisationBoard) -> list[BoardTheme]:
    if board.cycle_id != cycle.id:
        raise WorkflowError(_("Vælg en prioriteringstavle i cyklussen."), field="board_id")
    themes = list(db.session.scalars(select(BoardTheme).where(
        BoardTheme.board_id == board.id, BoardTheme.for_theme_day.is_(True))
        .order_by(BoardTheme.position, BoardTheme.id)))
    if not themes:
        raise WorkflowError(_("Tavlen har ingen temaer udvalgt til temadagen. Vælg temaerne på "
                              "tavlens resultat først, eller skriv temaerne selv."),
                            field="board_id")
    return themes


def _typed(titles: list[str]) -> list[str]:
    clean = list(dict.fromkeys(t.strip() for t in titles if t.strip()))
    if len(clean) > MAX_THEMES:
        raise WorkflowError(_("Skriv højst %(n)d temaer.", n=MAX_THEMES), field="theme_titles")
    if any(len(t) > 200 for t in clean):
        raise WorkflowError(_("Et temas titel må højst være 200 tegn."), field="theme_titles")
    return clean


def create_theme_day(actor: Actor, cycle: Cycle, data: ThemeDayData, *,
                     now: datetime) -> ThemeDay:
    require_manage(actor, cycle.region_id)
    if not CYCLES.is_editable(cycle):
        raise WorkflowError(_("Cyklussen er afsluttet og kan ikke ændres. Genåbn den først."))
    title = _check(cycle, data, None)
    assert data.milestone is not None and data.picks_per_theme is not None
    board_themes = _board_themes(cycle, data.board) if data.board is not None else []
    typed = [] if data.board is not None else _typed(data.typed_themes)
    day = ThemeDay(cycle_id=cycle.id, milestone_id=data.milestone.id,
                   board_id=data.board.id if data.board else None, title=title,
                   intro=data.intro.strip(), picks_per_theme=data.picks_per_theme,
                   state=ThemeDayState.DRAFT, created_at=now)
    day.cycle = cycle
    day.milestone = data.milestone
    db.session.add(day)
    db.session.flush()
    for n, theme in enumerate(board_themes):
        db.session.add(CatalogueTheme(theme_day_id=day.id, board_theme_id=theme.id,
                                      title=theme.title, intro="", position=n))
    for n, typed_title in enumerate(typed):
        db.session.add(CatalogueTheme(theme_day_id=day.id, title=typed_title, intro="",
                                      position=n))
    db.session.flush()
    record(actor=actor, action="theme_day.created", obj=day, now=now, region_id=cycle.region_id,
           after={**snapshot(day, DAY_FIELDS),
                  "themes": [t.title for t in board_themes] or typed})
    return day


def update_theme_day(actor: Actor, day: ThemeDay, data: ThemeDayData, *, now: datetime,
                     version: int | None) -> ThemeDay:
    require_manage(actor, day.region_id)
    check_stale(day, version)
    require_draft(day)
    title = _check(day.cycle, data, day.id)
    assert data.milestone is not None and data.picks_per_theme is not None
    before = snapshot(day, DAY_FIELDS)
    day.title, day.intro = title, data.intro.strip()
    day.milestone_id, day.milestone = data.milestone.id, data.milestone
    day.picks_per_theme = data.picks_per_theme
    old, new = changed(before, snapshot(day, DAY_FIELDS))
    if new:
        record(actor=actor, action="theme_day.updated", obj=day, now=now,
               region_id=day.region_id, before=old, after=new)
    return day


# -- voters --------------------------------------------------------------------------------------

def region_person(region_id: int, user_id: int | None, where: str = "user_id") -> User:
    person = db.session.scalar(
        select(User).join(Organisation, Organisation.id == User.organisation_id)
        .where(User.id == user_id, User.active.is_(True), Organisation.region_id == region_id))
    if person is None:
        raise WorkflowError(_("Vælg en aktiv person i regionen."), field=where)
    return person


def add_voter(actor: Actor, day: ThemeDay, user_id: int | None, *,
              now: datetime) -> ThemeDayVoter:
    """Let a person of the region vote (a director); the region's politicians vote anyway."""
    require_manage(actor, day.region_id)
    if day.state == ThemeDayState.ENDED:
        raise WorkflowError(_("Afstemningen er afsluttet."), field="user_id")
    person = region_person(day.region_id, user_id)
    if db.session.scalar(select(ThemeDayVoter.user_id).where(
            ThemeDayVoter.theme_day_id == day.id, ThemeDayVoter.user_id == person.id)):
        raise WorkflowError(_("%(name)s kan allerede stemme.", name=person.name),
                            field="user_id")
    voter = ThemeDayVoter(theme_day_id=day.id, user_id=person.id, added_at=now)
    db.session.add(voter)
    db.session.flush()
    record(actor=actor, action="theme_day.voter_added", obj=day, now=now,
           region_id=day.region_id, after={"name": person.name})
    return voter


def remove_voter(actor: Actor, day: ThemeDay, user_id: int, *, now: datetime) -> None:
    """Take the right to vote from an added voter; votes already cast stay."""
    require_manage(actor, day.region_id)
    voter = db.session.scalar(select(ThemeDayVoter).where(
        ThemeDayVoter.theme_day_id == day.id, ThemeDayVoter.user_id == user_id)
        .options(joinedload(ThemeDayVoter.user)))
    if voter is None:
        raise WorkflowError(_("Personen er ikke tilføjet som stemmeberettiget."))
    name = voter.user.name
    db.session.delete(voter)
    record(actor=actor, action="theme_day.voter_removed", obj=day, now=now,
           region_id=day.region_id, before={"name": name})


# -- sending, opening, ending --------------------------------------------------------------------

def participants(day: ThemeDay) -> list[User]:
    """Who gets the catalogue: the region's politicians and steering members, and the added
    voters; active people only, in Danish order (one query)."""
    added = select(ThemeDayVoter.user_id).where(ThemeDayVoter.theme_day_id == day.id)
    by_role = select(RoleGrant.user_id).where(
        RoleGrant.region_id == day.region_id,
        RoleGrant.role.in_([Role.POLITICIAN, Role.STEERING_MEMBER]))
    people = db.session.scalars(
        select(User).join(Organisation, Organisation.id == User.organisation_id)
        .where(User.active.is_(True), Organisation.region_id == day.region_id,
               User.id.in_(added) | User.id.in_(by_role)))
    return sorted(people, key=lambda p: danish_key(p.name))


def _require_catalogue(day: ThemeDay) -> None:
    themes = themes_with_items(day)
    if not themes:
        raise WorkflowError(_("Kataloget har ingen temaer endnu."))
    for theme in themes:
        if not any(i.kind == CatalogueItemKind.CHALLENGE for i in theme.items):
            raise WorkflowError(_("Temaet “%(theme)s” har ingen udfordringer endnu.",
                                  theme=theme.title))


def send_catalogue(actor: Actor, day: ThemeDay, *, now: datetime,
                   files: Sequence[mail.Attachment] = ()) -> int:
    """E-mail the catalogue's link (and `files`: the catalogue as a Word file, which the
    caller reads) to the participants and stamp `catalogue_sent_at` (sent again: stamped
    again). Returns how many were e-mailed."""
    require_manage(actor, day.region_id)
    if day.state == ThemeDayState.ENDED:
        raise WorkflowError(_("Afstemningen er afsluttet."))
    _require_catalogue(day)
    people = participants(day)
    if not people:
        raise WorkflowError(_("Regionen har ingen politikere, styregruppemedlemmer eller "
                              "tilføjede stemmeberettigede at sende kataloget til."))
    milestone = day.milestone
    link = absolute_url("theme_days.detail", day_id=day.id)
    for person in people:
        mail.queue("theme_day_catalogue", person.email, now=now, region_id=day.region_id,
                   name=person.name, title=day.title, cycle=day.cycle.title,
                   when=format_datetime(milestone.starts_at or milestone.ends_at),
                   place=milestone.place, picks=day.picks_per_theme, link=link,
                   docx_link=absolute_url("theme_days.docx", day_id=day.id), files=files)
    again = day.catalogue_sent_at is not None
    day.catalogue_sent_at = now
    record(actor=actor, action="theme_day.catalogue_sent", obj=day, now=now,
           region_id=day.region_id, after={"recipients": len(people), "again": again})
    return len(people)


def open_vote(actor: Actor, day: ThemeDay, *, now: datetime, version: int | None) -> ThemeDay:
    require_manage(actor, day.region_id)
    check_stale(day, version)
    _require_catalogue(day)
    THEME_DAYS.move(day, ThemeDayState.OPEN, actor=actor, now=now,
                    action="theme_day.opened", region_id=day.region_id)
    day.opened_at = now
    return day


def end_vote(actor: Actor, day: ThemeDay, *, now: datetime) -> ThemeDay:
    """End the vote: the tally is frozen. Under the row lock a vote takes too."""
    require_manage(actor, day.region_id)
    lock_day(day)
    if day.state == ThemeDayState.ENDED:
        raise WorkflowError(_("Afstemningen er allerede afsluttet."))
    THEME_DAYS.move(day, ThemeDayState.ENDED, actor=actor, now=now,
                    action="theme_day.ended", region_id=day.region_id)
    day.ended_at = now
    return day
