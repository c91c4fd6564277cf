"""Who still owes a council's decision: the reminder pass's audience for approval milestones.

A party of the milestone's round is pending in two ways:
- it has no meeting yet ("afventer", or no meeting date): reminded against the milestone's end,
  the deadline for every council's approval (15 October);
- its council's recorded meeting has passed without a decision (on the agenda or postponed, the
  meeting date before today in Copenhagen): its own deadline is the end of the meeting day and
  only the rules "after the deadline" remind it, asking to record the decision (or the new date
  of a postponement). Until the meeting it is not reminded: it has done what it can. Each
  meeting date is a series of its own, so a postponed meeting that passes undecided too is
  reminded afresh the day after.

A decided council (approved, with remarks, rejected) is never pending. The party's respondents
are reminded, as for a consultation; the link goes to the party's record.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time

from sqlalchemy import select

from ...extensions import db
from ...formatting import LOCAL_TZ, to_local
from ...links import absolute_url
from ...models import (
    ApprovalRound,
    ApprovalState,
    CouncilApproval,
    Milestone,
    Organisation,
    Role,
    RuleKind,
)
from ..audiences import DefaultRule, Owner, OwnerKind, PendingItem, Recipient, people_of
from .status import DECIDED

# A council meeting is fixed months ahead and the case must reach its agenda weeks before it:
# the questionnaires' 14/7/1 days before would come too late to act on. Six and three weeks
# before the deadline to the parties without a meeting date; the day after the deadline (and
# the day after a meeting that passed without a decision) and then weekly; the secretariat's
# digest four weeks before, when there is still time to call, and the day after.
APPROVAL_RULES: Sequence[DefaultRule] = (
    DefaultRule(RuleKind.BEFORE, 42),
    DefaultRule(RuleKind.BEFORE, 21),
    DefaultRule(RuleKind.OVERDUE, 1, 7),
    DefaultRule(RuleKind.DIGEST, 28),
    DefaultRule(RuleKind.DIGEST, -1),
)

# The reminder e-mails (templates/emails/): before and after the deadline, and the meeting's.
EMAIL = "reminder_approval"
MEETING_EMAIL = "reminder_approval_meeting"

UNDECIDED = tuple(s for s in ApprovalState if s not in DECIDED)


def record_link(approval_id: int) -> str:
    """The record page's absolute link, for e-mails (see webapp.links)."""
    return absolute_url("approvals.record", approval_id=approval_id)


def meeting_deadline(day: date) -> datetime:
    """The end of a meeting day on the Copenhagen clock: after it the decision is owed."""
    return datetime.combine(day, time(23, 59), tzinfo=LOCAL_TZ).astimezone(UTC)


def meeting_passed(state: ApprovalState, meeting_date: date | None, today: date) -> bool:
    """Whether the council's recorded meeting has been held without a recorded decision."""
    return (state in (ApprovalState.SCHEDULED, ApprovalState.POSTPONED)
            and meeting_date is not None and meeting_date < today)


def awaits_meeting(state: ApprovalState, meeting_date: date | None) -> bool:
    """Whether the party still owes a meeting date (undecided, none set)."""
    return state not in DECIDED and (state == ApprovalState.PENDING or meeting_date is None)


class ApprovalAudience:
    owner_kind: OwnerKind = "organisation"
    default_rules: Sequence[DefaultRule] = APPROVAL_RULES
    email = EMAIL  # the preview's sample is worded as the real reminders are

    def pending(self, milestones: Sequence[Milestone], now: datetime) -> list[PendingItem]:
        """Two queries for any number of milestones, rounds and parties."""
        ids = [m.id for m in milestones]
        if not ids:
            return []
        rows = db.session.execute(
            select(CouncilApproval.id, CouncilApproval.organisation_id,
                   CouncilApproval.party_name, CouncilApproval.council_name,
                   CouncilApproval.state, CouncilApproval.meeting_date,
                   ApprovalRound.milestone_id)
            .join(ApprovalRound, ApprovalRound.id == CouncilApproval.round_id)
            .join(Organisation, Organisation.id == CouncilApproval.organisation_id)
            .where(ApprovalRound.milestone_id.in_(ids), CouncilApproval.state.in_(UNDECIDED),
                   Organisation.active.is_(True))
            .order_by(CouncilApproval.id)).all()
        today = to_local(now).date()
        owing = [row for row in rows if awaits_meeting(row.state, row.meeting_date)
                 or meeting_passed(row.state, row.meeting_date, today)]
        if not owing:
            return []
        people = people_of((row.organisation_id for row in owing), (Role.RESPONDENT,))
        milestone_by_id = {m.id: m for m in milestones}
        items = []
        for row in owing:
            owner = Owner("organisation", row.organisation_id, row.party_name)
            recipients: list[Recipient] = list(people.get(row.organisation_id, []))
            link = record_link(row.id)
            if row.meeting_date is not None and meeting_passed(row.state, row.meeting_date,
                                                               today):
                items.append(PendingItem(row.milestone_id, owner,
                                         meeting_deadline(row.meeting_date), recipients,
                                         what=row.council_name, link=link, email=MEETING_EMAIL,
                                         overdue_only=True,
                                         series=row.meeting_date.toordinal()))
            else:
                items.append(PendingItem(row.milestone_id, owner,
                                         milestone_by_id[row.milestone_id].ends_at, recipients,
                                         what=row.council_name, link=link, email=EMAIL))
        return items
