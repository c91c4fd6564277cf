"""Load the Nordjylland demo. Idempotent: what exists (by its natural key) is left alone."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..formatting import LOCAL_TZ
from ..models import Cycle, CycleState, MilestoneKind, Organisation, OrgKind, Region, Role, User
from ..workflows import accounts, organisations
from ..workflows import cycles as cycle_flow
from . import nordjylland as data


@dataclass
class SeedResult:
    created: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created)


def _local(value: str | None) -> datetime | None:
    if value is None:
        return None
    return datetime.strptime(value, "%Y-%m-%d %H:%M").replace(tzinfo=LOCAL_TZ)


def seed_demo(now: datetime) -> SeedResult:
    """Create what is missing of the demo. The caller commits."""
    result = SeedResult()
    region = db.session.scalar(select(Region).where(Region.code == data.REGION["code"]))
    if region is None:
        region = Region(code=data.REGION["code"], name=data.REGION["name"], created_at=now)
        db.session.add(region)
        db.session.flush()
        result.created.append(f"region {region.name}")

    existing = {o.name: o for o in db.session.scalars(
        select(Organisation).where(Organisation.region_id == region.id))}
    wanted = [("municipality", name, council) for name, council in data.MUNICIPALITIES]
    wanted += list(data.OTHER_ORGANISATIONS)
    for kind, name, council in wanted:
        if name not in existing:
            existing[name] = organisations.create_organisation(
                None, region_id=region.id, kind=OrgKind(kind), name=name,
                council_name=council or "", now=now)
            result.created.append(f"organisation {name}")

    people = {u.email: u for u in db.session.scalars(
        select(User).where(User.email.in_([p[0] for p in data.PEOPLE]))
        .options(selectinload(User.grants), selectinload(User.organisation)))}
    for email, name, org_name, roles in data.PEOPLE:
        if email not in people:
            people[email] = accounts.create_user(
                email=email, name=name, organisation=existing[org_name],
                roles=[Role(r) for r in roles], password=data.DEMO_PASSWORD, now=now)
            result.created.append(f"person {email}")
    actor = db.session.scalar(
        select(User).where(User.email == data.PEOPLE[0][0])
        .options(selectinload(User.grants), selectinload(User.organisation)))
    assert actor is not None

    cycles = {c.title: c for c in db.session.scalars(
        select(Cycle).where(Cycle.region_id == region.id)
        .options(selectinload(Cycle.milestones)))}
    source = cycles.get(data.CYCLE["title"])
    if source is None:
        source = cycle_flow.create_cycle(actor, region_id=region.id, now=now, **data.CYCLE)
        for m in data.MILESTONES:
            cycle_flow.add_milestone(actor, source, cycle_flow.MilestoneData(
                kind=MilestoneKind(m["kind"]), title=m["title"],
                starts_at=_local(m["starts"]), ends_at=_local(m["ends"]),  # type: ignore[arg-type]
                description=m["description"], audience=list(m["audience"]),
            ), now=now)
        cycle_flow.set_cycle_state(actor, source, CycleState.OPEN, now=now)
        result.created.append(f"cycle {source.title}")
    if data.CLONE["title"] not in cycles:
        cycle_flow.clone_cycle(actor, source, now=now, **data.CLONE)
        result.created.append(f"cycle {data.CLONE['title']}")
    db.session.flush()
    return result


def demo_logins() -> list[tuple[str, str, str]]:
    return [(email, ", ".join(roles), org) for email, _, org, roles in data.PEOPLE]
