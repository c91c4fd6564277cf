"""Organisations of a region: municipalities, the region, user organisations, bodies."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ..extensions import db
from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..models import Organisation, OrgKind, User
from ..permissions import Actor, RegionScope, require
from ..text import email_problem
from .base import WorkflowError, changed, check_stale, record, snapshot

KIND_LABELS = {
    OrgKind.MUNICIPALITY: _l("Kommune"),
    OrgKind.REGION: _l("Region"),
    OrgKind.USER_ORGANISATION: _l("Brugerorganisation"),
    OrgKind.SECRETARIAT: _l("Sekretariat"),
    OrgKind.STEERING_BODY: _l("Styringsorgan"),
}

FIELDS = ("kind", "name", "council_name", "email", "active")


def _check(actor: Actor, region_id: int, kind: OrgKind, name: str,
           council_name: str, exclude_id: int | None = None) -> None:
    require(actor, "organisation.manage", RegionScope(region_id),
            message=_("Kun sekretariatet kan ændre organisationer."))
    if kind in (OrgKind.MUNICIPALITY, OrgKind.REGION) and not council_name.strip():
        raise WorkflowError(
            _("Angiv navnet på kommunalbestyrelsen eller regionsrådet, fx “Aalborg Byråd”."),
            field="council_name",
        )
    query = select(Organisation.id).where(
        Organisation.region_id == region_id, Organisation.name == name.strip())
    if exclude_id is not None:
        query = query.where(Organisation.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise WorkflowError(_("Der findes allerede en organisation med dette navn."),
                            field="name")


def _check_email(email: str) -> None:
    problem = email_problem(email.strip())
    if problem is not None:
        raise WorkflowError(problem, field="email")


def create_organisation(
    actor: Actor, *, region_id: int, kind: OrgKind, name: str, council_name: str = "",
    email: str = "", now: datetime,
) -> Organisation:
    _check(actor, region_id, kind, name, council_name)
    _check_email(email)
    org = Organisation(region_id=region_id, kind=kind, name=name.strip(),
                       council_name=council_name.strip() or None, email=email.strip() or None,
                       active=True, created_at=now)
    db.session.add(org)
    db.session.flush()
    record(actor=actor, action="organisation.created", obj=org, now=now, region_id=region_id,
           after=snapshot(org, FIELDS))
    return org


def update_organisation(
    actor: User, org: Organisation, *, kind: OrgKind, name: str, council_name: str,
    email: str, active: bool, now: datetime, version: int | None = None,
) -> Organisation:
    _check(actor, org.region_id, kind, name, council_name, exclude_id=org.id)
    _check_email(email)
    check_stale(org, version)
    before = snapshot(org, FIELDS)
    org.kind, org.name = kind, name.strip()
    org.council_name = council_name.strip() or None
    org.email = email.strip() or None
    org.active = active
    b, a = changed(before, snapshot(org, FIELDS))
    if a:
        record(actor=actor, action="organisation.updated", obj=org, now=now,
               region_id=org.region_id, before=b, after=a)
    return org
