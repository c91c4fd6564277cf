"""A prioritisation board's results once it is closed, as plain data: per theme the weighted
mean, median, spread, number of scorers and abstentions, a consensus label, the ranking with
ties, the distribution of the scores 1–5, the working group's recommendation beside it and
whether the theme "skiller sig ud". Also the individual scores (the secretariat's export) and
the boards of a cycle a person may see (the API's list: counts only, never a score).

How the numbers are made (the page states the same):

- A member's score of a theme is their weighted average over the criteria they scored, each
  criterion counting with its weight.
- The theme's mean, median and spread (population standard deviation) are taken over the
  members' scores of it; a member who abstained ("inhabil") or scored nothing is not counted.
- The consensus label follows from the spread: at most `AGREED_MAX` is "enighed", at most
  `MIXED_MAX` "blandet", above it "uenighed"; fewer than `MIN_SCORERS` scorers give no label.
- The ranking orders the themes by their mean as shown (two decimals); equal means share a
  place ("2." twice, then "4."). A theme nobody scored has no place.
- A theme "skiller sig ud" when the members placed it in the top third of the ranking although
  the working group did not recommend it, or in the bottom third although it did.

Everything here is read in a fixed number of queries whatever the number of themes and members;
nothing is read before the board is closed (the views and the API ask `board.results` first).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ... import exports
from ...extensions import db
from ...i18n import gettext as _
from ...models import (
    BoardCriterion,
    BoardMember,
    BoardScore,
    BoardState,
    BoardTheme,
    BoardThemeNote,
    Cycle,
    PrioritisationBoard,
    Recommendation,
)
from ...permissions import can
from .loaders import scoped_board_or_404

# The consensus thresholds, on the spread (standard deviation) of the members' scores 1–5.
AGREED_MAX = Decimal("0.75")
MIXED_MAX = Decimal("1.25")
MIN_SCORERS = 2
# "Skiller sig ud": the top and the bottom share of the ranked themes.
STANDOUT_SHARE = Fraction(1, 3)
VALUES = (1, 2, 3, 4, 5)
TWO_PLACES = Decimal("0.01")


def consensus_labels() -> dict[str, str]:
    return {"agreed": _("Enighed"), "mixed": _("Blandet"), "disagreed": _("Uenighed"),
            "too_few": _("For få scorer")}


def recommendation_labels() -> dict[Recommendation, str]:
    return {Recommendation.RECOMMENDED: _("Anbefales"),
            Recommendation.NOT_RECOMMENDED: _("Anbefales ikke"),
            Recommendation.NONE: _("Ingen anbefaling")}


def standout_labels() -> dict[str, str]:
    return {"high": _("Højt placeret, men ikke anbefalet"),
            "low": _("Anbefalet, men lavt placeret")}


# -- loading ------------------------------------------------------------------------------------

def results_board_or_404(board_id: int, user: Any) -> PrioritisationBoard:
    """A board whose results the person may read. Before the close there are no results for
    anyone (404: blind scoring); after it, someone who may see the board but not yet its result
    (a member before the publication) is refused (403)."""
    board = scoped_board_or_404(board_id, user)  # the loaders' (queries/boards/loaders.py)
    if board.state in (BoardState.DRAFT, BoardState.OPEN):
        abort(404)
    if not can(user, "board.results", board):
        abort(403)
    return board


def is_closed(board: PrioritisationBoard) -> bool:
    return board.state in (BoardState.CLOSED, BoardState.PUBLISHED)


# -- the results ------------------------------------------------------------------------------

@dataclass(frozen=True)
class CriterionInfo:
    id: int
    title: str
    weight: int


@dataclass(frozen=True)
class ThemeResult:
    id: int
    title: str
    group_name: str
    position: int
    recommendation: Recommendation
    recommendation_label: str  # as the working group wrote it, else the meaning's words
    rationale: str
    for_theme_day: bool
    mean: Decimal | None
    median: Decimal | None
    spread: Decimal | None
    scorers: int
    abstentions: int
    scores: int  # individual scores (members × criteria)
    distribution: tuple[int, ...]  # how many scores of 1, 2, 3, 4 and 5
    consensus: str | None  # agreed / mixed / disagreed / too_few; None: nobody scored
    rank: int | None
    tied: bool
    standout: str | None  # high / low

    @property
    def consensus_label(self) -> str:
        return consensus_labels()[self.consensus] if self.consensus else ""

    @property
    def rank_label(self) -> str:
        return f"{self.rank}." if self.rank is not None else "–"

    @property
    def standout_label(self) -> str:
        return standout_labels()[self.standout] if self.standout else ""

    @property
    def meaning_label(self) -> str:
        return recommendation_labels()[self.recommendation]


@dataclass(frozen=True)
class BoardResults:
    board_id: int
    title: str
    cycle_title: str
    state: BoardState
    version_id: int
    closed_at: datetime | None
    published_at: datetime | None
    conclusion: str
    publish_to_region: bool
    members: int
    criteria: tuple[CriterionInfo, ...]
    themes: tuple[ThemeResult, ...]  # in ranking order; unscored themes last

    @property
    def theme_day(self) -> tuple[ThemeResult, ...]:
        return tuple(t for t in self.themes if t.for_theme_day)

    @property
    def standouts(self) -> int:
        return sum(1 for t in self.themes if t.standout)

    @property
    def standout_cut(self) -> int:
        return _cut(sum(1 for t in self.themes if t.rank is not None))


def _decimal(value: Fraction | float) -> Decimal:
    number = (Decimal(value.numerator) / Decimal(value.denominator)
              if isinstance(value, Fraction) else Decimal(repr(value)))
    return number.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _median(values: Sequence[Fraction]) -> Fraction:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def consensus_of(spread: Decimal | None, scorers: int) -> str | None:
    if spread is None:
        return None
    if scorers < MIN_SCORERS:
        return "too_few"
    if spread <= AGREED_MAX:
        return "agreed"
    if spread <= MIXED_MAX:
        return "mixed"
    return "disagreed"


def _cut(ranked: int) -> int:
    """How many places the top (and the bottom) share holds: a third, at least one."""
    return max(1, math.ceil(ranked * STANDOUT_SHARE)) if ranked else 0


def ranks(means: Sequence[Decimal | None]) -> list[tuple[int | None, bool]]:
    """Standard competition ranking of the means (highest first): equal means share a place,
    and the next place skips ("1., 2., 2., 4."). Returns (rank, tied) per mean, in the given
    order; a missing mean has no rank."""
    present = sorted((m for m in means if m is not None), reverse=True)
    first: dict[Decimal, int] = {}
    for index, mean in enumerate(present):
        first.setdefault(mean, index + 1)
    count: dict[Decimal, int] = defaultdict(int)
    for mean in present:
        count[mean] += 1
    return [(None, False) if m is None else (first[m], count[m] > 1) for m in means]


def standout_of(rank: int | None, ranked: int, recommendation: Recommendation) -> str | None:
    if rank is None or ranked < 2:
        return None
    cut = _cut(ranked)
    if recommendation == Recommendation.NOT_RECOMMENDED and rank <= cut:
        return "high"
    if recommendation == Recommendation.RECOMMENDED and rank > ranked - cut:
        return "low"
    return None


def _member_scores(board_id: int) -> dict[int, list[Fraction]]:
    """Per theme, each scoring member's weighted average (one query, grouped in the database)."""
    weighted = func.sum(BoardScore.value * BoardCriterion.weight)
    rows = db.session.execute(
        select(BoardScore.theme_id, BoardScore.user_id, weighted, func.sum(BoardCriterion.weight))
        .join(BoardCriterion, BoardCriterion.id == BoardScore.criterion_id)
        .where(BoardScore.board_id == board_id)
        .group_by(BoardScore.theme_id, BoardScore.user_id))
    out: dict[int, list[Fraction]] = defaultdict(list)
    for theme_id, _user_id, total, weights in rows:
        out[theme_id].append(Fraction(int(total), int(weights)))
    return out


