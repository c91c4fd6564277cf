"""Consultation responses as read: the loaders, a party's own response, the published responses
(grouped per section) and the visibility object the permission question is asked about.
Each function runs a fixed number of SQL queries, whatever the number of responses."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from flask import abort
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ...extensions import db
from ...formatting import danish_key
from ...models import (
    Consultation,
    ConsultationParty,
    ConsultationResponse,
    ConsultationResponseState,
    ConsultationState,
    Cycle,
    ResponseAttachment,
    ResponseComment,
    Role,
    TextSection,
    TextVersion,
    User,
)
from ...permissions.consultation_responses import PartyGuest, ResponsesOf


def _consultation_options() -> list[Any]:
    return [joinedload(Consultation.cycle), joinedload(Consultation.milestone),
            joinedload(Consultation.text_version).joinedload(TextVersion.text)]


def consultation_or_404(consultation_id: int, subject: Any) -> Consultation:
    """A consultation the subject may know of: one of a signed-in person's own region (else
    404), or, for a visitor, any opened one (the permission question then decides). A draft
    consultation exists only for its region's secretariat."""
    query = select(Consultation).where(Consultation.id == consultation_id)
    if isinstance(subject, User):
        query = query.join(Cycle, Cycle.id == Consultation.cycle_id).where(
            Cycle.region_id == subject.region_id)
    consultation = db.session.scalar(query.options(*_consultation_options()))
    if consultation is None:
        abort(404)
    if consultation.state != ConsultationState.OPENED and not (
            isinstance(subject, User)
            and Role.SECRETARIAT in subject.roles_in(consultation.region_id)):
        abort(404)
    return consultation


def viewer_party(consultation: Consultation, subject: Any) -> ConsultationParty | None:
    """The party on the consultation's list the subject speaks for: a person's organisation,
    or a party whose link the visitor proved. None when the subject is no party."""
    query = select(ConsultationParty).where(
        ConsultationParty.consultation_id == consultation.id)
    if isinstance(subject, User):
        if subject.organisation_id is None:
            return None
        query = query.where(ConsultationParty.organisation_id == subject.organisation_id)
    elif isinstance(subject, PartyGuest) and subject.party_ids:
        query = query.where(ConsultationParty.id.in_(sorted(subject.party_ids))).order_by(
            ConsultationParty.id).limit(1)
    else:
        return None
    party = db.session.scalar(query.options(joinedload(ConsultationParty.organisation)))
    if party is not None:
        _attach(party, consultation)
    return party


def party_by_id(party_id: int) -> ConsultationParty | None:
    """A party with its consultation loaded (the external link's check)."""
    return db.session.scalar(
        select(ConsultationParty).where(ConsultationParty.id == party_id).options(
            joinedload(ConsultationParty.consultation).options(*_consultation_options())))


def _attach(party: ConsultationParty, consultation: Consultation) -> None:
    """Give the party its consultation without a query (the relationship is lazy="raise")."""
    set_committed_value(party, "consultation", consultation)


def _response_options() -> list[Any]:
    return [selectinload(ConsultationResponse.comments),
            selectinload(ConsultationResponse.attachments).joinedload(ResponseAttachment.file)]


def own_response(party: ConsultationParty) -> ConsultationResponse | None:
    """The party's response with its comments and attachments (two queries more)."""
    response = db.session.scalar(
        select(ConsultationResponse).where(ConsultationResponse.party_id == party.id)
        .options(*_response_options()).execution_options(populate_existing=True))
    if response is not None:
        set_committed_value(response, "party", party)
    return response


def sections_of(consultation: Consultation) -> list[TextSection]:
    """The consulted version's sections in order: the table of contents comments point to."""
    return list(db.session.scalars(
        select(TextSection).where(TextSection.text_version_id == consultation.text_version_id)
        .order_by(TextSection.position, TextSection.id)))


def section_numbers(sections: list[TextSection]) -> dict[int, str]:
    """"2", "2.1", "3" … from the sections' levels, in order."""
    counters: list[int] = []
    numbers: dict[int, str] = {}
    for section in sections:
        level = max(1, section.level)
        counters = counters[:level]
        while len(counters) < level:
            counters.append(0)
        counters[level - 1] += 1
        numbers[section.id] = ".".join(str(n) for n in counters)
    return numbers


