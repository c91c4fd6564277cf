"""Two people take the last place of a theme at the same moment, each in its own connection
and transaction: one gets it, the other lands on the waiting list, never both.

On PostgreSQL both transactions are held at a barrier after each has read the seat as free, so
both write it: the database's unique (theme, seat) lets one through and refuses the other,
which then finds the theme full. On SQLite a writing transaction holds the database's write
lock from its start (README), so the second cannot even begin until the first has committed:
the barrier breaks, and the second reads the seat as taken. Either way the result is the same,
and the test shows which path it took.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from tests.conftest import build_world, truncate_all
from tests.workshops.helpers import NOW, build, invite, people, pick
from webapp.extensions import begin_write
from webapp.extensions import db as _db
from webapp.models import Cycle, Milestone, User, Workshop, WorkshopInvitee, WorkshopPick
from webapp.workflows.workshops import seats
from webapp.workflows.workshops import signup as flow


@pytest.fixture
def committed(app: Any) -> Any:
    """Data committed for real (the two connections must see it), removed afterwards."""
    with app.app_context():
        # The setup reads its own objects after each commit, as the test's own session does.
        _db.session().expire_on_commit = False
        try:
            world = build_world()
            workshop = build(world, capacities=((1, 3, None), (2, 5)))
            a, b = people(world, 2)
            ia, ib = invite(world, workshop, [a, b])
            picks = pick(workshop, [0, 1], [0])
            _db.session.commit()
            yield {"workshop": workshop.id, "people": [(a.id, ia.id), (b.id, ib.id)],
                   "picks": picks}
        finally:
            _db.session.rollback()
            _db.session.remove()
            truncate_all()


def test_two_sign_ups_for_the_last_place_at_once(app, committed, monkeypatch):
    barrier = threading.Barrier(2, timeout=2)
    conflicts: list[int] = []
    broke: list[bool] = []
    errors: list[BaseException] = []
    real_free, real_write = seats.free_seat, seats._write
    first_read = threading.local()

    def free_seat(theme_id: int) -> int | None:
        number = real_free(theme_id)
        if not getattr(first_read, "done", False):
            first_read.done = True
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                broke.append(True)
        return number

    def write(change: Any, seat: int | None) -> bool:
        written = real_write(change, seat)
        if not written:
            conflicts.append(1)
        return written

    monkeypatch.setattr(seats, "free_seat", free_seat)
    monkeypatch.setattr(seats, "_write", write)

    def sign_up(user_id: int, invitee_id: int) -> None:
        try:
            with app.app_context():
                begin_write()  # as a writing request does
                person = _db.session.scalar(select(User).where(User.id == user_id).options(
                    selectinload(User.grants)))
                invitee = _db.session.get(WorkshopInvitee, invitee_id)
                workshop = _db.session.get(Workshop, committed["workshop"])
                set_committed_value(workshop, "cycle", _db.session.get(Cycle, workshop.cycle_id))
                set_committed_value(workshop, "milestone",
                                    _db.session.get(Milestone, workshop.milestone_id))
                set_committed_value(invitee, "workshop", workshop)
                flow.save_signup(person, invitee, flow.Choice(
                    True, committed["picks"], "", waitlist=True), now=NOW, version=None)
                _db.session.commit()
                _db.session.remove()
        except BaseException as exc:  # reported by the main thread
            errors.append(exc)

    threads = [threading.Thread(target=sign_up, args=pair) for pair in committed["people"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert not errors, errors
    with app.app_context():
        first_theme = committed["picks"][next(iter(committed["picks"]))][0]
        rows = _db.session.scalars(select(WorkshopPick).where(
            WorkshopPick.theme_id == first_theme)).all()
        assert sorted(p.waiting for p in rows) == [False, True]
        assert [p.seat for p in rows if not p.waiting] == [1]
        dialect = _db.engine.dialect.name
        _db.session.remove()
    if dialect == "postgresql":
        # Both read the seat as free and wrote it; the database refused the second.
        assert conflicts and not broke
    else:
        # SQLite: the second could not begin while the first held the write lock.
        assert broke and not conflicts
