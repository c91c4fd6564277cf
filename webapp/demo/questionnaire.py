"""The Nordjylland capacity questionnaire for Rammeaftale 2018 and its answers. Data only.

Sources: the domain facts, "Capacity questionnaires": the target groups, the 1–5 question
with "Ved ikke" and a required explanation for 1–2, "Besvarelsen er foretaget af". The place
counts are invented but plausible: roughly 21 residential and 21 day places per 10,000
inhabitants across the adult groups (the region reported 2,643 places in 2016), so Aalborg
answers in hundreds and Læsø in ones.

Times are Copenhagen wall-clock "YYYY-MM-DD HH:MM", all before the demo clock (20.04.2017).
"""

from typing import Any

DONT_KNOW = "dont_know"

# Target groups the secretariat maintains, in the order the forms show them.
ADULT_GROUPS = [
    "Fysisk funktionsnedsættelse",
    "Hjerneskade (medfødt/erhvervet)",
    "Udviklingsforstyrrelser (autisme)",
    "Udviklingshæmning",
    "Anden intellektuel/kognitiv forstyrrelse",
    "Psykiske vanskeligheder inkl. sindslidelse",
    "Multiple funktionsnedsættelser",
    "Sjældent forekommende funktionsnedsættelser",
    "Hjemløshed",
    "Overgreb inkl. voldsramte kvinder",
    "Misbrug",
    "Øvrige svære sociale problemer",
]
CHILD_GROUPS = [
    "Børn og unge med handicap",
    "Børn og unge med sindslidelse",
    "Børn og unge med spiseforstyrrelser",
]
TARGET_GROUPS = {"adults": ADULT_GROUPS, "children_youth": CHILD_GROUPS}
GROUPS_CREATED = "2017-02-13 09:00"

# Addressed to the organisation that answers ("I", "jeres"): municipalities and the region answer
# the same questionnaire, so no text may assume a municipality.
COHERENCE_QUESTION = ("I hvilken grad oplever I sammenhæng mellem jeres behov for specialiserede "
                      "tilbud og det samlede udbud?")

# Every grid row: (døgn, dag, behov, sammenhæng, bemærkning); None is no answer.
GRID_COLUMNS = [
    {"key": "doegn", "label": "Pladser i dag – døgn", "type": "integer", "min": 0},
    {"key": "dag", "label": "Pladser i dag – dag", "type": "integer", "min": 0},
    {"key": "behov", "label": "Forventet behov næste år", "type": "integer", "min": 0},
    {"key": "sammenhaeng", "label": "Sammenhæng mellem behov og udbud", "type": "scale",
     "allow_dont_know": True},
    {"key": "bemaerkning", "label": "Bemærkning", "type": "text",
     "required_when": {"column": "sammenhaeng", "in": [1, 2]}},
]
GRID_HELP = (
    "Pladser i dag: de pladser I bruger nu, i egne og andres tilbud. Sammenhæng: "
    + COHERENCE_QUESTION + " 1 = laveste, 5 = højeste, eller “Ved ikke”. Svarer I 1 eller 2, "
    "skal I i “Bemærkning” skrive, hvilken type tilbud det drejer sig om og antal pladser."
)

