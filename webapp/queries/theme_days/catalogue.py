"""The catalogue, a person's own picks and the live tally, as plain data.

The catalogue is kept under the data revision (`revision.cached`); the tally's counts are
grouped queries whatever the size (votes per item, voters per theme, voters in all), so the
tally page and its JSON cost a fixed number of queries for three themes or fifty, for twelve
voters or a hundred."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, literal, select, union_all

from ... import revision
from ...extensions import db
from ...models import (
    CatalogueItemKind,
    CatalogueTheme,
    Milestone,
    MilestoneKind,
    Role,
    ThemeDay,
    ThemeDayState,
    ThemeDayVote,
    ThemeDayVoter,
)
from ...workflows.theme_days import themes_with_items


@dataclass(frozen=True)
class Option:
    id: int
    title: str
    description: str
    cooperation: str


@dataclass(frozen=True)
class Challenge:
    id: int
    title: str
    description: str
    solutions: tuple[Option, ...]


@dataclass(frozen=True)
class Theme:
    id: int
    title: str
    intro: str
    board_theme_id: int | None
    challenges: tuple[Challenge, ...]

    @property
    def item_ids(self) -> list[int]:
        return [i for c in self.challenges for i in (c.id, *(s.id for s in c.solutions))]


@dataclass(frozen=True)
class Catalogue:
    day_id: int
    themes: tuple[Theme, ...]

    def theme(self, theme_id: int) -> Theme | None:
        return next((t for t in self.themes if t.id == theme_id), None)


def _build(day: ThemeDay) -> Catalogue:
    themes = []
    for theme in themes_with_items(day):
        challenges = tuple(
            Challenge(c.id, c.title, c.description, tuple(
                Option(s.id, s.title, s.description, s.cooperation) for s in c.solutions))
            for c in theme.items if c.kind == CatalogueItemKind.CHALLENGE)
        themes.append(Theme(theme.id, theme.title, theme.intro, theme.board_theme_id,
                            challenges))
    return Catalogue(day.id, tuple(themes))


def catalogue(day: ThemeDay) -> Catalogue:
    """The catalogue in order (two queries, none while kept)."""
    return revision.cached("theme_day.catalogue", day.id, lambda: _build(day))


def own_picks(day: ThemeDay, user_id: int) -> dict[int, list[int]]:
    """The person's picks per theme id (one query)."""
    found: dict[int, list[int]] = {}
    for theme_id, item_id in db.session.execute(
            select(ThemeDayVote.theme_id, ThemeDayVote.item_id)
            .where(ThemeDayVote.theme_day_id == day.id, ThemeDayVote.user_id == user_id)
            .order_by(ThemeDayVote.slot)):
        found.setdefault(theme_id, []).append(item_id)
    return found


# -- the tally -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Counts:
    """What changes while the vote runs: votes per item and voters per theme."""

    state: str
    items: dict[int, int]
    voters: dict[int, int]
    total_voters: int

    def as_json(self) -> dict[str, object]:
        return {"state": self.state, "ended": self.state == ThemeDayState.ENDED.value,
                "items": {str(k): v for k, v in self.items.items()},
                "voters": {str(k): v for k, v in self.voters.items()},
                "total_voters": self.total_voters}


def counts(day: ThemeDay) -> Counts:
    """One query whatever the size: votes per item, voters per theme and voters in all."""
    votes = select(ThemeDayVote).where(ThemeDayVote.theme_day_id == day.id).subquery()
    rows = db.session.execute(union_all(
        select(literal("i"), votes.c.item_id, func.count()).group_by(votes.c.item_id),
        select(literal("t"), votes.c.theme_id, func.count(func.distinct(votes.c.user_id)))
        .group_by(votes.c.theme_id),
        select(literal("a"), literal(0), func.count(func.distinct(votes.c.user_id))),
    )).all()
    items = {key: n for kind, key, n in rows if kind == "i"}
    voters = {key: n for kind, key, n in rows if kind == "t"}
    total = next((n for kind, _key, n in rows if kind == "a"), 0)
    return Counts(day.state.value, items, voters, total)


@dataclass(frozen=True)
class Bar:
    id: int
    title: str
    cooperation: str
    count: int
    percent: int  # of the theme's highest count: the bar's length
    is_challenge: bool


@dataclass(frozen=True)
class TallyTheme:
    id: int
    title: str
    voters: int
    groups: tuple[tuple[Bar, tuple[Bar, ...]], ...]  # a challenge and its options


@dataclass(frozen=True)
class Tally:
    day_id: int
    state: str
    total_voters: int
    themes: tuple[TallyTheme, ...]


def bar_percent(count: int, top: int) -> int:
    return round(100 * count / top) if top else 0


def tally(day: ThemeDay) -> Tally:
    """The tally as plain data: the catalogue (kept) and the counts."""
    shape = catalogue(day)
    got = counts(day)
    themes = []
    for theme in shape.themes:
        top = max((got.items.get(i, 0) for i in theme.item_ids), default=0)

        def bar(item_id: int, title: str, cooperation: str, challenge: bool,
                top: int = top) -> Bar:
            n = got.items.get(item_id, 0)
            return Bar(item_id, title, cooperation, n, bar_percent(n, top), challenge)

        groups = tuple((bar(c.id, c.title, "", True),
                        tuple(bar(s.id, s.title, s.cooperation, False) for s in c.solutions))
                       for c in theme.challenges)
        themes.append(TallyTheme(theme.id, theme.title, got.voters.get(theme.id, 0), groups))
    return Tally(day.id, got.state, got.total_voters, tuple(themes))


# -- "Mine opgaver" ------------------------------------------------------------------------------

@dataclass(frozen=True)
class VoteTask:
    day_id: int
    title: str
    picks: int  # how many picks the person has made in all
    themes_voted: int
    themes: int


def votes_by_milestone(milestones: list[Milestone], user_id: int,
                       roles: Collection[str]) -> dict[int, list[VoteTask]]:
    """The open theme days on these milestones the person may vote at, with their own picks:
    three queries at most."""
    ids = [m.id for m in milestones if m.kind == MilestoneKind.THEME_DAY]
    if not ids:
        return {}
    query = select(ThemeDay.id, ThemeDay.title, ThemeDay.milestone_id).where(
        ThemeDay.milestone_id.in_(ids), ThemeDay.state == ThemeDayState.OPEN)
    if Role.POLITICIAN.value not in roles:
        query = query.where(ThemeDay.id.in_(
            select(ThemeDayVoter.theme_day_id).where(ThemeDayVoter.user_id == user_id)))
    days = db.session.execute(query.order_by(ThemeDay.id)).all()
    if not days:
        return {}
    day_ids = [d[0] for d in days]
    themes = {day_id: n for day_id, n in db.session.execute(
        select(CatalogueTheme.theme_day_id, func.count())
        .where(CatalogueTheme.theme_day_id.in_(day_ids))
        .group_by(CatalogueTheme.theme_day_id))}
    picks = {day_id: (n, voted) for day_id, n, voted in db.session.execute(
        select(ThemeDayVote.theme_day_id, func.count(),
               func.count(func.distinct(ThemeDayVote.theme_id)))
        .where(ThemeDayVote.user_id == user_id, ThemeDayVote.theme_day_id.in_(day_ids))
        .group_by(ThemeDayVote.theme_day_id))}
    found: dict[int, list[VoteTask]] = {}
    for day_id, title, milestone_id in days:
        n, voted = picks.get(day_id, (0, 0))
        found.setdefault(milestone_id, []).append(
            VoteTask(day_id, title, n, voted, themes.get(day_id, 0)))
    return found
