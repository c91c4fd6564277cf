"""Cycles and milestones: create, edit, move, clone, open and close."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import overload

from sqlalchemy import select

from .. import mail, workdays
from ..extensions import db
from ..formatting import LOCAL_TZ, format_date, format_datetime, format_time, to_local
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..links import absolute_url
from ..models import Cycle, CycleState, Milestone, MilestoneKind, User
from ..permissions import RegionScope, require
from . import audiences, reminders
from .base import (
    WorkflowError,
    changed,
    check_date_window,
    check_stale,
    record,
    snapshot,
)
from .states import CYCLES

KIND_LABELS = {
    MilestoneKind.KICKOFF: _l("Kickoff"),
    MilestoneKind.WORKSHOP: _l("Workshop"),
    MilestoneKind.PRIORITISATION: _l("Prioritering af temaer"),
    MilestoneKind.THEME_DAY: _l("Politisk temadag"),
    MilestoneKind.QUESTIONNAIRE: _l("Spørgeskema"),
    MilestoneKind.CONSULTATION: _l("Høring"),
    MilestoneKind.DRAFT: _l("Udkast"),
    MilestoneKind.APPROVAL: _l("Godkendelse"),
    MilestoneKind.OTHER: _l("Andet"),
}

# Meetings and events: they take place; nobody delivers anything by their end.
EVENT_KINDS = frozenset({MilestoneKind.KICKOFF, MilestoneKind.WORKSHOP, MilestoneKind.THEME_DAY})


def is_deadline(milestone: Milestone) -> bool:
    """Whether the milestone's end is a deadline ("Frist") rather than a meeting or an event:
    the kinds that ask for something to be delivered, and "other" without a start (a meeting
    of kind "other" has one). The one definition behind every "Frist" shown about a milestone:
    pages, e-mails and calendar feeds."""
    if milestone.kind in EVENT_KINDS:
        return False
    if milestone.kind == MilestoneKind.OTHER:
        return milestone.starts_at is None
    return True


def when_label(milestone: Milestone) -> str:
    """The milestone's time as a list reads it: "Frist 01.05.2017 kl. 12.00" for a deadline,
    "28.04.2017 kl. 09.30–15.00" for a meeting, from and to for an event over several days."""
    if is_deadline(milestone):
        return _("Frist %(when)s", when=format_datetime(milestone.ends_at))
    if milestone.starts_at is None:
        return format_datetime(milestone.ends_at)
    start, end = to_local(milestone.starts_at), to_local(milestone.ends_at)
    if start.date() == end.date():
        return f"{format_date(start)} {format_time(start)}–{end.strftime('%H.%M')}"
    return f"{format_datetime(start)} – {format_datetime(end)}"


# Phases that must follow each other: a milestone of a later kind may not start before a
# milestone of an earlier kind has ended. Questionnaires and "other" run alongside.
PHASE_ORDER = [
    MilestoneKind.KICKOFF,
    MilestoneKind.WORKSHOP,
    MilestoneKind.PRIORITISATION,
    MilestoneKind.THEME_DAY,
    MilestoneKind.DRAFT,
    MilestoneKind.CONSULTATION,
    MilestoneKind.APPROVAL,
]

CYCLE_FIELDS = ("title", "first_year", "last_year", "description", "state")
MILESTONE_FIELDS = (
    "kind", "title", "starts_at", "ends_at", "place", "description", "audience", "is_public",
)


@dataclass
class MilestoneData:
    kind: MilestoneKind
    title: str
    ends_at: datetime
    starts_at: datetime | None = None
    place: str = ""
    description: str = ""
    audience: list[str] | None = None
    is_public: bool = True


def _require_secretariat(actor: User, region_id: int) -> None:
    require(actor, "cycle.manage", RegionScope(region_id),
            message=_("Kun sekretariatet kan ændre cyklusser og milepæle."))


def _require_editable(cycle: Cycle) -> None:
    if not CYCLES.is_editable(cycle):
        raise WorkflowError(_("Cyklussen er afsluttet og kan ikke ændres. Genåbn den først."))


def _check_years(first_year: int, last_year: int) -> None:
    if last_year < first_year:
        raise WorkflowError(_("Sidste år kan ikke ligge før første år."), field="last_year")
    if last_year - first_year > 2:
        raise WorkflowError(_("En rammeaftale dækker et til tre år."), field="last_year")


def _check_title_free(region_id: int, title: str, exclude_id: int | None = None) -> None:
    query = select(Cycle.id).where(Cycle.region_id == region_id, Cycle.title == title)
    if exclude_id is not None:
        query = query.where(Cycle.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise WorkflowError(_("Der findes allerede en cyklus med denne titel."), field="title")


def validate_milestone(cycle: Cycle, milestone: Milestone, others: list[Milestone]) -> None:
    """Raise WorkflowError for the first rule the milestone breaks, pointing at the field."""
    check_date_window(milestone.starts_at, "starts_date")
    check_date_window(milestone.ends_at, "ends_date")
    if milestone.starts_at is not None and milestone.ends_at < milestone.starts_at:
        raise WorkflowError(_("Slut/frist ligger før starten."), field="ends_date")
    if milestone.kind == MilestoneKind.APPROVAL:
        year_begins = datetime(cycle.first_year, 1, 1, tzinfo=LOCAL_TZ)
        if milestone.ends_at >= year_begins:
            raise WorkflowError(
                _(
                    "Godkendelsesfristen skal ligge før aftalens første år begynder "
                    "(1. januar %(year)d).",
                    year=cycle.first_year,
                ),
                field="ends_date",
            )
    if milestone.kind not in PHASE_ORDER:
        return
    rank = PHASE_ORDER.index(milestone.kind)
    begins = milestone.starts_at or milestone.ends_at
    for other in others:
        if other is milestone or other.kind not in PHASE_ORDER:
            continue
        other_rank = PHASE_ORDER.index(other.kind)
        other_begins = other.starts_at or other.ends_at
        if other_rank < rank and begins < other.ends_at:
            raise WorkflowError(
                _(
                    "%(kind)s skal ligge efter “%(other)s”, som slutter %(when)s.",
                    kind=KIND_LABELS[milestone.kind],
                    other=other.title,
                    when=format_datetime(other.ends_at),
                ),
                field="starts_date" if milestone.starts_at else "ends_date",
            )
        if other_rank > rank and other_begins < milestone.ends_at:
            raise WorkflowError(
                _(
                    "%(kind)s skal være slut, før “%(other)s” begynder %(when)s.",
                    kind=KIND_LABELS[milestone.kind],
                    other=other.title,
                    when=format_datetime(other_begins),
                ),
                field="ends_date",
            )


def create_cycle(
    actor: User,
    *,
    region_id: int,
    title: str,
    first_year: int,
    last_year: int,
    description: str = "",
    now: datetime,
) -> Cycle:
    _require_secretariat(actor, region_id)
    title = title.strip()
    _check_years(first_year, last_year)
    _check_title_free(region_id, title)
    cycle = Cycle(
        region_id=region_id,
        title=title,
        first_year=first_year,
        last_year=last_year,
        description=description.strip(),
        state=CycleState.DRAFT,
        created_at=now,
        milestones=[],  # a known-empty collection: no lazy load after the flush
    )
    db.session.add(cycle)
    db.session.flush()
    record(actor=actor, action="cycle.created", obj=cycle, now=now, region_id=region_id,
           after=snapshot(cycle, CYCLE_FIELDS))
    return cycle


def update_cycle(
    actor: User, cycle: Cycle, *, title: str, first_year: int, last_year: int,
    description: str, now: datetime, version: int | None = None,
) -> Cycle:
    _require_secretariat(actor, cycle.region_id)
    _require_editable(cycle)
    check_stale(cycle, version)
    title = title.strip()
    _check_years(first_year, last_year)
    _check_title_free(cycle.region_id, title, exclude_id=cycle.id)
    before = snapshot(cycle, CYCLE_FIELDS)
    cycle.title, cycle.first_year, cycle.last_year = title, first_year, last_year
    cycle.description = description.strip()
    _validate_all(cycle)
    b, a = changed(before, snapshot(cycle, CYCLE_FIELDS))
    if a:
        record(actor=actor, action="cycle.updated", obj=cycle, now=now,
               region_id=cycle.region_id, before=b, after=a)
    return cycle


def set_cycle_state(actor: User, cycle: Cycle, target: CycleState, *, now: datetime) -> Cycle:
    _require_secretariat(actor, cycle.region_id)
    CYCLES.check(cycle, target)
    if target == CycleState.OPEN and not cycle.milestones:
        raise WorkflowError(_("En cyklus skal have mindst én milepæl, før den kan åbnes."))
    CYCLES.move(cycle, target, actor=actor, now=now, action=f"cycle.{target.value}",
                region_id=cycle.region_id)
    return cycle


def _validate_all(cycle: Cycle) -> None:
    milestones = list(cycle.milestones)
    for milestone in milestones:
        validate_milestone(cycle, milestone, milestones)


def add_milestone(actor: User, cycle: Cycle, data: MilestoneData, *, now: datetime) -> Milestone:
    _require_secretariat(actor, cycle.region_id)
    _require_editable(cycle)
    milestone = Milestone(
        kind=data.kind,
        title=data.title.strip(),
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        place=data.place.strip(),
        description=data.description.strip(),
        audience=list(data.audience or []),
        is_public=data.is_public,
    )
    others = list(cycle.milestones)
    validate_milestone(cycle, milestone, others)
    cycle.milestones.append(milestone)
    db.session.flush()
    reminders.create_default_rules(milestone, now)
    record(actor=actor, action="milestone.created", obj=milestone, now=now,
           region_id=cycle.region_id, after=snapshot(milestone, MILESTONE_FIELDS))
    return milestone


def update_milestone(
    actor: User, milestone: Milestone, data: MilestoneData, *, now: datetime,
    version: int | None = None, notify: bool = False,
) -> Milestone:
    """Save the milestone; with `notify`, a public milestone whose date changed is announced to
    the people it concerns."""
    cycle = milestone.cycle
    _require_secretariat(actor, cycle.region_id)
    _require_editable(cycle)
    check_stale(milestone, version)
    before = snapshot(milestone, MILESTONE_FIELDS)
    old_kind = milestone.kind
    old_starts, old_ends = milestone.starts_at, milestone.ends_at
    milestone.kind = data.kind
    milestone.title = data.title.strip()
    milestone.starts_at = data.starts_at
    milestone.ends_at = data.ends_at
    milestone.place = data.place.strip()
    milestone.description = data.description.strip()
    milestone.audience = list(data.audience or [])
    milestone.is_public = data.is_public
    validate_milestone(cycle, milestone, list(cycle.milestones))
    if milestone.kind != old_kind:
        # Default rules come with the kind: a kickoff turned questionnaire is reminded as if
        # it had been created one.
        reminders.create_default_rules_if_none(milestone, now)
    b, a = changed(before, snapshot(milestone, MILESTONE_FIELDS))
    if a:
        record(actor=actor, action="milestone.updated", obj=milestone, now=now,
               region_id=cycle.region_id, before=b, after=a)
    if notify and milestone.is_public and ("starts_at" in a or "ends_at" in a):
        announce_new_date(actor, milestone, old_starts, old_ends, now=now)
    return milestone


def when_text(starts_at: datetime | None, ends_at: datetime) -> str:
    """A milestone's time in words for an e-mail: "28.04.2017 kl. 09.30 – 28.04.2017 kl.
    15.00", or "frist 01.05.2017 kl. 12.00"."""
    if starts_at is None:
        return _("frist %(when)s", when=format_datetime(ends_at))
    return f"{format_datetime(starts_at)} – {format_datetime(ends_at)}"