def _distribution(board_id: int) -> dict[int, dict[int, int]]:
    rows = db.session.execute(
        select(BoardScore.theme_id, BoardScore.value, func.count())
        .where(BoardScore.board_id == board_id)
        .group_by(BoardScore.theme_id, BoardScore.value))
    out: dict[int, dict[int, int]] = defaultdict(dict)
    for theme_id, value, count in rows:
        out[theme_id][int(value)] = int(count)
    return out


def _abstentions(board_id: int) -> dict[int, int]:
    rows = db.session.execute(
        select(BoardThemeNote.theme_id, func.count())
        .where(BoardThemeNote.board_id == board_id, BoardThemeNote.abstained.is_(True))
        .group_by(BoardThemeNote.theme_id))
    return {theme_id: int(count) for theme_id, count in rows}


def _themes(board_id: int) -> list[BoardTheme]:
    return list(db.session.scalars(select(BoardTheme).where(BoardTheme.board_id == board_id)
                                   .order_by(BoardTheme.position, BoardTheme.id)))


def _criteria(board_id: int) -> list[BoardCriterion]:
    return list(db.session.scalars(select(BoardCriterion)
                                   .where(BoardCriterion.board_id == board_id)
                                   .order_by(BoardCriterion.position, BoardCriterion.id)))


