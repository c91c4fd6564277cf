"""Region Nordjylland, the Rammeaftale 2018 cycle. Data only; seed.py loads it.

Sources: the domain facts and the documents they cite. Dates the documents leave open (the
summer consultation, the start of council treatment) are chosen to fit the process. Every text
the app shows reads as the secretariat's own: no notes about sources or assumptions, which every
municipality would see (tests/test_demo_texts.py).
"""

from typing import Any

REGION = {"code": "nordjylland", "name": "Region Nordjylland"}

MUNICIPALITIES = [
    ("Brønderslev Kommune", "Brønderslev Byråd"),
    ("Frederikshavn Kommune", "Frederikshavn Byråd"),
    ("Hjørring Kommune", "Hjørring Byråd"),
    ("Jammerbugt Kommune", "Jammerbugt Kommunalbestyrelse"),
    ("Læsø Kommune", "Læsø Kommunalbestyrelse"),
    ("Mariagerfjord Kommune", "Mariagerfjord Byråd"),
    ("Morsø Kommune", "Morsø Kommunalbestyrelse"),
    ("Rebild Kommune", "Rebild Byråd"),
    ("Thisted Kommune", "Thisted Kommunalbestyrelse"),
    ("Vesthimmerlands Kommune", "Vesthimmerlands Byråd"),
    ("Aalborg Kommune", "Aalborg Byråd"),
]

OTHER_ORGANISATIONS: list[tuple[str, str, str | None]] = [
    ("region", "Region Nordjylland", "Regionsrådet"),
    ("secretariat", "Sekretariat for Rammeaftaler", None),
    ("steering_body", "DAS – Den Administrative Styregruppe", None),
    ("steering_body", "KKR Nordjylland", None),
    ("user_organisation", "Danske Handicaporganisationer Nordjylland", None),
    ("user_organisation", "SIND Nordjylland", None),
    ("user_organisation", "Handicaprådet i Aalborg Kommune", None),
]

DEMO_PASSWORD = "Aftalehjul-demo-2018"

# When the demo's secretariat set up the region, its organisations and people, and the 2017
# cycle; the log shows this date for them. Local Copenhagen time.
REGION_SETUP_AT = "2015-10-05 09:00"

# When the secretariat set up the 2018 cycle (before its kickoff).
SETUP_AT = "2016-10-03 09:00"

# (e-mail, name, organisation, roles). Every municipality has a respondent; the capacity
# questionnaire's answers (questionnaire.py) are written in their names.
PEOPLE = [
    ("sekretariat@nordjylland.example", "Sara Sekretær", "Sekretariat for Rammeaftaler",
     ["secretariat"]),
    ("aalborg@nordjylland.example", "Anders Aalborg", "Aalborg Kommune", ["respondent"]),
    ("hjoerring@nordjylland.example", "Hanne Hjørring", "Hjørring Kommune", ["respondent"]),
    ("laesoe@nordjylland.example", "Lars Læsø", "Læsø Kommune", ["respondent"]),
    ("broenderslev@nordjylland.example", "Birgitte Brønderslev", "Brønderslev Kommune",
     ["respondent"]),
    ("frederikshavn@nordjylland.example", "Frederik Frederikshavn", "Frederikshavn Kommune",
     ["respondent"]),
    ("jammerbugt@nordjylland.example", "Jens Jammerbugt", "Jammerbugt Kommune", ["respondent"]),
    ("mariagerfjord@nordjylland.example", "Maria Mariagerfjord", "Mariagerfjord Kommune",
     ["respondent"]),
    ("morsoe@nordjylland.example", "Mette Morsø", "Morsø Kommune", ["respondent"]),
    ("rebild@nordjylland.example", "Rasmus Rebild", "Rebild Kommune", ["respondent"]),
    ("thisted@nordjylland.example", "Tina Thisted", "Thisted Kommune", ["respondent"]),
    ("vesthimmerland@nordjylland.example", "Vibeke Vesthimmerland", "Vesthimmerlands Kommune",
     ["respondent"]),
    ("region@nordjylland.example", "Rikke Region", "Region Nordjylland", ["respondent"]),
    ("das@nordjylland.example", "Dorte Direktør", "DAS – Den Administrative Styregruppe",
     ["steering_member"]),
    ("brugerorg@nordjylland.example", "Bente Bruger", "Danske Handicaporganisationer Nordjylland",
     ["user_org_rep"]),
    ("politiker@nordjylland.example", "Poul Politiker", "KKR Nordjylland", ["politician"]),
    ("observatoer@nordjylland.example", "Ole Observatør", "KKR Nordjylland", ["observer"]),
]

