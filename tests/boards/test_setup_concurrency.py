"""The close and a member's save at the same moment, each in its own connection: the board's
row lock (`setup.lock_board`, which the scoring's save takes too) puts them in an order. A save
holding the lock lands before the close; a save that waits on a close reads the board as
closed once it gets the lock. On PostgreSQL the row lock does it; on SQLite a writing
transaction holds the database's write lock from its start, with the same result."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from tests.boards.setup_helpers import NOW, board
from tests.conftest import build_world, truncate_all
from webapp.extensions import begin_write
from webapp.extensions import db as _db
from webapp.models import (
    BoardCriterion,
    BoardScore,
    BoardState,
    BoardTheme,
    Cycle,
    Milestone,
    PrioritisationBoard,
    Role,
    User,
)
from webapp.workflows.boards import setup as flow

HOLD = 0.6  # seconds a transaction keeps the lock


@pytest.fixture
def committed(app: Any) -> Any:
    with app.app_context():
        _db.session().expire_on_commit = False
        try:
            world = build_world()
            member = world["north"]["users"][Role.STEERING_MEMBER]
            made = board(world, members=[member])
            flow.open_board(world["north"]["users"][Role.SECRETARIAT], made, now=NOW)
            _db.session.commit()
            yield {"board": made.id, "member": member.id,
                   "secretary": world["north"]["users"][Role.SECRETARIAT].id}
        finally:
            _db.session.rollback()
            _db.session.remove()
            truncate_all()


def _load(board_id: int) -> PrioritisationBoard:
    made = _db.session.get_one(PrioritisationBoard, board_id)
    set_committed_value(made, "cycle", _db.session.get(Cycle, made.cycle_id))
    set_committed_value(made, "milestone", _db.session.get(Milestone, made.milestone_id))
    return made


def _person(user_id: int) -> User:
    found = _db.session.scalar(select(User).where(User.id == user_id).options(
        selectinload(User.grants), selectinload(User.organisation)))
    assert found is not None
    return found


def _run(app: Any, errors: list[BaseException], work: Any) -> threading.Thread:
    def target() -> None:
        try:
            with app.app_context():
                begin_write()  # as a writing request does
                work()
                _db.session.remove()
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    return thread


def test_a_save_holding_the_lock_lands_before_the_close(app: Any, committed: Any) -> None:
    locked, errors = threading.Event(), []
    times: dict[str, float] = {}

    def save() -> None:  # what the scoring's save does: lock, check open, write
        made = _load(committed["board"])
        assert flow.lock_board(made) == BoardState.OPEN
        theme = _db.session.scalars(select(BoardTheme.id).where(
            BoardTheme.board_id == made.id)).first()
        criterion = _db.session.scalars(select(BoardCriterion.id).where(
            BoardCriterion.board_id == made.id)).first()
        _db.session.add(BoardScore(board_id=made.id, theme_id=theme, criterion_id=criterion,
                                   user_id=committed["member"], value=4))
        _db.session.flush()
        locked.set()
        time.sleep(HOLD)
        _db.session.commit()
        times["saved"] = time.monotonic()

    def close() -> None:
        flow.close_board(_person(committed["secretary"]), _load(committed["board"]), now=NOW)
        _db.session.commit()
        times["closed"] = time.monotonic()

    first = _run(app, errors, save)
    assert locked.wait(10)
    second = _run(app, errors, close)
    for thread in (first, second):
        thread.join(30)
    assert not errors, errors
    assert times["closed"] >= times["saved"]  # the close waited for the save
    with app.app_context():
        assert _db.session.scalar(select(PrioritisationBoard.state).where(
            PrioritisationBoard.id == committed["board"])) == BoardState.CLOSED
        assert _db.session.scalar(select(BoardScore.value).where(
            BoardScore.board_id == committed["board"])) == 4
        _db.session.remove()


def test_a_save_waiting_on_the_close_finds_the_board_closed(app: Any, committed: Any) -> None:
    closing, errors = threading.Event(), []
    seen: list[BoardState] = []

    def close() -> None:
        flow.close_board(_person(committed["secretary"]), _load(committed["board"]), now=NOW)
        _db.session.flush()
        closing.set()
        time.sleep(HOLD)
        _db.session.commit()

    def save() -> None:
        made = _load(committed["board"])  # loaded while the close is not yet committed
        seen.append(flow.lock_board(made))
        _db.session.rollback()

    first = _run(app, errors, close)
    assert closing.wait(10)
    second = _run(app, errors, save)
    for thread in (first, second):
        thread.join(30)
    assert not errors, errors
    assert seen == [BoardState.CLOSED]
