"""The draft agreement of Rammeaftale 2018, its consultation in August–September 2017, the
responses and their processing. Data only; consultation.py loads it.

The sections retell the agreement's themes, focus areas and steering model in the
secretariat's own words. Times are Copenhagen wall-clock "YYYY-MM-DD HH:MM": all after the
demo clock's default (20.04.2017); the pages work out from the clock whether the consultation
is ahead, open or closed.
"""

from typing import Any

TEXT_TITLE = "Udkast til Rammeaftale 2018"
TEXT_WRITTEN = "2017-06-20 10:00"
FROZEN_AT = "2017-08-10 14:00"

# (heading, level, body); the headings are also how the final version and the processing
# below point at a section.
INTRO = "Indledning"
VISION = "Vision: borgerens mestring af eget liv"
FOCUS = "Tre fokusområder"
EMPLOYMENT = "Socialfagligt fokus på beskæftigelse"
PSYCHIATRY = "Samarbejde mellem kommunerne og behandlingspsykiatrien"
NEW_WAYS = "Nye samarbejdsformer"
STEERING = "Styringsaftalen"
RATES = "Takster og udgiftsudvikling"
ENHANCED = "Det forstærkede samarbejde"
FOLLOW_UP = "Organisering og opfølgning"

SECTIONS: list[tuple[str, int, str]] = [
    (INTRO, 1,
     "Rammeaftalen er de nordjyske kommuners og Region Nordjyllands fælles aftale om det "
     "specialiserede social- og specialundervisningsområde. Den består af en "
     "**udviklingsstrategi**, der peger på, hvad vi vil udvikle sammen, og en "
     "**styringsaftale**, der fastlægger, hvordan vi køber og sælger pladser hos hinanden.\n\n"
     "Aftalen bygger på drøftelserne på workshoppen i februar og den politiske temadag i "
     "april. Den skal godkendes af alle 11 kommunalbestyrelser og regionsrådet senest "
     "15. oktober 2017."),
    (VISION, 1,
     "Borgeren skal have mulighed for at leve et så selvstændigt liv som muligt. Tilbuddene "
     "skal understøtte, at borgeren selv kan tage ansvar for egen hverdag, uddannelse, arbejde "
     "og relationer – og ikke kun kompensere for det, borgeren ikke kan."),
    (FOCUS, 1,
     "Visionen omsættes i tre fokusområder, som kommunerne og regionen arbejder med i hele "
     "aftaleperioden. For hvert område beskrives baggrunden og de første initiativer."),
    (EMPLOYMENT, 2,
     "Mange borgere i målgruppen er langt fra arbejdsmarkedet. Vi vil styrke samarbejdet "
     "mellem socialområdet og beskæftigelsesområdet, så det socialfaglige arbejde også sigter "
     "mod uddannelse, job eller meningsfuld beskæftigelse.\n\n"
     "- kortlægning af gode erfaringer i de nordjyske kommuner\n"
     "- fælles temadag for sagsbehandlere fra begge områder"),
    (PSYCHIATRY, 2,
     "En stor del af borgerne på socialområdet er samtidig i kontakt med "
     "behandlingspsykiatrien. Overgangene mellem indlæggelse, udskrivning og kommunale "
     "tilbud skal hænge bedre sammen, så borgeren ikke falder mellem to stole."),
    (NEW_WAYS, 2,
     "Kommunerne og regionen vil afprøve nye måder at samarbejde på, fx fælles tilbud på "
     "tværs af kommunegrænser og aftaler, der belønner, at borgeren bliver mere selvhjulpen."),
    (STEERING, 1,
     "Styringsaftalen beskriver principperne for takstberegning, betaling, opsigelse af "
     "pladser og kapacitetsudvikling for de kommunale og regionale tilbud i Nordjylland."),
    (RATES, 2,
     "Taksterne skal være omkostningsbaserede og sammenlignelige. Kommunerne og regionen "
     "fortsætter den aftalte reduktion af udgifterne pr. plads med 1,0 % om året, halvdelen "
     "over taksterne og halvdelen gennem dialog mellem køber og sælger."),
    (ENHANCED, 2,
     "Seks højt specialiserede tilbud er omfattet af et forstærket samarbejde, fordi de kun "
     "kan drives, hvis hele regionen bruger dem. Ordningen vurderes hvert andet år."),
    (FOLLOW_UP, 1,
     "Den Administrative Styregruppe (DAS) har ansvaret for at følge aftalen. "
     "Sekretariatet for Rammeaftaler samler status på fokusområderne en gang om året."),
]

# The final version: what the processed responses changed, by heading.
FINAL_LABEL = "Endelig"
FINAL_WRITTEN = "2017-09-14 10:00"
FINAL_CHANGES: dict[str, str] = {
    EMPLOYMENT:
        "Mange borgere i målgruppen er langt fra arbejdsmarkedet. Vi vil styrke samarbejdet "
        "mellem socialområdet og beskæftigelsesområdet, så det socialfaglige arbejde også "
        "sigter mod uddannelse, job eller meningsfuld beskæftigelse.\n\n"
        "- kortlægning af gode erfaringer i de nordjyske kommuner\n"
        "- fælles temadag for sagsbehandlere fra begge områder\n"
        "- brugerorganisationerne inddrages i kortlægningen og i temadagen",
    PSYCHIATRY:
        "En stor del af borgerne på socialområdet er samtidig i kontakt med "
        "behandlingspsykiatrien. Overgangene mellem indlæggelse, udskrivning og kommunale "
        "tilbud skal hænge bedre sammen, så borgeren ikke falder mellem to stole.\n\n"
        "Initiativerne får konkrete milepæle, så DAS kan følge, om samarbejdet bliver bedre.",
    FOLLOW_UP:
        "Den Administrative Styregruppe (DAS) har ansvaret for at følge aftalen og udvælger "
        "hvert år, hvilke initiativer der skal prioriteres og forelægges politisk. "
        "Sekretariatet for Rammeaftaler samler status på fokusområderne en gang om året.",
}

