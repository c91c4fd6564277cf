"""Part A's demo: the 14-theme board on the demo cycle, opened 13.02.2017 with the steering
group invited, and closed after the deadline (the scores come between, from part B; the
demo then publishes it, part C)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from tests.boards import factories as bf
from webapp.demo import boards as demo
from webapp.demo.nordjylland import STEERING_MEMBERS
from webapp.demo.seed import seed_demo
from webapp.models import (
    AuditEvent,
    BoardMember,
    BoardState,
    Cycle,
    OutboundEmail,
    Recommendation,
)
from webapp.workflows.audit import FIELD_LABELS


def test_the_demo_board_is_made_opened_and_closed_once(app: Any, db: Any, clock: Any) -> None:
    seed_demo(clock.now())
    cycle = db.session.scalar(select(Cycle).where(Cycle.title == "Rammeaftale 2018"))
    assert cycle is not None
    board = demo.seed_board(cycle, demo.OPENED_AT)
    assert board.title == "Prioritering af workshoppens temaer"
    assert board.state == BoardState.PUBLISHED and board.opened_at == demo.OPENED_AT
    assert board.closed_at == demo.CLOSED_AT
    assert board.milestone.title == "DAS prioriterer workshoppens temaer"
    themes = bf.themes_of(board)
    assert len(themes) == 14
    recommended = [t.title for t in themes if t.recommendation == Recommendation.RECOMMENDED]
    assert "Fokus på beskæftigelse" in recommended and "Nye samarbejdsformer" in recommended
    assert sum(t.recommendation == Recommendation.NOT_RECOMMENDED for t in themes) >= 5
    assert all(t.group_name and t.list_theme_id for t in themes)
    assert [(c.title, c.weight) for c in bf.criteria_of(board)] == [
        ("Tværkommunal relevans", 2), ("Potentiale for fælles handling", 1),
        ("Politisk relevans", 1)]
    names = set(db.session.scalars(select(BoardMember.name).where(
        BoardMember.board_id == board.id)))
    assert {name for _e, name, _o in STEERING_MEMBERS} <= names and len(names) == 6
    invited = set(db.session.scalars(select(OutboundEmail.to_address).where(
        OutboundEmail.template == "board_invitation")))
    assert len(invited) == 6
    assert demo.seed_board(cycle, demo.OPENED_AT).id == board.id  # skipped the second time
    demo.close_demo_board(board, demo.CLOSED_AT)  # nothing to do
    assert board.state == BoardState.PUBLISHED and board.closed_at == demo.CLOSED_AT
    db.session.flush()
    # The board's trail reads as Danish: every field it carries has its words.
    keys = {key for event in db.session.scalars(select(AuditEvent).where(
        AuditEvent.action.startswith("board"))) for part in (event.before, event.after)
        for key in (part or {})}
    assert {"themes", "workshop_id", "members", "emails", "weight"} <= keys
    assert not sorted(keys - set(FIELD_LABELS))
