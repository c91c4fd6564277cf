"""Signing up: the pick rule, capacity, the waiting list and its promotion, changes, the
deadline, and the limits held by the database itself."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests import factories as f
from tests.workshops.helpers import NOW, build, invite, people, pick, sessions, sign, theme_ids
from webapp.extensions import db
from webapp.models import OutboundEmail, Role, WorkshopPick
from webapp.workflows import PermissionDenied, WorkflowError
from webapp.workflows.workshops import signup as flow


def _picks(invitee):
    return {p.theme_id: p for p in db.session.scalars(
        select(WorkshopPick).where(WorkshopPick.invitee_id == invitee.id))}


def test_two_plus_one_is_taken_and_three_refused_at_the_session(db, world):
    workshop = build(world)
    [person] = people(world, 1)
    [invitee] = invite(world, workshop, [person])
    with pytest.raises(WorkflowError) as refused:
        sign(person, invitee, pick(workshop, [0, 1, 2], [0]))
    assert refused.value.field == flow.session_field(sessions(workshop)[0].id)
    assert "Vælg 2 temaer" in refused.value.message
    with pytest.raises(WorkflowError) as refused:
        sign(person, invitee, pick(workshop, [0, 1], []))
    assert refused.value.field == flow.session_field(sessions(workshop)[1].id)
    sign(person, invitee, pick(workshop, [0, 1], [0]))
    assert len(_picks(invitee)) == 3
    assert invitee.attending is True


def test_a_theme_of_another_session_or_workshop_is_refused(db, world):
    workshop = build(world)
    other = build(world, region="mid")
    [person] = people(world, 1)
    [invitee] = invite(world, workshop, [person])
    ids = theme_ids(workshop)
    s1, s2 = (s.id for s in sessions(workshop))
    with pytest.raises(WorkflowError):
        sign(person, invitee, {s1: [ids[0][0], ids[1][0]], s2: [ids[1][1]]})
    with pytest.raises(WorkflowError):
        sign(person, invitee, {s1: [ids[0][0], theme_ids(other)[0][0]], s2: [ids[1][0]]})


def test_a_full_theme_refuses_or_puts_on_the_waiting_list_and_a_freed_place_is_given(db, world):
    workshop = build(world, capacities=((1, 3, None), (2, 5)))
    a, b, c = people(world, 3)
    ia, ib, ic = invite(world, workshop, [a, b, c])
    sign(a, ia, pick(workshop, [0, 1], [0]))
    with pytest.raises(WorkflowError) as full:
        sign(b, ib, pick(workshop, [0, 1], [0]))
    assert "er fuldt" in full.value.message
    sign(b, ib, pick(workshop, [0, 1], [0]), waitlist=True)
    sign(c, ic, pick(workshop, [0, 2], [0]), waitlist=True)
    first = theme_ids(workshop)[0][0]
    assert _picks(ib)[first].waiting and _picks(ic)[first].waiting
    before = db.session.scalar(select(func.max(OutboundEmail.id))) or 0
    # A changes to another theme: B, first on the list, gets the place and is told.
    sign(a, ia, pick(workshop, [1, 2], [0]))
    assert not _picks(ib)[first].waiting and _picks(ib)[first].seat == 1
    assert _picks(ic)[first].waiting
    told = db.session.scalars(select(OutboundEmail).where(
        OutboundEmail.template == "workshop_place", OutboundEmail.id > before)).all()
    assert [m.to_address for m in told] == [b.email]


def test_a_change_keeps_the_picks_that_stay(db, world):
    workshop = build(world, capacities=((1, 3, None), (2, 5)))
    a, b = people(world, 2)
    ia, ib = invite(world, workshop, [a, b])
    sign(a, ia, pick(workshop, [0, 1], [0]))
    sign(b, ib, pick(workshop, [0, 1], [0]), waitlist=True)
    first = theme_ids(workshop)[0][0]
    sign(b, ib, pick(workshop, [0, 2], [1]), waitlist=True)
    assert _picks(ib)[first].waiting  # still on the list, with its first time
    sign(a, ia, pick(workshop, [0, 1], [1]))
    assert _picks(ia)[first].seat == 1


def test_no_removes_every_pick(db, world):
    workshop = build(world)
    [person] = people(world, 1)
    [invitee] = invite(world, workshop, [person])
    sign(person, invitee, pick(workshop, [0, 1], [0]))
    sign(person, invitee, {}, attending=False)
    assert _picks(invitee) == {}
    with pytest.raises(WorkflowError):
        sign(person, invitee, {}, attending=None)


def test_after_the_deadline_nothing_changes(db, world):
    workshop = build(world)
    [person] = people(world, 1)
    [invitee] = invite(world, workshop, [person])
    with pytest.raises(WorkflowError) as late:
        sign(person, invitee, pick(workshop, [0, 1], [0]), now=f.at(2017, 2, 1, 9, 0))
    assert "Fristen for tilmelding" in late.value.message


def test_only_oneself(db, world):
    workshop = build(world)
    a, b = people(world, 2)
    ia, _ib = invite(world, workshop, [a, b])
    with pytest.raises(PermissionDenied):
        sign(b, ia, pick(workshop, [0, 1], [0]))
    with pytest.raises(PermissionDenied):  # a person's invitation is not opened by a link
        sign(world["north"]["users"][Role.SECRETARIAT], ia, pick(workshop, [0, 1], [0]),
             by_link=True)


def test_the_database_refuses_a_seat_beyond_the_capacity_or_taken_twice(db, world):
    workshop = build(world, capacities=((1, 3, None), (2, 5)))
    a, b = people(world, 2)
    ia, ib = invite(world, workshop, [a, b])
    sign(a, ia, pick(workshop, [0, 1], [0]))
    s1 = sessions(workshop)[0]
    first = theme_ids(workshop)[0][0]
    for seat in (1, 2):  # 1 is taken; 2 does not exist (capacity 1)
        with pytest.raises(IntegrityError), db.session.begin_nested():
            db.session.add(WorkshopPick(invitee_id=ib.id, session_id=s1.id, theme_id=first,
                                        slot=1, seat=seat, waiting=False, created_at=NOW))
            db.session.flush()


def test_the_database_refuses_more_picks_than_the_rule(db, world):
    workshop = build(world)
    [person] = people(world, 1)
    [invitee] = invite(world, workshop, [person])
    s2 = sessions(workshop)[1]
    ids = theme_ids(workshop)[1]
    db.session.add(WorkshopPick(invitee_id=invitee.id, session_id=s2.id, theme_id=ids[0],
                                slot=1, waiting=False, created_at=NOW))
    db.session.flush()
    for slot in (1, 2):  # slot 1 is held; slot 2 does not exist (the rule is 1)
        with pytest.raises(IntegrityError), db.session.begin_nested():
            db.session.add(WorkshopPick(invitee_id=invitee.id, session_id=s2.id,
                                        theme_id=ids[1], slot=slot, waiting=False,
                                        created_at=NOW))
            db.session.flush()


def test_the_reminder_audience_is_who_has_no_complete_sign_up(db, world):
    from webapp.models import MilestoneKind, Workshop
    from webapp.workflows.audiences import Addressee, audience_for
    from webapp.workflows.workshops import invitations

    workshop = build(world)
    a, b = people(world, 2)
    ia, _ib = invite(world, workshop, [a, b])
    invitations.invite_address(world["north"]["users"][Role.SECRETARIAT], workshop,
                               name="Ekstern", email="ekstern@x.example", organisation_id=None,
                               now=NOW)
    sign(a, ia, pick(workshop, [0, 1], [0]))
    milestone = db.session.get(Workshop, workshop.id).milestone
    items = audience_for(MilestoneKind.WORKSHOP).pending([milestone], NOW)
    assert {i.owner.name for i in items} == {b.name, "Ekstern"}
    assert all(i.deadline == workshop.signup_deadline for i in items)
    external = next(i for i in items if i.owner.kind == "address")
    assert isinstance(external.recipients[0], Addressee)
    assert "/workshops/tilmelding/" in external.link
