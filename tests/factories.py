"""Small factories that write rows directly (fast); workflows are tested through their own API."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import (
    Cycle,
    CycleState,
    Milestone,
    MilestoneKind,
    Organisation,
    OrgKind,
    QuestionType,
    Region,
    Role,
    RoleGrant,
    TargetAudience,
    TargetGroup,
    User,
)
from webapp.security import hash_password, new_nonce

PASSWORD = "korrekt-hest-batteri"
_seq = itertools.count(1)


def region(code: str | None = None, name: str | None = None) -> Region:
    n = next(_seq)
    obj = Region(code=code or f"region-{n}", name=name or f"Region {n}",
                 created_at=datetime.now(UTC))
    db.session.add(obj)
    db.session.flush()
    return obj


def organisation(region_: Region, kind: OrgKind = OrgKind.MUNICIPALITY,
                 name: str | None = None) -> Organisation:
    n = next(_seq)
    name = name or f"Kommune {n}"
    council = f"{name} Byråd" if kind in (OrgKind.MUNICIPALITY, OrgKind.REGION) else None
    obj = Organisation(region_id=region_.id, kind=kind, name=name, council_name=council,
                       active=True, created_at=datetime.now(UTC))
    db.session.add(obj)
    db.session.flush()
    return obj


def user(org: Organisation, roles: list[Role] | tuple[Role, ...] = (Role.RESPONDENT,),
         email: str | None = None, password: str | None = PASSWORD,
         name: str | None = None, active: bool = True) -> User:
    n = next(_seq)
    obj = User(email=email or f"person{n}@test.example", name=name or f"Person {n}",
               organisation_id=org.id, password_hash=hash_password(password) if password else None,
               session_nonce=new_nonce(), active=active, created_at=datetime.now(UTC), grants=[])
    for role in roles:
        obj.grants.append(RoleGrant(region_id=org.region_id, role=role,
                                    granted_at=datetime.now(UTC)))
    db.session.add(obj)
    db.session.flush()
    return obj


def cycle(region_: Region, title: str | None = None, first_year: int = 2018,
          last_year: int | None = None, state: CycleState = CycleState.OPEN) -> Cycle:
    obj = Cycle(region_id=region_.id, title=title or f"Rammeaftale {first_year}-{next(_seq)}",
                first_year=first_year, last_year=last_year or first_year, state=state,
                description="", created_at=datetime.now(UTC), milestones=[])
    db.session.add(obj)
    db.session.flush()
    return obj


def milestone(cycle_: Cycle, ends_at: datetime, kind: MilestoneKind = MilestoneKind.OTHER,
              title: str | None = None, starts_at: datetime | None = None,
              audience: list[str] | None = None) -> Milestone:
    obj = Milestone(cycle_id=cycle_.id, kind=kind, title=title or f"Milepæl {next(_seq)}",
                    starts_at=starts_at, ends_at=ends_at, place="", description="",
                    audience=audience or [], is_public=True)
    db.session.add(obj)
    db.session.flush()
    return obj


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    """A Copenhagen wall-clock time as aware UTC."""
    from webapp.formatting import LOCAL_TZ

    return datetime(year, month, day, hour, minute, tzinfo=LOCAL_TZ).astimezone(UTC)


def days(n: int) -> timedelta:
    return timedelta(days=n)


def capacity_questionnaire(cycle_: Cycle, actor: Any = None, title: str = "Kapacitet"):
    """A questionnaire with every question type, as the capacity questionnaire uses them.

    Opens 01.03.2017 08.00, closes 01.05.2017 12.00 (Copenhagen). Recipients: the region's
    municipalities and the region. Returns (questionnaire, target groups by name).
    """
    from webapp.permissions import SYSTEM
    from webapp.workflows.questionnaires import builder as build

    actor = actor or SYSTEM  # built as the system, as the demo does, unless a person is named
    now = datetime.now(UTC)
    region_id = cycle_.region_id
    groups = {}
    for audience, name in [(TargetAudience.ADULTS, "Udviklingshæmning"),
                           (TargetAudience.ADULTS, "Hjemløshed"),
                           (TargetAudience.CHILDREN_YOUTH, "Børn og unge med handicap")]:
        existing = db.session.scalar(
            select(TargetGroup).where(TargetGroup.region_id == region_id,
                                      TargetGroup.name == name))
        groups[name] = existing or build.create_target_group(
            SYSTEM, region_id=region_id, audience=audience, name=name, now=now)
    ms = milestone(cycle_, at(2017, 5, 1, 12, 0), kind=MilestoneKind.QUESTIONNAIRE,
                   title=f"{title} (frist)", starts_at=at(2017, 3, 1, 8, 0),
                   audience=["respondent"])
    q = build.create_questionnaire(actor, cycle_, milestone=ms, title=title, now=now)
    s1 = build.add_section(actor, q, title="Om besvarelsen", now=now)
    build.add_question(actor, q, s1, type=QuestionType.SHORT_TEXT, key="kontaktperson",
                       label="Kontaktperson", required=True, now=now)
    build.add_question(actor, q, s1, type=QuestionType.INTEGER, key="pladser",
                       label="Antal pladser i alt", config={"min": 0, "max": 10000}, now=now)
    build.add_question(actor, q, s1, type=QuestionType.DECIMAL, key="budget",
                       label="Budget (mio. kr.)", config={"min": 0}, now=now)
    build.add_question(actor, q, s1, type=QuestionType.DATE, key="opgjort",
                       label="Opgjort pr.", now=now)
    build.add_question(actor, q, s1, type=QuestionType.YES_NO, key="nye_tilbud",
                       label="Planlægger I nye tilbud?", now=now)
    build.add_question(actor, q, s1, type=QuestionType.SINGLE_CHOICE, key="tendens",
                       label="Tendens", config={"choices": ["Stigende", "Uændret", "Faldende"]},
                       now=now)
    build.add_question(actor, q, s1, type=QuestionType.MULTIPLE_CHOICE, key="omraader",
                       label="Områder", config={"choices": ["Bolig", "Dag", "Døgn"]}, now=now)
    build.add_question(actor, q, s1, type=QuestionType.SCALE, key="samlet",
                       label="Samlet sammenhæng", config={"allow_dont_know": True}, now=now)
    build.add_question(actor, q, s1, type=QuestionType.LONG_TEXT, key="samlet_forklaring",
                       label="Forklaring", condition={"question": "samlet", "in": [1, 2]},
                       now=now)
    s2 = build.add_section(actor, q, title="Voksne", now=now)
    build.add_question(actor, q, s2, type=QuestionType.GRID, key="voksne",
                       label="Behov og udbud for voksne", config={
                           "audience": "adults",
                           "columns": [
                               {"key": "doegn", "label": "Pladser i dag – døgn",
                                "type": "integer", "min": 0},
                               {"key": "behov", "label": "Forventet behov næste år",
                                "type": "integer", "min": 0},
                               {"key": "sammenhaeng", "label": "Sammenhæng mellem behov og udbud",
                                "type": "scale", "allow_dont_know": True},
                               {"key": "bemaerkning", "label": "Bemærkning", "type": "text",
                                "required_when": {"column": "sammenhaeng", "in": [1, 2]}},
                           ]}, now=now)
    db.session.flush()
    return q, groups
