"""What a board member's scoring pages read: the board scoped to its member, their own ballot
(only their own scores and notes, never another member's), their progress ("9 af 14 temaer")
and a theme with its workshop input. A fixed number of queries whatever the board's size.

Blind scoring lives here as much as in the rules: every query of scores or notes in this
module is narrowed to one person (`user_id`), so no page built from it can carry another
member's score or comment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from ...extensions import db
from ...i18n import gettext as _
from ...models import (
    BoardCriterion,
    BoardMember,
    BoardScore,
    BoardTheme,
    BoardThemeNote,
    Cycle,
    InputItem,
    ListThemeItem,
    PrioritisationBoard,
)
from ...permissions import can
from ...workflows.boards.scoring import theme_done
from ..workshops.input import InputGroups, split_kinds


def member_board_or_404(board_id: int, user: Any) -> tuple[PrioritisationBoard, BoardMember]:
    """A board of the person's region that they may view, with their own member row (its cycle
    and milestone loaded). Another region's board, a draft, or a board the person is not on is
    a 404, like an unknown id: the scoring pages are a member's own. Three queries."""
    board = db.session.scalar(
        select(PrioritisationBoard).join(Cycle, Cycle.id == PrioritisationBoard.cycle_id)
        .where(PrioritisationBoard.id == board_id, Cycle.region_id == user.region_id)
        .options(joinedload(PrioritisationBoard.cycle),
                 joinedload(PrioritisationBoard.milestone)))
    if board is None:
        abort(404)
    member = db.session.scalar(select(BoardMember).where(
        BoardMember.board_id == board.id, BoardMember.user_id == user.id))
    if member is None or not can(user, "board.view", board):
        abort(404)
    set_committed_value(member, "board", board)
    return board, member


@dataclass(frozen=True)
class ThemeLine:
    """One theme of a member's ballot: how far they have come with it."""

    theme: BoardTheme
    scored: int  # criteria scored
    criteria: int
    abstained: bool
    commented: bool

    @property
    def done(self) -> bool:
        return theme_done(self.scored, self.criteria, self.abstained)

    @property
    def status(self) -> str:
        """"done", "abstained", "partial" or "none": for the page's wording and styling."""
        if self.abstained:
            return "abstained"
        if self.done:
            return "done"
        return "partial" if self.scored else "none"

    @property
    def status_label(self) -> str:
        if self.abstained:
            return _("Inhabil")
        if self.done:
            return _("Scoret")
        if self.scored:
            return _("Delvist scoret (%(n)d af %(m)d kriterier)", n=self.scored,
                     m=self.criteria)
        return _("Ikke scoret")


@dataclass(frozen=True)
class Ballot:
    """A member's own ballot: the board's themes and criteria in order, and the member's own
    scores ((theme id, criterion id) -> 1–5) and notes (theme id -> note)."""

    board: PrioritisationBoard
    member: BoardMember
    themes: list[BoardTheme]
    criteria: list[BoardCriterion]
    scores: dict[tuple[int, int], int]
    notes: dict[int, BoardThemeNote]

    @property
    def lines(self) -> list[ThemeLine]:
        return [self.line(t) for t in self.themes]

    def line(self, theme: BoardTheme) -> ThemeLine:
        note = self.notes.get(theme.id)
        return ThemeLine(theme=theme,
                         scored=sum(1 for c in self.criteria if (theme.id, c.id) in self.scores),
                         criteria=len(self.criteria),
                         abstained=bool(note and note.abstained),
                         commented=bool(note and note.comment))

    @property
    def done(self) -> int:
        return sum(1 for line in self.lines if line.done)

    @property
    def total(self) -> int:
        return len(self.themes)

    @property
    def progress_text(self) -> str:
        return progress_text(self.done, self.total)

    def theme_or_404(self, theme_id: int) -> BoardTheme:
        """A theme of this board; another board's (or an unknown id) is a 404."""
        theme = next((t for t in self.themes if t.id == theme_id), None)
        if theme is None:
            abort(404)
        return theme

    def next_theme(self, theme: BoardTheme) -> BoardTheme | None:
        """The theme after this one in the board's order: the first not done after it, else
        the next one, else none (the last theme)."""
        later = self.themes[self.themes.index(theme) + 1:]
        return next((t for t in later if not self.line(t).done), later[0] if later else None)

    def score(self, theme: BoardTheme, criterion: BoardCriterion) -> int | None:
        return self.scores.get((theme.id, criterion.id))


