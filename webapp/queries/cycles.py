"""Reading cycles and milestones, scoped to the reader's region: another region's cycle is a 404,
so its existence does not leak."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import abort
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ..charts import timeline_svg
from ..extensions import db
from ..i18n import gettext as _
from ..models import AuditEvent, Cycle, Milestone
from ..permissions import can


def scoped_cycle_or_404(cycle_id: int, user: Any, *options: Any) -> Cycle:
    """A cycle the person may see: another region's, or a draft of their own region for anyone
    but the secretariat, is a 404 like an unknown id, so its existence does not leak."""
    cycle = db.session.scalar(
        select(Cycle)
        .where(Cycle.id == cycle_id, Cycle.region_id == user.region_id)
        .options(*options)
    )
    if cycle is None or not can(user, "cycle.view", cycle):
        abort(404)
    return cycle


def cycle_milestones(cycle: Cycle) -> list[Milestone]:
    """The milestones of a cycle loaded without them, in the cycle's order (one query)."""
    db.session.execute(select(Cycle).where(Cycle.id == cycle.id)
                       .options(selectinload(Cycle.milestones))
                       .execution_options(populate_existing=True)).all()
    return list(cycle.milestones)


def scoped_milestone_or_404(cycle: Cycle, milestone_id: int) -> Milestone:
    milestone = db.session.scalar(
        select(Milestone).where(Milestone.id == milestone_id, Milestone.cycle_id == cycle.id)
    )
    if milestone is None:
        abort(404)
    # The cycle is already loaded and scoped: attach it without a query or a change event.
    set_committed_value(milestone, "cycle", cycle)
    return milestone


def region_cycles(region_id: int) -> list[Cycle]:
    """The region's cycles, newest first."""
    return list(db.session.scalars(
        select(Cycle).where(Cycle.region_id == region_id)
        .order_by(Cycle.first_year.desc(), Cycle.id.desc())))


def visible_cycles(user: Any) -> list[Cycle]:
    """The region's cycles this person may see (`cycle.view`: drafts only for the secretariat),
    newest first."""
    return [c for c in region_cycles(user.region_id) if can(user, "cycle.view", c)]


HISTORY_LIMIT = 500


def history(cycle: Cycle) -> list[AuditEvent]:
    """What happened to the cycle and its milestones, newest first (milestones loaded)."""
    milestone_ids = [m.id for m in cycle.milestones]
    return list(db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.region_id == cycle.region_id)
        .where(
            ((AuditEvent.object_type == "Cycle") & (AuditEvent.object_id == cycle.id))
            | ((AuditEvent.object_type == "Milestone") & AuditEvent.object_id.in_(milestone_ids))
        )
        .order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(HISTORY_LIMIT)))


# Colours chosen for at least 3:1 against white (WCAG 1.4.11 for graphics).
KIND_COLOURS = {
    "kickoff": "#005a9c",
    "workshop": "#6f3c96",
    "theme_day": "#9c3d00",
    "questionnaire": "#00703c",
    "consultation": "#a4005a",
    "draft": "#505a5f",
    "approval": "#b00020",
    "other": "#3d4f7c",
}


def _kind_colour(item: Milestone) -> str:
    return KIND_COLOURS.get(item.kind.value, KIND_COLOURS["other"])


def timeline(milestones: list[Milestone], now: datetime, chart_id: str = "tl") -> Markup:
    """The cycle's timeline, coloured by milestone kind."""
    return timeline_svg(milestones, now, chart_id, colour=_kind_colour,
                        title=_("Tidslinje for cyklussen"))