QUESTIONNAIRE: dict[str, Any] = {
    "title": "Kapacitetsspørgeskema 2018",
    "milestone": "Kommunale redegørelser (kapacitetsspørgeskema)",
    "built_at": "2017-02-20 10:00",
    "intro": (
        "Kommunernes og regionens redegørelse til Rammeaftale 2018: behov og udbud af pladser "
        "på det specialiserede social- og specialundervisningsområde, forventet efterspørgsel, "
        "planer om at oprette, lukke eller ændre tilbud, og de tendenser og udfordringer I ser. "
        "Fristen er 1. maj."
    ),
    "sections": [
        {
            "title": "Om besvarelsen",
            "description": "Hvem kan sekretariatet kontakte om jeres besvarelse?",
            "questions": [
                {"key": "kontaktperson", "type": "short_text", "required": True,
                 "label": "Kontaktperson (navn og stilling)"},
                {"key": "kontakt_email", "type": "short_text",
                 "label": "Kontaktpersonens e-mail", "config": {"format": "email"}},
                {"key": "kontakt_telefon", "type": "short_text",
                 "label": "Kontaktpersonens telefon"},
            ],
        },
        {
            "title": "Voksne: behov og udbud",
            "description": "Én linje pr. målgruppe. Lad felter stå tomme, hvis I ikke har "
                           "borgere i målgruppen.",
            "questions": [
                {"key": "voksne", "type": "grid", "required": True,
                 "label": "Behov og udbud for voksne", "help_text": GRID_HELP,
                 "config": {"audience": "adults", "columns": GRID_COLUMNS}},
            ],
        },
        {
            "title": "Børn og unge: behov og udbud",
            "description": "Børn og unge spørges for sig, fordi tilbuddene er andre.",
            "questions": [
                {"key": "boern_unge", "type": "grid", "required": True,
                 "label": "Behov og udbud for børn og unge", "help_text": GRID_HELP,
                 "config": {"audience": "children_youth", "columns": GRID_COLUMNS}},
            ],
        },
        {
            "title": "Udvikling og planer",
            "description": "",
            "questions": [
                {"key": "forventede_aendringer", "type": "long_text",
                 "label": "Forventede ændringer",
                 "help_text": "Hvilke ændringer i behovet for pladser forventer I de næste "
                              "1–2 år, og hvorfor?"},
                {"key": "planer", "type": "yes_no", "required": True,
                 "label": "Planer om at oprette, lukke eller ændre tilbud"},
                {"key": "planer_beskrivelse", "type": "long_text",
                 "label": "Beskriv planerne",
                 "help_text": "Hvilke tilbud, hvor mange pladser, og hvornår. Skal udfyldes, "
                              "når I har svaret ja.",
                 "condition": {"question": "planer", "in": [True]}},
                {"key": "tendenser", "type": "long_text", "label": "Tendenser og udfordringer"},
                {"key": "efterspoergsel", "type": "single_choice",
                 "label": "Udvikling i efterspørgslen",
                 "help_text": "Efterspørgslen efter specialiserede tilbud samlet set.",
                 "config": {"choices": ["Stigende", "Uændret", "Faldende"]}},
                {"key": "samlet", "type": "scale", "label": "Samlet vurdering",
                 "help_text": COHERENCE_QUESTION + " Samlet set for alle målgrupper.",
                 "config": {"allow_dont_know": True}},
            ],
        },
    ],
}

