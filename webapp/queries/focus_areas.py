"""Reading a cycle's focus areas: each area with its initiatives a), b), c)…, their lead
organisation ("tovholder") and status, as plain data in a fixed number of queries (two, whatever
the number of areas and initiatives). The cycle's page, the public page, the API and the next
cycle's "Status på tidligere fokusområder" all read through here.

The earlier cycle is the one the cycle was copied from, else the region's latest cycle that
begins before it; never a draft.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db
from ..formatting import danish_key
from ..models import (
    Cycle,
    CycleState,
    FocusArea,
    Initiative,
    InitiativeStatus,
    InitiativeUpdate,
    Organisation,
)
from ..permissions import can
from ..workflows.focus_areas import STATUS_LABELS, letter, status_label


@dataclass(frozen=True)
class InitiativeRow:
    id: int
    letter: str  # a, b, c… from its place
    title: str
    description: str  # Markdown
    lead_id: int | None
    lead_name: str  # "" when no lead is set
    status: InitiativeStatus
    status_label: str
    status_report: str
    status_date: date | None
    version: int
    reportable: bool = False  # the reader may report its status (a lead's respondent)


@dataclass(frozen=True)
class AreaRow:
    id: int
    number: int  # 1, 2, 3… from its place
    title: str
    vision: str  # Markdown
    background: str  # Markdown
    version: int
    initiatives: list[InitiativeRow]

    @property
    def counts(self) -> list[tuple[str, int]]:
        """How many initiatives in each status, in the statuses' order, leaving out none."""
        return [(str(label), sum(1 for i in self.initiatives if i.status == status))
                for status, label in STATUS_LABELS.items()]


@dataclass(frozen=True)
class FocusOverview:
    cycle_id: int
    cycle_title: str
    years_label: str
    areas: list[AreaRow]

    @property
    def initiative_count(self) -> int:
        return sum(len(a.initiatives) for a in self.areas)


def overview(cycle: Cycle, may_report: Callable[[Initiative], bool] | None = None
             ) -> FocusOverview:
    """The cycle's areas in order with their initiatives in order: two queries. `may_report`
    (asked about each initiative) marks the ones the reader may report on."""
    areas = list(db.session.scalars(select(FocusArea).where(FocusArea.cycle_id == cycle.id)
                                    .order_by(FocusArea.position, FocusArea.id)))
    rows = db.session.execute(
        select(Initiative, Organisation.name)
        .outerjoin(Organisation, Organisation.id == Initiative.lead_organisation_id)
        .join(FocusArea, FocusArea.id == Initiative.focus_area_id)
        .where(FocusArea.cycle_id == cycle.id)
        .order_by(Initiative.position, Initiative.id)).all()
    by_area: dict[int, list[InitiativeRow]] = {a.id: [] for a in areas}
    area_of = {a.id: a for a in areas}
    for area in areas:
        set_committed_value(area, "cycle", cycle)  # loaded already: no query, no change
    for initiative, lead_name in rows:
        own = by_area[initiative.focus_area_id]
        set_committed_value(initiative, "focus_area", area_of[initiative.focus_area_id])
        own.append(InitiativeRow(
            id=initiative.id, letter=letter(len(own)), title=initiative.title,
            description=initiative.description, lead_id=initiative.lead_organisation_id,
            lead_name=lead_name or "", status=initiative.status,
            status_label=status_label(initiative.status),
            status_report=initiative.status_report, status_date=initiative.status_date,
            version=initiative.version_id,
            reportable=may_report is not None and may_report(initiative)))
    return FocusOverview(
        cycle_id=cycle.id, cycle_title=cycle.title, years_label=cycle.years_label,
        areas=[AreaRow(id=a.id, number=n, title=a.title, vision=a.vision,
                       background=a.background, version=a.version_id,
                       initiatives=by_area[a.id]) for n, a in enumerate(areas, start=1)])


