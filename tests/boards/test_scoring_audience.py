"""The reminders of a prioritisation milestone: pending are the members of open boards on it
whose ballot is not complete, each reminded as a person with the link to their scoring; the
pass sends the board's own wording through a real SMTP server; a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories as f
from tests.boards import factories as bf
from tests.mailserver import text_body
from webapp.extensions import db
from webapp.models import BoardState, Milestone, MilestoneKind, RuleKind
from webapp.workflows import reminders
from webapp.workflows.audiences import audience_for, default_rules
from webapp.workflows.boards.audience import BoardAudience


def _milestone(board: Any) -> Milestone:
    found = db.session.get(Milestone, board.milestone_id)
    assert found is not None
    return found


def test_pending_are_the_members_of_open_boards_without_a_complete_ballot(
        world: dict[str, Any]) -> None:
    north = world["north"]
    a, b, c = bf.steering_members(north["municipality"], 3)
    board = bf.board(north["cycle"], members=[a, b, c])
    bf.score_all(board, a, 3)  # complete
    bf.score_all(board, b, 3, complete=False)  # scores, but not marked complete: pending
    draft = bf.board(north["cycle"], title="Kladde", members=[a, b, c], state=BoardState.DRAFT)
    closed = bf.board(north["cycle"], title="Lukket", members=[a, b, c],
                      state=BoardState.CLOSED)
    c.active = False
    audience = audience_for(MilestoneKind.PRIORITISATION)
    assert isinstance(audience, BoardAudience) and audience.owner_kind == "person"
    items = audience.pending([_milestone(x) for x in (board, draft, closed)],
                             f.at(2017, 2, 20))
    assert [i.owner.id for i in items] == [b.id]
    item = items[0]
    assert item.owner.is_person and item.recipients == [b]
    assert item.deadline == f.at(2017, 2, 27, 12) and item.what == board.title
    assert item.link == f"http://127.0.0.1:5000/prioritering/{board.id}/scoring"
    assert item.email == "reminder_board"


def test_default_rules_remind_before_and_after_the_deadline() -> None:
    rules = default_rules(MilestoneKind.PRIORITISATION)
    kinds = {r.kind for r in rules}
    assert {RuleKind.BEFORE, RuleKind.OVERDUE, RuleKind.DIGEST} <= kinds
    assert min(r.offset_days for r in rules if r.kind == RuleKind.BEFORE) == 1


def test_the_pass_reminds_an_unfinished_member_in_the_boards_words(
        app: Any, db: Any, world: dict[str, Any], smtp: Any) -> None:
    north = world["north"]
    done, late = bf.steering_members(north["municipality"], 2)
    board = bf.board(north["cycle"], members=[done, late])
    bf.score_all(board, done, 4)
    reminders.create_default_rules(_milestone(board), f.at(2017, 2, 1))
    db.session.commit()
    with app.app_context():
        reminders.run_due(f.at(2017, 2, 26, 8, 5))  # the day before the deadline
    to = [m["To"] for m in smtp.inbox.messages]
    assert late.email in to and done.email not in to
    message = next(m for m in smtp.inbox.messages if m["To"] == late.email)
    body = text_body(message)
    assert "Du har endnu ikke scoret alle temaer" in body
    assert f"/prioritering/{board.id}/scoring" in body


@pytest.mark.parametrize("size", [3, 25])
def test_a_fixed_number_of_queries(world: dict[str, Any], queries: Any, size: int) -> None:
    north = world["north"]
    boards = []
    for n in range(3):
        people = bf.steering_members(north["municipality"], size)
        boards.append(bf.board(north["cycle"], title=f"Tavle {n}", members=people))
    milestones = [_milestone(b) for b in boards]
    with queries() as q:
        items = BoardAudience().pending(milestones, f.at(2017, 2, 20))
    assert len(items) == 3 * size
    assert len(q.statements) == 1
