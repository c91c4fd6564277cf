"""Reading consultations: scoped loaders, the cycle's list with progress, and one
consultation's list of parties with each party's state. Pages, the dashboard and the API read
through here, each in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from ...extensions import db
from ...formatting import danish_key, to_local
from ...i18n import lazy_gettext as _l
from ...models import (
    AgreementText,
    Consultation,
    ConsultationDocument,
    ConsultationParty,
    ConsultationResponse,
    ConsultationResponseState,
    ConsultationState,
    Cycle,
    Milestone,
    MilestoneKind,
    TextVersion,
)
from ...permissions import can
from ...permissions.consultations import LinkAccess
from ...workflows.consultations.audience import party_deadline
from ...workflows.consultations.setup import is_short, period_days
from ...workflows.questionnaires.responses import Deadline

# Where each party stands. "for sent": its own deadline has passed without a submitted
# response. A response submitted after the deadline (an extension) is "indsendt" with `late`.
PARTY_STATE_LABELS = {
    "not_started": _l("ikke påbegyndt"),
    "draft": _l("i gang"),
    "submitted": _l("indsendt"),
    "no_comments": _l("ingen bemærkninger"),
    "overdue": _l("for sent"),
}


def party_state(response_state: ConsultationResponseState | None, no_comments: bool,
                deadline: datetime, now: datetime) -> str:
    """A party's state (a key of PARTY_STATE_LABELS) from its response and its own deadline."""
    if response_state == ConsultationResponseState.SUBMITTED:
        return "no_comments" if no_comments else "submitted"
    if now > deadline:
        return "overdue"
    return "draft" if response_state is not None else "not_started"


def _loader_options() -> tuple[Any, ...]:
    return (joinedload(Consultation.cycle), joinedload(Consultation.milestone),
            joinedload(Consultation.text_version).joinedload(TextVersion.text),
            selectinload(Consultation.parties),
            selectinload(Consultation.documents).joinedload(ConsultationDocument.file))


def document_or_404(consultation: Consultation, document_id: int) -> ConsultationDocument:
    """One of the consultation's documents (loaded with it)."""
    found = next((d for d in consultation.documents if d.id == document_id), None)
    if found is None:
        abort(404)
    return found


def consultation_of_document(document_id: int) -> Consultation | None:
    """The consultation a document belongs to, loaded as the page loads it; None if unknown."""
    consultation_id = db.session.scalar(select(ConsultationDocument.consultation_id)
                                        .where(ConsultationDocument.id == document_id))
    return None if consultation_id is None else consultation_by_id(consultation_id)


def consultation_by_id(consultation_id: int) -> Consultation | None:
    """Unscoped, for a visitor with a personal link only (the link proves the party)."""
    return db.session.scalar(select(Consultation).where(Consultation.id == consultation_id)
                             .options(*_loader_options()))


def scoped_consultation_or_404(consultation_id: int, user: Any) -> Consultation:
    """A consultation the signed-in person may see (`consultation.view`): another region's,
    or one they are not invited to, is a 404 like an unknown id."""
    consultation = db.session.scalar(
        select(Consultation).join(Cycle, Cycle.id == Consultation.cycle_id)
        .where(Consultation.id == consultation_id, Cycle.region_id == user.region_id)
        .options(*_loader_options()))
    if consultation is None or not can(user, "consultation.view", consultation):
        abort(404)
    return consultation


def link_consultation_or_404(consultation_id: int, party_ids: Collection[int],
                             visitor: Any) -> Consultation:
    """A consultation shown to the holder of an external party's personal link."""
    consultation = consultation_by_id(consultation_id)
    if consultation is None or not can(visitor, "consultation.view_by_link",
                                       LinkAccess(consultation, party_ids)):
        abort(404)
    return consultation


def external_party_for_link(consultation_id: int, party_id: int,
                            nonce: str) -> ConsultationParty | None:
    """The external party a personal link names, if its nonce is still the party's own."""
    party = db.session.scalar(select(ConsultationParty).where(
        ConsultationParty.id == party_id, ConsultationParty.consultation_id == consultation_id,
        ConsultationParty.organisation_id.is_(None)))
    if party is None or not party.access_nonce or party.access_nonce != nonce:
        return None
    return party


