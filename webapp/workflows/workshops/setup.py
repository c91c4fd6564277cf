"""Setting up a workshop: the workshop on a workshop milestone (place and time are the
milestone's), its sessions with their pick rule and their themes with capacity, minimum and
facilitator.

The numbered pick slots of a session (1..picks_max) and seats of a theme (1..capacity) are kept
here in step with the rule and the capacity: they are what holds the limits in the database
(models/workshop_signups.py). A limit lowered below what is taken is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm.attributes import set_committed_value

from ...extensions import db
from ...i18n import gettext as _
from ...models import (
    Cycle,
    Milestone,
    MilestoneKind,
    Organisation,
    User,
    Workshop,
    WorkshopPick,
    WorkshopPickSlot,
    WorkshopSeat,
    WorkshopSession,
    WorkshopTheme,
)
from ...permissions import Actor
from .. import reminders
from ..base import WorkflowError, changed, check_date_window, check_stale, record, snapshot
from ..states import CYCLES
from . import require_manage
from .seats import fill_free_seats

WORKSHOP_FIELDS = ("title", "programme", "milestone_id", "signup_deadline", "input_deadline")
SESSION_FIELDS = ("title", "position", "starts_at", "ends_at", "picks_min", "picks_max")
THEME_FIELDS = ("title", "description", "position", "capacity", "minimum", "facilitator_id")
# Far beyond any workshop; keeps the numbered seats and slots a sensible number of rows.
MAX_CAPACITY = 1000
MAX_PICKS = 20


@dataclass
class WorkshopData:
    title: str
    programme: str
    milestone: Milestone | None
    signup_deadline: datetime | None
    input_deadline: datetime | None


@dataclass
class SessionData:
    title: str
    position: int
    starts_at: datetime | None
    ends_at: datetime | None
    picks_min: int | None
    picks_max: int | None


@dataclass
class ThemeData:
    title: str
    description: str
    position: int
    capacity: int | None
    minimum: int | None
    facilitator_id: int | None


def _require_cycle_editable(cycle: Cycle) -> None:
    if not CYCLES.is_editable(cycle):
        raise WorkflowError(_("Cyklussen er afsluttet og kan ikke ændres. Genåbn den først."))


def _check_workshop(cycle: Cycle, data: WorkshopData, exclude_id: int | None) -> str:
    title = data.title.strip()
    if not title:
        raise WorkflowError(_("Skriv en titel."), field="title")
    taken = select(Workshop.id).where(Workshop.cycle_id == cycle.id, Workshop.title == title)
    if exclude_id is not None:
        taken = taken.where(Workshop.id != exclude_id)
    if db.session.scalar(taken) is not None:
        raise WorkflowError(_("Cyklussen har allerede en workshop med denne titel."),
                            field="title")
    milestone = data.milestone
    if milestone is None or milestone.cycle_id != cycle.id:
        raise WorkflowError(_("Vælg en milepæl i cyklussen."), field="milestone_id")
    if milestone.kind != MilestoneKind.WORKSHOP:
        raise WorkflowError(_("Vælg en milepæl af typen “Workshop”: den giver workshoppens "
                              "sted og tid."), field="milestone_id")
    if data.signup_deadline is None:
        raise WorkflowError(_("Angiv fristen for tilmelding."), field="signup_date")
    check_date_window(data.signup_deadline, "signup_date")
    check_date_window(data.input_deadline, "input_date")
    held_at = milestone.starts_at or milestone.ends_at
    if data.signup_deadline > held_at:
        raise WorkflowError(_("Tilmeldingsfristen skal ligge før workshoppen begynder."),
                            field="signup_date")
    if data.input_deadline is not None and data.input_deadline < held_at:
        raise WorkflowError(_("Fristen for input skal ligge efter workshoppens start."),
                            field="input_date")
    return title


def create_workshop(actor: Actor, cycle: Cycle, data: WorkshopData, *,
                    now: datetime) -> Workshop:
    require_manage(actor, cycle.region_id)
    _require_cycle_editable(cycle)
    title = _check_workshop(cycle, data, None)
    assert data.milestone is not None and data.signup_deadline is not None
    workshop = Workshop(cycle_id=cycle.id, milestone_id=data.milestone.id, title=title,
                        programme=data.programme.strip(), signup_deadline=data.signup_deadline,
                        input_deadline=data.input_deadline, created_at=now)
    workshop.cycle = cycle
    workshop.milestone = data.milestone
    db.session.add(workshop)
    db.session.flush()
    # The sign-up deadline's reminders hang on the workshop milestone.
    reminders.create_default_rules_if_none(data.milestone, now)
    record(actor=actor, action="workshop.created", obj=workshop, now=now,
           region_id=cycle.region_id, after=snapshot(workshop, WORKSHOP_FIELDS))
    return workshop


def update_workshop(actor: Actor, workshop: Workshop, data: WorkshopData, *, now: datetime,
                    version: int | None) -> Workshop:
    require_manage(actor, workshop.region_id)
    check_stale(workshop, version)
    title = _check_workshop(workshop.cycle, data, workshop.id)
    assert data.milestone is not None and data.signup_deadline is not None
    before = snapshot(workshop, WORKSHOP_FIELDS)
    workshop.title = title
    workshop.programme = data.programme.strip()
    workshop.milestone_id = data.milestone.id
    workshop.milestone = data.milestone
    workshop.signup_deadline = data.signup_deadline
    workshop.input_deadline = data.input_deadline
    old, new = changed(before, snapshot(workshop, WORKSHOP_FIELDS))
    if new:
        record(actor=actor, action="workshop.updated", obj=workshop, now=now,
               region_id=workshop.region_id, before=old, after=new)
    return workshop


# -- sessions ----------------------------------------------------------------------------------

def _check_session(workshop: Workshop, data: SessionData,
                   exclude_id: int | None) -> tuple[str, int, int]:
    title = data.title.strip()
    if not title:
        raise WorkflowError(_("Skriv sessionens titel."), field="title")
    taken = select(WorkshopSession.id).where(WorkshopSession.workshop_id == workshop.id,
                                             WorkshopSession.title == title)
    if exclude_id is not None:
        taken = taken.where(WorkshopSession.id != exclude_id)
    if db.session.scalar(taken) is not None:
        raise WorkflowError(_("Workshoppen har allerede en session med denne titel."),
                            field="title")
    check_date_window(data.starts_at, "starts_time")
    check_date_window(data.ends_at, "ends_time")
    if data.starts_at and data.ends_at and data.ends_at <= data.starts_at:
        raise WorkflowError(_("Sessionen skal slutte efter, den begynder."), field="ends_time")
    low, high = data.picks_min, data.picks_max
    if high is None or not 1 <= high <= MAX_PICKS:
        raise WorkflowError(_("Angiv, hvor mange temaer hver deltager højst vælger "
                              "(1–%(max)d).", max=MAX_PICKS), field="picks_max")
    if low is None or not 0 <= low <= high:
        raise WorkflowError(_("Det mindste antal valg skal ligge mellem 0 og det højeste "
                              "(%(max)d).", max=high), field="picks_min")
    return title, low, high


def add_session(actor: Actor, workshop: Workshop, data: SessionData, *,
                now: datetime) -> WorkshopSession:
    require_manage(actor, workshop.region_id)
    title, low, high = _check_session(workshop, data, None)
    session = WorkshopSession(workshop_id=workshop.id, title=title, position=data.position,
                              starts_at=data.starts_at, ends_at=data.ends_at, picks_min=low,
                              picks_max=high)
    db.session.add(session)
    db.session.flush()
    db.session.add_all(WorkshopPickSlot(session_id=session.id, slot=n)
                       for n in range(1, high + 1))
    record(actor=actor, action="workshop_session.created", obj=session, now=now,
           region_id=workshop.region_id, after=snapshot(session, SESSION_FIELDS))
    return session


def update_session(actor: Actor, session: WorkshopSession, data: SessionData, *,
                   now: datetime, version: int | None) -> WorkshopSession:
    workshop = session.workshop
    require_manage(actor, workshop.region_id)
    check_stale(session, version)
    title, low, high = _check_session(workshop, data, session.id)
    most = db.session.scalar(
        select(func.max(WorkshopPick.slot)).where(WorkshopPick.session_id == session.id)) or 0
    if high < most:
        raise WorkflowError(_("Nogen har allerede valgt %(n)d temaer i sessionen. Det højeste "
                              "antal kan ikke sættes lavere.", n=most), field="picks_max")
    before = snapshot(session, SESSION_FIELDS)
    if high > session.picks_max:
        db.session.add_all(WorkshopPickSlot(session_id=session.id, slot=n)
                           for n in range(session.picks_max + 1, high + 1))
    elif high < session.picks_max:
        db.session.execute(delete(WorkshopPickSlot).where(
            WorkshopPickSlot.session_id == session.id, WorkshopPickSlot.slot > high))
    session.title, session.position = title, data.position
    session.starts_at, session.ends_at = data.starts_at, data.ends_at
    session.picks_min, session.picks_max = low, high
    old, new = changed(before, snapshot(session, SESSION_FIELDS))
    if new:
        record(actor=actor, action="workshop_session.updated", obj=session, now=now,
               region_id=workshop.region_id, before=old, after=new)
    return session


# -- themes ------------------------------------------------------------------------------------

def _check_theme(session: WorkshopSession, data: ThemeData,
                 exclude_id: int | None) -> str:
    title = data.title.strip()
    if not title:
        raise WorkflowError(_("Skriv temaets titel."), field="title")
    taken = select(WorkshopTheme.id).where(WorkshopTheme.session_id == session.id,
                                           WorkshopTheme.title == title)
    if exclude_id is not None:
        taken = taken.where(WorkshopTheme.id != exclude_id)
    if db.session.scalar(taken) is not None:
        raise WorkflowError(_("Sessionen har allerede et tema med denne titel."),
                            field="title")
    if data.capacity is not None and not 1 <= data.capacity <= MAX_CAPACITY:
        raise WorkflowError(_("Antal pladser skal være mellem 1 og %(max)d, eller tomt for "
                              "ingen grænse.", max=MAX_CAPACITY), field="capacity")
    if data.minimum is not None and not 0 <= data.minimum <= MAX_CAPACITY:
        raise WorkflowError(_("Mindste antal skal være mellem 0 og %(max)d.", max=MAX_CAPACITY),
                            field="minimum")
    if (data.capacity is not None and data.minimum is not None
            and data.minimum > data.capacity):
        raise WorkflowError(_("Mindste antal kan ikke være større end antal pladser."),
                            field="minimum")
    if data.facilitator_id is not None:
        region_id = session.workshop.region_id
        found = db.session.scalar(
            select(User.id).join(Organisation, Organisation.id == User.organisation_id)
            .where(User.id == data.facilitator_id, User.active.is_(True),
                   Organisation.region_id == region_id))
        if found is None:
            raise WorkflowError(_("Vælg en aktiv person i regionen som facilitator."),
                                field="facilitator_id")
    return title


def add_theme(actor: Actor, session: WorkshopSession, data: ThemeData, *,
              now: datetime) -> WorkshopTheme:
    workshop = session.workshop
    require_manage(actor, workshop.region_id)
    title = _check_theme(session, data, None)
    theme = WorkshopTheme(workshop_id=workshop.id, session_id=session.id, title=title,
                          description=data.description.strip(), position=data.position,
                          capacity=data.capacity, minimum=data.minimum,
                          facilitator_id=data.facilitator_id)
    set_committed_value(theme, "session", session)
    db.session.add(theme)
    db.session.flush()
    if data.capacity is not None:
        db.session.add_all(WorkshopSeat(theme_id=theme.id, seat=n)
                           for n in range(1, data.capacity + 1))
    record(actor=actor, action="workshop_theme.created", obj=theme, now=now,
           region_id=workshop.region_id, after=snapshot(theme, THEME_FIELDS))
    return theme


def _set_capacity(theme: WorkshopTheme, capacity: int | None, now: datetime) -> None:
    """Seats follow the capacity. Lower: the taken seats above it move down to free numbers
    first (never below what is taken); none: every waiting pick gets its place."""
    picks = list(db.session.scalars(select(WorkshopPick).where(
        WorkshopPick.theme_id == theme.id).order_by(WorkshopPick.created_at, WorkshopPick.id)))
    holding = [p for p in picks if not p.waiting]
    if capacity is not None and len(holding) > capacity:
        raise WorkflowError(_("%(n)d deltagere har allerede en plads på temaet. Antal pladser "
                              "kan ikke sættes lavere.", n=len(holding)), field="capacity")
    old = theme.capacity
    if capacity is None:
        for pick in picks:
            pick.seat, pick.waiting = None, False
        db.session.flush()
        db.session.execute(delete(WorkshopSeat).where(WorkshopSeat.theme_id == theme.id))
        theme.capacity = None
        return
    if old is None:
        db.session.add_all(WorkshopSeat(theme_id=theme.id, seat=n)
                           for n in range(1, capacity + 1))
        db.session.flush()
        for number, pick in enumerate(holding, start=1):
            pick.seat = number
    elif capacity > old:
        db.session.add_all(WorkshopSeat(theme_id=theme.id, seat=n)
                           for n in range(old + 1, capacity + 1))
    elif capacity < old:
        taken = {p.seat for p in holding}
        free = iter(sorted(set(range(1, capacity + 1)) - taken))
        for pick in holding:
            if pick.seat is not None and pick.seat > capacity:
                pick.seat = next(free)
        db.session.flush()
        db.session.execute(delete(WorkshopSeat).where(WorkshopSeat.theme_id == theme.id,
                                                      WorkshopSeat.seat > capacity))
    theme.capacity = capacity
    db.session.flush()
    fill_free_seats(theme, now)


def update_theme(actor: Actor, theme: WorkshopTheme, data: ThemeData, *, now: datetime,
                 version: int | None) -> WorkshopTheme:
    session = theme.session
    require_manage(actor, session.workshop.region_id)
    check_stale(theme, version)
    title = _check_theme(session, data, theme.id)
    before = snapshot(theme, THEME_FIELDS)
    if data.capacity != theme.capacity:
        _set_capacity(theme, data.capacity, now)
    theme.title, theme.description = title, data.description.strip()
    theme.position, theme.minimum = data.position, data.minimum
    theme.facilitator_id = data.facilitator_id
    old, new = changed(before, snapshot(theme, THEME_FIELDS))
    if new:
        record(actor=actor, action="workshop_theme.updated", obj=theme, now=now,
               region_id=session.workshop.region_id, before=old, after=new)
    return theme
