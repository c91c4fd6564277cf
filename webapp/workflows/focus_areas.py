"""The cycle's focus areas (issue 14, item 6): the secretariat writes them from the theme day's
outcome — title, vision, background — each with its initiatives a), b), c)… and their lead
organisation ("tovholder"); during the agreement period the lead's respondents (or the
secretariat) report each initiative's status with a short report and a date.

Writing the areas and initiatives needs `focus_area.manage` and a cycle that may still change
(draft or open); a status report needs `focus_area.report` on the initiative, in any state of
the cycle: the agreement period runs after the planning cycle has closed. The letters follow
from the initiatives' order and are never stored. Each edit carries its record's counter
(`version_id` on FocusArea and Initiative), so a stale form is refused with the stored values
beside the person's input.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..formatting import to_local
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..models import (
    Cycle,
    FocusArea,
    Initiative,
    InitiativeStatus,
    InitiativeUpdate,
    Organisation,
    User,
)
from ..permissions import Actor, require
from .base import (
    WorkflowError,
    bump_version,
    changed,
    check_date_window,
    check_stale,
    record,
    snapshot,
)
from .states import CYCLES

AREA_FIELDS = ("title", "vision", "background")
INITIATIVE_FIELDS = ("title", "description", "lead_organisation_id")
STATUS_FIELDS = ("status", "status_report", "status_date")
MAX_REPORT = 2000
Ordered = TypeVar("Ordered", FocusArea, Initiative)

STATUS_LABELS = {
    InitiativeStatus.NOT_STARTED: _l("Ikke startet"),
    InitiativeStatus.IN_PROGRESS: _l("I gang"),
    InitiativeStatus.DONE: _l("Afsluttet"),
}


def status_label(status: InitiativeStatus) -> str:
    return str(STATUS_LABELS[status])


def letter(index: int) -> str:
    """An initiative's letter from its place (0 → "a", 25 → "z", 26 → "aa")."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


@dataclass
class AreaData:
    title: str
    vision: str
    background: str


@dataclass
class InitiativeData:
    title: str
    description: str
    lead_organisation_id: int | None


def _require_manage(actor: Actor, cycle: Cycle) -> None:
    require(actor, "focus_area.manage", cycle,
            message=_("Kun sekretariatet kan skrive cyklussens fokusområder."))
    if not CYCLES.is_editable(cycle):
        raise WorkflowError(_("Cyklussen er afsluttet, så dens fokusområder kan ikke ændres. "
                              "Genåbn den først."))


def _areas(cycle: Cycle) -> list[FocusArea]:
    return list(db.session.scalars(select(FocusArea).where(FocusArea.cycle_id == cycle.id)
                                   .order_by(FocusArea.position, FocusArea.id)))


def _initiatives(area: FocusArea) -> list[Initiative]:
    return list(db.session.scalars(select(Initiative).where(Initiative.focus_area_id == area.id)
                                   .order_by(Initiative.position, Initiative.id)))


def _check_area(cycle: Cycle, data: AreaData, exclude_id: int | None) -> AreaData:
    title = data.title.strip()
    if not title:
        raise WorkflowError(_("Skriv fokusområdets titel."), field="title")
    if len(title) > 200:
        raise WorkflowError(_("Titlen må højst være 200 tegn."), field="title")
    taken = select(FocusArea.id).where(FocusArea.cycle_id == cycle.id, FocusArea.title == title)
    if exclude_id is not None:
        taken = taken.where(FocusArea.id != exclude_id)
    if db.session.scalar(taken) is not None:
        raise WorkflowError(_("Cyklussen har allerede et fokusområde med denne titel."),
                            field="title")
    return AreaData(title, data.vision.strip(), data.background.strip())


def create_area(actor: Actor, cycle: Cycle, data: AreaData, *, now: datetime) -> FocusArea:
    _require_manage(actor, cycle)
    clean = _check_area(cycle, data, None)
    last = db.session.scalar(select(func.max(FocusArea.position))
                             .where(FocusArea.cycle_id == cycle.id))
    area = FocusArea(cycle_id=cycle.id, title=clean.title, vision=clean.vision,
                     background=clean.background, position=(last + 1) if last is not None else 0,
                     created_at=now)
    area.cycle = cycle
    db.session.add(area)
    db.session.flush()
    record(actor=actor, action="focus_area.created", obj=area, now=now,
           region_id=cycle.region_id, after=snapshot(area, AREA_FIELDS))
    return area


