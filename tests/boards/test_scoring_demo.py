"""The demo's blind scores on a 14-theme board made here (part A's seed builds the real one):
every member done, the recommended themes on top, one clear disagreement, one abstention with
a note, a few comments, saved 14–26.02.2017 through the workflow; run twice, scored once."""

from __future__ import annotations

import statistics
from typing import Any

from sqlalchemy import select

from tests import factories as f
from tests.boards import factories as bf
from webapp.demo.board_scores import DISAGREEMENT, seed_scores
from webapp.extensions import db
from webapp.formatting import to_local
from webapp.models import (
    AuditEvent,
    BoardMember,
    BoardScore,
    BoardThemeNote,
    Recommendation,
)

THEMES = [
    ("Velfærdsteknologi", "Anbefales ikke"), ("Rehabilitering", "Anbefales"),
    ("Fokus på beskæftigelse", "Anbefales"), ("Sociale relationer", "Anbefales ikke"),
    ("Hvad virker – forskning, metode og evidens", "Anbefales ikke"),
    ("Flere hjemløse", "Anbefales ikke"), ("Flere ældre med handicap", "Anbefales ikke"),
    (DISAGREEMENT, "Anbefales ikke"),
    ("Skolegang for børn og unge med autisme og ADHD", "Anbefales ikke"),
    ("Samarbejde mellem kommunerne og behandlingspsykiatrien", "Anbefales"),
    ("Vidensdeling", "Anbefales (DAS/politisk?)"),
    ("Koordinering af tilbudsviften", "Anbefales (DAS/politisk?)"),
    ("Økonomiske incitamenter", "Anbefales (DAS/politisk?)"),
    ("Nye samarbejdsformer", "Anbefales (DAS/politisk?)"),
]
TOP = {"Rehabilitering", "Fokus på beskæftigelse",
       "Samarbejde mellem kommunerne og behandlingspsykiatrien", "Nye samarbejdsformer"}


def _board(world: dict[str, Any]) -> Any:
    north = world["north"]
    members = bf.steering_members(north["municipality"], 6)
    board = bf.board(north["cycle"], themes=14, criteria=3, members=members)
    for theme, (title, label) in zip(bf.themes_of(board), THEMES, strict=True):
        theme.title, theme.recommendation_label = title, label
        theme.recommendation = (Recommendation.NOT_RECOMMENDED if "ikke" in label
                                else Recommendation.RECOMMENDED)
    db.session.flush()
    return board


def test_the_demo_scores(world: dict[str, Any], clock: Any) -> None:
    board = _board(world)
    seed_scores(board, clock.now())
    seed_scores(board, clock.now())  # a second run adds nothing
    members = list(db.session.scalars(select(BoardMember).where(
        BoardMember.board_id == board.id)))
    assert len(members) == 6 and all(m.completed_at for m in members)
    themes = {t.id: t for t in bf.themes_of(board)}
    weights = {c.id: c.weight for c in bf.criteria_of(board)}
    per_theme: dict[int, list[float]] = {}
    for score in db.session.scalars(select(BoardScore).where(BoardScore.board_id == board.id)):
        per_theme.setdefault(score.theme_id, []).extend([score.value] * weights[score.criterion_id])
    assert len(db.session.scalars(select(BoardScore)).all()) == 6 * 14 * 3 - 3  # one abstention
    means = {themes[t].title: statistics.mean(v) for t, v in per_theme.items()}
    assert set(sorted(means, key=means.get, reverse=True)[:4]) == TOP  # type: ignore[arg-type]
    spread = {themes[t].title: statistics.pstdev(v) for t, v in per_theme.items()}
    assert max(spread, key=spread.get) == DISAGREEMENT  # type: ignore[arg-type]
    notes = list(db.session.scalars(select(BoardThemeNote)))
    abstained = [n for n in notes if n.abstained]
    assert len(abstained) == 1 and abstained[0].abstain_note
    assert sum(1 for n in notes if n.comment) >= 4
    days = {to_local(e.created_at).date() for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "board_ballot.saved"))}
    assert min(days) == f.at(2017, 2, 14).date() and max(days) <= f.at(2017, 2, 26).date()
