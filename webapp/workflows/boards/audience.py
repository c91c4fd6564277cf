"""Who still owes their scores: the reminder pass's audience for prioritisation milestones.

A member of an open board on the milestone is pending until their ballot is complete (every
theme scored on every criterion, or abstained: `BoardMember.completed_at`). The person is the
owner and the one reminded, with the link to their scoring overview; the deadline is the
milestone's end. A draft board is not yet out, a closed one takes no more scores: neither is
pending. Only that a member has not finished is known here, never a score.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from ...extensions import db
from ...links import absolute_url
from ...models import BoardMember, BoardState, Milestone, PrioritisationBoard, RuleKind, User
from ..audiences import DefaultRule, OwnerKind, PendingItem

# A scoring period is about two weeks: a week before, two days before and the day before at
# 08.00; the day after the deadline once, while the board is still open; the secretariat's
# digest three days before, when there is time to call, and the day after.
SCORING_RULES: Sequence[DefaultRule] = (
    DefaultRule(RuleKind.BEFORE, 7),
    DefaultRule(RuleKind.BEFORE, 2),
    DefaultRule(RuleKind.BEFORE, 1),
    DefaultRule(RuleKind.OVERDUE, 1),
    DefaultRule(RuleKind.DIGEST, 3),
    DefaultRule(RuleKind.DIGEST, -1),
)

# The reminder e-mails (templates/emails/): before and after the deadline.
EMAIL = "reminder_board"


def scoring_link(board_id: int) -> str:
    """The member's scoring overview, absolute (for e-mails, see webapp.links)."""
    return absolute_url("board_scoring.overview", board_id=board_id)


class BoardAudience:
    owner_kind: OwnerKind = "person"
    default_rules: Sequence[DefaultRule] = SCORING_RULES
    email = EMAIL  # the preview's sample is worded as the real reminders are

    def pending(self, milestones: Sequence[Milestone], now: datetime) -> list[PendingItem]:
        """One query for any number of milestones, boards and members."""
        by_id = {m.id: m for m in milestones}
        if not by_id:
            return []
        items = []
        for board_id, title, milestone_id, user in db.session.execute(
                select(PrioritisationBoard.id, PrioritisationBoard.title,
                       PrioritisationBoard.milestone_id, User)
                .join(BoardMember, BoardMember.board_id == PrioritisationBoard.id)
                .join(User, User.id == BoardMember.user_id)
                .where(PrioritisationBoard.milestone_id.in_(by_id),
                       PrioritisationBoard.state == BoardState.OPEN,
                       BoardMember.completed_at.is_(None), User.active.is_(True))
                .order_by(PrioritisationBoard.id, BoardMember.id)):
            item = PendingItem.for_person(milestone_id, user, by_id[milestone_id].ends_at,
                                          what=title, link=scoring_link(board_id))
            item.email = EMAIL
            items.append(item)
        return items
