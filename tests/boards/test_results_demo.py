"""The demo's publication of the board's result (part C's `seed_publish`), on a closed board
made here (the merge runs it after the demo board is scored and closed)."""

from __future__ import annotations

from sqlalchemy import select

from tests import factories
from tests.boards import factories as bf
from webapp.demo.board_results import THEME_DAY_THEMES, seed_publish
from webapp.extensions import db
from webapp.models import BoardState, BoardTheme, OutboundEmail
from webapp.queries.boards import results as read


def test_seed_publish_marks_the_three_themes_and_publishes_to_the_region(world):
    north = world["north"]
    members = bf.steering_members(north["municipality"], 3)
    board = bf.board(north["cycle"], themes=6, members=members, state=BoardState.CLOSED)
    titles = [*THEME_DAY_THEMES, "Rehabilitering", "Vidensdeling", "Velfærdsteknologi"]
    for theme, title in zip(bf.themes_of(board), titles, strict=True):
        theme.title = title
    for person in members:
        bf.score_all(board, person, lambda t, k: 5 - t % 5)
    at = factories.at(2017, 3, 2, 14)
    assert seed_publish(board, at)
    db.session.commit()
    marked = set(db.session.scalars(select(BoardTheme.title).where(
        BoardTheme.board_id == board.id, BoardTheme.for_theme_day.is_(True))))
    assert marked == set(THEME_DAY_THEMES)
    assert board.state == BoardState.PUBLISHED and board.publish_to_region
    assert board.published_at == at and "temadag" in board.conclusion
    mails = db.session.scalars(select(OutboundEmail.to_address).where(
        OutboundEmail.template == "board_results_published")).all()
    assert sorted(mails) == sorted(m.email for m in members)
    data = read.results(board)
    assert [t.title for t in data.theme_day] == list(THEME_DAY_THEMES)
    assert not seed_publish(board, at), "a published board is left alone"
