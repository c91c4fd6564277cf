"""The secretariat's processing pages as read: the scoped loaders, the list of submitted
responses and one response with its points, each in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from ...extensions import db
from ...formatting import danish_key
from ...models import (
    Consultation,
    ConsultationParty,
    ConsultationResponse,
    ConsultationResponseState,
    ResponseAttachment,
    ResponseComment,
    TextSection,
    TextVersion,
    User,
)


def scoped_consultation_or_404(consultation_id: int, user: User) -> Consultation:
    """The consultation with its cycle, milestone and text version; another region's is a 404."""
    consultation = db.session.scalar(
        select(Consultation).where(Consultation.id == consultation_id).options(
            joinedload(Consultation.cycle), joinedload(Consultation.milestone),
            joinedload(Consultation.text_version).joinedload(TextVersion.text)))
    if consultation is None or consultation.cycle.region_id != user.region_id:
        abort(404)
    return consultation


def scoped_response_or_404(response_id: int, user: User
                           ) -> tuple[Consultation, ConsultationResponse]:
    """A response with its party and points, and its consultation; another region's is a 404.
    A draft is the party's own business: not found for the secretariat either."""
    response = db.session.scalar(
        select(ConsultationResponse).where(ConsultationResponse.id == response_id).options(
            joinedload(ConsultationResponse.party), selectinload(ConsultationResponse.comments),
            selectinload(ConsultationResponse.attachments).joinedload(ResponseAttachment.file)))
    if response is None:
        abort(404)
    consultation = scoped_consultation_or_404(response.consultation_id, user)
    if response.state != ConsultationResponseState.SUBMITTED:
        abort(404)
    return consultation, response


@dataclass(frozen=True)
class ProcessingRow:
    response_id: int
    party: str
    submitted_at: datetime | None
    is_late: bool
    no_comments: bool
    processed_at: datetime | None
    points: int


def processing_list(consultation: Consultation) -> list[ProcessingRow]:
    """The consultation's submitted responses in Danish order of the party: one query."""
    points = (select(func.count(ResponseComment.id))
              .where(ResponseComment.response_id == ConsultationResponse.id)
              .correlate(ConsultationResponse).scalar_subquery())
    rows = db.session.execute(
        select(ConsultationResponse.id, ConsultationParty.name,
               ConsultationResponse.submitted_at, ConsultationResponse.is_late,
               ConsultationResponse.no_comments, ConsultationResponse.processed_at, points)
        .join(ConsultationParty, ConsultationParty.id == ConsultationResponse.party_id)
        .where(ConsultationResponse.consultation_id == consultation.id,
               ConsultationResponse.state == ConsultationResponseState.SUBMITTED))
    out = [ProcessingRow(*row) for row in rows]
    return sorted(out, key=lambda r: (danish_key(r.party), r.response_id))


def section_numbers(sections: Iterable[TextSection]) -> dict[int, str]:
    """Each section's number as the text shows it: "2" for a level-1 section, "2.1" below it.
    `sections` in the version's order."""
    numbers: dict[int, str] = {}
    counters: list[int] = []
    for section in sections:
        depth = max(1, section.level)
        counters = counters[:depth]
        while len(counters) < depth:
            counters.append(0)
        counters[-1] += 1
        numbers[section.id] = ".".join(str(n) for n in counters)
    return numbers


def version_sections(version_id: int) -> list[TextSection]:
    return list(db.session.scalars(
        select(TextSection).where(TextSection.text_version_id == version_id)
        .order_by(TextSection.position, TextSection.id)))


def next_version(version: TextVersion) -> TextVersion | None:
    """The version of the same text with the next number: where a response's point may have
    changed something."""
    return db.session.scalar(select(TextVersion).where(
        TextVersion.text_id == version.text_id, TextVersion.number == version.number + 1))


@dataclass(frozen=True)
class SectionChoice:
    key: str
    label: str  # "2.1 Heading"


@dataclass(frozen=True)
class ResponsePage:
    """What the processing form shows beside the response."""

    section_labels: dict[int, str]  # consulted version's section id -> "2.1 Heading"
    next_version: TextVersion | None
    next_sections: Sequence[SectionChoice]


def response_page(consultation: Consultation) -> ResponsePage:
    """The consulted version's section labels and the next version's sections: three queries."""
    sections = version_sections(consultation.text_version_id)
    numbers = section_numbers(sections)
    labels = {s.id: f"{numbers[s.id]} {s.heading}" for s in sections}
    following = next_version(consultation.text_version)
    choices: list[SectionChoice] = []
    if following is not None:
        later = version_sections(following.id)
        later_numbers = section_numbers(later)
        choices = [SectionChoice(s.key, f"{later_numbers[s.id]} {s.heading}") for s in later]
    return ResponsePage(labels, following, choices)