def update_area(actor: Actor, area: FocusArea, data: AreaData, *, now: datetime,
                version: int | None) -> FocusArea:
    _require_manage(actor, area.cycle)
    check_stale(area, version)
    clean = _check_area(area.cycle, data, area.id)
    before = snapshot(area, AREA_FIELDS)
    area.title, area.vision, area.background = clean.title, clean.vision, clean.background
    old, new = changed(before, snapshot(area, AREA_FIELDS))
    if new:
        record(actor=actor, action="focus_area.updated", obj=area, now=now,
               region_id=area.region_id, before=old, after=new)
    return area


def delete_area(actor: Actor, area: FocusArea, *, now: datetime, version: int | None) -> None:
    """Removes the area with its initiatives and their status history (in the trail)."""
    _require_manage(actor, area.cycle)
    check_stale(area, version)
    initiatives = _with_updates(area)
    record(actor=actor, action="focus_area.deleted", obj=area, now=now,
           region_id=area.region_id,
           before={**snapshot(area, AREA_FIELDS), "initiatives": [i.title for i in initiatives]})
    db.session.delete(area)
    db.session.flush()


def _with_updates(area: FocusArea) -> list[Initiative]:
    """The area's initiatives and their updates, loaded so the ORM's cascade can remove them."""
    db.session.execute(select(FocusArea).where(FocusArea.id == area.id).options(
        selectinload(FocusArea.initiatives).selectinload(Initiative.updates))).all()
    return list(area.initiatives)


def _move(items: list[Ordered], item: Ordered, step: int, first: str, last: str
          ) -> tuple[int, int]:
    """Swaps `item` with its neighbour and numbers the list 0, 1, 2…; the places before and
    after (from 0)."""
    if step not in (-1, 1):
        raise WorkflowError(_("Vælg op eller ned."))
    index = items.index(item)
    target = index + step
    if not 0 <= target < len(items):
        raise WorkflowError(first if step < 0 else last)
    ordered = list(items)
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, row in enumerate(ordered):
        if row.position != position:
            row.position = position
    return index, target


def move_area(actor: Actor, area: FocusArea, *, step: int, now: datetime,
              version: int | None) -> None:
    """One place up (step -1) or down (+1) among the cycle's areas."""
    _require_manage(actor, area.cycle)
    check_stale(area, version)
    index, target = _move(_areas(area.cycle), area, step,
                          _("Fokusområdet står allerede først."),
                          _("Fokusområdet står allerede sidst."))
    bump_version(area)
    record(actor=actor, action="focus_area.moved", obj=area, now=now, region_id=area.region_id,
           before={"position": index + 1}, after={"position": target + 1})


def _check_initiative(area: FocusArea, data: InitiativeData, current: Initiative | None
                      ) -> InitiativeData:
    title = data.title.strip()
    if not title:
        raise WorkflowError(_("Skriv initiativets titel."), field="title")
    if len(title) > 300:
        raise WorkflowError(_("Titlen må højst være 300 tegn."), field="title")
    taken = select(Initiative.id).where(Initiative.focus_area_id == area.id,
                                        Initiative.title == title)
    if current is not None:
        taken = taken.where(Initiative.id != current.id)
    if db.session.scalar(taken) is not None:
        raise WorkflowError(_("Fokusområdet har allerede et initiativ med denne titel."),
                            field="title")
    lead = data.lead_organisation_id or None
    if lead is not None and (current is None or lead != current.lead_organisation_id):
        org = db.session.get(Organisation, lead)
        if org is None or org.region_id != area.region_id or not org.active:
            raise WorkflowError(_("Vælg en aktiv organisation i regionen som tovholder."),
                                field="lead_organisation_id")
    return InitiativeData(title, data.description.strip(), lead)


def create_initiative(actor: Actor, area: FocusArea, data: InitiativeData, *,
                      now: datetime) -> Initiative:
    _require_manage(actor, area.cycle)
    clean = _check_initiative(area, data, None)
    last = db.session.scalar(select(func.max(Initiative.position))
                             .where(Initiative.focus_area_id == area.id))
    initiative = Initiative(focus_area_id=area.id, title=clean.title,
                            description=clean.description,
                            lead_organisation_id=clean.lead_organisation_id,
                            position=(last + 1) if last is not None else 0,
                            status=InitiativeStatus.NOT_STARTED, status_report="")
    initiative.focus_area = area
    db.session.add(initiative)
    db.session.flush()
    record(actor=actor, action="initiative.created", obj=initiative, now=now,
           region_id=area.region_id, after=snapshot(initiative, INITIATIVE_FIELDS))
    return initiative


