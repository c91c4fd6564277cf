"""The list of consulted parties ("høringslisten") and each party's extension.

Organisations are added by kind (every active one of the region, one click) or one by one;
a named external address without an account gets a fresh `access_nonce`, which its signed
personal link carries. The list changes only while the consultation is a draft; a change of
the list moves the consultation's counter (a change of the consultation itself).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from ... import mail
from ...extensions import db
from ...formatting import format_datetime
from ...i18n import gettext as _
from ...links import absolute_url
from ...models import (
    Consultation,
    ConsultationParty,
    Organisation,
    OrgKind,
    Role,
    User,
)
from ...permissions import Actor, require
from ...security import make_link_token, new_nonce
from ...text import email_problem
from ..audiences import people_of
from ..base import WorkflowError, bump_version, check_date_window, check_stale, record
from ..states import CONSULTATIONS

# The purpose an external party's signed link is made for (security.make_link_token).
LINK_PURPOSE = "consultation-party"

# The people of an organisation who answer a consultation for it and are told about it.
PARTY_ROLES = (Role.RESPONDENT, Role.USER_ORG_REP)


@dataclass
class PartyPeople:
    """The answering people of organisations, and their shared addresses."""

    people: dict[int, list[User]] = field(default_factory=dict)
    shared: dict[int, str] = field(default_factory=dict)

    def addresses(self, organisation_id: int) -> list[str]:
        found = sorted({p.email for p in self.people.get(organisation_id, [])})
        shared = self.shared.get(organisation_id)
        if shared and shared not in found:
            found.append(shared)
        return found


def party_people(organisation_ids: Iterable[int]) -> PartyPeople:
    """The active, signed-up respondents and user-organisation representatives of these
    organisations (as a questionnaire's reminders pick them), and each one's shared address.
    Two queries whatever the number."""
    ids = sorted(set(organisation_ids))
    out = PartyPeople()
    if not ids:
        return out
    out.people = people_of(ids, PARTY_ROLES)
    for org_id, email in db.session.execute(
            select(Organisation.id, Organisation.email).where(Organisation.id.in_(ids))):
        if email:
            out.shared[org_id] = email
    return out


def _require_manage(actor: Actor, consultation: Consultation) -> None:
    require(actor, "consultation.manage", consultation,
            message=_("Kun sekretariatet kan ændre høringslisten."))


def _require_draft(consultation: Consultation) -> None:
    if not CONSULTATIONS.is_editable(consultation):
        raise WorkflowError(_("Høringen er sendt ud. Høringslisten kan ikke længere ændres."))


def _listed_organisations(consultation: Consultation) -> set[int]:
    return {org_id for org_id in db.session.scalars(
        select(ConsultationParty.organisation_id)
        .where(ConsultationParty.consultation_id == consultation.id)) if org_id is not None}


def _add(consultation: Consultation, orgs: list[Organisation]) -> list[ConsultationParty]:
    added = [ConsultationParty(consultation_id=consultation.id, organisation_id=org.id,
                               name=org.name) for org in orgs]
    db.session.add_all(added)
    return added


def add_by_kind(actor: Actor, consultation: Consultation, kind: OrgKind, *,
                now: datetime) -> int:
    """Every active organisation of this kind in the region not yet on the list. Returns how
    many were added (none is not an error: the list already holds them)."""
    _require_manage(actor, consultation)
    _require_draft(consultation)
    listed = _listed_organisations(consultation)
    orgs = [o for o in db.session.scalars(
        select(Organisation).where(Organisation.region_id == consultation.region_id,
                                   Organisation.kind == kind, Organisation.active.is_(True))
        .order_by(Organisation.id)) if o.id not in listed]
    if not orgs:
        return 0
    _add(consultation, orgs)
    bump_version(consultation)
    record(actor=actor, action="consultation.party_added", obj=consultation, now=now,
           region_id=consultation.region_id, after={"parties": [o.name for o in orgs]})
    return len(orgs)


def add_organisation(actor: Actor, consultation: Consultation, organisation_id: int | None, *,
                     now: datetime) -> ConsultationParty:
    _require_manage(actor, consultation)
    _require_draft(consultation)
    org = db.session.scalar(select(Organisation).where(
        Organisation.id == organisation_id, Organisation.region_id == consultation.region_id,
        Organisation.active.is_(True))) if organisation_id else None
    if org is None:
        raise WorkflowError(_("Vælg en aktiv organisation i regionen."), field="organisation_id")
    if org.id in _listed_organisations(consultation):
        raise WorkflowError(_("%(name)s står allerede på høringslisten.", name=org.name),
                            field="organisation_id")
    party = _add(consultation, [org])[0]
    bump_version(consultation)
    record(actor=actor, action="consultation.party_added", obj=consultation, now=now,
           region_id=consultation.region_id, after={"parties": [org.name]})
    return party


def add_external(actor: Actor, consultation: Consultation, *, name: str, email: str,
                 now: datetime) -> ConsultationParty:
    """A named address without an account; its personal link carries a fresh nonce."""
    _require_manage(actor, consultation)
    _require_draft(consultation)
    name, email = name.strip(), email.strip()
    if not name:
        raise WorkflowError(_("Skriv partens navn."), field="name")
    if not email:
        raise WorkflowError(_("Skriv partens e-mailadresse."), field="email")
    problem = email_problem(email)
    if problem:
        raise WorkflowError(problem, field="email")
    taken = db.session.scalar(select(ConsultationParty.id).where(
        ConsultationParty.consultation_id == consultation.id,
        func.lower(ConsultationParty.email) == email.lower()))
    if taken is not None:
        raise WorkflowError(_("Adressen står allerede på høringslisten."), field="email")
    party = ConsultationParty(consultation_id=consultation.id, organisation_id=None, name=name,
                              email=email, access_nonce=new_nonce())
    db.session.add(party)
    bump_version(consultation)
    record(actor=actor, action="consultation.party_added", obj=consultation, now=now,
           region_id=consultation.region_id,
           after={"parties": [name], "email": email})
    return party


def remove_party(actor: Actor, consultation: Consultation, party: ConsultationParty, *,
                 now: datetime) -> None:
    _require_manage(actor, consultation)
    _require_draft(consultation)
    if party.consultation_id != consultation.id:
        raise WorkflowError(_("Parten står ikke på denne høringsliste."))
    name = party.name
    db.session.delete(party)
    bump_version(consultation)
    record(actor=actor, action="consultation.party_removed", obj=consultation, now=now,
           region_id=consultation.region_id, before={"parties": [name]})


def grant_extension(actor: Actor, consultation: Consultation, party: ConsultationParty,
                    until: datetime | None, reason: str, *, now: datetime,
                    version: int | None = None) -> ConsultationParty:
    """A later deadline for one party: a response until then is accepted (marked late)."""
    require(actor, "consultation.manage", consultation,
            message=_("Kun sekretariatet kan forlænge fristen."))
    if party.consultation_id != consultation.id:
        raise WorkflowError(_("Parten står ikke på denne høringsliste."))
    check_stale(party, version)
    if until is None:
        raise WorkflowError(_("Angiv den nye frist."), field="until_date")
    check_date_window(until, "until_date")
    deadline = consultation.milestone.ends_at
    if until <= deadline:
        raise WorkflowError(_("Den nye frist skal ligge efter høringsfristen %(when)s.",
                              when=format_datetime(deadline)), field="until_date")
    if until <= now:
        raise WorkflowError(_("Den nye frist skal ligge i fremtiden."), field="until_date")
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Skriv en begrundelse for forlængelsen."), field="reason")
    before = {"until": party.extended_until.isoformat() if party.extended_until else None,
              "reason": party.extension_reason or None}
    party.extended_until = until
    party.extension_reason = reason
    record(actor=actor, action="consultation.extended", obj=party, now=now,
           region_id=consultation.region_id, label=f"{consultation.title}: {party.name}",
           before=before, after={"until": until.isoformat(), "reason": reason})
    if party.invited_at is not None:
        _tell_extension(consultation, party, until, now)
    return party


def party_link(consultation: Consultation, party: ConsultationParty) -> str:
    """Where a party reads the consultation: an external party through its personal link."""
    return external_link(consultation.id, party)


def external_link(consultation_id: int, party: ConsultationParty) -> str:
    """The consultation's page; for an external party with its personal signed link."""
    if party.organisation_id is None and party.access_nonce:
        token = make_link_token(LINK_PURPOSE, party.id, party.access_nonce)
        return absolute_url("consultations.detail", consultation_id=consultation_id,
                            adgang=token)
    return absolute_url("consultations.detail", consultation_id=consultation_id)


def _tell_extension(consultation: Consultation, party: ConsultationParty, until: datetime,
                    now: datetime) -> None:
    """The party's people (or its address) learn the new deadline, as a questionnaire's do."""
    if party.organisation_id is None:
        addresses = [party.email] if party.email else []
    else:
        addresses = party_people([party.organisation_id]).addresses(party.organisation_id)
    link = party_link(consultation, party)
    for address in addresses:
        mail.queue("consultation_extended", address, now=now, region_id=consultation.region_id,
                   urgent=False, party=party.name, title=consultation.title,
                   until=format_datetime(until), link=link)