def announce_new_date(actor: User, milestone: Milestone, old_starts: datetime | None,
                      old_ends: datetime, *, now: datetime) -> int:
    """Tell the people the milestone concerns (audiences.concerned) its new date, through the
    outbox. Returns how many were told."""
    people = audiences.concerned(milestone, now)
    cycle = milestone.cycle
    for person in people:
        mail.queue("milestone_moved", person.email, now=now, region_id=cycle.region_id,
                   urgent=False, name=person.name, title=milestone.title, cycle=cycle.title,
                   before=when_text(old_starts, old_ends),
                   after=when_text(milestone.starts_at, milestone.ends_at),
                   link=absolute_url("cycles.detail", cycle_id=cycle.id))
    record(actor=actor, action="milestone.announced", obj=milestone, now=now,
           region_id=cycle.region_id, after={"recipients": len(people)})
    return len(people)


@overload
def _shift_days(value: datetime, days: int) -> datetime: ...
@overload
def _shift_days(value: None, days: int) -> None: ...
@overload
def _shift_days(value: datetime | None, days: int) -> datetime | None: ...
def _shift_days(value: datetime | None, days: int) -> datetime | None:
    """Move by whole days on the Copenhagen wall clock: 08.00 stays 08.00 across DST."""
    if value is None:
        return None
    try:
        local = value.astimezone(LOCAL_TZ)
        moved = (local.replace(tzinfo=None) + timedelta(days=days)).replace(tzinfo=LOCAL_TZ)
        return moved.astimezone(UTC)
    except (OverflowError, ValueError):  # beyond the calendar: said at the field by the caller
        raise WorkflowError(_moved_out_message(), field="days") from None


