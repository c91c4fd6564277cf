"""Blind scoring: a board member saves their scores of one theme at a time.

A member of an open board scores each theme 1–5 on each criterion, with an optional comment;
a score may be left empty (saved partly, to come back to), and a member may abstain from a
theme (conflict of interest, "inhabil") with a note, which clears their scores of it. The
member's ballot counter (`BoardMember.version_id`) is the edit version of every theme's form:
a second tab saving on an older counter gets the conflict page with its input kept.

The board's row is locked while a save is written (PostgreSQL; SQLite's writing request holds
the database's write lock anyway), the same lock the close takes: a save racing the close
either lands before it or finds the board closed and is refused with a Danish message.

The audit trail records that a member saved a theme, and how many criteria they scored, never
the values or the comment: the log is the secretariat's, who must not see scores while the
board is open.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import delete, func, select

from ...errors import PermissionDenied
from ...extensions import db
from ...i18n import gettext as _
from ...models import (
    BoardCriterion,
    BoardMember,
    BoardScore,
    BoardState,
    BoardTheme,
    BoardThemeNote,
    PrioritisationBoard,
)
from ...permissions import Actor, require
from ..base import WorkflowError, bump_version, check_stale, record

SCORES = range(1, 6)
COMMENT_MAX = 4000
NOTE_MAX = 2000


def criterion_field(criterion_id: int) -> str:
    """The form field of a criterion's score: where its message is shown."""
    return f"criterion_{criterion_id}"


def theme_done(scored: int, criteria: int, abstained: bool) -> bool:
    """A theme is done for a member when every criterion is scored, or they abstained."""
    return abstained or (criteria > 0 and scored >= criteria)


def closed_message() -> str:
    return _("Tavlen er lukket, så scorerne kan ikke længere ændres. Det, du skrev, er ikke "
             "gemt.")


def _lock_state(board: PrioritisationBoard) -> BoardState:
    """Lock the board's row and read its state as committed now (another request may have
    closed it since the page was loaded)."""
    state = db.session.scalar(select(PrioritisationBoard.state)
                              .where(PrioritisationBoard.id == board.id).with_for_update())
    if state is None:
        raise WorkflowError(_("Tavlen findes ikke længere."))
    return BoardState(state)


def own_member(board: PrioritisationBoard, user_id: int) -> BoardMember | None:
    """The person's member row, read afresh (its ballot counter as committed now)."""
    return db.session.scalar(
        select(BoardMember).where(BoardMember.board_id == board.id,
                                  BoardMember.user_id == user_id)
        .execution_options(populate_existing=True))


def save_theme(actor: Actor, board: PrioritisationBoard, theme: BoardTheme,
               scores: Mapping[int, int | None], comment: str, abstain: bool,
               abstain_note: str, *, version: int | None, now: datetime) -> BoardMember:
    """Save the actor's scores, comment and abstention for one theme. `scores` maps criterion
    ids to 1–5, or None for "not scored yet"; a criterion left out is not scored."""
    state = _lock_state(board)
    if state != BoardState.OPEN:
        raise WorkflowError(closed_message() if state in (BoardState.CLOSED,
                                                          BoardState.PUBLISHED)
                            else _("Tavlen er ikke åbnet for scoring endnu."))
    member = own_member(board, actor.id) if actor.id is not None else None
    if member is None:
        raise PermissionDenied(_("Kun tavlens medlemmer kan score dens temaer."))
    require(actor, "board.score", board, now,
            message=_("Kun tavlens medlemmer kan score dens temaer, mens den er åben."))
    check_stale(member, version)
    if theme.board_id != board.id:
        raise WorkflowError(_("Temaet hører ikke til tavlen."))
    criteria = list(db.session.scalars(select(BoardCriterion.id).where(
        BoardCriterion.board_id == board.id)))
    known = set(criteria)
    for criterion_id, value in scores.items():
        if criterion_id not in known:
            raise WorkflowError(_("Kriteriet hører ikke til tavlen."))
        if value is not None and value not in SCORES:
            raise WorkflowError(_("Vælg en score fra 1 til 5."),
                                field=criterion_field(criterion_id))
    comment = comment.strip()
    abstain_note = abstain_note.strip()
    if len(comment) > COMMENT_MAX:
        raise WorkflowError(_("Skriv højst %(n)d tegn.", n=COMMENT_MAX), field="comment")
    if abstain and not abstain_note:
        raise WorkflowError(_("Skriv kort, hvorfor du er inhabil. Sekretariatet ser noten."),
                            field="abstain_note")
    if len(abstain_note) > NOTE_MAX:
        raise WorkflowError(_("Skriv højst %(n)d tegn.", n=NOTE_MAX), field="abstain_note")
    wanted = {} if abstain else {c: v for c, v in scores.items() if v is not None}
    _write_scores(board, theme, member.user_id, wanted, now)
    _write_note(board, theme, member.user_id, comment, abstain,
                abstain_note if abstain else "", now)
    before_done = member.completed_at is not None
    member.completed_at = (member.completed_at or now) if _complete(board, member.user_id,
                                                                    len(criteria)) else None
    bump_version(member)
    record(actor=actor, action="board_ballot.saved", obj=member, now=now,
           region_id=board.region_id, label=f"{board.title}: {member.name}",
           after={"theme": theme.title, "scored_count": len(wanted), "abstained": abstain,
                  **({"completed": member.completed_at is not None}
                     if before_done != (member.completed_at is not None) else {})})
    return member


