"""The regions on the platform as the operator's list shows them."""

from __future__ import annotations

from sqlalchemy import Select, func, select

from ..extensions import db
from ..models import Cycle, Organisation, Region, User


def _per_region(query: Select[int, int]) -> dict[int, int]:
    return {region_id: n for region_id, n in db.session.execute(query)}


def region_counts() -> list[tuple[Region, int, int, int]]:
    """Every region with its numbers of organisations, people and cycles (four queries)."""
    regions = list(db.session.scalars(select(Region).order_by(Region.code)))
    orgs = _per_region(select(Organisation.region_id, func.count(Organisation.id))
                       .group_by(Organisation.region_id))
    people = _per_region(select(Organisation.region_id, func.count(User.id))
                         .join(User, User.organisation_id == Organisation.id)
                         .group_by(Organisation.region_id))
    cycles = _per_region(select(Cycle.region_id, func.count(Cycle.id)).group_by(Cycle.region_id))
    return [(r, orgs.get(r.id, 0), people.get(r.id, 0), cycles.get(r.id, 0)) for r in regions]
