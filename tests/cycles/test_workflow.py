"""The cycle workflow: validation, transitions, clone, move, permissions, audit."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests import factories as f
from webapp.formatting import to_local
from webapp.models import AuditEvent, Cycle, CycleState, MilestoneKind, Role
from webapp.workflows import PermissionDenied, WorkflowError
from webapp.workflows import cycles as flow
from webapp.workflows.base import StaleEdit


@pytest.fixture
def secretariat(world):
    return world["north"]["users"][Role.SECRETARIAT]


@pytest.fixture
def new_cycle(db, world, secretariat, clock):
    return flow.create_cycle(secretariat, region_id=world["north"]["region"].id,
                             title="Rammeaftale 2021", first_year=2021, last_year=2022,
                             now=clock.now())


def data(kind, ends, starts=None, title="M"):
    return flow.MilestoneData(kind=kind, title=title, ends_at=ends, starts_at=starts)


def events(db, action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_create_cycle_writes_audit(db, new_cycle):
    [event] = events(db, "cycle.created")
    assert event.object_id == new_cycle.id
    assert event.after["title"] == "Rammeaftale 2021"
    assert event.actor_name.startswith("Person")


@pytest.mark.parametrize("first,last,field", [(2021, 2020, "last_year"), (2021, 2024, "last_year")])
def test_cycle_years_must_be_one_to_three(db, world, secretariat, clock, first, last, field):
    with pytest.raises(WorkflowError) as info:
        flow.create_cycle(secretariat, region_id=world["north"]["region"].id, title="X",
                          first_year=first, last_year=last, now=clock.now())
    assert info.value.field == field


def test_duplicate_title_is_refused(db, world, secretariat, clock, new_cycle):
    with pytest.raises(WorkflowError, match="findes allerede"):
        flow.create_cycle(secretariat, region_id=world["north"]["region"].id,
                          title="Rammeaftale 2021", first_year=2021, last_year=2021,
                          now=clock.now())


def test_non_secretariat_cannot_create(db, world, clock):
    for role in (Role.RESPONDENT, Role.STEERING_MEMBER, Role.POLITICIAN, Role.OBSERVER):
        with pytest.raises(PermissionDenied):
            flow.create_cycle(world["north"]["users"][role], region_id=world["north"]["region"].id,
                              title="X", first_year=2021, last_year=2021, now=clock.now())


def test_secretariat_of_other_region_cannot_touch_cycle(db, world, clock):
    other = world["mid"]["users"][Role.SECRETARIAT]
    with pytest.raises(PermissionDenied):
        flow.set_cycle_state(other, world["north"]["cycle"], CycleState.CLOSED, now=clock.now())


def test_deadline_before_start_is_refused(db, secretariat, new_cycle, clock):
    with pytest.raises(WorkflowError) as info:
        flow.add_milestone(secretariat, new_cycle, data(
            MilestoneKind.WORKSHOP, ends=f.at(2020, 2, 6, 9), starts=f.at(2020, 2, 6, 15)),
            now=clock.now())
    assert info.value.field == "ends_date"
    assert "før starten" in info.value.message


def test_approval_deadline_must_precede_first_year(db, secretariat, new_cycle, clock):
    with pytest.raises(WorkflowError, match=r"1\. januar 2021"):
        flow.add_milestone(secretariat, new_cycle, data(
            MilestoneKind.APPROVAL, ends=f.at(2021, 1, 1, 0, 30)), now=clock.now())
    # 31 December late evening Copenhagen time is still before the year begins.
    flow.add_milestone(secretariat, new_cycle, data(
        MilestoneKind.APPROVAL, ends=f.at(2020, 12, 31, 23, 59)), now=clock.now())


def test_phases_must_be_ordered(db, secretariat, new_cycle, clock):
    flow.add_milestone(secretariat, new_cycle, data(
        MilestoneKind.THEME_DAY, ends=f.at(2020, 4, 28, 15), starts=f.at(2020, 4, 28, 9),
        title="Temadag"), now=clock.now())
    # A workshop after the theme day breaks the order.
    with pytest.raises(WorkflowError, match="Temadag"):
        flow.add_milestone(secretariat, new_cycle, data(
            MilestoneKind.WORKSHOP, ends=f.at(2020, 5, 6, 15), starts=f.at(2020, 5, 6, 9)),
            now=clock.now())
    # A consultation overlapping the theme day too.
    with pytest.raises(WorkflowError):
        flow.add_milestone(secretariat, new_cycle, data(
            MilestoneKind.CONSULTATION, ends=f.at(2020, 6, 1), starts=f.at(2020, 4, 28, 12)),
            now=clock.now())
    # Questionnaires run alongside anything.
    flow.add_milestone(secretariat, new_cycle, data(
        MilestoneKind.QUESTIONNAIRE, ends=f.at(2020, 5, 1), starts=f.at(2020, 3, 1)),
        now=clock.now())


def test_state_transitions(db, secretariat, new_cycle, clock):
    with pytest.raises(WorkflowError, match="mindst én milepæl"):
        flow.set_cycle_state(secretariat, new_cycle, CycleState.OPEN, now=clock.now())
    flow.add_milestone(secretariat, new_cycle, data(MilestoneKind.OTHER, ends=f.at(2020, 3, 1)),
                       now=clock.now())
    with pytest.raises(WorkflowError, match="ikke muligt"):
        flow.set_cycle_state(secretariat, new_cycle, CycleState.CLOSED, now=clock.now())
    flow.set_cycle_state(secretariat, new_cycle, CycleState.OPEN, now=clock.now())
    flow.set_cycle_state(secretariat, new_cycle, CycleState.CLOSED, now=clock.now())
    with pytest.raises(WorkflowError, match="afsluttet"):
        flow.add_milestone(secretariat, new_cycle,
                           data(MilestoneKind.OTHER, ends=f.at(2020, 3, 2)), now=clock.now())
    flow.set_cycle_state(secretariat, new_cycle, CycleState.OPEN, now=clock.now())
    actions = [e.action for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "Cycle",
                                 AuditEvent.object_id == new_cycle.id).order_by(AuditEvent.id))]
    assert actions == ["cycle.created", "cycle.open", "cycle.closed", "cycle.open"]


def _demo_like_cycle(db, secretariat, region, clock):
    cycle = flow.create_cycle(secretariat, region_id=region.id, title="Rammeaftale 2018 demo",
                              first_year=2018, last_year=2018, now=clock.now())
    flow.add_milestone(secretariat, cycle, data(
        MilestoneKind.KICKOFF, ends=f.at(2016, 10, 24, 16), starts=f.at(2016, 10, 24, 13),
        title="Kickoff"), now=clock.now())
    flow.add_milestone(secretariat, cycle, data(
        MilestoneKind.THEME_DAY, ends=f.at(2017, 3, 24, 15), starts=f.at(2017, 3, 24, 8),
        title="Temadag"), now=clock.now())
    flow.add_milestone(secretariat, cycle, data(
        MilestoneKind.APPROVAL, ends=f.at(2017, 10, 15, 23, 59), title="Godkendelse"),
        now=clock.now())
    return cycle


def test_clone_shifts_milestones_by_whole_years(db, world, secretariat, clock):
    source = _demo_like_cycle(db, secretariat, world["north"]["region"], clock)
    clone = flow.clone_cycle(secretariat, source, title="Rammeaftale 2019–2020",
                             first_year=2019, last_year=2020, now=clock.now())
    assert clone.state == CycleState.DRAFT
    assert clone.cloned_from_id == source.id
    by_title = {m.title: m for m in clone.milestones}
    approval = to_local(by_title["Godkendelse"].ends_at)
    assert (approval.year, approval.month, approval.day, approval.hour, approval.minute) == (
        2018, 10, 15, 23, 59)
    # Wall-clock times survive the shift even when DST falls differently: 24 March 2017 08.00
    # was winter time, 24 March 2018 08.00 too; the local hour is what matters.
    theme = to_local(by_title["Temadag"].starts_at)
    assert (theme.year, theme.month, theme.day, theme.hour) == (2018, 3, 24, 8)
    [event] = events(db, "cycle.cloned")
    assert event.after["shift_years"] == 1 and event.after["milestones"] == 3


def test_clone_to_chosen_first_year_and_explicit_shift(db, world, secretariat, clock):
    source = _demo_like_cycle(db, secretariat, world["north"]["region"], clock)
    clone = flow.clone_cycle(secretariat, source, title="Rammeaftale 2021", first_year=2021,
                             last_year=2021, now=clock.now())
    assert to_local(max(m.ends_at for m in clone.milestones)).year == 2020
    with pytest.raises(WorkflowError, match="Godkendelsesfristen"):
        # Four years moves 15 October 2017 to 2021: after the new cycle's first year begins.
        flow.clone_cycle(secretariat, source, title="For sent", first_year=2021,
                         last_year=2021, shift_years=4, now=clock.now())


def test_move_milestone_keeps_local_time_across_dst(db, secretariat, new_cycle, clock):
    m = flow.add_milestone(secretariat, new_cycle, data(
        MilestoneKind.OTHER, ends=f.at(2020, 3, 20, 8, 0), title="Frist"), now=clock.now())
    later = flow.add_milestone(secretariat, new_cycle, data(
        MilestoneKind.OTHER, ends=f.at(2020, 4, 20, 8, 0), title="Senere"), now=clock.now())
    moved = flow.move_milestone(secretariat, m, days=14, include_later=True, now=clock.now())
    assert {x.title for x in moved} == {"Frist", "Senere"}
    local = to_local(m.ends_at)
    assert (local.month, local.day, local.hour, local.minute) == (4, 3, 8, 0)  # summer time now
    assert to_local(later.ends_at).day == 4 and to_local(later.ends_at).month == 5
    assert len(events(db, "milestone.moved")) == 2


def test_move_that_breaks_order_is_refused(db, secretariat, new_cycle, clock):
    flow.add_milestone(secretariat, new_cycle, data(
        MilestoneKind.WORKSHOP, ends=f.at(2020, 2, 6, 15), starts=f.at(2020, 2, 6, 9)),
        now=clock.now())
    theme = flow.add_milestone(secretariat, new_cycle, data(
        MilestoneKind.THEME_DAY, ends=f.at(2020, 4, 28, 15), starts=f.at(2020, 4, 28, 9)),
        now=clock.now())
    with pytest.raises(WorkflowError):
        flow.move_milestone(secretariat, theme, days=-100, include_later=False, now=clock.now())


def test_stale_version_is_refused(db, secretariat, world, clock):
    cycle = world["north"]["cycle"]
    cycle = db.session.get(Cycle, cycle.id)
    with pytest.raises(StaleEdit):
        flow.update_cycle(secretariat, cycle, title="Ny", first_year=2018, last_year=2018,
                          description="", now=clock.now(), version=cycle.version_id - 1)


def test_update_records_only_changed_fields(db, secretariat, new_cycle, clock):
    flow.update_cycle(secretariat, new_cycle, title="Rammeaftale 2021–2022", first_year=2021,
                      last_year=2022, description="", now=clock.now(),
                      version=new_cycle.version_id)
    [event] = events(db, "cycle.updated")
    assert event.before == {"title": "Rammeaftale 2021"}
    assert event.after == {"title": "Rammeaftale 2021–2022"}


def test_audit_events_are_append_only(db, new_cycle):
    [event] = events(db, "cycle.created")
    event.action = "changed"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.flush()
    db.session.rollback()
