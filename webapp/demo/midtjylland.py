"""Region Midtjylland, the demo's second region: its 19 municipalities and the region, the
secretariat, the steering group DASSOS and the Rammeaftale 2018 cycle. Data only; seed.py
loads it. The agreement's own dates: approved by the 19 municipal councils and the regional
council by 15 October 2017, in force 1 January to 31 December 2018. The January conference
and the political hearing have no day in the agreement; the days below fit the process.
"""

from typing import Any

REGION = {"code": "midtjylland", "name": "Region Midtjylland"}

MUNICIPALITIES = [
    ("Favrskov Kommune", "Favrskov Byråd"),
    ("Hedensted Kommune", "Hedensted Byråd"),
    ("Herning Kommune", "Herning Byråd"),
    ("Holstebro Kommune", "Holstebro Byråd"),
    ("Horsens Kommune", "Horsens Byråd"),
    ("Ikast-Brande Kommune", "Ikast-Brande Byråd"),
    ("Lemvig Kommune", "Lemvig Byråd"),
    ("Norddjurs Kommune", "Norddjurs Kommunalbestyrelse"),
    ("Odder Kommune", "Odder Byråd"),
    ("Randers Kommune", "Randers Byråd"),
    ("Ringkøbing-Skjern Kommune", "Ringkøbing-Skjern Byråd"),
    ("Samsø Kommune", "Samsø Kommunalbestyrelse"),
    ("Silkeborg Kommune", "Silkeborg Byråd"),
    ("Skanderborg Kommune", "Skanderborg Byråd"),
    ("Skive Kommune", "Skive Byråd"),
    ("Struer Kommune", "Struer Byråd"),
    ("Syddjurs Kommune", "Syddjurs Byråd"),
    ("Viborg Kommune", "Viborg Byråd"),
    ("Aarhus Kommune", "Aarhus Byråd"),
]

OTHER_ORGANISATIONS: list[tuple[str, str, str | None]] = [
    ("region", "Region Midtjylland", "Regionsrådet"),
    ("secretariat", "Rammeaftalesekretariatet i Midtjylland", None),
    ("steering_body",
     "DASSOS – Den Administrative Styregruppe for Social- og Specialundervisningsområdet", None),
    ("steering_body", "KKR Midtjylland", None),
]

DASSOS = OTHER_ORGANISATIONS[2][1]

PEOPLE = [
    ("sekretariat@midtjylland.example", "Mads Midt", "Rammeaftalesekretariatet i Midtjylland",
     ["secretariat"]),
    ("aarhus@midtjylland.example", "Anne Aarhus", "Aarhus Kommune", ["respondent"]),
    ("viborg@midtjylland.example", "Villads Viborg", "Viborg Kommune", ["respondent"]),
    ("samsoe@midtjylland.example", "Signe Samsø", "Samsø Kommune", ["respondent"]),
    ("region@midtjylland.example", "Rune Region", "Region Midtjylland", ["respondent"]),
    ("dassos@midtjylland.example", "Dagmar Direktør", DASSOS, ["steering_member"]),
    ("politiker@midtjylland.example", "Peter Politiker", "KKR Midtjylland", ["politician"]),
]

SETUP_AT = "2016-10-10 09:00"

CYCLE: dict[str, Any] = {
    "title": "Rammeaftale 2018",
    "first_year": 2018,
    "last_year": 2018,
    "description": (
        "Rammeaftale for det specialiserede social- og undervisningsområde i Midtjylland: "
        "en udviklingsstrategi og en styringsaftale, udarbejdet af DASSOS i dialog med de 19 "
        "kommuner og Region Midtjylland. Gælder 1. januar til 31. december 2018 og skal "
        "godkendes af alle 19 kommunalbestyrelser og regionsrådet senest 15. oktober 2017."
    ),
}

MILESTONES: list[dict[str, Any]] = [
    {
        "kind": "kickoff", "title": "Januarkonference",
        "starts": "2017-01-27 09:00", "ends": "2017-01-27 15:00",
        "description": "Politisk dialog om visionen og retningen for Rammeaftale 2018.",
        "audience": [],
    },
    {
        "kind": "other", "title": "Politisk høring af vision og udviklingsområder",
        "starts": "2017-03-01 08:00", "ends": "2017-04-28 12:00",
        "description": "Kommunerne og regionen giver bemærkninger til visionen og de fælles "
                       "udviklingsområder.",
        "audience": ["respondent", "politician"],
    },
    {
        "kind": "draft", "title": "DASSOS færdiggør udkastet til rammeaftalen",
        "starts": None, "ends": "2017-06-16 12:00",
        "description": "Udviklingsstrategi og styringsaftale samles til ét udkast.",
        "audience": ["steering_member", "secretariat"],
    },
    {
        "kind": "approval", "title": "Godkendelse i de 19 kommunalbestyrelser og regionsrådet",
        "starts": "2017-08-21 08:00", "ends": "2017-10-15 23:59",
        "description": "Alle 20 råd skal godkende rammeaftalen senest 15. oktober 2017.",
        "audience": ["politician", "secretariat"],
    },
    {
        "kind": "other", "title": "Rammeaftale 2018 gælder",
        "starts": "2018-01-01 00:00", "ends": "2018-12-31 23:59",
        "description": "Aftalen gælder for perioden 1. januar til 31. december 2018.",
        "audience": [],
    },
]
