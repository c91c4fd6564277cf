"""A closed board's results as plain data (issue 14, item 3): the numbers, the ranking with
ties, the consensus and "skiller sig ud", and a fixed number of queries at two sizes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.boards import factories as bf
from webapp.extensions import db
from webapp.models import BoardState, Recommendation
from webapp.queries.boards import results as read


def _closed(world: dict[str, Any], themes: int = 4, members: int = 3,
            criteria: int = 3) -> tuple[Any, list[Any]]:
    north = world["north"]
    people = bf.steering_members(north["municipality"], members)
    board = bf.board(north["cycle"], themes=themes, criteria=criteria, members=people,
                     state=BoardState.CLOSED)
    return board, people


def test_weighted_mean_median_spread_and_counts(world):
    board, (a, b, c) = _closed(world, themes=2)
    # criterion 1 weighs 2: a's weighted score of theme 1 is (5*2 + 3 + 3) / 4 = 4
    bf.score_all(board, a, lambda t, k: 5 if k == 0 else 3)
    bf.score_all(board, b, 2)
    bf.abstain(board, bf.themes_of(board)[1], c, "Min kommune driver tilbuddet")
    bf.score_all(board, c, lambda t, k: 3, complete=False)
    db.session.execute(db.delete(read.BoardScore).where(
        read.BoardScore.user_id == c.id, read.BoardScore.theme_id == bf.themes_of(board)[1].id))
    data = read.results(board)
    first = next(t for t in data.themes if t.title == "Tema 1")
    assert first.scorers == 3 and first.abstentions == 0
    assert first.mean == Decimal("3.00")  # (4 + 2 + 3) / 3
    assert first.median == Decimal("3.00")
    assert first.spread == Decimal("0.82")  # population sd of 4, 2, 3
    assert first.distribution == (0, 3, 5, 0, 1) and first.scores == 9
    assert first.consensus == "mixed" and first.consensus_label == "Blandet"
    second = next(t for t in data.themes if t.title == "Tema 2")
    assert second.scorers == 2 and second.abstentions == 1
    assert second.median == Decimal("3.00")  # the mean of the middle two: 4 and 2
    assert second.spread == Decimal("1.00")
    assert data.members == 3
    assert [c.weight for c in data.criteria] == [2, 1, 1]


def test_ties_share_a_place_and_the_next_place_skips():
    means = [Decimal("4.00"), Decimal("3.50"), Decimal("3.50"), Decimal("2.00"), None]
    assert read.ranks(means) == [(1, False), (2, True), (2, True), (4, False), (None, False)]


def test_ranking_on_the_board_orders_by_mean_and_leaves_unscored_last(world):
    board, (a, b, _c) = _closed(world, themes=5)
    by_theme = {0: 2, 1: 4, 2: 4, 3: 5}
    for person in (a, b):
        bf.score_all(board, person, lambda t, k: by_theme.get(t, 1))
    db.session.execute(db.delete(read.BoardScore).where(
        read.BoardScore.theme_id == bf.themes_of(board)[4].id))
    data = read.results(board)
    assert [(t.title, t.rank_label, t.tied) for t in data.themes] == [
        ("Tema 4", "1.", False), ("Tema 2", "2.", True), ("Tema 3", "2.", True),
        ("Tema 1", "4.", False), ("Tema 5", "–", False)]
    assert data.themes[-1].consensus is None and data.themes[-1].mean is None


def test_consensus_follows_the_stated_thresholds():
    assert read.consensus_of(Decimal("0.75"), 5) == "agreed"
    assert read.consensus_of(Decimal("0.76"), 5) == "mixed"
    assert read.consensus_of(Decimal("1.25"), 5) == "mixed"
    assert read.consensus_of(Decimal("1.26"), 5) == "disagreed"
    assert read.consensus_of(Decimal("0"), 1) == "too_few"
    assert read.consensus_of(None, 0) is None


def test_a_theme_stands_out_when_rank_and_recommendation_disagree():
    recommended, not_recommended = Recommendation.RECOMMENDED, Recommendation.NOT_RECOMMENDED
    # 14 ranked themes: the top third is places 1-5, the bottom third places 10-14
    assert read.standout_of(5, 14, not_recommended) == "high"
    assert read.standout_of(6, 14, not_recommended) is None
    assert read.standout_of(10, 14, recommended) == "low"
    assert read.standout_of(9, 14, recommended) is None
    assert read.standout_of(1, 14, recommended) is None
    assert read.standout_of(1, 14, Recommendation.NONE) is None
    assert read.standout_of(None, 14, not_recommended) is None


def test_results_on_the_board_flag_the_standouts(world):
    board, people = _closed(world, themes=6)
    # themes alternate recommended (Tema 1, 3, 5) and not (Tema 2, 4, 6)
    values = [1, 5, 2, 4, 3, 3]
    for person in people:
        bf.score_all(board, person, lambda t, k: values[t])
    data = read.results(board)
    assert data.standout_cut == 2
    assert {t.title: t.standout for t in data.themes if t.standout} == {
        "Tema 2": "high", "Tema 4": "high", "Tema 3": "low", "Tema 1": "low"}
    assert [t.rank for t in data.themes] == [1, 2, 3, 3, 5, 6]
    assert data.standouts == 4


def test_no_results_before_the_close(world):
    north = world["north"]
    board = bf.board(north["cycle"], members=bf.steering_members(north["municipality"], 1))
    with pytest.raises(ValueError):
        read.results(board)
    with pytest.raises(ValueError):
        read.individual_scores(board)


def test_individual_scores_name_the_member_with_notes(world):
    board, (a, b, _c) = _closed(world, themes=2)
    bf.score_all(board, a, 4)
    bf.abstain(board, bf.themes_of(board)[0], b, "Inhabil: driver tilbuddet")
    data = read.individual_scores(board)
    assert len(data.rows) == 6
    row = next(r for r in data.rows if r.member == a.name and r.theme == "Tema 1")
    assert row.scores == (4, 4, 4) and row.weighted == Decimal("4.00")
    abstained = next(r for r in data.rows if r.member == b.name and r.theme == "Tema 1")
    assert abstained.abstained and abstained.abstain_note == "Inhabil: driver tilbuddet"
    assert abstained.scores == (None, None, None) and abstained.weighted is None


def _big(world: dict[str, Any], themes: int, members: int) -> Any:
    board, people = _closed(world, themes=themes, members=members)
    for n, person in enumerate(people):
        bf.score_all(board, person, lambda t, k, n=n: 1 + (t + k + n) % 5)
    bf.abstain(board, bf.themes_of(board)[0], people[0])
    db.session.commit()
    return board


@pytest.mark.parametrize(("themes", "members"), [(14, 15), (50, 100)])
def test_results_and_scores_read_a_fixed_number_of_queries(world, queries, themes, members):
    board = _big(world, themes, members)
    with queries() as q:
        data = read.results(board)
    assert len(data.themes) == themes and data.themes[0].scorers == members
    assert q.count == 6, q.statements
    with queries() as q:
        scores = read.individual_scores(board)
    assert len(scores.rows) == themes * members
    assert q.count == 5, q.statements
