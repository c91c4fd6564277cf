"""Reading cycles and milestones, scoped to the reader's region: another region's cycle is a 404,
so its existence does not leak."""

from __future__ import annotations

from typing import Any

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db
from ..models import Cycle, Milestone


def scoped_cycle_or_404(cycle_id: int, user: Any, *options: Any) -> Cycle:
    cycle = db.session.scalar(
        select(Cycle)
        .where(Cycle.id == cycle_id, Cycle.region_id == user.region_id)
        .options(*options)
    )
    if cycle is None:
        abort(404)
    return cycle


def scoped_milestone_or_404(cycle: Cycle, milestone_id: int) -> Milestone:
    milestone = db.session.scalar(
        select(Milestone).where(Milestone.id == milestone_id, Milestone.cycle_id == cycle.id)
    )
    if milestone is None:
        abort(404)
    # The cycle is already loaded and scoped: attach it without a query or a change event.
    set_committed_value(milestone, "cycle", cycle)
    return milestone
