"""Regions on the platform: the operator creates, renames, deactivates and activates them and
invites a region's first secretariat person. All of it from the command line, as the system
(named in the trail by the operator's own name when given)."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..extensions import db
from ..i18n import gettext as _
from ..models import Organisation, OrgKind, Region, Role, User
from ..permissions import SystemActor, require
from ..security import new_nonce
from ..text import clean_text, email_problem, text_problem
from . import accounts
from .base import WorkflowError, record

# Lower-case letters a–z, digits and hyphens, beginning with a letter: the code is typed in
# commands and stays the same when the region's name changes.
CODE_PATTERN = re.compile(r"[a-z][a-z0-9-]{1,39}")
MAX_NAME = 120


def operator(name: str | None) -> SystemActor:
    """The actor the trail names: the operator given by `--by`, else "system"."""
    if name is None:
        return SystemActor()
    cleaned = clean_text(name).strip()
    if not cleaned or len(cleaned) > 100 or text_problem(cleaned):
        raise WorkflowError(_("Skriv operatørens navn (højst 100 tegn) efter --by."),
                            field="by")
    return SystemActor(name=cleaned)


def check_code(code: str) -> str:
    if not CODE_PATTERN.fullmatch(code):
        raise WorkflowError(_("Regionens kode må kun have små bogstaver a–z, tal og bindestreg, "
                              "skal begynde med et bogstav og have 2–40 tegn, fx “syddanmark”."),
                            field="code")
    return code


def _clean_name(name: str, field: str = "name") -> str:
    cleaned = clean_text(name).strip()
    if not cleaned:
        raise WorkflowError(_("Skriv regionens navn, fx “Region Syddanmark”."), field=field)
    if len(cleaned) > MAX_NAME:
        raise WorkflowError(_("Regionens navn må højst have %(n)d tegn.", n=MAX_NAME),
                            field=field)
    problem = text_problem(cleaned)
    if problem:
        raise WorkflowError(problem, field=field)
    return cleaned


def _name_taken(name: str, exclude_id: int | None = None) -> None:
    query = select(Region.id).where(func.lower(Region.name) == name.lower())
    if exclude_id is not None:
        query = query.where(Region.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise WorkflowError(_("Der findes allerede en region med navnet “%(name)s”.", name=name),
                            field="name")


def region_by_code(code: str) -> Region:
    region = db.session.scalar(select(Region).where(Region.code == code))
    if region is None:
        raise WorkflowError(_("Der findes ingen region med koden “%(code)s”. Se koderne med "
                              "“regions list”.", code=code), field="region")
    return region


def create_region(actor: SystemActor, *, code: str, name: str, now: datetime) -> Region:
    require(actor, "region.operate", message=_("Kun driften kan oprette regioner."))
    check_code(code)
    name = _clean_name(name)
    if db.session.scalar(select(Region.id).where(Region.code == code)) is not None:
        raise WorkflowError(_("Der findes allerede en region med koden “%(code)s”.", code=code),
                            field="code")
    _name_taken(name)
    region = Region(code=code, name=name, active=True, created_at=now)
    db.session.add(region)
    db.session.flush()
    record(actor=actor, action="region.created", obj=region, now=now, region_id=region.id,
           after={"code": code, "name": name})
    return region


def rename_region(actor: SystemActor, region: Region, *, name: str, now: datetime) -> Region:
    require(actor, "region.operate", region, message=_("Kun driften kan omdøbe regioner."))
    name = _clean_name(name)
    if name == region.name:
        raise WorkflowError(_("Regionen hedder allerede “%(name)s”.", name=name), field="name")
    _name_taken(name, exclude_id=region.id)
    before = region.name
    region.name = name
    record(actor=actor, action="region.renamed", obj=region, now=now, region_id=region.id,
           before={"name": before}, after={"name": name})
    return region


def set_region_active(actor: SystemActor, region: Region, active: bool, *,
                      now: datetime) -> Region:
    """Deactivating keeps every row; the region's people can no longer sign in (their
    sessions, API tokens and links stop at the next request). Activating undoes it."""
    require(actor, "region.operate", region,
            message=_("Kun driften kan aktivere og deaktivere regioner."))
    if region.active == active:
        raise WorkflowError(_("Regionen “%(name)s” er allerede aktiv.", name=region.name)
                            if active else
                            _("Regionen “%(name)s” er allerede deaktiveret.", name=region.name),
                            field="region")
    region.active = active
    record(actor=actor, action="region.activated" if active else "region.deactivated",
           obj=region, now=now, region_id=region.id,
           before={"active": not active}, after={"active": active})
    return region


def secretariat_organisation(actor: SystemActor, region: Region, *, now: datetime
                             ) -> Organisation:
    """The region's secretariat organisation; made when the region has none yet."""
    org = db.session.scalar(
        select(Organisation).where(Organisation.region_id == region.id,
                                   Organisation.kind == OrgKind.SECRETARIAT)
        .order_by(Organisation.id).limit(1))
    if org is not None:
        return org
    org = Organisation(region_id=region.id, kind=OrgKind.SECRETARIAT,
                       name=_("Sekretariatet for rammeaftalen"), active=True, created_at=now)
    db.session.add(org)
    db.session.flush()
    record(actor=actor, action="organisation.created", obj=org, now=now, region_id=region.id,
           after={"kind": org.kind.value, "name": org.name})
    return org


def invite_secretariat(actor: SystemActor, region: Region, *, email: str, name: str,
                       now: datetime) -> User:
    """The region's first (or a further) secretariat person, invited by e-mail to set a
    password. An address in use elsewhere is refused without saying where."""
    require(actor, "region.operate", region,
            message=_("Kun driften kan invitere en regions sekretariat."))
    if not region.active:
        raise WorkflowError(_("Regionen “%(name)s” er deaktiveret. Aktivér den først.",
                              name=region.name), field="region")
    email = accounts.normalise_email(email)
    problem = email_problem(email) or (None if email else _("Skriv personens e-mailadresse."))
    if problem is not None:
        raise WorkflowError(problem, field="email")
    person_name = clean_text(name).strip()
    if not person_name or len(person_name) > 160 or text_problem(person_name):
        raise WorkflowError(_("Skriv personens navn (højst 160 tegn)."), field="name")
    existing = db.session.scalar(select(User).where(User.email == email)
                                 .options(selectinload(User.grants)))
    if existing is not None:
        raise WorkflowError(_("Adressen er allerede i brug og kan ikke inviteres her."),
                            field="email")
    org = secretariat_organisation(actor, region, now=now)
    user = User(email=email, name=person_name, organisation_id=org.id, session_nonce=new_nonce(),
                active=True, created_at=now, invited_at=now, grants=[])
    db.session.add(user)
    db.session.flush()
    record(actor=actor, action="user.invited", obj=user, now=now, region_id=region.id,
           label=email, after={"email": email, "name": person_name, "organisation": org.name,
                               "role": Role.SECRETARIAT.value})
    accounts.grant(actor, user, region.id, Role.SECRETARIAT, now)
    accounts.send_invitation(user, org, inviter=accounts.inviter_name(actor), now=now)
    return user

