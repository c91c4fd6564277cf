"""The demo's workshop sign-up: built through the workflows, by the 2 + 1 rule, with a small
group flagged, and idempotent."""

from __future__ import annotations

from sqlalchemy import func, select

from tests.workshops.helpers import workshop_milestone
from webapp.demo.workshop_signup import SMALL, seed_signup
from webapp.models import Role, WorkshopInvitee, WorkshopPick
from webapp.queries.workshops.overview import overview


def test_seed_signup_builds_the_story_once(db, world):
    cycle = world["north"]["cycle"]
    workshop_milestone(cycle)
    actor = world["north"]["users"][Role.SECRETARIAT]
    created: list[str] = []
    workshop = seed_signup(created, cycle, actor)
    assert workshop is not None and len(created) == 2
    data = overview(workshop)
    assert [len(b.rows) for b in data.sessions] == [5, 5]
    assert [r.theme.title for r in data.flagged] == [SMALL]
    assert len(next(r for r in data.flagged).participants) == 2
    # Every "yes" holds 2 + 1 picks.
    per_person = db.session.execute(
        select(WorkshopPick.invitee_id, func.count()).group_by(WorkshopPick.invitee_id)).all()
    assert {n for _id, n in per_person} == {3}
    count = db.session.scalar(select(func.count()).select_from(WorkshopInvitee))
    again: list[str] = []
    seed_signup(again, cycle, actor)
    assert again == []
    assert db.session.scalar(select(func.count()).select_from(WorkshopInvitee)) == count