# The steering group's members who score the themes (issue 14) besides das@: the social
# directors of four municipalities and the region.
STEERING_MEMBERS = [
    ("direktoer.aalborg@nordjylland.example", "Annette Skov", "Aalborg Kommune"),
    ("direktoer.hjoerring@nordjylland.example", "Henrik Dahl", "Hjørring Kommune"),
    ("direktoer.thisted@nordjylland.example", "Tove Mikkelsen", "Thisted Kommune"),
    ("direktoer.rebild@nordjylland.example", "Rune Holm", "Rebild Kommune"),
    ("direktoer.region@nordjylland.example", "Randi Kjær", "Region Nordjylland"),
]

# Politicians on the municipalities' social committees who vote at the theme day, besides
# politiker@ (who is left to vote in the demo).
POLITICIANS = [
    ("politiker.aalborg@nordjylland.example", "Allan Bech", "Aalborg Kommune"),
    ("politiker.broenderslev@nordjylland.example", "Bodil Lund", "Brønderslev Kommune"),
    ("politiker.frederikshavn@nordjylland.example", "Finn Krogh", "Frederikshavn Kommune"),
    ("politiker.hjoerring@nordjylland.example", "Helle Vestergaard", "Hjørring Kommune"),
    ("politiker.jammerbugt@nordjylland.example", "Jonas Brix", "Jammerbugt Kommune"),
    ("politiker.laesoe@nordjylland.example", "Lone Thomsen", "Læsø Kommune"),
    ("politiker.mariagerfjord@nordjylland.example", "Mogens Hald", "Mariagerfjord Kommune"),
    ("politiker.morsoe@nordjylland.example", "Merete Sand", "Morsø Kommune"),
    ("politiker.rebild@nordjylland.example", "Rikke Bundgaard", "Rebild Kommune"),
    ("politiker.thisted@nordjylland.example", "Torben Overgaard", "Thisted Kommune"),
    ("politiker.vesthimmerland@nordjylland.example", "Vivi Nørgaard", "Vesthimmerlands Kommune"),
    ("politiker.region@nordjylland.example", "Rasmus Bak", "Region Nordjylland"),
]

PEOPLE += [(email, name, org, ["steering_member"]) for email, name, org in STEERING_MEMBERS]
PEOPLE += [(email, name, org, ["politician"]) for email, name, org in POLITICIANS]

CYCLE: dict[str, Any] = {
    "title": "Rammeaftale 2018",
    "first_year": 2018,
    "last_year": 2018,
    "description": (
        "Rammeaftale for det specialiserede social- og specialundervisningsområde i "
        "Nordjylland. Består af en udviklingsstrategi og en styringsaftale og skal godkendes "
        "af alle 11 kommunalbestyrelser og regionsrådet senest 15. oktober."
    ),
}