def _moved_out_message() -> str:
    return _("Flytningen giver en dato uden for 2000–2100. Datoen skal ligge mellem 2000 og "
             "2100 (01.01.2000–31.12.2100); vælg et andet antal dage.")


def _cloned_out_message() -> str:
    return _("Kopien får en milepæl uden for 2000–2100. Datoen skal ligge mellem 2000 og 2100 "
             "(01.01.2000–31.12.2100); vælg et andet antal år.")


def _shift_years(value: datetime | None, years: int) -> datetime | None:
    if value is None:
        return None
    try:
        local = value.astimezone(LOCAL_TZ).replace(tzinfo=None)
        try:
            moved = local.replace(year=local.year + years)
        except ValueError:  # 29 February in a year without one
            moved = local.replace(year=local.year + years, day=28)
        return moved.replace(tzinfo=LOCAL_TZ).astimezone(UTC)
    except (OverflowError, ValueError):  # a year the calendar does not have
        raise WorkflowError(_cloned_out_message(), field="shift_years") from None


def move_milestone(
    actor: User, milestone: Milestone, *, days: int, include_later: bool, now: datetime,
    version: int | None = None,
) -> list[Milestone]:
    """Move a milestone by whole days, and optionally every milestone that ends after it."""
    cycle = milestone.cycle
    _require_secretariat(actor, cycle.region_id)
    _require_editable(cycle)
    check_stale(milestone, version)
    if days == 0:
        raise WorkflowError(_("Angiv et antal dage forskelligt fra 0."), field="days")
    moved = [milestone]
    if include_later:
        moved += [m for m in cycle.milestones
                  if m is not milestone and m.ends_at > milestone.ends_at]
    for m in moved:
        before = {"starts_at": m.starts_at, "ends_at": m.ends_at}
        m.starts_at = _shift_days(m.starts_at, days)
        m.ends_at = _shift_days(m.ends_at, days)
        check_date_window(m.starts_at, "days", _moved_out_message())
        check_date_window(m.ends_at, "days", _moved_out_message())
        record(actor=actor, action="milestone.moved", obj=m, now=now,
               region_id=cycle.region_id,
               before={k: v.isoformat() if v else None for k, v in before.items()},
               after={"starts_at": m.starts_at.isoformat() if m.starts_at else None,
                      "ends_at": m.ends_at.isoformat(), "days": days})
    _validate_all(cycle)
    return moved


