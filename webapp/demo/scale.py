"""Grow a region's data for load and query-count checks: more organisations, people, milestones.

Rows are written directly (no audit trail): this is synthetic volume, not a history of decisions.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from ..extensions import db
from ..models import Cycle, Milestone, MilestoneKind, Organisation, OrgKind, Role, RoleGrant, User
from ..security import hash_password, new_nonce


def grow(region_id: int, factor: int, now: datetime) -> None:
    """Make organisations, people and each cycle's milestones `factor` times as many."""
    orgs = db.session.scalar(
        select(func.count(Organisation.id)).where(Organisation.region_id == region_id)) or 0
    people = db.session.scalar(
        select(func.count(User.id)).join(Organisation, User.organisation_id == Organisation.id)
        .where(Organisation.region_id == region_id)) or 0
    password = hash_password("Syntetisk-person-2018")
    new_orgs = orgs * (factor - 1)
    new_people = max(people * (factor - 1), new_orgs)
    for n in range(new_orgs):
        # The new people spread evenly over the new organisations, the remainder first.
        per_org = new_people // new_orgs + (1 if n < new_people % new_orgs else 0)
        org = Organisation(region_id=region_id, kind=OrgKind.MUNICIPALITY,
                           name=f"Syntetisk Kommune {n + 1}",
                           council_name=f"Syntetisk Byråd {n + 1}", active=True, created_at=now)
        db.session.add(org)
        db.session.flush()
        for k in range(per_org):
            user = User(email=f"syntetisk-{region_id}-{n + 1}-{k + 1}@nordjylland.example",
                        name=f"Syntetisk Person {n + 1}.{k + 1}", organisation_id=org.id,
                        password_hash=password, session_nonce=new_nonce(), active=True,
                        created_at=now, grants=[])
            user.grants.append(RoleGrant(region_id=region_id, role=Role.RESPONDENT,
                                         granted_at=now))
            db.session.add(user)
    cycles = db.session.scalars(select(Cycle).where(Cycle.region_id == region_id)).all()
    for cycle in cycles:
        existing = db.session.scalars(
            select(Milestone).where(Milestone.cycle_id == cycle.id)).all()
        for n in range(len(existing) * (factor - 1)):
            template = existing[n % len(existing)]
            # Extra "other" milestones alongside the real ones keep the phase order valid.
            db.session.add(Milestone(
                cycle_id=cycle.id, kind=MilestoneKind.OTHER,
                title=f"{template.title} (ekstra {n + 1})", starts_at=None,
                ends_at=template.ends_at + timedelta(hours=n + 1), place="", description="",
                audience=list(template.audience or []), is_public=True))
    db.session.flush()
