"""Scoped loaders of prioritisation boards, a cycle's boards, and the secretariat's progress per
member. Another region's board, or one the person may not see, is a 404 like an unknown id.

Progress is counts only ("9 af 14 temaer"), never a score: while a board is open nothing here
may tell anyone how anyone scored.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from flask import abort
from sqlalchemy import Select, func, select, union
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from ...extensions import db
from ...models import (
    BoardCriterion,
    BoardMember,
    BoardScore,
    BoardTheme,
    BoardThemeNote,
    Cycle,
    ListTheme,
    Organisation,
    PrioritisationBoard,
    User,
    Workshop,
)
from ...permissions import can


def _board_query() -> Select[PrioritisationBoard]:
    return select(PrioritisationBoard).options(
        joinedload(PrioritisationBoard.cycle), joinedload(PrioritisationBoard.milestone),
        joinedload(PrioritisationBoard.workshop))


def load_members(boards: list[PrioritisationBoard]) -> None:
    """The members of these boards (by name), in one query; `permissions.boards.is_member`
    then asks no query of its own."""
    if not boards:
        return
    rows = list(db.session.scalars(select(BoardMember).where(
        BoardMember.board_id.in_([b.id for b in boards]))
        .order_by(BoardMember.name, BoardMember.id)))
    for board in boards:
        own = [m for m in rows if m.board_id == board.id]
        for member in own:
            set_committed_value(member, "board", board)
        set_committed_value(board, "members", own)


def load_parts(board: PrioritisationBoard, *, themes: bool = False,
               criteria: bool = False) -> None:
    """The board's themes and criteria in order (a query each)."""
    if themes:
        rows = list(db.session.scalars(select(BoardTheme).where(
            BoardTheme.board_id == board.id).order_by(BoardTheme.position, BoardTheme.id)))
        for row in rows:
            set_committed_value(row, "board", board)
        set_committed_value(board, "themes", rows)
    if criteria:
        found = list(db.session.scalars(select(BoardCriterion).where(
            BoardCriterion.board_id == board.id)
            .order_by(BoardCriterion.position, BoardCriterion.id)))
        for criterion in found:
            set_committed_value(criterion, "board", board)
        set_committed_value(board, "criteria", found)


def scoped_board_or_404(board_id: int, user: Any, action: str = "board.view", *,
                        themes: bool = False, criteria: bool = False,
                        members: bool = False) -> PrioritisationBoard:
    """A board of the person's region they may `action` (else 404), with its cycle, milestone
    and workshop, and on request its themes, criteria and members."""
    board = db.session.scalar(_board_query().join(Cycle, Cycle.id == PrioritisationBoard.cycle_id)
                              .where(PrioritisationBoard.id == board_id,
                                     Cycle.region_id == user.region_id))
    if board is None:
        abort(404)
    if members:
        load_members([board])
    # A draft cycle's boards are the secretariat's, like the cycle itself.
    if not can(user, "cycle.view", board.cycle) or not can(user, action, board):
        abort(404)
    load_parts(board, themes=themes, criteria=criteria)
    return board


P = TypeVar("P", BoardTheme, BoardCriterion, BoardMember)


def _part_or_404(model: type[P], board: PrioritisationBoard, part_id: int) -> P:
    """A theme, criterion or member of this board (another board's is a 404)."""
    part = db.session.scalar(select(model).where(model.id == part_id,
                                                 model.board_id == board.id))
    if part is None:
        abort(404)
    set_committed_value(part, "board", board)
    return part


def theme_or_404(board: PrioritisationBoard, theme_id: int) -> BoardTheme:
    return _part_or_404(BoardTheme, board, theme_id)


def criterion_or_404(board: PrioritisationBoard, criterion_id: int) -> BoardCriterion:
    return _part_or_404(BoardCriterion, board, criterion_id)


def member_or_404(board: PrioritisationBoard, member_id: int) -> BoardMember:
    return _part_or_404(BoardMember, board, member_id)


