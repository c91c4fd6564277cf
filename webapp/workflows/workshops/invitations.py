"""Inviting people to a workshop: by organisation kind, by organisation, one by one, and
addresses without an account, who sign up through a signed, expiring personal link.

Each new invitee is sent the invitation at once: the programme, the sign-up deadline, the link
and the workshop as a calendar entry (an ICS attachment).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select

from ... import mail
from ...exports import IcsEvent, ics_calendar
from ...extensions import db
from ...formatting import format_datetime, to_local
from ...i18n import gettext as _
from ...links import absolute_url
from ...mail import Attachment
from ...models import (
    Organisation,
    OrgKind,
    User,
    Workshop,
    WorkshopInvitee,
)
from ...permissions import Actor
from ...security import make_link_token, new_nonce
from ...text import email_problem
from ..base import WorkflowError, record
from . import require_manage

# The purpose a personal sign-up link is signed for (security.make_link_token).
LINK_PURPOSE = "workshop-signup"
# How long a personal link opens the sign-up page: well past any workshop's sign-up period.
LINK_MAX_AGE = 180 * 24 * 3600
# A workshop milestone without a start lasts this long in the calendar entry.
DEFAULT_LENGTH = timedelta(hours=6)


def personal_token(invitee: WorkshopInvitee) -> str:
    assert invitee.access_nonce is not None
    return make_link_token(LINK_PURPOSE, invitee.id, invitee.access_nonce)


def signup_link(invitee: WorkshopInvitee) -> str:
    """Where the invitee signs up: a person on the signed-in page, an address through its
    personal link."""
    if invitee.user_id is None:
        return absolute_url("workshop_signup.by_link", token=personal_token(invitee))
    return absolute_url("workshop_signup.signup", workshop_id=invitee.workshop_id)


def address_of(invitee: WorkshopInvitee, user: User | None) -> str:
    return user.email if user is not None else (invitee.email or "")


def calendar_entry(workshop: Workshop, now: datetime) -> bytes:
    """The workshop as one calendar event: the milestone's place and time."""
    milestone = workshop.milestone
    start = milestone.starts_at or (milestone.ends_at - DEFAULT_LENGTH)
    event = IcsEvent(
        uid=f"workshop-{workshop.id}@aftalehjul", start=to_local(start),
        end=to_local(milestone.ends_at), summary=workshop.title,
        description=workshop.programme, location=milestone.place,
        url=absolute_url("workshops.detail", workshop_id=workshop.id))
    return ics_calendar([event], name=workshop.title, description=workshop.title, stamp=now)


def _send_invitations(workshop: Workshop, invitees: Sequence[WorkshopInvitee],
                      people: dict[int, User], now: datetime) -> None:
    if not invitees:
        return
    ics = Attachment("workshop.ics", "text/calendar; method=PUBLISH; charset=utf-8",
                     calendar_entry(workshop, now))
    milestone = workshop.milestone
    for invitee in invitees:
        user = people.get(invitee.user_id) if invitee.user_id else None
        address = address_of(invitee, user)
        if not address:
            continue
        mail.queue("workshop_invitation", address, now=now, region_id=workshop.region_id,
                   files=[ics], name=invitee.name, title=workshop.title,
                   cycle=workshop.cycle.title, programme=workshop.programme,
                   place=milestone.place,
                   starts=format_datetime(milestone.starts_at or milestone.ends_at),
                   deadline=format_datetime(workshop.signup_deadline),
                   personal=invitee.user_id is None, link=signup_link(invitee))


def _invited_users(workshop: Workshop) -> set[int]:
    return {uid for uid in db.session.scalars(select(WorkshopInvitee.user_id).where(
        WorkshopInvitee.workshop_id == workshop.id)) if uid is not None}


def _invite_people(actor: Actor, workshop: Workshop, people: list[User],
                   now: datetime) -> list[WorkshopInvitee]:
    """Invite these people (those not yet invited), audit once and send the invitations."""
    listed = _invited_users(workshop)
    fresh = [p for p in people if p.id not in listed]
    invitees = [WorkshopInvitee(workshop_id=workshop.id, user_id=p.id,
                                organisation_id=p.organisation_id, name=p.name,
                                invited_at=now) for p in fresh]
    if not invitees:
        return []
    db.session.add_all(invitees)
    db.session.flush()
    record(actor=actor, action="workshop.invited", obj=workshop, now=now,
           region_id=workshop.region_id, after={"invited": [p.name for p in fresh]})
    _send_invitations(workshop, invitees, {p.id: p for p in fresh}, now)
    return invitees


