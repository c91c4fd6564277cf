"""Who still owes a workshop sign-up: the reminder pass's audience for workshop milestones.

An item is owed by an invitee without a complete sign-up: no answer yet, or "yes" with fewer
picks in a session than its rule asks. A person is reminded as a person; an address without an
account at that address, with its personal link. The item's deadline is the sign-up deadline.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select

from ...extensions import db
from ...models import (
    Milestone,
    RuleKind,
    User,
    Workshop,
    WorkshopInvitee,
    WorkshopPick,
    WorkshopSession,
)
from ..audiences import DefaultRule, OwnerKind, PendingItem
from .invitations import signup_link

# Two weeks, one week and the day before at 08.00, and a digest to the secretariat a week
# before. No overdue rule: after the deadline nobody can sign up any more.
SIGNUP_RULES: Sequence[DefaultRule] = (
    DefaultRule(RuleKind.BEFORE, 14),
    DefaultRule(RuleKind.BEFORE, 7),
    DefaultRule(RuleKind.BEFORE, 1),
    DefaultRule(RuleKind.DIGEST, 7),
)


def incomplete(attending: bool | None, counts: dict[int, int],
               minimums: dict[int, int]) -> bool:
    """Not answered, or "yes" with too few picks in a session."""
    if attending is None:
        return True
    return bool(attending) and any(counts.get(s, 0) < low for s, low in minimums.items())


class WorkshopAudience:
    owner_kind: OwnerKind = "person"
    default_rules: Sequence[DefaultRule] = SIGNUP_RULES

    def pending(self, milestones: Sequence[Milestone], now: datetime) -> list[PendingItem]:
        """Four queries for any number of milestones, workshops and invitees."""
        ids = [m.id for m in milestones]
        if not ids:
            return []
        workshops = {w.id: w for w in db.session.scalars(
            select(Workshop).where(Workshop.milestone_id.in_(ids)))}
        if not workshops:
            return []
        minimums: dict[int, dict[int, int]] = {}
        for session_id, workshop_id, low in db.session.execute(
                select(WorkshopSession.id, WorkshopSession.workshop_id,
                       WorkshopSession.picks_min)
                .where(WorkshopSession.workshop_id.in_(workshops))):
            minimums.setdefault(workshop_id, {})[session_id] = low
        counts: dict[int, dict[int, int]] = {}
        for invitee_id, session_id, n in db.session.execute(
                select(WorkshopPick.invitee_id, WorkshopPick.session_id, func.count())
                .join(WorkshopInvitee, WorkshopInvitee.id == WorkshopPick.invitee_id)
                .where(WorkshopInvitee.workshop_id.in_(workshops))
                .group_by(WorkshopPick.invitee_id, WorkshopPick.session_id)):
            counts.setdefault(invitee_id, {})[session_id] = n
        items = []
        for invitee, user in db.session.execute(
                select(WorkshopInvitee, User)
                .outerjoin(User, User.id == WorkshopInvitee.user_id)
                .where(WorkshopInvitee.workshop_id.in_(workshops))
                .order_by(WorkshopInvitee.workshop_id, WorkshopInvitee.id)):
            workshop = workshops[invitee.workshop_id]
            if not incomplete(invitee.attending, counts.get(invitee.id, {}),
                              minimums.get(workshop.id, {})):
                continue
            deadline = workshop.signup_deadline
            link = signup_link(invitee)
            if user is None:
                items.append(PendingItem.for_address(
                    workshop.milestone_id, invitee.id, invitee.name, invitee.email or "",
                    deadline, what=workshop.title, link=link))
            elif user.active:
                items.append(PendingItem.for_person(workshop.milestone_id, user, deadline,
                                                    what=workshop.title, link=link))
        return items
