"""Small factories that write rows directly (fast); workflows are tested through their own API."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

from webapp.extensions import db
from webapp.models import (
    Cycle,
    CycleState,
    Milestone,
    MilestoneKind,
    Organisation,
    OrgKind,
    Region,
    Role,
    RoleGrant,
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