# Local Copenhagen times "YYYY-MM-DD HH:MM"; start None for a pure deadline.
MILESTONES: list[dict[str, Any]] = [
    {
        "kind": "kickoff", "title": "Kickoff-møde",
        "starts": "2016-10-24 13:00", "ends": "2016-10-24 16:00",
        "description": "Politikere, brugerorganisationer og embedsmænd: processen "
                       "begynder, information og dialog.",
        "audience": [],
    },
    {
        "kind": "other", "title": "DAS beslutter at styre processen",
        "starts": "2016-11-17 09:00", "ends": "2016-11-17 12:00",
        "description": "Møde i Den Administrative Styregruppe.",
        "audience": ["steering_member"],
    },
    {
        "kind": "other", "title": "Frist: DAS' bemærkninger til FU's plan for workshop og temadag",
        "starts": None, "ends": "2017-01-16 12:00",
        "description": "Skriftlig høring blandt DAS-medlemmerne.",
        "audience": ["steering_member", "secretariat"],
    },
    {
        "kind": "workshop", "title": "Workshop for fagfolk og brugerorganisationer",
        "starts": "2017-02-06 09:00", "ends": "2017-02-06 15:30",
        "description": "Ca. 100 ledere, fagfolk og repræsentanter for brugerorganisationer "
                       "peger på tendenser og udfordringer. To sessioner med fem temaer hver.",
        "audience": [],
    },
    {
        "kind": "questionnaire", "title": "Kommunale redegørelser (kapacitetsspørgeskema)",
        "starts": "2017-03-01 08:00", "ends": "2017-05-01 12:00",
        "description": "Kommunerne og regionen redegør for behov og udbud af pladser.",
        "audience": ["respondent"],
    },
    {
        "kind": "prioritisation", "title": "DAS prioriterer workshoppens temaer",
        "starts": "2017-02-13 08:00", "ends": "2017-02-27 12:00",
        "description": "Styregruppens medlemmer scorer de 14 temaer på prioriteringstavlen.",
        "audience": ["steering_member"],
    },
    {
        "kind": "other", "title": "DAS-møde: temaer til den politiske temadag",
        "starts": "2017-03-02 09:00", "ends": "2017-03-02 12:00",
        "description": "Temakataloget sendes ud kort efter.",
        "audience": ["steering_member"],
    },
    {
        "kind": "theme_day", "title": "Politisk temadag",
        "starts": "2017-04-28 09:30", "ends": "2017-04-28 15:00",
        "description": "Politikere fra de relevante udvalg og socialdirektørerne vælger de "
                       "temaer, der skal arbejdes med i fællesskab.",
        "audience": ["politician", "steering_member"],
    },
    {
        "kind": "draft", "title": "Første udkast til rammeaftalen til DAS",
        "starts": None, "ends": "2017-05-30 12:00",
        "description": "",
        "audience": ["steering_member", "secretariat"],
    },
    {
        "kind": "consultation", "title": "Høring over udkast til rammeaftale",
        "starts": "2017-08-14 08:00", "ends": "2017-09-11 12:00",
        "description": "Udkastet sendes i høring hos kommunerne, regionen og "
                       "brugerorganisationerne. Send høringssvar senest "
                       "11. september kl. 12.00.",
        "audience": ["user_org_rep", "respondent"],
    },
    {
        "kind": "approval", "title": "Godkendelse i alle byråd og regionsrådet",
        "starts": "2017-09-18 08:00", "ends": "2017-10-15 23:59",
        "description": "Alle 12 råd skal godkende rammeaftalen senest 15. oktober.",
        "audience": ["politician", "secretariat"],
    },
]

CLONE: dict[str, Any] = {"title": "Rammeaftale 2019–2020", "first_year": 2019, "last_year": 2020}

# The demo clock: the capacity questionnaire is open (11 days left, half the municipalities have
# answered) and the theme day, the consultation and the approvals are ahead, so every role has
# something to do.
DEMO_NOW = "2017-04-20T10:00"

# The agreement before this one. Its capacity questionnaire holds the municipalities' 2017
# reports, which this year's questionnaire (a copy of it) can be filled from.
PREVIOUS_CYCLE: dict[str, Any] = {
    "title": "Rammeaftale 2017",
    "first_year": 2017,
    "last_year": 2017,
    "description": (
        "Rammeaftale for det specialiserede social- og specialundervisningsområde i "
        "Nordjylland for 2017. Godkendt af alle 11 kommunalbestyrelser og regionsrådet i "
        "efteråret 2016."
    ),
}
PREVIOUS_MILESTONES: list[dict[str, Any]] = [
    {
        "kind": "kickoff", "title": "Kickoff-møde",
        "starts": "2015-10-26 13:00", "ends": "2015-10-26 16:00",
        "description": "Politikere, brugerorganisationer og embedsmænd: processen "
                       "begynder, information og dialog.",
        "audience": [],
    },
    {
        "kind": "questionnaire", "title": "Kommunale redegørelser (kapacitetsspørgeskema)",
        "starts": "2016-03-01 08:00", "ends": "2016-04-29 12:00",
        "description": "Kommunerne redegør for behov og udbud af pladser.",
        "audience": ["respondent"],
    },
    {
        "kind": "approval", "title": "Godkendelse i alle byråd og regionsrådet",
        "starts": "2016-09-01 08:00", "ends": "2016-10-14 23:59",
        "description": "Alle 12 råd godkender rammeaftalen.",
        "audience": ["politician", "secretariat"],
    },
]
# When the secretariat closed the 2017 cycle, after the approvals.
PREVIOUS_CLOSED_AT = "2016-10-24 09:00"
