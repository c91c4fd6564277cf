"""Prioritisation boards: the secretariat runs them; the members score blind while the board is
open; the results are the secretariat's once it is closed, and the members' (and, if chosen,
the region's people's) once published. Individual scores are never shown to anyone but the
secretariat, and to them only after the close."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import object_session

from ..models import BoardMember, BoardState, PrioritisationBoard, Role
from . import Rule, rule


def _secretariat(subject: Any, obj: Any) -> bool:
    return Role.SECRETARIAT in subject.roles_in(obj.region_id)


def is_member(board: PrioritisationBoard, user_id: int | None) -> bool:
    """Whether the person is on the board: from the loaded members when the loader loaded them,
    else asked of the database."""
    if user_id is None:
        return False
    if "members" in board.__dict__:
        return any(m.user_id == user_id for m in board.members)
    session = object_session(board)
    if session is None:
        return False
    return session.scalar(select(BoardMember.id).where(
        BoardMember.board_id == board.id, BoardMember.user_id == user_id).limit(1)) is not None


def _view(subject: Any, obj: Any, now: datetime | None) -> bool:
    """The secretariat always; a member once the board is open; everyone signed in in the
    region once it is published to the region. Asked about the region (a view's first check),
    anyone signed in may go on to the board."""
    if not isinstance(obj, PrioritisationBoard) or _secretariat(subject, obj):
        return True
    if obj.state == BoardState.DRAFT:
        return False
    if obj.state == BoardState.PUBLISHED and obj.publish_to_region:
        return True
    return is_member(obj, subject.id)


def _score(subject: Any, obj: Any, now: datetime | None) -> bool:
    """A member, while the board is open."""
    if not isinstance(obj, PrioritisationBoard):
        return True
    return obj.state == BoardState.OPEN and is_member(obj, subject.id)


def _results(subject: Any, obj: Any, now: datetime | None) -> bool:
    """Nobody while the board is open (blind scoring); the secretariat once it is closed; the
    members (and the region, if chosen) once it is published."""
    if not isinstance(obj, PrioritisationBoard):
        return True
    if obj.state in (BoardState.DRAFT, BoardState.OPEN):
        return False
    if _secretariat(subject, obj):
        return True
    if obj.state != BoardState.PUBLISHED:
        return False
    return obj.publish_to_region or is_member(obj, subject.id)


def _scores(subject: Any, obj: Any, now: datetime | None) -> bool:
    if not isinstance(obj, PrioritisationBoard):
        return True
    return obj.state in (BoardState.CLOSED, BoardState.PUBLISHED)


RULES: dict[str, Rule] = {
    # The demo builds its board as the system.
    "board.manage": rule(
        "Oprette og styre prioriteringstavler: temaer, kriterier, medlemmer, lukning, valg af "
        "temaer til temadagen og offentliggørelse", Role.SECRETARIAT, system=True),
    "board.view": rule(
        "Se en prioriteringstavle: sekretariatet, tavlens medlemmer, og regionens folk når "
        "resultatet er offentliggjort for dem", signed_in=True, check=_view),
    "board.score": rule(
        "Score tavlens temaer: tavlens medlemmer, mens den er åben", signed_in=True,
        check=_score),
    "board.results": rule(
        "Se tavlens resultat: sekretariatet efter lukningen, medlemmerne (og regionen, hvis "
        "valgt) efter offentliggørelsen", signed_in=True, check=_results),
    "board.scores": rule(
        "Se de enkelte medlemmers scorer: kun sekretariatet og først efter lukningen",
        Role.SECRETARIAT, check=_scores),
}
