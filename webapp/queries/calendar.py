"""The calendar feeds: which milestones a person's private feed and a cycle's public feed carry,
and how a milestone reads as a calendar event. The ICS itself is written by
`exports.ics_calendar`.

A pure deadline (no start) becomes a 30-minute event that ends at the deadline: it shows up in a
day or week view, ends exactly when the deadline passes, and is marked free so it does not block
the person's calendar. Periods longer than a day (a questionnaire open for two months) are marked
free too; meetings are busy. An event with DTSTART equal to DTEND is not allowed by RFC 5545
(DTEND must be later), so that option was not taken.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import contains_eager, joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ..exports import IcsEvent, ics_calendar
from ..extensions import db
from ..formatting import to_local
from ..i18n import gettext as _
from ..models import (
    ApprovalRound,
    CouncilApproval,
    Cycle,
    CycleState,
    Milestone,
    Organisation,
    OrgKind,
    User,
)
from ..workflows.cycles import is_deadline
from .approvals.overview import state_label

DEADLINE_LENGTH = timedelta(minutes=30)
UID_DOMAIN = "aftalehjul"


def milestone_uid(milestone: Milestone) -> str:
    """Stable across edits and moves, so a client updates the event instead of adding one."""
    return f"milestone-{milestone.id}@{UID_DOMAIN}"


def event_times(milestone: Milestone) -> tuple[datetime, datetime]:
    """Start and end in Copenhagen time; a pure deadline is the half hour before it."""
    end = to_local(milestone.ends_at)
    start = to_local(milestone.starts_at) if milestone.starts_at else end - DEADLINE_LENGTH
    return start, end


def milestone_event(milestone: Milestone, *, url: str, category: str = "") -> IcsEvent:
    """The milestone as an event (its cycle must be loaded)."""
    start, end = event_times(milestone)
    deadline = is_deadline(milestone)  # a theme day is no "Frist", even without a start
    summary = milestone.title
    if deadline and not summary.casefold().startswith("frist"):  # no "Frist: Frist: …"
        summary = f"Frist: {summary}"
    description = milestone.description.strip() if milestone.description else ""
    cycle_line = f"Rammeaftale: {milestone.cycle.title}"
    return IcsEvent(
        uid=milestone_uid(milestone), start=start, end=end, summary=summary,
        description=f"{description}\n\n{cycle_line}" if description else cycle_line,
        url=url, location=milestone.place or "",
        categories=(category,) if category else (),
        sequence=max((milestone.version_id or 1) - 1, 0),
        busy=not (deadline or end - start > timedelta(days=1)))


def milestone_feed(milestones: Iterable[Milestone], *, name: str, description: str,
                   stamp: datetime, cycle_url: Callable[[int], str],
                   category: Callable[[Milestone], str] = lambda m: "",
                   extra: Iterable[IcsEvent] = ()) -> bytes:
    """The milestones as events, and `extra` events after them (the councils' meetings)."""
    events = [milestone_event(m, url=cycle_url(m.cycle_id), category=str(category(m)))
              for m in milestones]
    return ics_calendar([*events, *extra], name=name, description=description, stamp=stamp)


def council_meetings(cycle: Cycle, *, url: str) -> list[IcsEvent]:
    """Each council meeting recorded in the cycle's approval round, as a whole-day event (a
    meeting date has no time): public, like the approval page `url` it links to. The internal
    note never comes here. One query."""
    rows = db.session.execute(
        select(CouncilApproval, Organisation.kind)
        .join(ApprovalRound, ApprovalRound.id == CouncilApproval.round_id)
        .join(Organisation, Organisation.id == CouncilApproval.organisation_id)
        .where(ApprovalRound.cycle_id == cycle.id, CouncilApproval.meeting_date.is_not(None))
        .order_by(CouncilApproval.meeting_date, CouncilApproval.id))
    events = []
    for approval, kind in rows:
        meeting = (_("Regionsrådsmøde") if kind == OrgKind.REGION else _("Byrådsmøde"))
        lines = [approval.council_name + (f" ({approval.meeting_body})"
                                          if approval.meeting_body else ""),
                 _("Status: %(state)s", state=state_label(approval.state))]
        if approval.agenda_url:
            lines.append(_("Dagsorden: %(url)s", url=approval.agenda_url))
        lines.append(f"Rammeaftale: {cycle.title}")
        day = approval.meeting_date
        if day is None:  # the query asks for a date; this keeps the type checker sure of it
            continue
        events.append(IcsEvent(
            uid=f"council-meeting-{approval.id}@{UID_DOMAIN}", start=day,
            end=day + timedelta(days=1) if day < date.max else day,
            summary=_("%(meeting)s: %(party)s behandler rammeaftalen", meeting=meeting,
                      party=approval.party_name),
            description="\n".join(lines), url=url, categories=(_("Politisk godkendelse"),),
            sequence=max((approval.version_id or 1) - 1, 0), busy=False))
    return events


def feed_owner(token: str) -> User | None:
    """The active person whose private feed this token opens. The lookup is the comparison:
    the column is unique, and a revoked token is in no row."""
    user = db.session.scalar(
        select(User).where(User.calendar_token == token)
        .options(joinedload(User.organisation), selectinload(User.grants)))
    return user if user is not None and user.active and user.region_open else None


def personal_milestones(user: User) -> list[Milestone]:
    """The milestones of the person's region's open cycles that concern the person's roles."""
    region_id = user.organisation.region_id
    roles = {r.value for r in user.roles_in(region_id)}
    milestones = db.session.scalars(
        select(Milestone).join(Milestone.cycle)
        .where(Cycle.region_id == region_id, Cycle.state == CycleState.OPEN)
        .options(contains_eager(Milestone.cycle))
        .order_by(Milestone.ends_at, Milestone.id))
    return [m for m in milestones if m.concerns(roles)]


def feed_cycle(cycle_id: int) -> Cycle | None:
    """Any region's cycle, with its region: the public feed is asked by id alone."""
    return db.session.scalar(
        select(Cycle).where(Cycle.id == cycle_id).options(joinedload(Cycle.region)))


def public_milestones(cycle: Cycle) -> list[Milestone]:
    milestones = list(db.session.scalars(
        select(Milestone).where(Milestone.cycle_id == cycle.id, Milestone.is_public.is_(True))
        .order_by(Milestone.ends_at, Milestone.id)))
    for milestone in milestones:
        set_committed_value(milestone, "cycle", cycle)  # loaded already: no query, no change
    return milestones