# -- a cycle's boards --------------------------------------------------------------------------

@dataclass(frozen=True)
class BoardRow:
    board: PrioritisationBoard
    themes: int
    criteria: int
    members: int
    completed: int  # members who have scored every theme on every criterion (or abstained)


def _counts(model: type[BoardTheme] | type[BoardCriterion], ids: list[int]) -> dict[int, int]:
    return {board_id: n for board_id, n in db.session.execute(
        select(model.board_id, func.count()).where(model.board_id.in_(ids))
        .group_by(model.board_id))}


def cycle_boards(cycle: Cycle, user: Any) -> list[BoardRow]:
    """The cycle's boards the person may see, newest milestone last, with their counts: four
    queries whatever the number of boards and members."""
    boards = list(db.session.scalars(_board_query().where(PrioritisationBoard.cycle_id == cycle.id)
                                     .order_by(PrioritisationBoard.created_at,
                                               PrioritisationBoard.id)))
    load_members(boards)
    boards = [b for b in boards if can(user, "board.view", b)]
    ids = [b.id for b in boards]
    themes = _counts(BoardTheme, ids) if ids else {}
    criteria = _counts(BoardCriterion, ids) if ids else {}
    return [BoardRow(board=b, themes=themes.get(b.id, 0), criteria=criteria.get(b.id, 0),
                     members=len(b.members),
                     completed=sum(1 for m in b.members if m.completed_at is not None))
            for b in boards]


# -- progress per member (counts only) ---------------------------------------------------------

@dataclass(frozen=True)
class MemberProgress:
    member: BoardMember
    done: int  # themes scored on every criterion, or abstained
    total: int

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.done >= self.total


def themes_done(board: PrioritisationBoard, criteria: int) -> dict[int, int]:
    """Per member (user id): how many themes they have finished — scored on all `criteria`
    criteria, or abstained from. One query; counts, never values."""
    full = (select(BoardScore.user_id, BoardScore.theme_id)
            .where(BoardScore.board_id == board.id)
            .group_by(BoardScore.user_id, BoardScore.theme_id)
            .having(func.count() >= max(criteria, 1)))
    abstained = select(BoardThemeNote.user_id, BoardThemeNote.theme_id).where(
        BoardThemeNote.board_id == board.id, BoardThemeNote.abstained.is_(True))
    done = union(full, abstained).subquery()
    return {user_id: n for user_id, n in db.session.execute(
        select(done.c.user_id, func.count()).group_by(done.c.user_id))}


def member_progress(board: PrioritisationBoard) -> list[MemberProgress]:
    """The members (loaded on the board) with their progress; the board's themes and criteria
    must be loaded too (`scoped_board_or_404(..., themes=True, criteria=True, members=True)`)."""
    done = themes_done(board, len(board.criteria))
    total = len(board.themes)
    return [MemberProgress(member=m, done=min(done.get(m.user_id, 0), total), total=total)
            for m in board.members]


# -- choices for the setup forms ---------------------------------------------------------------

def theme_lists(cycle: Cycle) -> list[tuple[Workshop, int]]:
    """The cycle's workshops that have a prioritisation list, with its number of themes."""
    return [(w, n) for w, n in db.session.execute(
        select(Workshop, func.count(ListTheme.id))
        .join(ListTheme, ListTheme.workshop_id == Workshop.id)
        .where(Workshop.cycle_id == cycle.id)
        .group_by(Workshop.id).order_by(Workshop.id))]


def people_to_add(board: PrioritisationBoard) -> list[User]:
    """Active people of the region not on the board (loaded members), for the "by name"
    choice."""
    listed = {m.user_id for m in board.members}
    people = db.session.scalars(
        select(User).join(Organisation, Organisation.id == User.organisation_id)
        .where(Organisation.region_id == board.region_id, Organisation.active.is_(True),
               User.active.is_(True))
        .options(joinedload(User.organisation)).order_by(User.name, User.id))
    return [p for p in people if p.id not in listed]