def _active_people(workshop: Workshop, *conditions: object) -> list[User]:
    return list(db.session.scalars(
        select(User).join(Organisation, Organisation.id == User.organisation_id)
        .where(Organisation.region_id == workshop.region_id, Organisation.active.is_(True),
               User.active.is_(True), *conditions)  # type: ignore[arg-type]
        .order_by(User.id)))


def invite_by_kind(actor: Actor, workshop: Workshop, kind: OrgKind | None, *,
                   now: datetime) -> int:
    """The active people of every active organisation of this kind in the region. Returns how
    many were invited (none is not an error: they were already)."""
    require_manage(actor, workshop.region_id)
    if kind is None:
        raise WorkflowError(_("Vælg en slags organisation."), field="kind")
    return len(_invite_people(actor, workshop, _active_people(
        workshop, Organisation.kind == kind), now))


def invite_organisation(actor: Actor, workshop: Workshop, organisation_id: int | None, *,
                        now: datetime) -> int:
    require_manage(actor, workshop.region_id)
    org = db.session.scalar(select(Organisation).where(
        Organisation.id == organisation_id, Organisation.region_id == workshop.region_id,
        Organisation.active.is_(True))) if organisation_id else None
    if org is None:
        raise WorkflowError(_("Vælg en aktiv organisation i regionen."), field="organisation_id")
    return len(_invite_people(actor, workshop, _active_people(
        workshop, User.organisation_id == org.id), now))


def invite_person(actor: Actor, workshop: Workshop, user_id: int | None, *,
                  now: datetime) -> WorkshopInvitee:
    require_manage(actor, workshop.region_id)
    found = _active_people(workshop, User.id == user_id) if user_id else []
    if not found:
        raise WorkflowError(_("Vælg en aktiv person i regionen."), field="user_id")
    if found[0].id in _invited_users(workshop):
        raise WorkflowError(_("%(name)s er allerede inviteret.", name=found[0].name),
                            field="user_id")
    return _invite_people(actor, workshop, found, now)[0]


def invite_address(actor: Actor, workshop: Workshop, *, name: str, email: str,
                   organisation_id: int | None, now: datetime) -> WorkshopInvitee:
    """A person without an account: invited at their address, with a personal link."""
    require_manage(actor, workshop.region_id)
    name, email = name.strip(), email.strip()
    if not name:
        raise WorkflowError(_("Skriv personens navn."), field="name")
    if not email:
        raise WorkflowError(_("Skriv personens e-mailadresse."), field="email")
    problem = email_problem(email)
    if problem:
        raise WorkflowError(problem, field="email")
    if organisation_id is not None and db.session.scalar(select(Organisation.id).where(
            Organisation.id == organisation_id,
            Organisation.region_id == workshop.region_id)) is None:
        raise WorkflowError(_("Vælg en organisation i regionen, eller ingen."),
                            field="organisation_id")
    taken = db.session.scalar(select(WorkshopInvitee.id).where(
        WorkshopInvitee.workshop_id == workshop.id,
        func.lower(WorkshopInvitee.email) == email.lower()))
    if taken is not None:
        raise WorkflowError(_("Adressen er allerede inviteret."), field="email")
    has_account = db.session.scalar(select(User.id).where(
        func.lower(User.email) == email.lower()))
    if has_account is not None:
        raise WorkflowError(_("Adressen hører til en person med login: invitér personen i "
                              "stedet."), field="email")
    invitee = WorkshopInvitee(workshop_id=workshop.id, user_id=None,
                              organisation_id=organisation_id, name=name, email=email,
                              access_nonce=new_nonce(), invited_at=now)
    db.session.add(invitee)
    db.session.flush()
    record(actor=actor, action="workshop.invited", obj=workshop, now=now,
           region_id=workshop.region_id, after={"invited": [name], "email": email})
    _send_invitations(workshop, [invitee], {}, now)
    return invitee
