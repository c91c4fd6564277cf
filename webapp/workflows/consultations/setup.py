"""Preparing and opening a consultation ("høring").

A consultation is a draft on a frozen text version of the cycle, attached to a milestone of
kind CONSULTATION: its start and deadline ARE the milestone's (set here, audited as a moved
milestone). Opening sends one invitation per address of every party on the list and cannot be
undone; whether it is running or closed follows from the milestone's dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ... import mail
from ...extensions import db
from ...formatting import format_datetime, to_local
from ...i18n import gettext as _
from ...i18n import lazy_gettext as _l
from ...models import (
    AgreementText,
    Consultation,
    ConsultationParty,
    ConsultationState,
    Cycle,
    Milestone,
    MilestoneKind,
    Publication,
    TextVersion,
)
from ...permissions import Actor, RegionScope, require
from .. import reminders
from ..base import (
    WorkflowError,
    check_date_window,
    check_stale,
    record,
    snapshot,
)
from ..base import changed as changed_fields
from ..cycles import validate_milestone
from ..states import CONSULTATIONS, CYCLES
from .parties import party_link, party_people

PUBLICATION_LABELS = {
    Publication.INVITED: _l("Kun de inviterede høringsparter"),
    Publication.PUBLIC: _l("Alle (offentligt)"),
}

# A deadline less than four weeks after the start needs a written reason the parties see.
SHORT_DEADLINE_DAYS = 28

CONSULTATION_FIELDS = ("title", "letter", "short_deadline_reason", "publication",
                       "text_version_id", "milestone_id")


@dataclass
class ConsultationData:
    title: str
    letter: str
    starts_at: datetime | None
    ends_at: datetime | None
    short_deadline_reason: str
    publication: Publication
    text_version: TextVersion | None
    milestone: Milestone | None


def period_days(starts_at: datetime, ends_at: datetime) -> int:
    """The period's length in Copenhagen calendar days ("fra den 1. til den 29. (28 dage)"):
    a summer-time change inside it neither adds nor removes a day."""
    return (to_local(ends_at).date() - to_local(starts_at).date()).days


def is_short(starts_at: datetime | None, ends_at: datetime) -> bool:
    return starts_at is not None and period_days(starts_at, ends_at) < SHORT_DEADLINE_DAYS


def _require_manage(actor: Actor, region_id: int) -> None:
    require(actor, "consultation.manage", RegionScope(region_id),
            message=_("Kun sekretariatet kan forberede og sende høringer."))


def _require_cycle_editable(cycle: Cycle) -> None:
    if not CYCLES.is_editable(cycle):
        raise WorkflowError(_("Cyklussen er afsluttet og kan ikke ændres. Genåbn den først."))


def require_draft(consultation: Consultation) -> None:
    if not CONSULTATIONS.is_editable(consultation):
        raise WorkflowError(_("Høringen er sendt ud og kan ikke længere ændres."))


def _check_version(cycle: Cycle, version: TextVersion | None) -> TextVersion:
    if version is None:
        raise WorkflowError(_("Vælg den tekstversion, der sendes i høring."),
                            field="text_version_id")
    text_cycle = db.session.scalar(
        select(AgreementText.cycle_id).where(AgreementText.id == version.text_id))
    if text_cycle != cycle.id:
        raise WorkflowError(_("Vælg en tekstversion fra denne cyklus."), field="text_version_id")
    if not version.is_frozen:
        raise WorkflowError(_("Kun en låst tekstversion kan sendes i høring. Lås versionen "
                              "først, så teksten ikke ændrer sig under høringen."),
                            field="text_version_id")
    return version


def _check_milestone(cycle: Cycle, milestone: Milestone | None,
                     consultation: Consultation | None = None) -> Milestone:
    if milestone is None or milestone.cycle_id != cycle.id:
        raise WorkflowError(_("Vælg en milepæl i cyklussen."), field="milestone_id")
    if milestone.kind != MilestoneKind.CONSULTATION:
        raise WorkflowError(_("Vælg en milepæl af typen “Høring”: den bestemmer høringens "
                              "start og frist."), field="milestone_id")
    # Another consultation already sent on this milestone has told its parties the dates.
    others = select(Consultation.id).where(Consultation.milestone_id == milestone.id,
                                           Consultation.state == ConsultationState.OPENED)
    if consultation is not None:
        others = others.where(Consultation.id != consultation.id)
    if db.session.scalar(others.limit(1)) is not None:
        raise WorkflowError(_("Milepælen hører til en høring, der allerede er sendt ud. Opret "
                              "en ny milepæl af typen “Høring”."), field="milestone_id")
    return milestone


def _check_title_free(cycle: Cycle, title: str, exclude_id: int | None = None) -> None:
    query = select(Consultation.id).where(Consultation.cycle_id == cycle.id,
                                          Consultation.title == title)
    if exclude_id is not None:
        query = query.where(Consultation.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise WorkflowError(_("Cyklussen har allerede en høring med denne titel. Vælg en anden "
                              "titel."), field="title")


def _check_period(data: ConsultationData) -> tuple[datetime, datetime]:
    if data.starts_at is None:
        raise WorkflowError(_("Angiv, hvornår høringen begynder."), field="starts_date")
    if data.ends_at is None:
        raise WorkflowError(_("Angiv høringsfristen."), field="ends_date")
    check_date_window(data.starts_at, "starts_date")
    check_date_window(data.ends_at, "ends_date")
    if data.ends_at <= data.starts_at:
        raise WorkflowError(_("Fristen skal ligge efter høringens start."), field="ends_date")
    if is_short(data.starts_at, data.ends_at) and not data.short_deadline_reason.strip():
        raise WorkflowError(
            _("Fristen ligger kun %(days)d dage efter starten. En høringsfrist på under fire "
              "uger skal begrundes: skriv begrundelsen, som høringsparterne ser.",
              days=period_days(data.starts_at, data.ends_at)),
            field="short_deadline_reason")
    return data.starts_at, data.ends_at


def _set_period(actor: Actor, cycle: Cycle, milestone: Milestone, starts_at: datetime,
                ends_at: datetime, now: datetime) -> None:
    """The consultation's dates are its milestone's: move it, audited as a moved milestone,
    and checked against the cycle's other milestones like any other move."""
    if milestone.starts_at == starts_at and milestone.ends_at == ends_at:
        return
    before = {"starts_at": milestone.starts_at, "ends_at": milestone.ends_at}
    milestone.starts_at = starts_at
    milestone.ends_at = ends_at
    others = list(db.session.scalars(select(Milestone).where(Milestone.cycle_id == cycle.id)))
    validate_milestone(cycle, milestone, others)
    record(actor=actor, action="milestone.moved", obj=milestone, now=now,
           region_id=cycle.region_id,
           before={k: v.isoformat() if v else None for k, v in before.items()},
           after={"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()})


def create_consultation(actor: Actor, cycle: Cycle, data: ConsultationData, *,
                        now: datetime) -> Consultation:
    _require_manage(actor, cycle.region_id)
    _require_cycle_editable(cycle)
    title = data.title.strip()
    if not title:
        raise WorkflowError(_("Skriv en titel."), field="title")
    _check_title_free(cycle, title)
    version = _check_version(cycle, data.text_version)
    milestone = _check_milestone(cycle, data.milestone)
    starts_at, ends_at = _check_period(data)
    _set_period(actor, cycle, milestone, starts_at, ends_at, now)
    consultation = Consultation(
        cycle_id=cycle.id, milestone_id=milestone.id, text_version_id=version.id, title=title,
        letter=data.letter.strip(), short_deadline_reason=data.short_deadline_reason.strip(),
        publication=data.publication, state=ConsultationState.DRAFT, created_at=now,
        parties=[], documents=[])
    consultation.cycle = cycle
    consultation.milestone = milestone
    consultation.text_version = version
    db.session.add(consultation)
    db.session.flush()
    # A milestone made before consultations had reminders gets the kind's default rules.
    reminders.create_default_rules_if_none(milestone, now)
    record(actor=actor, action="consultation.created", obj=consultation, now=now,
           region_id=cycle.region_id, after=snapshot(consultation, CONSULTATION_FIELDS))
    return consultation


def update_consultation(actor: Actor, consultation: Consultation, data: ConsultationData, *,
                        now: datetime, version: int | None) -> Consultation:
    cycle = consultation.cycle
    _require_manage(actor, cycle.region_id)
    _require_cycle_editable(cycle)
    check_stale(consultation, version)
    require_draft(consultation)
    title = data.title.strip()
    if not title:
        raise WorkflowError(_("Skriv en titel."), field="title")
    _check_title_free(cycle, title, exclude_id=consultation.id)
    text_version = _check_version(cycle, data.text_version)
    milestone = _check_milestone(cycle, data.milestone, consultation)
    starts_at, ends_at = _check_period(data)
    before = snapshot(consultation, CONSULTATION_FIELDS)
    _set_period(actor, cycle, milestone, starts_at, ends_at, now)
    consultation.title = title
    consultation.letter = data.letter.strip()
    consultation.short_deadline_reason = data.short_deadline_reason.strip()
    consultation.publication = data.publication
    consultation.text_version_id = text_version.id
    consultation.milestone_id = milestone.id
    consultation.milestone = milestone
    consultation.text_version = text_version
    b, a = changed_fields(before, snapshot(consultation, CONSULTATION_FIELDS))
    if a:
        record(actor=actor, action="consultation.updated", obj=consultation, now=now,
               region_id=cycle.region_id, before=b, after=a)
    return consultation


@dataclass(frozen=True)
class Invitation:
    """One invitation e-mail the opening sends: to whom, for which party."""

    party_id: int
    party_name: str
    address: str
    personal_link: bool  # an external party's signed link


def invitations(consultation_id: int) -> list[Invitation]:
    """Every e-mail opening the consultation sends, in the list's order: an organisation's
    respondents and user-organisation representatives (and its shared address), an external
    party at its own address. Two queries whatever the list's length."""
    parties = list(db.session.scalars(
        select(ConsultationParty).where(ConsultationParty.consultation_id == consultation_id)
        .order_by(ConsultationParty.id)))
    people = party_people([p.organisation_id for p in parties if p.organisation_id])
    out: list[Invitation] = []
    for party in parties:
        if party.organisation_id is None:
            if party.email:
                out.append(Invitation(party.id, party.name, party.email, True))
            continue
        for address in people.addresses(party.organisation_id):
            out.append(Invitation(party.id, party.name, address, False))
    return out


def open_consultation(actor: Actor, consultation: Consultation, *, now: datetime,
                      version: int | None = None) -> int:
    """Send the consultation: draft → opened, every party invited once. Returns the number of
    e-mails queued."""
    cycle = consultation.cycle
    _require_manage(actor, cycle.region_id)
    _require_cycle_editable(cycle)
    check_stale(consultation, version)
    CONSULTATIONS.check(consultation, ConsultationState.OPENED)
    parties = list(db.session.scalars(select(ConsultationParty).where(
        ConsultationParty.consultation_id == consultation.id)))
    if not parties:
        raise WorkflowError(_("Høringslisten er tom. Tilføj mindst én høringspart, før "
                              "høringen sendes."))
    text_version = db.session.get(TextVersion, consultation.text_version_id)
    if text_version is None or not text_version.is_frozen:
        raise WorkflowError(_("Tekstversionen er ikke låst. Kun en låst version kan sendes i "
                              "høring."))
    milestone = consultation.milestone
    if milestone.ends_at <= now:
        raise WorkflowError(_("Høringsfristen %(when)s er overskredet. Ret fristen, før "
                              "høringen sendes.", when=format_datetime(milestone.ends_at)))
    consultation.opened_at = now
    consultation.opened_by_id = actor.id
    for party in parties:
        party.invited_at = now
    sent = invitations(consultation.id)
    by_id = {p.id: p for p in parties}
    links = {p.id: party_link(consultation, p) for p in parties}
    for invitation in sent:
        party = by_id[invitation.party_id]
        mail.queue("consultation_invitation", invitation.address, now=now,
                   region_id=cycle.region_id, party=party.name, title=consultation.title,
                   cycle=cycle.title, starts=format_datetime(milestone.starts_at),
                   deadline=format_datetime(milestone.ends_at),
                   reason=consultation.short_deadline_reason
                   if is_short(milestone.starts_at, milestone.ends_at) else "",
                   personal=invitation.personal_link, link=links[party.id])
    CONSULTATIONS.move(consultation, ConsultationState.OPENED, actor=actor, now=now,
                       action="consultation.opened", region_id=cycle.region_id,
                       extra_after={"invited": len(parties), "emails": len(sent)})
    return len(sent)