def responses_of(consultation: Consultation, party: ConsultationParty | None = None,
                 submitted: bool = True) -> ResponsesOf:
    """The object of "consultation.read_responses" (one query for the list of parties)."""
    rows = db.session.execute(select(ConsultationParty.id, ConsultationParty.organisation_id)
                              .where(ConsultationParty.consultation_id == consultation.id)).all()
    return ResponsesOf(consultation,
                       frozenset(org for _, org in rows if org is not None),
                       frozenset(pid for pid, _ in rows), party, submitted)


@dataclass(frozen=True)
class SectionComments:
    section: TextSection | None  # None: comments on a section no longer in the version
    number: str
    comments: list[tuple[ConsultationResponse, ResponseComment]]


@dataclass
class Published:
    consultation: Consultation
    parties: list[ConsultationParty]
    responses: list[ConsultationResponse]  # submitted, by party name
    by_section: list[SectionComments] = field(default_factory=list)
    numbers: dict[int, str] = field(default_factory=dict)

    @property
    def answered(self) -> int:
        return len(self.responses)


def published_responses(consultation: Consultation) -> Published:
    """Every submitted response with its party, comments and attachments, and the comments
    grouped per section of the consulted version: five queries, for 10 or 200 responses."""
    parties = list(db.session.scalars(
        select(ConsultationParty).where(ConsultationParty.consultation_id == consultation.id)))
    responses = list(db.session.scalars(
        select(ConsultationResponse).where(
            ConsultationResponse.consultation_id == consultation.id,
            ConsultationResponse.state == ConsultationResponseState.SUBMITTED)
        .options(*_response_options())))
    by_party = {p.id: p for p in parties}
    for party in parties:
        set_committed_value(party, "consultation", consultation)
    for response in responses:
        set_committed_value(response, "party", by_party[response.party_id])
    responses.sort(key=lambda r: danish_key(r.party.name))
    sections = sections_of(consultation)
    numbers = section_numbers(sections)
    grouped: dict[int | None, list[tuple[ConsultationResponse, ResponseComment]]] = (
        defaultdict(list))
    for response in responses:
        for comment in response.comments:
            key = comment.section_id if comment.section_id in numbers else None
            grouped[key].append((response, comment))
    by_section = [SectionComments(s, numbers[s.id], grouped[s.id])
                  for s in sections if grouped.get(s.id)]
    if grouped.get(None):
        by_section.append(SectionComments(None, "", grouped[None]))
    return Published(consultation, parties, responses, by_section, numbers)


@dataclass(frozen=True)
class AttachmentAccess:
    attachment: ResponseAttachment
    response: ConsultationResponse
    party: ConsultationParty


def attachment_or_404(attachment_id: int) -> AttachmentAccess:
    """An attachment with its file, response, party and consultation (one query)."""
    found = db.session.execute(
        select(ResponseAttachment, ConsultationResponse, ConsultationParty)
        .join(ConsultationResponse, ConsultationResponse.id == ResponseAttachment.response_id)
        .join(ConsultationParty, ConsultationParty.id == ConsultationResponse.party_id)
        .where(ResponseAttachment.id == attachment_id)
        .options(joinedload(ResponseAttachment.file),
                 joinedload(ConsultationParty.consultation).options(*_consultation_options()))
    ).first()
    if found is None:
        abort(404)
    attachment, response, party = found
    return AttachmentAccess(attachment, response, party)


def api_responses(published: Published) -> list[dict[str, Any]]:
    """The published responses as plain data for the API."""
    numbers = published.numbers
    return [{
        "id": r.id,
        "party": r.party.name,
        "no_comments": r.no_comments,
        "general_text": r.general_text,
        "submitted_at": r.submitted_at.isoformat() if r.submitted_at else None,
        "is_late": r.is_late,
        "comments": [{"section_id": c.section_id, "section_number": numbers.get(c.section_id or 0),
                      "body": c.body} for c in r.comments],
        "attachments": [{"id": a.id, "filename": a.file.filename,
                         "content_type": a.file.content_type, "size": a.file.size}
                        for a in r.attachments],
    } for r in published.responses]