def results(board: PrioritisationBoard) -> BoardResults:
    """The board's results (six queries whatever its size). Only for a closed board: the
    callers have asked `board.results`, which no one passes before the close."""
    if not is_closed(board):
        raise ValueError("a board's results exist only after its close")
    themes = _themes(board.id)
    criteria = _criteria(board.id)
    members = db.session.scalar(select(func.count()).select_from(BoardMember)
                                .where(BoardMember.board_id == board.id)) or 0
    per_member = _member_scores(board.id)
    spread_of = _distribution(board.id)
    abstained = _abstentions(board.id)

    stats: list[tuple[Decimal | None, Decimal | None, Decimal | None]] = []
    for theme in themes:
        values = per_member.get(theme.id, [])
        if values:
            exact = sum(values, Fraction(0)) / len(values)
            variance = sum(((v - exact) ** 2 for v in values), Fraction(0)) / len(values)
            stats.append((_decimal(exact), _decimal(_median(values)),
                          _decimal(math.sqrt(variance))))
        else:
            stats.append((None, None, None))
    placed = ranks([mean for mean, _m, _s in stats])
    ranked = sum(1 for rank, _t in placed if rank is not None)
    labels = recommendation_labels()
    rows = []
    for theme, (mean, median, spread), (rank, tied) in zip(themes, stats, placed, strict=True):
        counts = spread_of.get(theme.id, {})
        scorers = len(per_member.get(theme.id, []))
        rows.append(ThemeResult(
            id=theme.id, title=theme.title, group_name=theme.group_name,
            position=theme.position, recommendation=theme.recommendation,
            recommendation_label=theme.recommendation_label or labels[theme.recommendation],
            rationale=theme.rationale, for_theme_day=theme.for_theme_day,
            mean=mean, median=median, spread=spread, scorers=scorers,
            abstentions=abstained.get(theme.id, 0),
            scores=sum(counts.values()),
            distribution=tuple(counts.get(v, 0) for v in VALUES),
            consensus=consensus_of(spread, scorers), rank=rank, tied=tied,
            standout=standout_of(rank, ranked, theme.recommendation)))
    order = {t.id: n for n, t in enumerate(themes)}
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, order[r.id]))
    return BoardResults(
        board_id=board.id, title=board.title, cycle_title=board.cycle.title, state=board.state,
        version_id=board.version_id, closed_at=board.closed_at,
        published_at=board.published_at, conclusion=board.conclusion,
        publish_to_region=board.publish_to_region, members=members,
        criteria=tuple(CriterionInfo(c.id, c.title, c.weight) for c in criteria),
        themes=tuple(rows))


# -- the individual scores (the secretariat, after the close) -----------------------------------

@dataclass(frozen=True)
class BallotRow:
    member: str
    theme: str
    scores: tuple[int | None, ...]  # per criterion, in the criteria's order
    weighted: Decimal | None
    abstained: bool
    abstain_note: str
    comment: str


@dataclass(frozen=True)
class IndividualScores:
    criteria: tuple[CriterionInfo, ...]
    rows: tuple[BallotRow, ...]


def individual_scores(board: PrioritisationBoard) -> IndividualScores:
    """Every member's scores, comments and abstentions, a row per member and theme (five
    queries). Asked only behind `board.scores`."""
    if not is_closed(board):
        raise ValueError("individual scores are shown only after the close")
    themes = _themes(board.id)
    criteria = _criteria(board.id)
    members = list(db.session.scalars(select(BoardMember).where(BoardMember.board_id == board.id)
                                      .order_by(BoardMember.name, BoardMember.id)))
    cells = {(s.theme_id, s.user_id, s.criterion_id): s.value for s in db.session.execute(
        select(BoardScore.theme_id, BoardScore.user_id, BoardScore.criterion_id, BoardScore.value)
        .where(BoardScore.board_id == board.id))}
    notes = {(n.theme_id, n.user_id): n for n in db.session.scalars(
        select(BoardThemeNote).where(BoardThemeNote.board_id == board.id))}
    rows = []
    for member in members:
        for theme in themes:
            values = tuple(cells.get((theme.id, member.user_id, c.id)) for c in criteria)
            weights = [(v, c.weight) for v, c in zip(values, criteria, strict=True)
                       if v is not None]
            weighted = (_decimal(Fraction(sum(v * w for v, w in weights),
                                          sum(w for _v, w in weights))) if weights else None)
            note = notes.get((theme.id, member.user_id))
            rows.append(BallotRow(
                member=member.name, theme=theme.title, scores=values, weighted=weighted,
                abstained=bool(note and note.abstained),
                abstain_note=note.abstain_note if note else "",
                comment=note.comment if note else ""))
    return IndividualScores(criteria=tuple(CriterionInfo(c.id, c.title, c.weight)
                                           for c in criteria), rows=tuple(rows))