def consultation_milestones(cycle_id: int) -> list[Milestone]:
    return list(db.session.scalars(
        select(Milestone).where(Milestone.cycle_id == cycle_id,
                                Milestone.kind == MilestoneKind.CONSULTATION)
        .order_by(Milestone.ends_at, Milestone.id)))


def frozen_versions(cycle_id: int) -> list[TextVersion]:
    """The cycle's frozen text versions, text by text: what may be sent in consultation."""
    return list(db.session.scalars(
        select(TextVersion).join(AgreementText, AgreementText.id == TextVersion.text_id)
        .where(AgreementText.cycle_id == cycle_id, TextVersion.frozen_at.is_not(None))
        .options(joinedload(TextVersion.text))
        .order_by(AgreementText.position, AgreementText.id, TextVersion.number)))


@dataclass
class Progress:
    answered: int
    invited: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.invited) if self.invited else 0


@dataclass
class ConsultationSummary:
    consultation: Consultation
    progress: Progress
    days: int | None  # the period's length in days


def _counts() -> tuple[Any, Any]:
    answered = (select(func.count(ConsultationResponse.id))
                .where(ConsultationResponse.consultation_id == Consultation.id,
                       ConsultationResponse.state == ConsultationResponseState.SUBMITTED)
                .scalar_subquery())
    invited = (select(func.count(ConsultationParty.id))
               .where(ConsultationParty.consultation_id == Consultation.id)
               .scalar_subquery())
    return answered, invited


def cycle_consultations(cycle: Cycle, user: Any) -> list[ConsultationSummary]:
    """The cycle's consultations the person may see (the secretariat all, a party's people
    the opened ones their organisation is on), with answered / invited. Two queries."""
    answered, invited = _counts()
    query = (select(Consultation, answered, invited)
             .where(Consultation.cycle_id == cycle.id)
             .options(joinedload(Consultation.milestone),
                      joinedload(Consultation.text_version).joinedload(TextVersion.text),
                      selectinload(Consultation.parties))
             .order_by(Consultation.created_at, Consultation.id))
    out = []
    for consultation, n_answered, n_invited in db.session.execute(query).unique():
        consultation.cycle = cycle
        if not can(user, "consultation.view", consultation):
            continue
        m = consultation.milestone
        out.append(ConsultationSummary(
            consultation, Progress(n_answered or 0, n_invited or 0),
            period_days(m.starts_at, m.ends_at) if m.starts_at else None))
    return out


@dataclass
class PartyRow:
    id: int
    name: str
    email: str | None
    organisation_id: int | None
    state: str
    deadline: datetime
    extended: bool
    extension_reason: str
    submitted_at: datetime | None
    late: bool
    version_id: int

    @property
    def is_external(self) -> bool:
        return self.organisation_id is None

    @property
    def state_label(self) -> str:
        return str(PARTY_STATE_LABELS[self.state])

    @property
    def answered(self) -> bool:
        return self.state in ("submitted", "no_comments")


@dataclass
class Overview:
    consultation: Consultation
    parties: list[PartyRow]
    progress: Progress
    days: int | None
    short: bool

    def party(self, party_id: int) -> PartyRow | None:
        return next((p for p in self.parties if p.id == party_id), None)


def overview(consultation: Consultation, now: datetime) -> Overview:
    """A loaded consultation's parties in Danish alphabetical order with their states, and the
    progress "N af M har svaret". One query, whatever the number of parties."""
    deadline = consultation.milestone.ends_at
    rows = db.session.execute(
        select(ConsultationParty, ConsultationResponse.state, ConsultationResponse.no_comments,
               ConsultationResponse.submitted_at, ConsultationResponse.is_late)
        .outerjoin(ConsultationResponse, ConsultationResponse.party_id == ConsultationParty.id)
        .where(ConsultationParty.consultation_id == consultation.id)).all()
    parties = []
    for party, state, no_comments, submitted_at, late in rows:
        own = party_deadline(deadline, party.extended_until)
        parties.append(PartyRow(
            id=party.id, name=party.name, email=party.email,
            organisation_id=party.organisation_id,
            state=party_state(state, bool(no_comments), own, now), deadline=own,
            extended=own != deadline, extension_reason=party.extension_reason or "",
            submitted_at=submitted_at, late=bool(late), version_id=party.version_id))
    parties.sort(key=lambda p: (danish_key(p.name), p.id))
    m = consultation.milestone
    return Overview(
        consultation=consultation, parties=parties,
        progress=Progress(sum(1 for p in parties if p.answered), len(parties)),
        days=period_days(m.starts_at, m.ends_at) if m.starts_at else None,
        short=is_short(m.starts_at, m.ends_at))