@dataclass(frozen=True)
class DayOffMove:
    """One end of a milestone that falls on a day off, and the working day it would move to."""

    end: str  # "starts_at" or "ends_at"
    day: date
    holiday: str | None  # "Kristi himmelfartsdag"; None for a plain Saturday or Sunday
    to: date


def days_off(milestone: Milestone) -> list[DayOffMove]:
    """The milestone's start and end that fall on a weekend or a public holiday (Copenhagen
    dates), each with the working day before it. Empty when both are working days."""
    moves = []
    for end in ("starts_at", "ends_at"):
        value = getattr(milestone, end)
        if value is None:
            continue
        day = to_local(value).date()
        if workdays.day_off(day) is not None:
            moves.append(DayOffMove(end, day, workdays.holiday(day),
                                    workdays.working_day_before(day)))
    return moves


def move_to_working_days(actor: User, cycle: Cycle, milestone_ids: Collection[int], *,
                         now: datetime) -> list[Milestone]:
    """Move the chosen milestones' ends that fall on a day off to the working day before,
    keeping the time of day. A milestone already on working days is left as it is, so a
    second post of the same page moves nothing."""
    _require_secretariat(actor, cycle.region_id)
    _require_editable(cycle)
    chosen = [m for m in cycle.milestones if m.id in set(milestone_ids)]
    if not chosen:
        raise WorkflowError(_("Sæt flueben ved de milepæle, der skal flyttes."),
                            field="milestones")
    moved = []
    for m in chosen:
        moves = days_off(m)
        if not moves:
            continue
        before = {"starts_at": m.starts_at, "ends_at": m.ends_at}
        for move in moves:
            setattr(m, move.end, _shift_days(getattr(m, move.end), (move.to - move.day).days))
        record(actor=actor, action="milestone.moved", obj=m, now=now,
               region_id=cycle.region_id,
               before={k: v.isoformat() if v else None for k, v in before.items()},
               after={"starts_at": m.starts_at.isoformat() if m.starts_at else None,
                      "ends_at": m.ends_at.isoformat()})
        moved.append(m)
    _validate_all(cycle)
    return moved


