"""What a person's sign-up page and "Mine opgaver" read: the sessions and themes with how many
have a place and how many wait, and the person's own picks. A fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from ...extensions import db
from ...models import (
    Milestone,
    MilestoneKind,
    Workshop,
    WorkshopInvitee,
    WorkshopPick,
    WorkshopSession,
)
from ...workflows.questionnaires.responses import Deadline
from ...workflows.workshops.audience import incomplete
from .loaders import sessions_with_themes


@dataclass
class ThemeCount:
    seated: int = 0
    waiting: int = 0


@dataclass
class SignupPage:
    workshop: Workshop
    invitee: WorkshopInvitee
    sessions: list[WorkshopSession]
    counts: dict[int, ThemeCount]
    # The person's own picks: theme id -> waiting for a place.
    picks: dict[int, bool] = field(default_factory=dict)
    open: bool = True

    def is_full(self, theme_id: int, capacity: int | None) -> bool:
        return capacity is not None and self.counts.get(theme_id, ThemeCount()).seated >= capacity


def theme_counts(workshop_id: int) -> dict[int, ThemeCount]:
    """Per theme: how many hold a place and how many wait (one query)."""
    counts: dict[int, ThemeCount] = {}
    for theme_id, waiting, n in db.session.execute(
            select(WorkshopPick.theme_id, WorkshopPick.waiting, func.count())
            .join(WorkshopSession, WorkshopSession.id == WorkshopPick.session_id)
            .where(WorkshopSession.workshop_id == workshop_id)
            .group_by(WorkshopPick.theme_id, WorkshopPick.waiting)):
        count = counts.setdefault(theme_id, ThemeCount())
        if waiting:
            count.waiting = n
        else:
            count.seated = n
    return counts


def own_picks(invitee: WorkshopInvitee) -> dict[int, bool]:
    return {theme_id: bool(waiting) for theme_id, waiting in db.session.execute(
        select(WorkshopPick.theme_id, WorkshopPick.waiting)
        .where(WorkshopPick.invitee_id == invitee.id))}


def signup_page(workshop: Workshop, invitee: WorkshopInvitee, now: datetime) -> SignupPage:
    """Four queries whatever the number of themes and participants."""
    return SignupPage(workshop, invitee, sessions_with_themes(workshop),
                      theme_counts(workshop.id), own_picks(invitee),
                      open=now <= workshop.signup_deadline)


# -- "Mine opgaver" ----------------------------------------------------------------------------

@dataclass
class SignupTask:
    workshop_id: int
    title: str
    milestone_id: int
    deadline: datetime
    answered: bool
    complete: bool


def workshops_by_milestone(milestones: list[Milestone],
                           user_id: int) -> dict[int, list[SignupTask]]:
    """The workshops behind workshop milestones the person is invited to, with whether their
    sign-up is complete: two queries at most."""
    ids = [m.id for m in milestones if m.kind == MilestoneKind.WORKSHOP]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Workshop.id, Workshop.title, Workshop.milestone_id, Workshop.signup_deadline,
               WorkshopInvitee.id, WorkshopInvitee.attending)
        .join(WorkshopInvitee, WorkshopInvitee.workshop_id == Workshop.id)
        .where(Workshop.milestone_id.in_(ids), WorkshopInvitee.user_id == user_id)
        .order_by(Workshop.id)).all()
    if not rows:
        return {}
    minimums: dict[int, dict[int, int]] = {}
    counts: dict[int, dict[int, int]] = {}
    for workshop_id, session_id, low, invitee_id, n in db.session.execute(
            select(WorkshopSession.workshop_id, WorkshopSession.id, WorkshopSession.picks_min,
                   WorkshopInvitee.id, func.count(WorkshopPick.id))
            .join(WorkshopInvitee, WorkshopInvitee.workshop_id == WorkshopSession.workshop_id)
            .outerjoin(WorkshopPick, (WorkshopPick.session_id == WorkshopSession.id)
                       & (WorkshopPick.invitee_id == WorkshopInvitee.id))
            .where(WorkshopInvitee.id.in_([r[4] for r in rows]))
            .group_by(WorkshopSession.workshop_id, WorkshopSession.id,
                      WorkshopSession.picks_min, WorkshopInvitee.id)):
        minimums.setdefault(workshop_id, {})[session_id] = low
        counts.setdefault(invitee_id, {})[session_id] = n
    found: dict[int, list[SignupTask]] = {}
    for workshop_id, title, milestone_id, deadline, invitee_id, attending in rows:
        found.setdefault(milestone_id, []).append(SignupTask(
            workshop_id, title, milestone_id, deadline, attending is not None,
            not incomplete(attending, counts.get(invitee_id, {}),
                           minimums.get(workshop_id, {}))))
    return found


def own_signup_deadlines(tasks: dict[int, list[SignupTask]]) -> dict[int, Deadline]:
    """The sign-up deadline is the invited person's deadline for the milestone's task."""
    return {milestone_id: Deadline(min(t.deadline for t in items), False)
            for milestone_id, items in tasks.items()}