def update_initiative(actor: Actor, initiative: Initiative, data: InitiativeData, *,
                      now: datetime, version: int | None) -> Initiative:
    area = initiative.focus_area
    _require_manage(actor, area.cycle)
    check_stale(initiative, version)
    clean = _check_initiative(area, data, initiative)
    before = snapshot(initiative, INITIATIVE_FIELDS)
    initiative.title, initiative.description = clean.title, clean.description
    initiative.lead_organisation_id = clean.lead_organisation_id
    old, new = changed(before, snapshot(initiative, INITIATIVE_FIELDS))
    if new:
        record(actor=actor, action="initiative.updated", obj=initiative, now=now,
               region_id=area.region_id, before=old, after=new)
    return initiative


def delete_initiative(actor: Actor, initiative: Initiative, *, now: datetime,
                      version: int | None) -> None:
    area = initiative.focus_area
    _require_manage(actor, area.cycle)
    check_stale(initiative, version)
    db.session.execute(select(Initiative).where(Initiative.id == initiative.id)
                       .options(selectinload(Initiative.updates))).all()
    record(actor=actor, action="initiative.deleted", obj=initiative, now=now,
           region_id=area.region_id,
           before={**snapshot(initiative, INITIATIVE_FIELDS + STATUS_FIELDS),
                   "reports": len(initiative.updates)})
    db.session.delete(initiative)
    db.session.flush()


def move_initiative(actor: Actor, initiative: Initiative, *, step: int, now: datetime,
                    version: int | None) -> None:
    """One place up or down among the area's initiatives: its letter changes with it."""
    area = initiative.focus_area
    _require_manage(actor, area.cycle)
    check_stale(initiative, version)
    index, target = _move(_initiatives(area), initiative, step,
                          _("Initiativet står allerede først."),
                          _("Initiativet står allerede sidst."))
    bump_version(initiative)
    record(actor=actor, action="initiative.moved", obj=initiative, now=now,
           region_id=area.region_id, before={"position": letter(index)},
           after={"position": letter(target)})


def report_status(actor: Actor, initiative: Initiative, *, status: InitiativeStatus,
                  report: str, reported_on: date | None, now: datetime,
                  version: int | None) -> InitiativeUpdate:
    """A status update (status, short report, date). The latest by date is copied onto the
    initiative, so lists read it without the history; a report dated before the current one
    only joins the history."""
    require(actor, "focus_area.report", initiative, now,
            message=_("Kun sekretariatet og tovholderens egne besvarere kan melde status på "
                      "initiativet."))
    check_stale(initiative, version)
    if not isinstance(status, InitiativeStatus):
        raise WorkflowError(_("Vælg en status."), field="status")
    text = report.strip()
    if not text:
        raise WorkflowError(_("Skriv en kort status: hvad er der sket?"), field="report")
    if len(text) > MAX_REPORT:
        raise WorkflowError(_("Skriv højst %(n)d tegn.", n=MAX_REPORT), field="report")
    if reported_on is None:
        raise WorkflowError(_("Angiv datoen for status."), field="reported_on")
    check_date_window(reported_on, "reported_on")
    if reported_on > to_local(now).date():
        raise WorkflowError(_("Datoen for status kan ikke ligge efter i dag."),
                            field="reported_on")
    update = InitiativeUpdate(
        initiative_id=initiative.id, status=status, report=text, reported_on=reported_on,
        author_id=actor.id if isinstance(actor, User) else None, author_name=actor.name,
        created_at=now)
    db.session.add(update)
    before = snapshot(initiative, STATUS_FIELDS)
    if initiative.status_date is None or reported_on >= initiative.status_date:
        initiative.status, initiative.status_report = status, text
        initiative.status_date = reported_on
    bump_version(initiative)  # a report that only joins the history still counts as a change
    db.session.flush()
    record(actor=actor, action="initiative.status_reported", obj=initiative, now=now,
           region_id=initiative.region_id, before=before,
           after={"status": status.value, "status_report": text,
                  "status_date": reported_on.isoformat()})
    return update