def _write_scores(board: PrioritisationBoard, theme: BoardTheme, user_id: int,
                  wanted: Mapping[int, int], now: datetime) -> None:
    existing = {s.criterion_id: s for s in db.session.scalars(select(BoardScore).where(
        BoardScore.theme_id == theme.id, BoardScore.user_id == user_id))}
    gone = [c for c in existing if c not in wanted]
    if gone:
        db.session.execute(delete(BoardScore).where(
            BoardScore.theme_id == theme.id, BoardScore.user_id == user_id,
            BoardScore.criterion_id.in_(gone)).execution_options(synchronize_session="fetch"))
    for criterion_id, value in wanted.items():
        score = existing.get(criterion_id)
        if score is None:
            db.session.add(BoardScore(board_id=board.id, theme_id=theme.id,
                                      criterion_id=criterion_id, user_id=user_id, value=value,
                                      updated_at=now))
        elif score.value != value:
            score.value = value
            score.updated_at = now
    db.session.flush()


def _write_note(board: PrioritisationBoard, theme: BoardTheme, user_id: int, comment: str,
                abstain: bool, abstain_note: str, now: datetime) -> None:
    note = db.session.scalar(select(BoardThemeNote).where(
        BoardThemeNote.theme_id == theme.id, BoardThemeNote.user_id == user_id))
    if not (comment or abstain):
        if note is not None:
            db.session.delete(note)
        return
    if note is None:
        note = BoardThemeNote(board_id=board.id, theme_id=theme.id, user_id=user_id)
        db.session.add(note)
    note.comment = comment
    note.abstained = abstain
    note.abstain_note = abstain_note
    note.updated_at = now
    db.session.flush()


def _complete(board: PrioritisationBoard, user_id: int, criteria: int) -> bool:
    """Whether every theme of the board is done for the member (three queries)."""
    themes = db.session.scalar(select(func.count(BoardTheme.id)).where(
        BoardTheme.board_id == board.id)) or 0
    scored: dict[int, int] = {theme_id: n for theme_id, n in db.session.execute(
        select(BoardScore.theme_id, func.count(BoardScore.id))
        .where(BoardScore.board_id == board.id, BoardScore.user_id == user_id)
        .group_by(BoardScore.theme_id))}
    abstained = set(db.session.scalars(select(BoardThemeNote.theme_id).where(
        BoardThemeNote.board_id == board.id, BoardThemeNote.user_id == user_id,
        BoardThemeNote.abstained.is_(True))))
    done = sum(1 for theme_id in set(scored) | abstained
               if theme_done(scored.get(theme_id, 0), criteria, theme_id in abstained))
    return themes > 0 and done >= themes
