"""The demo board's result (issue 14, part C): after the steering group's meeting of 2 March
2017 the secretariat marks the three themes that go to the political theme day, writes the
conclusion and publishes the result to the members and the region's people.

`seed_publish(board, at)` runs after the board is scored and closed (the merge calls it after
`close_demo_board`); it goes through the workflows as the system. A board that is not closed
(already published, or still open) is left alone.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..models import BoardState, BoardTheme, PrioritisationBoard
from ..permissions import SYSTEM
from ..workflows.boards import results as flow

THEME_DAY_THEMES = (
    "Fokus på beskæftigelse",
    "Samarbejde mellem kommunerne og behandlingspsykiatrien",
    "Nye samarbejdsformer",
)

CONCLUSION = """\
DAS drøftede resultatet på mødet den 2. marts 2017 og sender tre temaer videre til den \
politiske temadag den 28. april 2017:

1. **Fokus på beskæftigelse** – under overskriften *Borgerens mestring af eget liv*, hvor \
rehabilitering også indgår.
2. **Nye samarbejdsformer** – under overskriften *Hvordan ønsker vi at samarbejde?*, hvor \
vidensdeling og koordinering af tilbudsviften også indgår.
3. **Samarbejde mellem kommunerne og behandlingspsykiatrien**.

Sekretariatet skriver et temakatalog med udfordringer og løsningsforslag – fra meget tæt til \
begrænset samarbejde – som sendes ud før temadagen.
"""


def seed_publish(board: PrioritisationBoard, at: datetime) -> bool:
    """Mark the theme-day themes, write the conclusion and publish (at `at`, e.g. 02.03.2017).
    Returns whether anything was written."""
    if board.state != BoardState.CLOSED:
        return False
    # the board with its cycle (the workflows ask its region and title)
    board = db.session.scalars(
        select(PrioritisationBoard).where(PrioritisationBoard.id == board.id)
        .options(joinedload(PrioritisationBoard.cycle))
        .execution_options(populate_existing=True)).one()
    wanted = set(THEME_DAY_THEMES)
    ids = [t.id for t in db.session.scalars(select(BoardTheme).where(
        BoardTheme.board_id == board.id)) if t.title in wanted]
    flow.choose_theme_day_themes(SYSTEM, board, ids, version=None, now=at)
    db.session.flush()
    flow.write_conclusion(SYSTEM, board, CONCLUSION, True, version=None, now=at)
    db.session.flush()
    flow.publish(SYSTEM, board, version=None, now=at)
    db.session.flush()
    return True