# What each organisation did. "events": ("save" | "submit", when[, only these question keys])
# and ("reopen", when, reason) by the secretariat. Recipients not listed have not started.
RESPONSES: list[dict[str, Any]] = [
    {
        "organisation": "Aalborg Kommune",
        "person": "aalborg@nordjylland.example",
        "events": [
            ("save", "2017-03-14 09:12", ("kontaktperson", "kontakt_email", "voksne")),
            ("save", "2017-03-29 13:40"),
            ("submit", "2017-04-05 10:25"),
        ],
        "answers": {
            "kontaktperson": "Anders Aalborg, chefkonsulent, Handicap og Psykiatri",
            "kontakt_email": "aalborg@nordjylland.example",
            "voksne": {
                "Fysisk funktionsnedsættelse": (19, 24, 44, 5, None),
                "Hjerneskade (medfødt/erhvervet)": (23, 26, 51, 4, None),
                "Udviklingsforstyrrelser (autisme)": (50, 32, 90, 3, None),
                "Udviklingshæmning": (143, 164, 309, 3, None),
                "Anden intellektuel/kognitiv forstyrrelse": (30, 29, 64, 3, None),
                "Psykiske vanskeligheder inkl. sindslidelse": (
                    91, 105, 211, 2,
                    "Der mangler ca. 15 pladser i botilbud efter servicelovens § 108 til "
                    "borgere med svær sindslidelse; 22 borgere står på venteliste."),
                "Multiple funktionsnedsættelser": (17, 13, 33, 4, None),
                "Sjældent forekommende funktionsnedsættelser": (5, 2, 8, DONT_KNOW, None),
                "Hjemløshed": (
                    46, 7, 55, 2,
                    "Forsorgshjemmene (§ 110) er fuldt belagt det meste af året; vi skønner "
                    "et behov for 10 pladser mere."),
                "Overgreb inkl. voldsramte kvinder": (12, 0, 13, 3, None),
                "Misbrug": (18, 35, 56, 3, None),
                "Øvrige svære sociale problemer": (8, 12, 22, 4, None),
            },
            "boern_unge": {
                "Børn og unge med handicap": (28, 41, 69, 4, None),
                "Børn og unge med sindslidelse": (
                    22, 14, 39, 2,
                    "Behov for 4 døgnpladser mere (§ 66) til unge med svær psykisk sårbarhed "
                    "og selvskadende adfærd."),
                "Børn og unge med spiseforstyrrelser": (3, 2, 5, 3, None),
            },
            "forventede_aendringer": (
                "Flere unge med autisme og psykisk sårbarhed overgår til voksenområdet de "
                "næste to år, og flere ældre borgere med udviklingshæmning får behov for mere "
                "pleje."),
            "planer": True,
            "planer_beskrivelse": (
                "Nyt botilbud efter § 108 med 16 pladser til borgere med svær sindslidelse "
                "åbner i foråret 2018. 8 dagpladser til yngre med erhvervet hjerneskade "
                "flyttes til Center for Hjerneskade."),
            "tendenser": (
                "Stigende efterspørgsel efter tilbud til borgere med både misbrug og psykisk "
                "lidelse. Samarbejdet med behandlingspsykiatrien om udskrivning er en "
                "udfordring."),
            "efterspoergsel": "Stigende",
            "samlet": 3,
        },
    },
    {
        "organisation": "Brønderslev Kommune",
        "person": "broenderslev@nordjylland.example",
        "events": [("save", "2017-03-20 11:05"), ("submit", "2017-03-31 14:50")],
        "answers": {
            "kontaktperson": "Birgitte Brønderslev, afdelingsleder, Voksenhandicap",
            "kontakt_email": "broenderslev@nordjylland.example",
            "voksne": {
                "Fysisk funktionsnedsættelse": (4, 5, 9, 4, None),
                "Hjerneskade (medfødt/erhvervet)": (4, 5, 10, 3, None),
                "Udviklingsforstyrrelser (autisme)": (9, 6, 15, 3, None),
                "Udviklingshæmning": (21, 30, 52, 4, None),
                "Anden intellektuel/kognitiv forstyrrelse": (5, 5, 11, 3, None),
                "Psykiske vanskeligheder inkl. sindslidelse": (16, 16, 35, 3, None),
                "Multiple funktionsnedsættelser": (3, 2, 5, 4, None),
                "Sjældent forekommende funktionsnedsættelser": (1, None, 1, DONT_KNOW, None),
                "Hjemløshed": (6, 1, 7, 4, None),
                "Overgreb inkl. voldsramte kvinder": (2, None, 2, DONT_KNOW, None),
                "Misbrug": (
                    3, 6, 10, 2,
                    "Behov for 4 pladser i døgnbehandling (§ 101) til borgere med samtidigt "
                    "misbrug og psykisk lidelse."),
                "Øvrige svære sociale problemer": (1, 2, 3, 3, None),
            },
            "boern_unge": {
                "Børn og unge med handicap": (7, 9, 16, 3, None),
                "Børn og unge med sindslidelse": (4, 3, 7, 3, None),
                "Børn og unge med spiseforstyrrelser": (1, 0, 1, 4, None),
            },
            "forventede_aendringer": "Svagt stigende behov på misbrugsområdet.",
            "planer": False,
            "tendenser": (
                "Borgerne har oftere flere diagnoser på én gang, og det gør det svært at finde "
                "ét tilbud, der passer."),
            "efterspoergsel": "Stigende",
            "samlet": 4,
        },
    },
    {
        "organisation": "Frederikshavn Kommune",
        "person": "frederikshavn@nordjylland.example",
        "events": [
            ("save", "2017-03-08 10:30", ("kontaktperson", "kontakt_email",
                                          "kontakt_telefon")),
            ("save", "2017-03-22 15:15"),
            ("submit", "2017-04-10 09:40"),
        ],
        "answers": {
            "kontaktperson": "Frederik Frederikshavn, specialkonsulent",
            "kontakt_email": "frederikshavn@nordjylland.example",
            "kontakt_telefon": "Via rådhusets omstilling",
            "voksne": {
                "Fysisk funktionsnedsættelse": (6, 6, 13, 3, None),
                "Hjerneskade (medfødt/erhvervet)": (7, 10, 17, 5, None),
                "Udviklingsforstyrrelser (autisme)": (11, 12, 25, 3, None),
                "Udviklingshæmning": (43, 40, 87, 4, None),
                "Anden intellektuel/kognitiv forstyrrelse": (8, 10, 19, 4, None),
                "Psykiske vanskeligheder inkl. sindslidelse": (33, 28, 62, 3, None),
                "Multiple funktionsnedsættelser": (5, 3, 9, 4, None),
                "Sjældent forekommende funktionsnedsættelser": (1, 1, 2, 3, None),
                "Hjemløshed": (10, 2, 13, 3, None),
                "Overgreb inkl. voldsramte kvinder": (
                    3, 0, 3, 2,
                    "Krisecentret (§ 109) må i perioder afvise kvinder; behov for 3–4 pladser "
                    "mere."),
                "Misbrug": (4, 12, 16, 3, None),
                "Øvrige svære sociale problemer": (2, 4, 6, 4, None),
            },
            "boern_unge": {
                "Børn og unge med handicap": (11, 12, 23, 5, None),
                "Børn og unge med sindslidelse": (6, 4, 11, 3, None),
                "Børn og unge med spiseforstyrrelser": (1, 1, 2, 4, None),
            },
            "forventede_aendringer": "Uændret behov samlet set; flere ældre med handicap.",
            "planer": True,
            "planer_beskrivelse": (
                "To afdelinger af et botilbud efter § 108 lægges sammen i 2018; antallet af "
                "pladser (24) er det samme."),
            "tendenser": "Det er svært at rekruttere fagpersonale til de mindre tilbud.",
            "efterspoergsel": "Uændret",
            "samlet": 4,
        },
    },
    {
        "organisation": "Læsø Kommune",
        "person": "laesoe@nordjylland.example",
        "events": [("submit", "2017-03-09 13:20")],
        "answers": {
            "kontaktperson": "Lars Læsø, socialchef",
            "kontakt_email": "laesoe@nordjylland.example",
            "voksne": {
                "Fysisk funktionsnedsættelse": (None, 1, 1, DONT_KNOW, None),
                "Udviklingshæmning": (1, 1, 2, 4, None),
                "Psykiske vanskeligheder inkl. sindslidelse": (
                    1, 1, 2, 3, "Alle pladser købes på fastlandet."),
                "Misbrug": (None, None, 1, DONT_KNOW, None),
            },
            "boern_unge": {
                "Børn og unge med handicap": (None, 1, 1, DONT_KNOW, None),
            },
            "forventede_aendringer": "Ingen.",
            "planer": False,
            "tendenser": (
                "Som økommune køber vi alle specialiserede pladser uden for øen; transporten er "
                "den største udfordring for borgerne og de pårørende."),
            "efterspoergsel": "Uændret",
            "samlet": DONT_KNOW,
        },
    },
    {
        "organisation": "Rebild Kommune",
        "person": "rebild@nordjylland.example",
        "events": [("save", "2017-04-03 08:45"), ("submit", "2017-04-12 11:10")],
        "answers": {
            "kontaktperson": "Rasmus Rebild, myndighedsleder",
            "kontakt_email": "rebild@nordjylland.example",
            "voksne": {
                "Fysisk funktionsnedsættelse": (3, 3, 6, 4, None),
                "Hjerneskade (medfødt/erhvervet)": (3, 5, 8, 5, None),
                "Udviklingsforstyrrelser (autisme)": (
                    5, 5, 11, 1,
                    "Der er ingen egnede døgntilbud (§ 107) til unge voksne med autisme i "
                    "nærområdet; vi køber 5 pladser uden for regionen."),
                "Udviklingshæmning": (21, 22, 45, 3, None),
                "Anden intellektuel/kognitiv forstyrrelse": (3, 4, 8, 3, None),
                "Psykiske vanskeligheder inkl. sindslidelse": (17, 12, 31, 3, None),
                "Multiple funktionsnedsættelser": (2, 2, 4, 5, None),
                "Sjældent forekommende funktionsnedsættelser": (None, None, None, DONT_KNOW,
                                                                None),
                "Hjemløshed": (5, 1, 7, 3, None),
                "Overgreb inkl. voldsramte kvinder": (2, 0, 2, 4, None),
                "Misbrug": (3, 7, 10, 4, None),
                "Øvrige svære sociale problemer": (1, 2, 3, 3, None),
            },
            "boern_unge": {
                "Børn og unge med handicap": (5, 6, 11, 4, None),
                "Børn og unge med sindslidelse": (2, 2, 4, 4, None),
                "Børn og unge med spiseforstyrrelser": (None, None, None, DONT_KNOW, None),
            },
            "forventede_aendringer": "Flere unge med autisme; behovet stiger med 2–3 pladser.",
            "planer": False,
            "tendenser": "Flere borgere flytter til kommunen med et eksisterende tilbud.",
            "efterspoergsel": "Stigende",
            "samlet": 3,
        },
    },
    {
        "organisation": "Thisted Kommune",
        "person": "thisted@nordjylland.example",
        "events": [("save", "2017-03-27 10:00"), ("submit", "2017-04-18 15:35")],
        "answers": {
            "kontaktperson": "Tina Thisted, konsulent, Social og Sundhed",
            "kontakt_email": "thisted@nordjylland.example",
            "voksne": {
                "Fysisk funktionsnedsættelse": (4, 6, 11, 3, None),
                "Hjerneskade (medfødt/erhvervet)": (
                    5, 6, 11, 2,
                    "Mangler 3 pladser i midlertidigt botilbud (§ 107) til rehabilitering "
                    "efter erhvervet hjerneskade; lang transport til nærmeste tilbud."),
                "Udviklingsforstyrrelser (autisme)": (10, 7, 17, 3, None),
                "Udviklingshæmning": (21, 40, 64, 4, None),
                "Anden intellektuel/kognitiv forstyrrelse": (5, 8, 14, 3, None),
                "Psykiske vanskeligheder inkl. sindslidelse": (24, 15, 41, 4, None),
                "Multiple funktionsnedsættelser": (3, 3, 6, 5, None),
                "Sjældent forekommende funktionsnedsættelser": (1, 0, 1, 4, None),
                "Hjemløshed": (10, 2, 13, 4, None),
                "Overgreb inkl. voldsramte kvinder": (3, 0, 3, 3, None),
                "Misbrug": (4, 10, 14, 3, None),
                "Øvrige svære sociale problemer": (2, 2, 4, DONT_KNOW, None),
            },
            "boern_unge": {
                "Børn og unge med handicap": (6, 10, 18, 3, None),
                "Børn og unge med sindslidelse": (4, 3, 7, 4, None),
                "Børn og unge med spiseforstyrrelser": (1, 0, 1, 4, None),
            },
            "forventede_aendringer": "Faldende behov for dagpladser til udviklingshæmmede.",
            "planer": True,
            "planer_beskrivelse": "10 dagpladser (§ 104) samles på ét værksted fra 1.1.2018.",
            "tendenser": "Afstandene i kommunen gør det dyrt at drive små tilbud.",
            "efterspoergsel": "Faldende",
            "samlet": 4,
        },
    },
    {
        "organisation": "Mariagerfjord Kommune",
        "person": "mariagerfjord@nordjylland.example",
        "events": [
            ("save", "2017-03-16 09:30"),
            ("submit", "2017-04-03 12:05"),
            ("reopen", "2017-04-07 10:15",
             "Tallene for døgn- og dagpladser til udviklingshæmning ser ud til at være byttet "
             "om i forhold til sidste år. Ret dem venligst, og indsend igen."),
        ],
        "answers": {
            "kontaktperson": "Maria Mariagerfjord, socialfaglig konsulent",
            "kontakt_email": "mariagerfjord@nordjylland.example",
            "voksne": {
                "Fysisk funktionsnedsættelse": (5, 6, 11, 3, None),
                "Hjerneskade (medfødt/erhvervet)": (5, 6, 12, 3, None),
                "Udviklingsforstyrrelser (autisme)": (7, 9, 16, 3, None),
                "Udviklingshæmning": (39, 31, 78, 4, None),
                "Anden intellektuel/kognitiv forstyrrelse": (5, 7, 13, 3, None),
                "Psykiske vanskeligheder inkl. sindslidelse": (24, 18, 46, 4, None),
                "Multiple funktionsnedsættelser": (4, 3, 7, 3, None),
                "Sjældent forekommende funktionsnedsættelser": (1, 0, 1, 5, None),
                "Hjemløshed": (9, 1, 10, 3, None),
                "Overgreb inkl. voldsramte kvinder": (3, 0, 3, 4, None),
                "Misbrug": (3, 7, 10, 3, None),
                "Øvrige svære sociale problemer": (2, 2, 4, 4, None),
            },
            "boern_unge": {
                "Børn og unge med handicap": (
                    5, 9, 14, 2,
                    "Mangler 2 aflastningspladser (§ 84) til børn med multiple "
                    "funktionsnedsættelser."),
                "Børn og unge med sindslidelse": (4, 3, 7, 4, None),
                "Børn og unge med spiseforstyrrelser": (1, 0, 1, 3, None),
            },
            "planer": False,
            "tendenser": "Flere ældre borgere med udviklingshæmning har brug for pleje.",
            "efterspoergsel": "Uændret",
            "samlet": 3,
        },
    },
    {
        "organisation": "Jammerbugt Kommune",
        "person": "jammerbugt@nordjylland.example",
        "events": [
            ("save", "2017-03-30 10:20", ("kontaktperson",)),
            ("save", "2017-04-19 14:05"),
        ],
        "answers": {
            "kontaktperson": "Jens Jammerbugt, udviklingskonsulent",
            "voksne": {
                "Fysisk funktionsnedsættelse": (3, 5, 8, 4, None),
                "Hjerneskade (medfødt/erhvervet)": (6, 5, 11, 5, None),
                "Udviklingsforstyrrelser (autisme)": (7, 6, 13, None, None),
                "Udviklingshæmning": (24, 34, 61, None, None),
                "Anden intellektuel/kognitiv forstyrrelse": (5, 6, None, None, None),
                "Psykiske vanskeligheder inkl. sindslidelse": (23, 19, None, None, None),
            },
            "planer": True,
        },
    },
    {
        "organisation": "Vesthimmerlands Kommune",
        "person": "vesthimmerland@nordjylland.example",
        "events": [("save", "2017-04-11 09:55")],
        "answers": {
            "kontaktperson": "Vibeke Vesthimmerland, afdelingsleder",
            "kontakt_email": "vesthimmerland@nordjylland.example",
            "voksne": {
                "Fysisk funktionsnedsættelse": (4, 5, 9, None, None),
                "Hjerneskade (medfødt/erhvervet)": (5, 7, 13, None, None),
                "Udviklingsforstyrrelser (autisme)": (6, 7, 13, None, None),
                "Udviklingshæmning": (20, 22, 43, None, None),
                "Anden intellektuel/kognitiv forstyrrelse": (4, 6, 10, None, None),
                "Psykiske vanskeligheder inkl. sindslidelse": (15, 14, 30, None, None),
                "Multiple funktionsnedsættelser": (4, 2, 7, None, None),
                "Sjældent forekommende funktionsnedsættelser": (1, 0, 1, None, None),
                "Hjemløshed": (6, 1, 7, None, None),
                "Overgreb inkl. voldsramte kvinder": (2, 0, 2, None, None),
                "Misbrug": (3, 6, 10, None, None),
                "Øvrige svære sociale problemer": (1, 2, 3, None, None),
            },
        },
    },
]

