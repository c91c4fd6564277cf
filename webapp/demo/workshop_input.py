"""The demo's workshop input (issue 13): what several theme groups of the 6 February 2017
workshop recorded, in paraphrase of the region's development strategy, and the 14-theme
prioritisation list the strategy group made of the ten themes, with groups, recommendations and
short rationales.

Not yet called by the demo command: the merge calls `seed_input` after the sign-up part's
seed, which creates the workshop, its sessions and themes. Until then (and in tests) this
module writes those rows itself when it finds none, and otherwise finds them by title.
Idempotent: a theme that has input gets none, a list that exists is left alone.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ..extensions import db
from ..models import (
    Cycle,
    InputItem,
    InputKind,
    ListTheme,
    Milestone,
    MilestoneKind,
    RecommendationLabel,
    Role,
    RoleGrant,
    User,
    Workshop,
    WorkshopSession,
    WorkshopTheme,
)
from ..permissions import SYSTEM, Actor
from ..permissions.workshop_input import ThemeInput
from ..workflows.workshops import input as input_flow
from ..workflows.workshops import theme_list as list_flow

WORKSHOP_TITLE = "Workshop om udviklingsstrategien 2018"

SESSIONS = {
    "Mestring af eget liv": ["Rehabilitering", "Velfærdsteknologi", "Fokus på beskæftigelse",
                             "Sociale relationer", "Forskning, metode og evidens"],
    "Målgrupper – konkrete udfordringer": [
        "Flere hjemløse", "Flere ældre med handicap",
        "Flere børn og unge med selvskadende adfærd",
        "Skolegang for børn og unge med autisme og ADHD",
        "Snitflader til behandlingspsykiatrien"],
}

C, A = InputKind.CHALLENGE, InputKind.ACTION

# theme -> (kind, sub-heading, text), in paraphrase of the strategy's appendix.
INPUT: dict[str, list[tuple[InputKind, str, str]]] = {
    "Velfærdsteknologi": [
        (C, "Målgrupperne", "Målgrupperne er små, så viden om deres behov ligger spredt; det "
                            "kræver samarbejde på tværs af organisationerne."),
        (C, "Målgrupperne", "Udbuddet er stort og udvikler sig hurtigt, så det er svært at "
                            "finde den løsning, der passer til borgerens behov."),
        (C, "Organisering og implementering", "Vi begynder ofte i den forkerte ende: "
         "teknologien vælges for at spare, ikke for borgerens mestring – det gør det svært "
         "for medarbejderne at tage den til sig."),
        (C, "Organisering og implementering", "Udvikling og implementering er dyr og tager "
                                              "lang tid."),
        (A, "Samle viden", "Saml viden hos nøglepersoner, der kan afprøve og udfordre det, vi "
                           "tror, vi har brug for – med borgere og medarbejdere i processen."),
        (A, "Organisering", "Organiser arbejdet med velfærdsteknologi på tværs af kommunerne "
                            "og regionen, evt. målgruppe for målgruppe, og kobl det til "
                            "virksomheder og forskning."),
    ],
    "Rehabilitering": [
        (C, "Forståelsen af rehabilitering", "Begrebet forstås forskelligt efter lovgivning, "
         "faggruppe og sektor, så man taler forbi hinanden."),
        (C, "Forståelsen af rehabilitering", "Uden en fælles forståelse er der risiko for "
                                             "afspecialisering."),
        (C, "På tværs af områderne", "Hurtigere udskrivninger fra sundhedsområdet giver "
                                     "kommunerne nye og flere opgaver."),
        (A, "Uddannelse på tværs", "Sæt metode på rehabilitering gennem fælles uddannelse på "
                                   "tværs af kommuner og sektorer."),
        (A, "Tværfagligt visitationsudvalg", "Et tværfagligt udvalg i hver kommune (social, "
         "skole, beskæftigelse, sundhed og evt. driftsherrer), der lægger én samlet plan for "
         "borgeren og følger op."),
        (A, "Samarbejde om udskrivninger", "Et kortvarigt udslusningstilbud og lettere adgang "
                                           "tilbage til den udskrivende enhed."),
    ],
    "Fokus på beskæftigelse": [
        (C, "", "Mange virksomheder, især de små, finder det ikke attraktivt at ansætte en "
                "person med handicap, og vejen dertil er uigennemsigtig."),
        (C, "", "Beskyttet beskæftigelse kan blive en samlekasse for borgere med meget "
                "forskellige behov."),
        (C, "", "Kommunerne deler for lidt viden om, hvordan man driver et godt "
                "beskæftigelsestilbud."),
        (A, "Erhvervslivet", "Kommunal konsulentbistand og kompetenceudvikling til "
                             "arbejdsgivere og kolleger; fortæl de gode historier."),
        (A, "På tværs af kommunerne", "Brug hinandens beskæftigelsestilbud, og nedsæt en "
                                      "tværkommunal taskforce for job og kompetencer."),
    ],
    "Sociale relationer": [
        (C, "", "Socialt udsatte borgere og familier med børn med særlige behov bliver let "
                "isolerede; netværket bygges ofte kun om diagnosen eller problemet."),
        (C, "", "Pårørende med få ressourcer har svært ved at komme frem og tilbage til "
                "borgeren."),
        (A, "", "Brug frivillige, besøgsvenner og mentorordninger, fx til at hjælpe unge ind i "
                "en forening."),
        (A, "", "Uddannelse til pårørende og frivillige."),
    ],
    "Forskning, metode og evidens": [
        (C, "", "Viden om, hvad der virker, er svær at få fat i og bliver ikke brugt "
                "systematisk."),
        (C, "", "At arbejde vidensbaseret kræver en kulturændring, som tager tid og "
                "ressourcer."),
        (A, "", "En fælles vidensbank og erfagrupper om viden og vidensdeling."),
        (A, "", "Et struktureret samarbejde med forskningsmiljøerne (UCN, universitetet) og "
                "fælles ansøgninger."),
    ],
}

# The 14 themes: (title, the workshop theme it came from or None for plenary, group,
# recommendation, rationale).
MESTRING = "Borgerens mestring af eget liv"
MAALGRUPPER = "Målgrupper – konkrete udfordringer"
LIST: list[tuple[str, str | None, str, str, str]] = [
    ("Velfærdsteknologi", "Velfærdsteknologi", MESTRING, "Anbefales ikke",
     "Arbejdet foregår allerede lokalt og i andre fora; et fælles spor giver ikke nok merværdi."),
    ("Rehabilitering", "Rehabilitering", MESTRING, "Anbefales",
     "Bred opbakning på workshoppen og en klar fælles opgave: en fælles forståelse på tværs."),
    ("Fokus på beskæftigelse", "Fokus på beskæftigelse", MESTRING, "Anbefales",
     "Konkrete tiltag på tværs af kommunerne, som kan sættes i gang inden for rammeaftalen."),
    ("Sociale relationer", "Sociale relationer", MESTRING, "Anbefales ikke",
     "Vigtigt, men løses bedst lokalt sammen med frivillige og civilsamfundet."),
    ("Hvad virker – forskning, metode og evidens", "Forskning, metode og evidens", MESTRING,
     "Anbefales ikke", "Indgår i temaet Vidensdeling."),
    ("Flere hjemløse", "Flere hjemløse", MAALGRUPPER, "Anbefales ikke",
     "Følges i den nationale koordination og de lokale hjemløsestrategier."),
    ("Flere ældre med handicap", "Flere ældre med handicap", MAALGRUPPER, "Anbefales ikke",
     "Udviklingen følges gennem kapacitetsskemaerne; ikke behov for et særskilt spor nu."),
    ("Flere børn og unge med selvskadende adfærd", "Flere børn og unge med selvskadende adfærd",
     MAALGRUPPER, "Anbefales ikke", "Gruppen var lille; temaet tages op igen ved næste "
                                    "kortlægning."),
    ("Skolegang for børn og unge med autisme og ADHD",
     "Skolegang for børn og unge med autisme og ADHD", MAALGRUPPER, "Anbefales ikke",
     "Hører under specialundervisningen og den enkelte kommunes skolevæsen."),
    ("Samarbejde mellem kommunerne og behandlingspsykiatrien",
     "Snitflader til behandlingspsykiatrien", MAALGRUPPER, "Anbefales",
     "Snitfladerne giver problemer i alle kommuner; kræver fælles aftaler med regionen."),
    ("Vidensdeling", None, "Tværgående temaer", "Anbefales (DAS/politisk?)",
     "Gik igen i flere grupper; omfanget afhænger af Direktørkredsens prioritering."),
    ("Koordinering af tilbudsviften", None, "Tværgående temaer", "Anbefales (DAS/politisk?)",
     "Rejst i plenum; kræver en politisk drøftelse af fælles planlægning."),
    ("Økonomiske incitamenter", None, "Incitamenter og styring", "Anbefales (DAS/politisk?)",
     "Rejst i plenum; takst- og finansieringsmodeller er et politisk spørgsmål."),
    ("Nye samarbejdsformer", None, "Incitamenter og styring", "Anbefales (DAS/politisk?)",
     "Rejst i plenum; afhænger af viljen til forpligtende samarbejde."),
]


def seed_input(cycle: Cycle, now: datetime) -> Workshop:
    """The workshop's input and its 14-theme list, on `cycle` (its workshop found by title or
    made). Written as a secretariat person of the region, through the workflows."""
    workshop = _workshop(cycle, now)
    themes = {t.title: t for t in _themes(workshop)}
    actor = _secretariat(cycle.region_id)
    with_input = set(db.session.scalars(select(InputItem.theme_id).where(
        InputItem.theme_id.in_([t.id for t in themes.values()]))))
    for title, entries in INPUT.items():
        theme = themes.get(title)
        if theme is None or theme.id in with_input:
            continue
        access = ThemeInput(theme, workshop)
        for kind, heading, body in entries:
            input_flow.add_item(actor, access, kind=kind, heading=heading, body=body,
                                now=now)
    db.session.flush()
    if db.session.scalar(select(ListTheme.id).where(ListTheme.workshop_id == workshop.id)
                         .limit(1)) is None:
        _build_list(actor, workshop, themes, now)
    db.session.flush()
    return workshop


def _build_list(actor: Actor, workshop: Workshop, themes: dict[str, WorkshopTheme],
                now: datetime) -> None:
    list_flow.build_list(actor, workshop, now=now)
    db.session.flush()
    labels = {label.name: label.id for label in db.session.scalars(
        select(RecommendationLabel).where(RecommendationLabel.region_id == workshop.region_id))}
    by_source = {made.sources[0].theme_id: made for made in db.session.scalars(
        select(ListTheme).where(ListTheme.workshop_id == workshop.id)
        .options(selectinload(ListTheme.sources))) if made.sources}
    for title, source, group, label, rationale in LIST:
        theme = themes.get(source) if source is not None else None
        found = by_source.get(theme.id) if theme is not None else None
        if found is not None:
            entry = found
        else:
            entry = list_flow.add_plenary(actor, workshop, title=title, group_name=group,
                                          now=now)
            db.session.flush()
        list_flow.update_theme(actor, workshop, entry, list_flow.Placement(
            title=title, group_name=group, label_id=labels.get(label), rationale=rationale),
            version=entry.version_id, now=now)
        db.session.flush()


def _secretariat(region_id: int) -> Actor:
    person = db.session.scalar(
        select(User).join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.region_id == region_id, RoleGrant.role == Role.SECRETARIAT,
               User.active.is_(True))
        .options(selectinload(User.grants), joinedload(User.organisation))
        .order_by(User.id).limit(1))
    return person if person is not None else SYSTEM


def _workshop(cycle: Cycle, now: datetime) -> Workshop:
    """The cycle's workshop (the sign-up seed's, by title, or the only one), else a new one on
    the cycle's workshop milestone."""
    found = list(db.session.scalars(select(Workshop).where(Workshop.cycle_id == cycle.id)
                                    .options(joinedload(Workshop.cycle))))
    named = [w for w in found if w.title == WORKSHOP_TITLE] or found[:1]
    if named:
        return named[0]
    milestone = db.session.scalar(select(Milestone).where(
        Milestone.cycle_id == cycle.id, Milestone.kind == MilestoneKind.WORKSHOP).limit(1))
    day = datetime(2017, 2, 6, 8, 0, tzinfo=now.tzinfo)  # 09.00 in Copenhagen
    if milestone is None:
        milestone = Milestone(cycle_id=cycle.id, kind=MilestoneKind.WORKSHOP,
                              title="Workshop", starts_at=day, ends_at=day + timedelta(hours=7),
                              place="Aalborg", description="", audience=[], is_public=True)
        db.session.add(milestone)
        db.session.flush()
    workshop = Workshop(cycle_id=cycle.id, milestone_id=milestone.id, title=WORKSHOP_TITLE,
                        programme="", signup_deadline=day - timedelta(days=10),
                        input_deadline=day + timedelta(days=14))
    workshop.cycle = cycle
    db.session.add(workshop)
    db.session.flush()
    return workshop


def _themes(workshop: Workshop) -> list[WorkshopTheme]:
    """The workshop's themes; the ten of 2018 made in their sessions where missing."""
    sessions = list(db.session.scalars(select(WorkshopSession).where(
        WorkshopSession.workshop_id == workshop.id)))
    themes = list(db.session.scalars(select(WorkshopTheme).where(
        WorkshopTheme.workshop_id == workshop.id)))
    if themes:
        return themes
    for position, (title, titles) in enumerate(SESSIONS.items(), start=1):
        session = next((s for s in sessions if title in s.title), None)
        if session is None:
            session = WorkshopSession(workshop_id=workshop.id, title=f"Session {position}: "
                                      f"{title}", position=position,
                                      picks_min=2 if position == 1 else 1,
                                      picks_max=2 if position == 1 else 1)
            db.session.add(session)
            db.session.flush()
        for index, name in enumerate(titles):
            theme = WorkshopTheme(workshop_id=workshop.id, session_id=session.id, title=name,
                                  position=index)
            db.session.add(theme)
            themes.append(theme)
    db.session.flush()
    return themes
