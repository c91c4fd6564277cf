"""Boards for the results tests (part C): a closed board with many scores written in bulk."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert

from tests import factories
from tests.boards import factories as bf
from webapp.extensions import db
from webapp.models import BoardScore, BoardState, BoardThemeNote


def scored_board(world: dict[str, Any], themes: int, members: int, *,
                 state: BoardState = BoardState.CLOSED, title: str = "Prioritering af temaer",
                 region: str = "north") -> tuple[Any, list[Any]]:
    """A board of `themes` themes, 3 criteria and `members` steering members who scored every
    cell (values spread over 1–5); the first member abstains on the first theme."""
    where = world[region]
    people = bf.steering_members(where["municipality"], members)
    board = bf.board(where["cycle"], themes=themes, members=people, state=state, title=title)
    theme_ids = [t.id for t in bf.themes_of(board)]
    criterion_ids = [c.id for c in bf.criteria_of(board)]
    rows = [{"board_id": board.id, "theme_id": t, "criterion_id": c, "user_id": p.id,
             "value": 1 + (ti * 2 + ci + pi) % 5, "updated_at": factories.at(2017, 2, 20)}
            for pi, p in enumerate(people) for ti, t in enumerate(theme_ids)
            for ci, c in enumerate(criterion_ids) if not (pi == 0 and ti == 0)]
    db.session.execute(insert(BoardScore), rows)
    db.session.add(BoardThemeNote(board_id=board.id, theme_id=theme_ids[0], user_id=people[0].id,
                                  abstained=True, abstain_note="Inhabil: driver tilbuddet",
                                  comment="Hemmelig kommentar fra et medlem"))
    db.session.commit()
    return board, people