# Deadline extensions the secretariat granted: (organisation, granted at, until, reason).
EXTENSIONS = [
    ("Morsø Kommune", "2017-04-18 14:10", "2017-05-15 12:00",
     "Ny handicapchef tiltræder 1. maj og skal godkende besvarelsen."),
]


# -- Rammeaftale 2017: last year's questionnaire and the municipalities' reports ---------------

# The same questions as this year's (the 2018 questionnaire is a copy of it), so that "Hent
# sidste års svar" matches every question and every target group.
PREVIOUS_QUESTIONNAIRE: dict[str, Any] = {
    "title": "Kapacitetsspørgeskema 2017",
    "milestone": "Kommunale redegørelser (kapacitetsspørgeskema)",
    "built_at": "2016-02-15 10:00",
    "intro": (
        "Kommunernes redegørelse til Rammeaftale 2017: behov og udbud af pladser på det "
        "specialiserede social- og specialundervisningsområde, forventet efterspørgsel og "
        "planer om at oprette, lukke eller ændre tilbud. Fristen er 29. april."
    ),
    "sections": QUESTIONNAIRE["sections"],
}

# Municipalities whose 2017 report was much like this year's answer: (organisation, submitted
# at). Their counts are this year's less about one in twenty (seed.py: _year_before).
PREVIOUS_LIKE_THIS_YEAR = [
    ("Aalborg Kommune", "2016-04-26 14:05"),
    ("Brønderslev Kommune", "2016-04-12 10:30"),
    ("Frederikshavn Kommune", "2016-04-21 09:15"),
    ("Læsø Kommune", "2016-03-30 11:00"),
    ("Mariagerfjord Kommune", "2016-04-25 13:45"),
    ("Rebild Kommune", "2016-04-19 15:20"),
    ("Thisted Kommune", "2016-04-28 10:50"),
]