CONSULTATION: dict[str, Any] = {
    "title": "Høring over udkast til Rammeaftale 2018",
    "created": "2017-08-10 15:00",
    "opened": "2017-08-14 08:00",
    "starts": "2017-08-14 08:00",
    "ends": "2017-09-11 12:00",
    "letter": (
        "Hermed sendes udkastet til Rammeaftale 2018 i høring hos kommunerne, regionen og "
        "brugerorganisationerne.\n\n"
        "Kommentér gerne de enkelte afsnit. Høringssvarene indgår i det endelige udkast, som "
        "forelægges byrådene og regionsrådet til godkendelse."
    ),
    # Who is consulted: every organisation of these kinds in the region.
    "kinds": ["municipality", "region", "user_organisation"],
    # Consulted without an account: they answer through their personal link.
    "external": [("Landsforeningen Autisme, Nordjylland", "nordjylland@autisme.example")],
}

# One party's response: (organisation, person, events). An event is ("save"|"submit", when) or
# ("no_comments", when). Comments are (section heading, text); attachments (file name, lines).
RESPONSES: list[dict[str, Any]] = [
    {
        "organisation": "Aalborg Kommune", "person": "aalborg@nordjylland.example",
        "events": [("save", "2017-08-29 13:10"), ("submit", "2017-09-05 09:30")],
        "general": (
            "Ældre- og Handicapforvaltningen takker for udkastet. Vi finder det rigtigt, at "
            "fokusområderne bygger på workshoppens og temadagens drøftelser. Det er dog "
            "vigtigt, at områderne bliver politisk vedkommende og ikke ender som rent "
            "administrative opgaver. DAS bør derfor have en tydelig rolle i at følge op og "
            "prioritere initiativerne."
        ),
        "comments": [
            (PSYCHIATRY, "Initiativerne bør have konkrete milepæle, så det kan følges, om "
                         "samarbejdet med behandlingspsykiatrien faktisk bliver bedre."),
            (FOLLOW_UP, "Beskriv, at DAS hvert år udvælger, hvilke initiativer der skal "
                        "prioriteres og forelægges det politiske niveau."),
        ],
        "attachments": [("Aalborg Kommune - høringssvar.pdf", [
            "Aalborg Kommune, Ældre- og Handicapforvaltningen",
            "Høringssvar til udkast til Rammeaftale 2018",
            "Fokusområderne skal have politisk substans; DAS følger op.",
        ])],
    },
    {
        "organisation": "Hjørring Kommune", "person": "hjoerring@nordjylland.example",
        "events": [("no_comments", "2017-08-22 11:00")],
    },
    {
        "organisation": "Danske Handicaporganisationer Nordjylland",
        "person": "brugerorg@nordjylland.example",
        "events": [("submit", "2017-09-08 15:45")],
        "general": (
            "Vi er glade for visionen om borgerens mestring af eget liv og for, at "
            "beskæftigelse er et fokusområde."
        ),
        "comments": [
            (EMPLOYMENT, "Inddrag brugerorganisationerne, når gode erfaringer kortlægges – "
                         "vi kender borgernes egne oplevelser af vejen mod job."),
            (RATES, "Vi er bekymrede for, at den fortsatte reduktion af udgifterne går ud "
                    "over kvaliteten i tilbuddene."),
        ],
        "attachments": [],
    },
    {
        "organisation": "Region Nordjylland", "person": "region@nordjylland.example",
        "events": [("submit", "2017-09-11 10:15")],
        "general": "",
        "comments": [
            (ENHANCED, "Regionen foreslår, at vurderingen af det forstærkede samarbejde "
                       "også ser på ventetiderne til tilbuddene."),
        ],
        "attachments": [],
    },
]

# The secretariat's processing, after the deadline, by organisation. Points follow the
# response's comments in order: (outcome, reason, changed section heading or None). The
# region's response is left for the secretariat to process.
PROCESSED_AT = "2017-09-14 14:00"
PROCESSING: dict[str, dict[str, Any]] = {
    "Aalborg Kommune": {
        "summary": "Aalborg Kommune støtter fokusområderne, men ønsker, at de får politisk "
                   "substans, og at DAS følger op og prioriterer.",
        "comment": "Bemærkningerne er imødekommet i afsnittene om behandlingspsykiatrien og "
                   "om organisering og opfølgning.",
        "outcome": "incorporated", "reason": "",
        "points": [("incorporated", "", PSYCHIATRY), ("incorporated", "", FOLLOW_UP)],
    },
    "Hjørring Kommune": {
        "summary": "", "comment": "", "outcome": None, "reason": "", "points": [],
    },
    "Danske Handicaporganisationer Nordjylland": {
        "summary": "DH Nordjylland støtter visionen og ønsker at blive inddraget i arbejdet "
                   "med beskæftigelse; organisationen er bekymret for reduktionen af "
                   "udgifterne.",
        "comment": "Inddragelsen er skrevet ind. Reduktionen af udgifterne fastholdes.",
        "outcome": "partly",
        "reason": "Udgiftsreduktionen er aftalt for hele perioden 2017–2020.",
        "points": [
            ("incorporated", "", EMPLOYMENT),
            ("not_incorporated", "Reduktionen er aftalt af alle kommuner og regionen for "
                                 "perioden 2017–2020; kvaliteten følges i dialogen mellem "
                                 "køber og sælger.", None),
        ],
    },
}
