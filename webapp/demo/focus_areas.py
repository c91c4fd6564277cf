"""The demo's focus areas: the three focus areas of Nordjysk Socialaftale 2018–2020 that came out
of the political theme day, each with its vision, background and initiatives a)–c) with a lead
organisation ("tovholder"), and a few status reports from the agreement period. Written through
the workflows as the system, like the rest of the demo; skipped when the cycle has focus areas.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select

from ..extensions import db
from ..formatting import LOCAL_TZ
from ..models import Cycle, FocusArea, Initiative, InitiativeStatus, Organisation
from ..permissions import SYSTEM
from ..workflows import focus_areas as flow

AREAS: list[dict[str, Any]] = [
    {
        "title": "Socialfagligt fokus på beskæftigelse",
        "vision": "Alle borgere skal have mulighed for et meningsfuldt arbejdsliv. De nordjyske "
                  "kommuner understøtter det med mere socialfaglig indsats, der styrker "
                  "borgerens evne til at mestre sit eget liv.",
        "background": "De fleste borgere ønsker at være en del af et arbejdsfællesskab, men for "
                      "mange er det ikke nok at arbejde med de beskæftigelsesrettede "
                      "færdigheder. Personlige, psykiske og sociale udfordringer skal med i "
                      "indsatsen.\n\nOver halvdelen af de unge under 30 år, der ikke er "
                      "jobparate, har været i kontakt med behandlingspsykiatrien. For nogle "
                      "borgere er målet et ordinært job, for andre mere livskvalitet og "
                      "selvstændighed i et aktivitets- eller beskyttet beskæftigelsestilbud.",
        "initiatives": [
            ("Kortlægning af, hvorfor unge under 30 år uden for jobparathed ofte er i kontakt "
             "med behandlingspsykiatrien",
             "Kortlægningen skal pege på tiltag, der kan styrke de unges mestring og "
             "muligheder for beskæftigelse.", "Aalborg Kommune"),
            ("Erfaringer med helhedsorienterede indsatser på tværs af kommunernes forvaltninger",
             "Hvordan fremmer en samlet indsats borgerens tilknytning til arbejdsmarkedet?",
             "Hjørring Kommune"),
            ("Effekten af sociale støttetiltag for borgere i virksomhedsrettede tilbud",
             "Det undersøges, hvilke former for social støtte der virker for borgere i "
             "virksomhedspraktik og lignende tilbud.", "Jammerbugt Kommune"),
        ],
    },
    {
        "title": "Samarbejde mellem kommunerne og behandlingspsykiatrien",
        "vision": "Borgeren skal opleve et sammenhængende forløb mellem behandlingspsykiatrien "
                  "og socialpsykiatrien. Kommunerne og regionen styrker dialogen og "
                  "samarbejdet i alle dele af forløbet.",
        "background": "Mere end 40 pct. af de borgere, der får ydelser efter serviceloven, har "
                      "psykiske lidelser, og mange af dem er på et tidspunkt i kontakt med "
                      "behandlingspsykiatrien. Flere kommuner efterspørger mere fokus på "
                      "snitfladerne mellem sektorerne.\n\nEn mere sammenhængende overgang "
                      "kræver tæt dialog før, under og efter en indlæggelse. Arbejdet med de "
                      "særlige psykiatriske pladser har sat gang i det; aftalen udbreder "
                      "fokus til flere overgange.",
        "initiatives": [
            ("Tiltag, der forebygger genindlæggelser",
             "Det undersøges, hvilke tiltag – også fælles tiltag på tværs af sektorerne – der "
             "forebygger genindlæggelser, og de mest relevante sættes i gang.",
             "Region Nordjylland"),
            ("Tydeligere sammenhæng mellem Sundhedsaftalen og Socialaftalen",
             "Der skal være klare aftaler om snitfladerne mellem socialområdet og psykiatrien.",
             "Frederikshavn Kommune"),
            ("Kommunerne med under indlæggelsen, psykiatrien med i forebyggelse og opfølgning",
             "Kommunerne inddrages mere, mens borgeren er indlagt, og behandlingspsykiatrien "
             "mere i det forebyggende og opfølgende kommunale arbejde.", "Thisted Kommune"),
        ],
    },
    {
        "title": "Nye samarbejdsformer",
        "vision": "Kommunerne og regionen udvikler og afprøver nye måder at samarbejde på, som "
                  "både giver borgeren mere egenmestring og passer til områdets økonomiske "
                  "rammer.",
        "background": "Det specialiserede socialområde er under pres, både økonomisk og fagligt. "
                      "Skal visionen om egenmestring og de to andre fokusområder lykkes, må "
                      "samarbejdet på tværs af kommunegrænserne tænkes nyt – fx med stærkere "
                      "incitamenter for leverandørerne eller udkørende teams og ambulante "
                      "ydelser tæt på borgeren.\n\nSamarbejdsformerne udvikles, afprøves og "
                      "evalueres løbende, så der ved udgangen af 2020 er en vifte af afprøvede "
                      "modeller.",
        "initiatives": [
            ("Udvikling og afprøvning af nye samarbejdsformer",
             "Samarbejdsformerne kan handle om effektivitet, faglighed, vidensdeling eller "
             "incitamenter til at arbejde med borgerens egenmestring.", "Aalborg Kommune"),
            ("Evaluering af de afprøvede samarbejdsformer",
             "Kan de blive en varig del af samarbejdet? De vurderes økonomisk, juridisk, "
             "organisatorisk og socialfagligt.", "Sekretariat for Rammeaftaler"),
            ("En enkel infrastruktur for vidensdeling",
             "Vidensdelingen skal understøttes uden at kræve mange ressourcer af kommunerne og "
             "regionen.", "Mariagerfjord Kommune"),
        ],
    },
]

# (area, initiative index, status, report, date): in date order.
REPORTS: list[tuple[int, int, InitiativeStatus, str, date]] = [
    (2, 0, InitiativeStatus.IN_PROGRESS,
     "Tre kommuner afprøver fælles modeller for udkørende teams.", date(2018, 6, 1)),
    (0, 0, InitiativeStatus.IN_PROGRESS,
     "Kortlægningen er i gang. Data fra fem kommuner er samlet ind.", date(2018, 9, 14)),
    (1, 0, InitiativeStatus.IN_PROGRESS,
     "En tværsektoriel arbejdsgruppe gennemgår forløb med genindlæggelser.",
     date(2018, 11, 20)),
    (1, 1, InitiativeStatus.DONE,
     "Snitfladerne er beskrevet og indarbejdet i Sundhedsaftalens samarbejdsaftaler.",
     date(2019, 1, 15)),
    (0, 0, InitiativeStatus.DONE,
     "Kortlægningen er færdig og drøftet i DAS. Anbefalingerne følges op i 2019.",
     date(2019, 3, 1)),
]


def _noon(day: date) -> datetime:
    return datetime.combine(day, time(12, 0), tzinfo=LOCAL_TZ)


def seed_focus_areas(cycle: Cycle, at: datetime) -> list[FocusArea]:
    """The three focus areas on `cycle` (written `at`) and the status reports; nothing when the
    cycle has focus areas already. The caller commits."""
    if db.session.scalar(select(FocusArea.id).where(FocusArea.cycle_id == cycle.id)) is not None:
        return []
    orgs = {o.name: o.id for o in db.session.scalars(
        select(Organisation).where(Organisation.region_id == cycle.region_id))}
    areas: list[FocusArea] = []
    initiatives: list[list[Initiative]] = []
    for spec in AREAS:
        area = flow.create_area(SYSTEM, cycle, flow.AreaData(
            spec["title"], spec["vision"], spec["background"]), now=at)
        areas.append(area)
        initiatives.append([flow.create_initiative(SYSTEM, area, flow.InitiativeData(
            title, description, orgs.get(lead)), now=at)
            for title, description, lead in spec["initiatives"]])
    for a, i, status, report, day in REPORTS:
        initiative = initiatives[a][i]
        flow.report_status(SYSTEM, initiative, status=status, report=report, reported_on=day,
                           now=max(_noon(day), at), version=initiative.version_id)
    db.session.flush()
    return areas