# The 2017 reports of the municipalities that have not submitted this year's yet: what they
# can fetch into this year's form.
PREVIOUS_RESPONSES: list[dict[str, Any]] = [
    {
        "organisation": "Hjørring Kommune",
        "person": "hjoerring@nordjylland.example",
        "events": [("save", "2016-04-06 09:30"), ("submit", "2016-04-27 14:10")],
        "answers": {
            "kontaktperson": "Hanne Hjørring, specialkonsulent, Handicap og Psykiatri",
            "kontakt_email": "hjoerring@nordjylland.example",
            "kontakt_telefon": "Via rådhusets omstilling",
            "voksne": {
                "Fysisk funktionsnedsættelse": (7, 8, 15, 4, None),
                "Hjerneskade (medfødt/erhvervet)": (8, 9, 17, 3, None),
                "Udviklingsforstyrrelser (autisme)": (14, 11, 27, 3, None),
                "Udviklingshæmning": (46, 52, 99, 4, None),
                "Anden intellektuel/kognitiv forstyrrelse": (9, 10, 20, 3, None),
                "Psykiske vanskeligheder inkl. sindslidelse": (
                    30, 31, 66, 2,
                    "Mangler 6 pladser i længerevarende botilbud (§ 108) til borgere med "
                    "svær sindslidelse og misbrug."),
                "Multiple funktionsnedsættelser": (5, 4, 10, 4, None),
                "Sjældent forekommende funktionsnedsættelser": (1, 1, 2, DONT_KNOW, None),
                "Hjemløshed": (14, 2, 17, 3, None),
                "Overgreb inkl. voldsramte kvinder": (4, 0, 4, 4, None),
                "Misbrug": (6, 11, 18, 3, None),
                "Øvrige svære sociale problemer": (3, 4, 7, 3, None),
            },
            "boern_unge": {
                "Børn og unge med handicap": (9, 13, 22, 4, None),
                "Børn og unge med sindslidelse": (6, 5, 12, 3, None),
                "Børn og unge med spiseforstyrrelser": (1, 1, 2, 3, None),
            },
            "forventede_aendringer": (
                "Flere borgere med både sindslidelse og misbrug; behovet for dagpladser er "
                "uændret."),
            "planer": True,
            "planer_beskrivelse": (
                "6 pladser efter § 108 til borgere med dobbeltdiagnose åbner i 2017 i "
                "tilknytning til et eksisterende botilbud."),
            "tendenser": "Borgerne er ældre, når de flytter i botilbud, og har større behov.",
            "efterspoergsel": "Stigende",
            "samlet": 3,
        },
    },
    {
        "organisation": "Morsø Kommune",
        "person": "morsoe@nordjylland.example",
        "events": [("submit", "2016-04-28 16:25")],
        "answers": {
            "kontaktperson": "Mette Morsø, handicapkonsulent",
            "kontakt_email": "morsoe@nordjylland.example",
            "voksne": {
                "Fysisk funktionsnedsættelse": (2, 3, 5, 4, None),
                "Hjerneskade (medfødt/erhvervet)": (2, 3, 5, 3, None),
                "Udviklingsforstyrrelser (autisme)": (4, 3, 8, 3, None),
                "Udviklingshæmning": (14, 17, 32, 4, None),
                "Anden intellektuel/kognitiv forstyrrelse": (2, 3, 5, 3, None),
                "Psykiske vanskeligheder inkl. sindslidelse": (10, 8, 19, 3, None),
                "Multiple funktionsnedsættelser": (1, 1, 2, 4, None),
                "Sjældent forekommende funktionsnedsættelser": (None, None, None, DONT_KNOW,
                                                                None),
                "Hjemløshed": (
                    3, 0, 4, 2,
                    "Kommunen har intet forsorgshjem (§ 110); borgerne visiteres til Thisted "
                    "og Skive, ofte med ventetid."),
                "Overgreb inkl. voldsramte kvinder": (1, 0, 1, DONT_KNOW, None),
                "Misbrug": (2, 4, 6, 3, None),
                "Øvrige svære sociale problemer": (1, 1, 2, 3, None),
            },
            "boern_unge": {
                "Børn og unge med handicap": (3, 4, 7, 4, None),
                "Børn og unge med sindslidelse": (2, 1, 3, 3, None),
                "Børn og unge med spiseforstyrrelser": (None, None, None, DONT_KNOW, None),
            },
            "forventede_aendringer": "Uændret behov; flere ældre borgere med udviklingshæmning.",
            "planer": False,
            "tendenser": (
                "Som økommune uden egne specialiserede tilbud på flere områder er vi afhængige "
                "af pladser i nabokommunerne."),
            "efterspoergsel": "Uændret",
            "samlet": 3,
        },
    },
    {
        "organisation": "Jammerbugt Kommune",
        "person": "jammerbugt@nordjylland.example",
        "events": [("save", "2016-04-04 13:00"), ("submit", "2016-04-22 11:35")],
        "answers": {
            "kontaktperson": "Jens Jammerbugt, udviklingskonsulent",
            "kontakt_email": "jammerbugt@nordjylland.example",
            "voksne": {
                "Fysisk funktionsnedsættelse": (3, 4, 8, 4, None),
                "Hjerneskade (medfødt/erhvervet)": (6, 5, 11, 5, None),
                "Udviklingsforstyrrelser (autisme)": (6, 6, 13, 3, None),
                "Udviklingshæmning": (23, 33, 58, 4, None),
                "Anden intellektuel/kognitiv forstyrrelse": (5, 6, 11, 3, None),
                "Psykiske vanskeligheder inkl. sindslidelse": (22, 18, 41, 3, None),
                "Multiple funktionsnedsættelser": (2, 2, 4, 4, None),
                "Sjældent forekommende funktionsnedsættelser": (1, 0, 1, 3, None),
                "Hjemløshed": (6, 1, 8, 3, None),
                "Overgreb inkl. voldsramte kvinder": (2, 0, 2, 4, None),
                "Misbrug": (4, 7, 12, 3, None),
                "Øvrige svære sociale problemer": (1, 2, 3, 3, None),
            },
            "boern_unge": {
                "Børn og unge med handicap": (6, 7, 13, 4, None),
                "Børn og unge med sindslidelse": (
                    3, 2, 6, 2,
                    "Mangler 2 døgnpladser (§ 66) til unge med svær angst og "
                    "skolevægring."),
                "Børn og unge med spiseforstyrrelser": (None, 1, 1, DONT_KNOW, None),
            },
            "forventede_aendringer": "Flere unge med autisme overgår til voksenområdet.",
            "planer": True,
            "planer_beskrivelse": (
                "Et botilbud efter § 107 udvides med 4 pladser til unge voksne med autisme i "
                "2017."),
            "tendenser": "Flere borgere har behov for støtte både om natten og i weekender.",
            "efterspoergsel": "Stigende",
            "samlet": 4,
        },
    },
    {
        "organisation": "Vesthimmerlands Kommune",
        "person": "vesthimmerland@nordjylland.example",
        "events": [("submit", "2016-04-29 10:05")],
        "answers": {
            "kontaktperson": "Vibeke Vesthimmerland, afdelingsleder",
            "kontakt_email": "vesthimmerland@nordjylland.example",
            "voksne": {
                "Fysisk funktionsnedsættelse": (4, 5, 9, 4, None),
                "Hjerneskade (medfødt/erhvervet)": (5, 6, 12, 3, None),
                "Udviklingsforstyrrelser (autisme)": (5, 7, 12, 3, None),
                "Udviklingshæmning": (19, 22, 42, 4, None),
                "Anden intellektuel/kognitiv forstyrrelse": (4, 5, 9, 3, None),
                "Psykiske vanskeligheder inkl. sindslidelse": (14, 13, 28, 3, None),
                "Multiple funktionsnedsættelser": (3, 2, 6, 4, None),
                "Sjældent forekommende funktionsnedsættelser": (1, 0, 1, DONT_KNOW, None),
                "Hjemløshed": (5, 1, 7, 3, None),
                "Overgreb inkl. voldsramte kvinder": (2, 0, 2, 3, None),
                "Misbrug": (3, 6, 9, 3, None),
                "Øvrige svære sociale problemer": (1, 2, 3, 4, None),
            },
            "boern_unge": {
                "Børn og unge med handicap": (5, 6, 11, 4, None),
                "Børn og unge med sindslidelse": (3, 2, 5, 3, None),
                "Børn og unge med spiseforstyrrelser": (1, 0, 1, 3, None),
            },
            "forventede_aendringer": "Svagt stigende behov for botilbud til sindslidende.",
            "planer": False,
            "tendenser": "Det er svært at rekruttere pædagoger med specialviden til de små tilbud.",
            "efterspoergsel": "Uændret",
            "samlet": 4,
        },
    },
]