# -- exports --------------------------------------------------------------------------------------

def _yes(value: bool) -> str:
    return _("Ja") if value else _("Nej")


def results_xlsx(data: BoardResults) -> bytes:
    headers = [_("Placering"), _("Tema"), _("Gruppe"), _("Arbejdsgruppens anbefaling"),
               _("Gennemsnit (vægtet)"), _("Median"), _("Spredning (standardafvigelse)"),
               _("Antal scorende"), _("Inhabile"), _("Enighed"), _("Skiller sig ud"),
               _("Til temadagen"), *[_("Antal scorer %(value)d", value=v) for v in VALUES]]
    rows = [[t.rank, t.title, t.group_name, t.recommendation_label,
             None if t.mean is None else float(t.mean),
             None if t.median is None else float(t.median),
             None if t.spread is None else float(t.spread), t.scorers, t.abstentions,
             t.consensus_label, t.standout_label, _yes(t.for_theme_day), *t.distribution]
            for t in data.themes]
    return exports.write_xlsx(headers, rows, sheet_title=_("Resultat"),
                              widths=(10, 45, 30, 28, 12, 10, 14, 10, 10, 14, 30, 12))


def scores_xlsx(data: IndividualScores) -> bytes:
    headers = [_("Medlem"), _("Tema"),
               *[f"{c.title} ({_('vægt %(weight)d', weight=c.weight)})" for c in data.criteria],
               _("Vægtet gennemsnit"), _("Inhabil"), _("Note om inhabilitet"), _("Kommentar")]
    rows = [[r.member, r.theme, *r.scores, None if r.weighted is None else float(r.weighted),
             _yes(r.abstained), r.abstain_note, r.comment] for r in data.rows]
    return exports.write_xlsx(headers, rows, sheet_title=_("Scorer"),
                              widths=(28, 45, *([14] * len(data.criteria)), 12, 10, 40, 40))


# -- the boards of a cycle (the API's list) -------------------------------------------------------

@dataclass(frozen=True)
class BoardSummary:
    id: int
    title: str
    state: BoardState
    deadline: datetime
    themes: int
    criteria: int
    members: int
    members_done: int | None  # for who manages the board only
    results: bool  # whether the person may read the results


def visible_boards(cycle: Cycle, user: Any) -> list[BoardSummary]:
    """The cycle's boards the person may see (`board.view`), with counts and never a score
    (three queries whatever the number of boards)."""
    boards = list(db.session.scalars(
        select(PrioritisationBoard).where(PrioritisationBoard.cycle_id == cycle.id)
        .options(joinedload(PrioritisationBoard.milestone),
                 selectinload(PrioritisationBoard.members))
        .order_by(PrioritisationBoard.created_at, PrioritisationBoard.id)))
    for board in boards:
        set_committed_value(board, "cycle", cycle)
    shown = [b for b in boards if can(user, "board.view", b)]
    ids = [b.id for b in shown]
    counts: dict[tuple[str, int], int] = {}
    if ids:
        for kind, model in (("themes", BoardTheme), ("criteria", BoardCriterion)):
            for board_id, n in db.session.execute(
                    select(model.board_id, func.count()).where(model.board_id.in_(ids))
                    .group_by(model.board_id)):
                counts[(kind, board_id)] = int(n)
    return [BoardSummary(
        id=b.id, title=b.title, state=b.state, deadline=b.deadline,
        themes=counts.get(("themes", b.id), 0), criteria=counts.get(("criteria", b.id), 0),
        members=len(b.members),
        members_done=(sum(1 for m in b.members if m.completed_at is not None)
                      if can(user, "board.manage", b) else None),
        results=can(user, "board.results", b)) for b in shown]
