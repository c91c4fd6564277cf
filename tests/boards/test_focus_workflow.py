"""The focus areas' write side: areas and initiatives (secretariat, editable cycle), letters
from the order, stale edits, and status reports by the lead's respondents."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from tests import factories as f
from webapp.errors import PermissionDenied, WorkflowError
from webapp.extensions import db
from webapp.models import (
    AuditEvent,
    CycleState,
    FocusArea,
    Initiative,
    InitiativeStatus,
    InitiativeUpdate,
    Role,
)
from webapp.permissions import SYSTEM
from webapp.queries import focus_areas as read
from webapp.workflows import focus_areas as flow
from webapp.workflows.base import StaleEdit

NOW = f.at(2017, 5, 10, 10)


def _area(cycle: Any, title: str = "Nye samarbejdsformer") -> FocusArea:
    return flow.create_area(SYSTEM, cycle, flow.AreaData(title, "Vision.", "Baggrund."),
                            now=NOW)


def _initiative(area: FocusArea, title: str, lead: Any = None) -> Initiative:
    return flow.create_initiative(SYSTEM, area, flow.InitiativeData(
        title, "", lead.id if lead else None), now=NOW)


@pytest.fixture
def north(world: dict[str, Any]) -> dict[str, Any]:
    return world["north"]


def test_the_secretariat_writes_areas_and_initiatives_with_letters(north):
    secretary = north["users"][Role.SECRETARIAT]
    first = flow.create_area(secretary, north["cycle"], flow.AreaData(
        "  Fokus på beskæftigelse ", "Vision", "Baggrund"), now=NOW)
    second = _area(north["cycle"])
    for title in ("Kortlægning", "Erfaringer", "Effekt"):
        _initiative(first, title, north["municipality"])
    data = read.overview(north["cycle"])
    assert [a.title for a in data.areas] == ["Fokus på beskæftigelse", "Nye samarbejdsformer"]
    assert [a.number for a in data.areas] == [1, 2]
    rows = data.areas[0].initiatives
    assert [(i.letter, i.title) for i in rows] == [("a", "Kortlægning"), ("b", "Erfaringer"),
                                                   ("c", "Effekt")]
    assert rows[0].lead_name == "Kommune north" and rows[0].status_label == "Ikke startet"
    assert data.areas[1].initiatives == [] and second.position == 1
    actions = set(db.session.scalars(select(AuditEvent.action)))
    assert {"focus_area.created", "initiative.created"} <= actions


def test_letters_go_on_past_z():
    assert [flow.letter(n) for n in (0, 1, 25, 26, 27, 51, 52)] == [
        "a", "b", "z", "aa", "ab", "az", "ba"]


def test_moving_changes_the_order_and_the_letters(north):
    area = _area(north["cycle"])
    a, _b, c = (_initiative(area, t) for t in ("A", "B", "C"))
    flow.move_initiative(SYSTEM, c, step=-1, now=NOW, version=c.version_id)
    assert [i.title for i in read.overview(north["cycle"]).areas[0].initiatives] == [
        "A", "C", "B"]
    with pytest.raises(WorkflowError, match="allerede først"):
        flow.move_initiative(SYSTEM, a, step=-1, now=NOW, version=a.version_id)
    other = _area(north["cycle"], "Andet")
    flow.move_area(SYSTEM, other, step=-1, now=NOW, version=other.version_id)
    assert [x.title for x in read.overview(north["cycle"]).areas] == [
        "Andet", "Nye samarbejdsformer"]
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "initiative.moved")).one()
    assert (event.before, event.after) == ({"position": "c"}, {"position": "b"})


def test_titles_are_unique_and_required_at_their_field(north):
    area = _area(north["cycle"])
    with pytest.raises(WorkflowError) as refused:
        _area(north["cycle"])
    assert refused.value.field == "title"
    with pytest.raises(WorkflowError, match="Skriv"):
        _area(north["cycle"], "   ")
    _initiative(area, "Kortlægning")
    with pytest.raises(WorkflowError, match="allerede et initiativ"):
        _initiative(area, "Kortlægning")


def test_a_lead_must_be_an_active_organisation_of_the_region(north, world):
    area = _area(north["cycle"])
    with pytest.raises(WorkflowError) as refused:
        _initiative(area, "X", world["mid"]["municipality"])
    assert refused.value.field == "lead_organisation_id"
    north["municipality"].active = False
    with pytest.raises(WorkflowError):
        _initiative(area, "Y", north["municipality"])


def test_only_the_secretariat_writes_and_only_while_the_cycle_may_change(north):
    respondent = north["users"][Role.RESPONDENT]
    with pytest.raises(PermissionDenied):
        flow.create_area(respondent, north["cycle"], flow.AreaData("T", "", ""), now=NOW)
    area = _area(north["cycle"])
    north["cycle"].state = CycleState.CLOSED
    with pytest.raises(WorkflowError, match="afsluttet"):
        flow.update_area(SYSTEM, area, flow.AreaData("Ny", "", ""), now=NOW,
                         version=area.version_id)


def test_a_stale_edit_is_refused(north):
    area = _area(north["cycle"])
    seen = area.version_id
    flow.update_area(SYSTEM, area, flow.AreaData("Ny titel", "V", "B"), now=NOW, version=seen)
    db.session.flush()
    with pytest.raises(StaleEdit):
        flow.update_area(SYSTEM, area, flow.AreaData("Anden titel", "V", "B"), now=NOW,
                         version=seen)
    initiative = _initiative(area, "I")
    seen = initiative.version_id
    flow.report_status(SYSTEM, initiative, status=InitiativeStatus.IN_PROGRESS, report="Godt",
                       reported_on=date(2017, 5, 1), now=NOW, version=seen)
    db.session.flush()
    with pytest.raises(StaleEdit):
        flow.update_initiative(SYSTEM, initiative, flow.InitiativeData("J", "", None),
                               now=NOW, version=seen)


def test_removing_an_area_takes_its_initiatives_and_their_reports(north):
    area = _area(north["cycle"])
    initiative = _initiative(area, "I")
    flow.report_status(SYSTEM, initiative, status=InitiativeStatus.DONE, report="Færdig",
                       reported_on=date(2017, 5, 1), now=NOW, version=initiative.version_id)
    db.session.flush()
    flow.delete_area(SYSTEM, area, now=NOW, version=area.version_id)
    assert db.session.scalar(select(Initiative.id)) is None
    assert db.session.scalar(select(InitiativeUpdate.id)) is None
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "focus_area.deleted")).one()
    assert event.before["initiatives"] == ["I"]


def test_removing_an_initiative(north):
    area = _area(north["cycle"])
    keep, gone = _initiative(area, "Bliver"), _initiative(area, "Går")
    flow.report_status(SYSTEM, gone, status=InitiativeStatus.DONE, report="Færdig",
                       reported_on=date(2017, 5, 1), now=NOW, version=gone.version_id)
    db.session.flush()
    flow.delete_initiative(SYSTEM, gone, now=NOW, version=gone.version_id)
    db.session.flush()
    assert [i.title for i in read.overview(north["cycle"]).areas[0].initiatives] == ["Bliver"]
    assert keep.id is not None


def test_the_leads_respondent_reports_status_and_the_latest_date_wins(north):
    area = _area(north["cycle"])
    initiative = _initiative(area, "I", north["municipality"])
    respondent = north["users"][Role.RESPONDENT]
    flow.report_status(respondent, initiative, status=InitiativeStatus.IN_PROGRESS,
                       report="  Vi er i gang.  ", reported_on=date(2017, 5, 1), now=NOW,
                       version=initiative.version_id)
    db.session.flush()
    assert (initiative.status, initiative.status_report, initiative.status_date) == (
        InitiativeStatus.IN_PROGRESS, "Vi er i gang.", date(2017, 5, 1))
    # An earlier report joins the history only.
    flow.report_status(respondent, initiative, status=InitiativeStatus.NOT_STARTED,
                       report="Planlagt.", reported_on=date(2017, 3, 1), now=NOW,
                       version=initiative.version_id)
    db.session.flush()
    assert initiative.status == InitiativeStatus.IN_PROGRESS
    history = read.history(initiative)
    assert [(h.status_label, h.reported_on) for h in history] == [
        ("I gang", date(2017, 5, 1)), ("Ikke startet", date(2017, 3, 1))]
    assert history[0].author == respondent.name


def test_status_reports_are_refused_for_others_and_bad_input(north, world):
    area = _area(north["cycle"])
    initiative = _initiative(area, "I", north["municipality"])
    other_org = f.organisation(north["region"], name="Anden kommune")
    outsider = f.user(other_org, [Role.RESPONDENT])
    steering = north["users"][Role.STEERING_MEMBER]  # the lead's organisation, not a respondent

    def report(actor: Any, **given: Any) -> None:
        values: dict[str, Any] = {"status": InitiativeStatus.DONE, "report": "Færdig",
                                  "reported_on": date(2017, 5, 1)}
        values.update(given)
        flow.report_status(actor, initiative, now=NOW, version=initiative.version_id,
                           **values)

    for actor in (outsider, steering, world["mid"]["users"][Role.SECRETARIAT]):
        with pytest.raises(PermissionDenied):
            report(actor)
    cases = [({"report": "  "}, "report"), ({"reported_on": None}, "reported_on"),
             ({"reported_on": date(2017, 5, 11)}, "reported_on"),
             ({"reported_on": date(1999, 1, 1)}, "reported_on"),
             ({"report": "x" * 2001}, "report")]
    for given, field in cases:
        with pytest.raises(WorkflowError) as refused:
            report(SYSTEM, **given)
        assert refused.value.field == field, given
    # Reports go on after the planning cycle has closed: the agreement period runs on.
    north["cycle"].state = CycleState.CLOSED
    report(north["users"][Role.SECRETARIAT])


def test_the_earlier_cycle_is_the_source_else_the_latest_before(north):
    region = north["region"]
    cycle = north["cycle"]  # 2018
    older = f.cycle(region, title="Rammeaftale 2016", first_year=2016,
                    state=CycleState.CLOSED)
    old = f.cycle(region, title="Rammeaftale 2017", first_year=2017, state=CycleState.CLOSED)
    f.cycle(region, title="Kladde 2017", first_year=2017, state=CycleState.DRAFT)
    assert read.earlier_cycle(cycle) is old
    cycle.cloned_from_id = older.id
    assert read.earlier_cycle(cycle) is older
    assert read.earlier_cycle(older) is None
