"""The demo's political theme day (issue 14, part D): "Politisk temadag 2017" on the cycle's
THEME_DAY milestone with the three themes of the day, each with challenges and solution
scenarios from very close to limited cooperation (in paraphrase, in the spirit of the region's
theme catalogue), the catalogue sent 10.03.2017, the vote open and the picks of the twelve
politicians of `nordjylland.POLITICIANS` (politiker@ has not voted).

Everything goes through the workflows. Called by the demo command after the board's results are
published (`seed_publish`); the board's themes marked for the theme day become the catalogue's
themes, renamed to the day's titles. Without a board (or without marked themes) the three
themes are typed in. Skipped when the theme day exists."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..catalogue_docx import catalogue_attachment
from ..extensions import db
from ..formatting import LOCAL_TZ as COPENHAGEN
from ..models import (
    BoardTheme,
    Cycle,
    Milestone,
    MilestoneKind,
    PrioritisationBoard,
    ThemeDay,
    User,
)
from ..permissions import SYSTEM
from ..workflows.theme_days import catalogue as cat
from ..workflows.theme_days import setup, themes_with_items, voting
from .nordjylland import POLITICIANS

TITLE = "Politisk temadag 2017"
INTRO = ("Den Administrative Styregruppe har valgt tre temaer til dagen. Under hvert tema står "
         "en række udfordringer og til hver udfordring nogle løsningsscenarier, fra meget tæt "
         "til begrænset samarbejde mellem kommunerne og regionen. Vælg på dagen de udfordringer "
         "og løsninger, du mener, rammeaftalen skal sætte fokus på.")

# The board's marked themes (part C's `seed_publish`) and the day's title for each.
FROM_BOARD = {
    "Fokus på beskæftigelse": "Borgerens mestring af eget liv",
    "Nye samarbejdsformer": "Hvordan ønsker vi at samarbejde?",
    "Samarbejde mellem kommunerne og behandlingspsykiatrien":
        "Samarbejde mellem kommunerne og behandlingspsykiatrien",
}
THEMES = list(FROM_BOARD.values())

CLOSE = "Meget tæt samarbejde"
MIDDLE = "Tæt samarbejde"
LIMITED = "Begrænset samarbejde"

# theme title -> [(challenge, description, [(option, cooperation, description)])]
CATALOGUE: dict[str, list[tuple[str, str, list[tuple[str, str, str]]]]] = {
    "Borgerens mestring af eget liv": [
        ("Flere borgere med handicap eller sindslidelse i job og uddannelse",
         "Kun få borgere i botilbud har tilknytning til arbejdsmarkedet, og overgangen fra "
         "tilbud til job er sjældent planlagt.",
         [("Fælles nordjysk model for beskæftigelse i botilbud", CLOSE,
           "Kommunerne og regionen udvikler og driver én model med fælles mål og opfølgning."),
          ("Netværk af jobkonsulenter på tværs af kommunerne", MIDDLE,
           "Jobkonsulenter mødes fast og deler virksomhedskontakter."),
          ("Erfaringsudveksling om gode forløb", LIMITED,
           "En årlig temadag, hvor kommunerne fortæller om det, der virker.")]),
        ("Rehabilitering og recovery som grundlag for indsatsen",
         "Indsatserne tager ikke altid udgangspunkt i borgerens egne mål.",
         [("Fælles kompetenceudvikling i recovery for alle tilbud", CLOSE,
           "Et fælles uddannelsesforløb for medarbejdere i kommunale og regionale tilbud."),
          ("Fælles redskaber til at sætte mål med borgeren", MIDDLE, ""),
          ("Hver kommune arbejder videre på egen hånd med inspiration fra de andre", LIMITED,
           "")]),
    ],
    "Hvordan ønsker vi at samarbejde?": [
        ("Specialiserede tilbud til få borgere skal bevares",
         "Tilbud til meget små målgrupper er sårbare, når en enkelt kommune ændrer sin brug.",
         [("Fælles finansiering og styring af de mest specialiserede tilbud", CLOSE,
           "Kommunerne deler risikoen for tilbud, som ingen kommune kan bære alene."),
          ("Forpligtende aftaler om køb af pladser i flere år", MIDDLE, ""),
          ("Årlig drøftelse af udbud og efterspørgsel i styregruppen", LIMITED, "")]),
        ("Viden og kompetencer samles for lidt på tværs",
         "Erfaringer fra én kommune når sjældent de andre.",
         [("Fælles videnscenter for det specialiserede socialområde", CLOSE, ""),
          ("Faglige netværk med faste temaer og tovholdere", MIDDLE, ""),
          ("Deling af materialer på en fælles side", LIMITED, "")]),
    ],
    "Samarbejde mellem kommunerne og behandlingspsykiatrien": [
        ("Overgange mellem psykiatrien og kommunen",
         "Borgere udskrives uden, at kommunen er klar med en indsats, og omvendt.",
         [("Fælles udskrivningsteams i alle fire klynger", CLOSE,
           "Medarbejdere fra psykiatrien og kommunen planlægger udskrivningen sammen."),
          ("Faste samarbejdsaftaler og kontaktpersoner", MIDDLE, ""),
          ("Fælles retningslinjer for udskrivning", LIMITED, "")]),
        ("Borgere med både psykisk lidelse og misbrug",
         "Borgere med dobbeltdiagnose falder mellem to stole.",
         [("Fælles behandlingstilbud for dobbeltdiagnoser", CLOSE, ""),
          ("Koordineret indsats med én fælles plan", MIDDLE, ""),
          ("Kortlægning af eksisterende tilbud", LIMITED, "")]),
    ],
}


def _local(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=COPENHAGEN)


def _milestone(cycle: Cycle) -> Milestone | None:
    return db.session.scalar(select(Milestone).where(
        Milestone.cycle_id == cycle.id, Milestone.kind == MilestoneKind.THEME_DAY)
        .order_by(Milestone.ends_at, Milestone.id))


def _picks(n: int, item_ids: list[int], limit: int) -> list[int]:
    """A plausible, fixed choice for politician n: most pick the first challenge's closest
    options, some the second challenge, a few the limited options."""
    order = [item_ids[(n * k + n // 3) % len(item_ids)] for k in (1, 2, 3, 5, 7)]
    if n % 4 != 3:
        order = [item_ids[1], *order] if n % 2 == 0 else [item_ids[0], item_ids[5], *order]
    return list(dict.fromkeys(order))[:limit]


def seed_theme_day(cycle: Cycle, board: PrioritisationBoard | None,
                   at: datetime) -> ThemeDay | None:
    """The demo's theme day, open with the politicians' votes cast at `at`."""
    existing = db.session.scalar(select(ThemeDay).where(ThemeDay.cycle_id == cycle.id,
                                                        ThemeDay.title == TITLE)
                                 .options(joinedload(ThemeDay.cycle)))
    if existing is not None:
        return existing
    milestone = _milestone(cycle)
    if milestone is None:
        return None
    marked = [] if board is None else list(db.session.scalars(select(BoardTheme).where(
        BoardTheme.board_id == board.id, BoardTheme.for_theme_day.is_(True))))
    use_board = board is not None and bool(marked)
    created = _local(2017, 3, 3, 10, 0)
    day = setup.create_theme_day(SYSTEM, cycle, setup.ThemeDayData(
        title=TITLE, intro=INTRO, milestone=milestone, picks_per_theme=3,
        board=board if use_board else None, typed_themes=[] if use_board else THEMES),
        now=created)
    for theme in themes_with_items(day):
        title = FROM_BOARD.get(theme.title, theme.title)
        if title != theme.title:
            cat.update_theme(SYSTEM, theme, title, "", now=created, version=None)
    db.session.flush()
    step = created
    for theme in themes_with_items(day):
        for challenge_title, description, options in CATALOGUE.get(theme.title, []):
            step += timedelta(minutes=3)
            challenge = cat.add_item(SYSTEM, theme, cat.ItemData(
                challenge_title, description, ""), now=step)
            theme = next(t for t in themes_with_items(day) if t.id == theme.id)
            challenge = next(i for i in theme.items if i.id == challenge.id)
            for title, cooperation, text in options:
                cat.add_item(SYSTEM, theme, cat.ItemData(title, text, cooperation), now=step,
                             challenge=challenge)
                theme = next(t for t in themes_with_items(day) if t.id == theme.id)
                challenge = next(i for i in theme.items if i.id == challenge.id)
    setup.send_catalogue(SYSTEM, day, now=_local(2017, 3, 10, 9, 0),
                         files=[catalogue_attachment(day)])
    setup.open_vote(SYSTEM, day, now=at, version=None)
    db.session.flush()
    people = db.session.scalars(select(User).where(
        User.email.in_([email for email, _name, _org in POLITICIANS]))
        .options(joinedload(User.organisation), selectinload(User.grants)))
    by_email = {p.email: p for p in people}
    themes = themes_with_items(day)
    for n, (email, _name, _org) in enumerate(POLITICIANS):
        person = by_email.get(email)
        if person is None:
            continue
        for theme in themes:
            ids = [i.id for c in theme.items if c.parent_id is None
                   for i in (c, *c.solutions)]
            voting.save_picks(person, day, theme, _picks(n + theme.position, ids,
                                                         day.picks_per_theme),
                              now=at + timedelta(minutes=n))
    db.session.flush()
    return day
