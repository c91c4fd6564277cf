"""The demo's prioritisation board (issue 14), through the workflows as the system actor.

"Prioritering af workshoppens temaer" hangs on the cycle's milestone "DAS prioriterer
workshoppens temaer" (13.02.2017 08.00 – 27.02.2017 12.00). Its 14 themes are the workshop's
prioritisation list (groups, recommendations and rationales as the working group wrote them),
scored on three criteria ("Tværkommunal relevans" weighs double) by the region's steering-group
members, added by role. It is opened on 13.02.2017, which e-mails each member the invitation.

The demo's order (seed.py): `seed_board` → the members' scores (board_scores.py) →
`close_demo_board` (27.02.2017 after the deadline) → the results' publication. Each step is
skipped when it is done.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import (
    BoardState,
    Cycle,
    ListTheme,
    Milestone,
    MilestoneKind,
    PrioritisationBoard,
    Workshop,
)
from ..permissions import SYSTEM
from ..workflows.boards import setup as flow

TITLE = "Prioritering af workshoppens temaer"
INTRO = (
    "Arbejdsgruppen har samlet workshoppens input i 14 temaer og givet hvert tema en anbefaling. "
    "Scor hvert tema fra 1 (lav) til 5 (høj) på de tre kriterier. Du kan gemme undervejs, "
    "og ingen ser dine scorer, før tavlen lukkes.\n\n"
    "Resultatet drøftes på DAS-mødet den 2. marts, hvor vi vælger temaerne til den politiske "
    "temadag. Er du inhabil i et tema, så markér det med en kort note i stedet for at score.")
CRITERIA = [
    ("Tværkommunal relevans", "Temaet angår flere kommuner og regionen, og det giver mening "
     "at løse det i fællesskab frem for hver for sig.", 2),
    ("Potentiale for fælles handling", "Der er konkrete tiltag, som kommunerne og regionen kan "
     "sætte i gang sammen inden for aftalens periode.", 1),
    ("Politisk relevans", "Temaet er vigtigt for politikerne i udvalgene og egner sig til "
     "drøftelse på den politiske temadag.", 1),
]
# 13.02.2017 08.00 and 27.02.2017 12.30 in Copenhagen (UTC+1).
OPENED_AT = datetime(2017, 2, 13, 7, 0, tzinfo=UTC)
CLOSED_AT = datetime(2017, 2, 27, 11, 30, tzinfo=UTC)


def _board(cycle: Cycle, title: str) -> PrioritisationBoard | None:
    return db.session.scalar(
        select(PrioritisationBoard).where(PrioritisationBoard.cycle_id == cycle.id,
                                          PrioritisationBoard.title == title)
        .options(joinedload(PrioritisationBoard.cycle),
                 joinedload(PrioritisationBoard.milestone)))


def seed_board(cycle: Cycle, at: datetime = OPENED_AT,
               title: str = TITLE) -> PrioritisationBoard:
    """The board, made and opened `at` (the demo: OPENED_AT); the existing one when it is
    there. Another `title` makes another board the same way (the browser tests' own)."""
    found = _board(cycle, title)
    if found is not None:
        return found
    milestone = db.session.scalar(select(Milestone).where(
        Milestone.cycle_id == cycle.id, Milestone.kind == MilestoneKind.PRIORITISATION)
        .order_by(Milestone.ends_at, Milestone.id).limit(1))
    if milestone is None:
        raise RuntimeError(f"the cycle {cycle.title!r} has no prioritisation milestone")
    workshop = db.session.scalar(
        select(Workshop).join(ListTheme, ListTheme.workshop_id == Workshop.id)
        .where(Workshop.cycle_id == cycle.id).order_by(Workshop.id).limit(1))
    board = flow.create_board(SYSTEM, cycle, flow.BoardData(title, INTRO, milestone),
                              workshop=workshop, now=at)
    for title, description, weight in CRITERIA:
        flow.add_criterion(SYSTEM, board, flow.CriterionData(title, description, weight),
                           now=at)
    flow.add_members_by_role(SYSTEM, board, now=at)
    flow.open_board(SYSTEM, board, now=at)
    db.session.flush()
    return board


def close_demo_board(board: PrioritisationBoard, at: datetime = CLOSED_AT) -> None:
    """Close the board `at` (the demo: just after the deadline), unless it is closed."""
    if board.state == BoardState.OPEN:
        flow.close_board(SYSTEM, board, now=at)
        db.session.flush()