# -- the dashboard ---------------------------------------------------------------------------

@dataclass
class PartyTask:
    """An open consultation the reader's organisation is invited to, with its own deadline."""

    consultation_id: int
    title: str
    milestone_id: int
    deadline: datetime
    extended: bool
    state: str

    @property
    def state_label(self) -> str:
        return str(PARTY_STATE_LABELS[self.state])


def consultations_by_milestone(milestones: list[Milestone], organisation_id: int | None,
                               now: datetime) -> dict[int, list[PartyTask]]:
    """For "Mine opgaver": the opened consultations behind consultation milestones that the
    organisation is on the list of, with its state and own deadline. One query at most."""
    ids = [m.id for m in milestones if m.kind == MilestoneKind.CONSULTATION]
    if not ids or organisation_id is None:
        return {}
    rows = db.session.execute(
        select(Consultation.id, Consultation.title, Consultation.milestone_id,
               ConsultationParty.extended_until, ConsultationResponse.state,
               ConsultationResponse.no_comments)
        .join(ConsultationParty, ConsultationParty.consultation_id == Consultation.id)
        .outerjoin(ConsultationResponse, ConsultationResponse.party_id == ConsultationParty.id)
        .where(Consultation.milestone_id.in_(ids),
               Consultation.state == ConsultationState.OPENED,
               ConsultationParty.organisation_id == organisation_id)
        .order_by(Consultation.id)).all()
    by_id = {m.id: m for m in milestones}
    found: dict[int, list[PartyTask]] = {}
    for cid, title, milestone_id, until, state, no_comments in rows:
        ends = by_id[milestone_id].ends_at
        own = party_deadline(ends, until)
        found.setdefault(milestone_id, []).append(PartyTask(
            cid, title, milestone_id, own, own != ends,
            party_state(state, bool(no_comments), own, now)))
    return found


def own_consultation_deadlines(tasks: dict[int, list[PartyTask]]) -> dict[int, Deadline]:
    """The organisation's own (extended) deadline per milestone, as "Mine opgaver" reads it."""
    found: dict[int, Deadline] = {}
    for milestone_id, items in tasks.items():
        for item in items:
            if item.extended and (milestone_id not in found
                                  or item.deadline > found[milestone_id].at):
                found[milestone_id] = Deadline(item.deadline, True)
    return found


@dataclass
class RunningConsultation:
    consultation_id: int
    title: str
    milestone: Milestone
    progress: Progress
    days_left: int


def days_until(deadline: datetime, now: datetime) -> int:
    """Whole Copenhagen days from today to the deadline's day (0: today)."""
    return (to_local(deadline).date() - to_local(now).date()).days


def running_consultations(milestones: list[Milestone], at: datetime) -> list[RunningConsultation]:
    """The secretariat's dashboard: opened consultations whose period is running, with
    answered / invited. One query, none when no consultation milestone is running."""
    running = {m.id: m for m in milestones if m.kind == MilestoneKind.CONSULTATION
               and m.ends_at >= at and (m.starts_at is None or m.starts_at <= at)}
    if not running:
        return []
    answered, invited = _counts()
    out = [RunningConsultation(cid, title, running[mid], Progress(a or 0, n or 0),
                               days_until(running[mid].ends_at, at))
           for cid, title, mid, a, n in db.session.execute(
               select(Consultation.id, Consultation.title, Consultation.milestone_id,
                      answered, invited)
               .where(Consultation.milestone_id.in_(list(running)),
                      Consultation.state == ConsultationState.OPENED)
               .order_by(Consultation.id))]
    return sorted(out, key=lambda r: (r.milestone.ends_at, r.consultation_id))