def progress_text(done: int, total: int) -> str:
    return _("%(done)d af %(total)d temaer", done=done, total=total)


def ballot(board: PrioritisationBoard, member: BoardMember) -> Ballot:
    """The member's own ballot: four queries whatever the number of themes, criteria and
    members. Only the member's own scores and notes are read."""
    themes = list(db.session.scalars(select(BoardTheme).where(BoardTheme.board_id == board.id)
                                     .order_by(BoardTheme.position, BoardTheme.id)))
    criteria = list(db.session.scalars(
        select(BoardCriterion).where(BoardCriterion.board_id == board.id)
        .order_by(BoardCriterion.position, BoardCriterion.id)))
    scores = {(t, c): v for t, c, v in db.session.execute(
        select(BoardScore.theme_id, BoardScore.criterion_id, BoardScore.value)
        .where(BoardScore.board_id == board.id, BoardScore.user_id == member.user_id))}
    notes = {n.theme_id: n for n in db.session.scalars(select(BoardThemeNote).where(
        BoardThemeNote.board_id == board.id, BoardThemeNote.user_id == member.user_id))}
    return Ballot(board, member, themes, criteria, scores, notes)


def theme_input(theme: BoardTheme) -> InputGroups | None:
    """The workshop input the theme's list theme carries (challenges and actions), or None for
    a theme typed in. One query at most."""
    if theme.list_theme_id is None:
        return None
    items = db.session.scalars(
        select(InputItem).join(ListThemeItem, ListThemeItem.item_id == InputItem.id)
        .where(ListThemeItem.list_theme_id == theme.list_theme_id)
        .order_by(InputItem.created_at, InputItem.id))
    return InputGroups(**split_kinds(items))


# -- "Mine opgaver" ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def text(self) -> str:
        return progress_text(self.done, self.total)


def progress_of(board_ids: Sequence[int], user_id: int) -> dict[int, Progress]:
    """A person's own progress on each of these boards: three queries for any number."""
    ids = sorted(set(board_ids))
    if not ids:
        return {}
    themes = (select(func.count(BoardTheme.id)).where(BoardTheme.board_id
                                                      == PrioritisationBoard.id)
              .scalar_subquery())
    criteria = (select(func.count(BoardCriterion.id))
                .where(BoardCriterion.board_id == PrioritisationBoard.id).scalar_subquery())
    sizes = {b: (t or 0, c or 0) for b, t, c in db.session.execute(
        select(PrioritisationBoard.id, themes, criteria)
        .where(PrioritisationBoard.id.in_(ids)))}
    scored: dict[int, dict[int, int]] = {}
    for board_id, theme_id, n in db.session.execute(
            select(BoardScore.board_id, BoardScore.theme_id, func.count(BoardScore.id))
            .where(BoardScore.board_id.in_(ids), BoardScore.user_id == user_id)
            .group_by(BoardScore.board_id, BoardScore.theme_id)):
        scored.setdefault(board_id, {})[theme_id] = n
    abstained: dict[int, set[int]] = {}
    for board_id, theme_id in db.session.execute(
            select(BoardThemeNote.board_id, BoardThemeNote.theme_id)
            .where(BoardThemeNote.board_id.in_(ids), BoardThemeNote.user_id == user_id,
                   BoardThemeNote.abstained.is_(True))):
        abstained.setdefault(board_id, set()).add(theme_id)
    out = {}
    for board_id, (total, n_criteria) in sizes.items():
        counts, skipped = scored.get(board_id, {}), abstained.get(board_id, set())
        done = sum(1 for theme_id in set(counts) | skipped
                   if theme_done(counts.get(theme_id, 0), n_criteria, theme_id in skipped))
        out[board_id] = Progress(min(done, total), total)
    return out