def earlier_cycle(cycle: Cycle) -> Cycle | None:
    """The cycle this one was copied from, else the region's latest cycle beginning before it;
    never a draft. One or two queries."""
    if cycle.cloned_from_id is not None:
        source = db.session.get(Cycle, cycle.cloned_from_id)
        if (source is not None and source.region_id == cycle.region_id
                and source.state != CycleState.DRAFT):
            return source
    return db.session.scalar(
        select(Cycle).where(Cycle.region_id == cycle.region_id, Cycle.id != cycle.id,
                            Cycle.first_year < cycle.first_year,
                            Cycle.state != CycleState.DRAFT)
        .order_by(Cycle.first_year.desc(), Cycle.last_year.desc(), Cycle.id.desc())
        .limit(1))


def previous_focus(cycle: Cycle, user: Any) -> FocusOverview | None:
    """The earlier cycle's focus areas with their status, for the cycle's page: None when there
    is no earlier cycle the person may see, or it has no focus areas. At most four queries."""
    earlier = earlier_cycle(cycle)
    if earlier is None or not can(user, "cycle.view", earlier):
        return None
    data = overview(earlier)
    return data if data.areas else None


def public_focus(cycle_id: int, visible: Callable[[Cycle], bool]
                 ) -> tuple[Cycle, FocusOverview] | None:
    """What anyone may read: None when the cycle is unknown or `visible(cycle)` says no (the
    view asks the public rule: never a draft). Three queries; the cycle comes with its region."""
    cycle = db.session.scalar(select(Cycle).where(Cycle.id == cycle_id)
                              .options(joinedload(Cycle.region)))
    if cycle is None or not visible(cycle):
        return None
    return cycle, overview(cycle)


def scoped_area_or_404(area_id: int, user: Any) -> FocusArea:
    """An area of a cycle the person may see, with its cycle; else 404."""
    area = db.session.scalar(
        select(FocusArea).join(Cycle, Cycle.id == FocusArea.cycle_id)
        .where(FocusArea.id == area_id, Cycle.region_id == user.region_id)
        .options(joinedload(FocusArea.cycle)))
    if area is None or not can(user, "cycle.view", area.cycle):
        abort(404)
    return area


def scoped_initiative_or_404(initiative_id: int, user: Any) -> Initiative:
    """An initiative of a cycle the person may see, with its area, cycle and lead; else 404."""
    initiative = db.session.scalar(
        select(Initiative).join(FocusArea, FocusArea.id == Initiative.focus_area_id)
        .join(Cycle, Cycle.id == FocusArea.cycle_id)
        .where(Initiative.id == initiative_id, Cycle.region_id == user.region_id)
        .options(joinedload(Initiative.focus_area).joinedload(FocusArea.cycle),
                 joinedload(Initiative.lead_organisation)))
    if initiative is None or not can(user, "cycle.view", initiative.focus_area.cycle):
        abort(404)
    return initiative


def initiative_letter(initiative: Initiative) -> str:
    """The initiative's letter among its area's initiatives (one query)."""
    ids = list(db.session.scalars(select(Initiative.id)
                                  .where(Initiative.focus_area_id == initiative.focus_area_id)
                                  .order_by(Initiative.position, Initiative.id)))
    return letter(ids.index(initiative.id)) if initiative.id in ids else ""


@dataclass(frozen=True)
class UpdateRow:
    status_label: str
    report: str
    reported_on: date
    author: str
    created_at: datetime


def history(initiative: Initiative) -> list[UpdateRow]:
    """The initiative's status reports, newest first (one query)."""
    updates = db.session.scalars(
        select(InitiativeUpdate).where(InitiativeUpdate.initiative_id == initiative.id)
        .order_by(InitiativeUpdate.reported_on.desc(), InitiativeUpdate.id.desc()))
    return [UpdateRow(status_label(u.status), u.report, u.reported_on, u.author_name,
                      u.created_at) for u in updates]


def lead_choices(region_id: int, keep: int | None = None) -> list[tuple[int, str]]:
    """The region's active organisations (and the current lead, even if no longer active), in
    Danish alphabetical order, for the lead's choice."""
    orgs = db.session.scalars(select(Organisation).where(
        Organisation.region_id == region_id,
        Organisation.active.is_(True) | (Organisation.id == (keep or 0))))
    return sorted(((o.id, o.name) for o in orgs), key=lambda pair: danish_key(pair[1]))
