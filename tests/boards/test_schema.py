"""The limits of issue 14 that hold in the database itself, whatever the code does."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.exc import IntegrityError

from tests.boards import factories as bf
from webapp.extensions import db
from webapp.models import BoardScore


def _refused(write: Any) -> None:
    savepoint = db.session.begin_nested()
    with pytest.raises(IntegrityError):
        write()
        db.session.flush()
    savepoint.rollback()


def test_scores_hold_their_limits(world: dict[str, Any]) -> None:
    north = world["north"]
    members = bf.steering_members(north["municipality"], 2)
    board = bf.board(north["cycle"], members=members[:1])
    other = bf.board(north["cycle"], title="Anden tavle", members=members[:1])
    theme, criterion = bf.themes_of(board)[0], bf.criteria_of(board)[0]
    bf.score_all(board, members[0])

    def score(**kw: Any) -> None:
        values = {"board_id": board.id, "theme_id": theme.id, "criterion_id": criterion.id,
                  "user_id": members[0].id, "value": 3} | kw
        db.session.add(BoardScore(**values))

    _refused(lambda: score())  # a second score of the same cell
    _refused(lambda: score(value=6, theme_id=bf.themes_of(board)[1].id))  # outside 1-5
    _refused(lambda: score(user_id=members[1].id))  # not on the board
    _refused(lambda: score(theme_id=bf.themes_of(other)[0].id))  # another board's theme
    _refused(lambda: score(criterion_id=bf.criteria_of(other)[0].id))


def test_votes_hold_their_limits(world: dict[str, Any]) -> None:
    north = world["north"]
    voter = bf.politicians(north["municipality"], 1)[0]
    day = bf.theme_day(north["cycle"], picks=2)
    items = bf.catalogue_items(day)
    first_theme = [i for i in items if i.theme_id == items[0].theme_id]
    bf.vote(day, first_theme[0], voter, 1)
    _refused(lambda: bf.vote(day, first_theme[0], voter, 2))  # the same option twice
    _refused(lambda: bf.vote(day, first_theme[1], voter, 1))  # the same slot twice
    _refused(lambda: bf.vote(day, first_theme[1], voter, 3))  # over the limit
    bf.vote(day, first_theme[1], voter, 2)
    db.session.flush()
