"""After the close: the secretariat marks the themes that go to the theme day, writes the
board's conclusion (and whether the region's people may read the result too) and publishes the
result to the members.

All three work on a closed board only (after the publication the result is final) and carry the
board's version: a form made before another change of the board is a conflict, never a silent
overwrite. Publishing e-mails every member with the link to the result.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ... import mail
from ...extensions import db
from ...i18n import gettext as _
from ...links import absolute_url
from ...models import BoardMember, BoardState, BoardTheme, PrioritisationBoard
from ...permissions import Actor, require
from ..base import WorkflowError, bump_version, changed, check_stale, record, snapshot
from ..states import BOARDS

CONCLUSION_FIELDS = ("conclusion", "publish_to_region")
MAX_CONCLUSION = 20000


def _require_closed(actor: Actor, board: PrioritisationBoard, version: int | None) -> None:
    require(actor, "board.manage", board,
            message=_("Kun sekretariatet kan behandle tavlens resultat."))
    check_stale(board, version)
    if board.state != BoardState.CLOSED:
        raise WorkflowError(_("Det kan kun ændres, mens tavlen er lukket og resultatet endnu "
                              "ikke er offentliggjort."))


def choose_theme_day_themes(actor: Actor, board: PrioritisationBoard, theme_ids: Iterable[int],
                            *, version: int | None, now: datetime) -> list[BoardTheme]:
    """Mark exactly the given themes of the board for the theme day (the others unmarked).
    Returns the marked themes."""
    _require_closed(actor, board, version)
    themes = list(db.session.scalars(select(BoardTheme).where(BoardTheme.board_id == board.id)
                                     .order_by(BoardTheme.position, BoardTheme.id)))
    wanted = set(theme_ids)
    unknown = wanted - {t.id for t in themes}
    if unknown:
        raise WorkflowError(_("Vælg blandt tavlens temaer."), field="theme_ids")
    before = [t.title for t in themes if t.for_theme_day]
    for theme in themes:
        if theme.for_theme_day != (theme.id in wanted):
            theme.for_theme_day = theme.id in wanted
    after = [t.title for t in themes if t.for_theme_day]
    if before != after:
        bump_version(board)
        record(actor=actor, action="board_result.theme_day", obj=board, now=now,
               region_id=board.region_id, before={"themes": before}, after={"themes": after})
    return [t for t in themes if t.for_theme_day]


def write_conclusion(actor: Actor, board: PrioritisationBoard, conclusion: str,
                     publish_to_region: bool, *, version: int | None,
                     now: datetime) -> PrioritisationBoard:
    """The board's conclusion (Markdown) and whether the result is published to the region's
    people as well as to the members."""
    _require_closed(actor, board, version)
    text = conclusion.strip()
    if len(text) > MAX_CONCLUSION:
        raise WorkflowError(_("Konklusionen må højst være %(n)d tegn.", n=MAX_CONCLUSION),
                            field="conclusion")
    before = snapshot(board, CONCLUSION_FIELDS)
    board.conclusion = text
    board.publish_to_region = publish_to_region
    old, new = changed(before, snapshot(board, CONCLUSION_FIELDS))
    if new:
        record(actor=actor, action="board_result.concluded", obj=board, now=now,
               region_id=board.region_id, before=old, after=new)
    return board


def publish(actor: Actor, board: PrioritisationBoard, *, version: int | None,
            now: datetime) -> int:
    """Closed → published: the members (and, if chosen, the region's people) may read the
    result. E-mails every member with an address; returns how many were e-mailed."""
    _require_closed(actor, board, version)
    members = list(db.session.scalars(
        select(BoardMember).where(BoardMember.board_id == board.id)
        .options(joinedload(BoardMember.user)).order_by(BoardMember.name, BoardMember.id)))
    board.published_at = now
    BOARDS.move(board, BoardState.PUBLISHED, actor=actor, now=now,
                action="board_result.published", region_id=board.region_id,
                extra_after={"publish_to_region": board.publish_to_region,
                             "emails": len([m for m in members if _reachable(m)])})
    link = absolute_url("board_results.results", board_id=board.id)
    sent = 0
    for member in members:
        if not _reachable(member):
            continue
        mail.queue("board_results_published", member.user.email, now=now,
                   region_id=board.region_id, name=member.name, title=board.title,
                   cycle=board.cycle.title, link=link, region=board.publish_to_region)
        sent += 1
    return sent


def _reachable(member: BoardMember) -> bool:
    return bool(member.user.email) and member.user.active
