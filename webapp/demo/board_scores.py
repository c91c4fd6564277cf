"""The demo's blind scores (issue 14): every member of the prioritisation board scores every
theme through the scoring workflow, between 14 and 26 February 2017.

Synthetic but plausible: the themes the working group recommended outright ("Rehabilitering",
"Fokus på beskæftigelse", "Samarbejde mellem kommunerne og behandlingspsykiatrien") and "Nye
samarbejdsformer" land on top; the not-recommended themes low; "Flere børn og unge med
selvskadende adfærd" splits the members (half high, half low: the results show the
disagreement); one member abstains from "Koordinering af tilbudsviften" with a note; a few
comments. A theme the demo does not name is scored from its recommendation, so the function
works on any board. Skipped when the board already has scores.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..formatting import LOCAL_TZ
from ..models import (
    BoardCriterion,
    BoardMember,
    BoardScore,
    BoardTheme,
    PrioritisationBoard,
    Recommendation,
    User,
)
from ..workflows.boards import scoring

# The level each theme tends to, 1–5 (the members scatter around it).
LEVELS = {
    "Rehabilitering": 4.2,
    "Fokus på beskæftigelse": 4.6,
    "Samarbejde mellem kommunerne og behandlingspsykiatrien": 4.5,
    "Nye samarbejdsformer": 4.3,
    "Vidensdeling": 3.4,
    "Koordinering af tilbudsviften": 3.5,
    "Økonomiske incitamenter": 3.0,
    "Velfærdsteknologi": 2.6,
    "Sociale relationer": 2.2,
    "Hvad virker – forskning, metode og evidens": 2.8,
    "Flere hjemløse": 2.4,
    "Flere ældre med handicap": 2.5,
    "Skolegang for børn og unge med autisme og ADHD": 2.3,
}
BY_RECOMMENDATION = {Recommendation.RECOMMENDED: 4.0, Recommendation.NONE: 3.0,
                     Recommendation.NOT_RECOMMENDED: 2.3}
DISAGREEMENT = "Flere børn og unge med selvskadende adfærd"
ABSTAIN = ("Koordinering af tilbudsviften", 3,
           "Min kommune driver flere af de tilbud, koordineringen handler om.")
COMMENTS = {
    ("Fokus på beskæftigelse", 0): "Beskæftigelse går på tværs af alle kommuner og "
                                   "målgrupper – et oplagt fælles fokus.",
    (DISAGREEMENT, 1): "Vigtigt, men det hører mere hjemme i samarbejdet på børne- og "
                       "ungeområdet end i rammeaftalen.",
    (DISAGREEMENT, 4): "Et voksende problem, som ingen kommune kan løfte alene.",
    ("Samarbejde mellem kommunerne og behandlingspsykiatrien", 5):
        "Udskrivningerne fra psykiatrien fylder i alle kommuner; her er der noget at hente.",
    ("Velfærdsteknologi", 2): "Bedre løst i KL-regi end i rammeaftalen.",
}
FIRST_SAVE = datetime(2017, 2, 14, 9, 0, tzinfo=LOCAL_TZ)


def _score(level: float, member: int, theme: int, criterion: int) -> int:
    """The level with a member's own deterministic scatter of -1..+1, within 1–5."""
    scatter = ((member * 7 + theme * 3 + criterion * 5) % 5 - 2) / 2
    return max(1, min(5, round(level + scatter)))


def _level(theme: BoardTheme, member: int) -> float:
    if theme.title == DISAGREEMENT:
        return 4.8 if member % 2 == 0 else 1.3
    return LEVELS.get(theme.title, BY_RECOMMENDATION[theme.recommendation])


def seed_scores(board: PrioritisationBoard, at: datetime) -> None:
    """Every member scores every theme (see the module's words). `at` is the demo's clock,
    kept for the seed's common signature; each save carries its own date in February."""
    if db.session.scalar(select(BoardScore.id).where(BoardScore.board_id == board.id)
                         .limit(1)) is not None:
        return
    loaded = db.session.scalar(
        select(PrioritisationBoard).where(PrioritisationBoard.id == board.id)
        .options(joinedload(PrioritisationBoard.cycle),
                 joinedload(PrioritisationBoard.milestone)))
    assert loaded is not None
    board = loaded
    themes = list(db.session.scalars(select(BoardTheme).where(BoardTheme.board_id == board.id)
                                     .order_by(BoardTheme.position, BoardTheme.id)))
    criteria = list(db.session.scalars(
        select(BoardCriterion).where(BoardCriterion.board_id == board.id)
        .order_by(BoardCriterion.position, BoardCriterion.id)))
    members = list(db.session.execute(
        select(BoardMember, User).join(User, User.id == BoardMember.user_id)
        .where(BoardMember.board_id == board.id).order_by(BoardMember.id)))
    for m, (member, person) in enumerate(members):
        start = FIRST_SAVE + timedelta(days=2 * m)
        for t, theme in enumerate(themes):
            abstains = (theme.title, m) == ABSTAIN[:2]
            scoring.save_theme(
                person, board, theme,
                {} if abstains else {c.id: _score(_level(theme, m), m, t, n)
                                     for n, c in enumerate(criteria)},
                COMMENTS.get((theme.title, m), ""), abstains,
                ABSTAIN[2] if abstains else "", version=member.version_id,
                now=start + timedelta(minutes=7 * t))
    db.session.flush()