def delete_milestone(actor: User, milestone: Milestone, *, now: datetime) -> None:
    cycle = milestone.cycle
    _require_secretariat(actor, cycle.region_id)
    _require_editable(cycle)
    record(actor=actor, action="milestone.deleted", obj=milestone, now=now,
           region_id=cycle.region_id, before=snapshot(milestone, MILESTONE_FIELDS))
    cycle.milestones.remove(milestone)


def clone_cycle(
    actor: User,
    source: Cycle,
    *,
    title: str,
    first_year: int,
    last_year: int,
    shift_years: int | None = None,
    now: datetime,
) -> Cycle:
    """A new draft cycle with the source's milestones moved by whole years.

    By default the shift is the distance between the first years, so "Rammeaftale 2018" cloned to
    2019 moves the 15 October approval deadline from 2017 to 2018.
    """
    _require_secretariat(actor, source.region_id)
    shift = first_year - source.first_year if shift_years is None else shift_years
    cycle = create_cycle(actor, region_id=source.region_id, title=title, first_year=first_year,
                         last_year=last_year, description=source.description, now=now)
    cycle.cloned_from_id = source.id
    pairs = []
    for m in source.milestones:
        pairs.append((m, Milestone(
            kind=m.kind,
            title=m.title,
            starts_at=_shift_years(m.starts_at, shift),
            ends_at=_shift_years(m.ends_at, shift),
            place=m.place,
            description=m.description,
            audience=list(m.audience or []),
            is_public=m.is_public,
        )))
    for _old, new in pairs:
        check_date_window(new.starts_at, "shift_years", _cloned_out_message())
        check_date_window(new.ends_at, "shift_years", _cloned_out_message())
    cycle.milestones.extend(new for _, new in pairs)
    _validate_all(cycle)
    db.session.flush()
    reminders.copy_rules({old.id: new.id for old, new in pairs}, now)
    record(actor=actor, action="cycle.cloned", obj=cycle, now=now, region_id=cycle.region_id,
           after={"source_id": source.id, "source": source.title, "shift_years": shift,
                  "milestones": len(cycle.milestones)})
    return cycle
