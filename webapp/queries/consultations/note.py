"""The consultation note ("høringsnotat") as data, in the shape of the government's guidance:
1. the consultation (period, the alphabetical list of parties marked by who answered),
2. the main content of the responses per section of the consulted text, with the secretariat's
   outcome and reasons, 3. the changes made to the text (the next version's sections and the
   responses that led to them).

Plain data only (no ORM objects), so the HTML page and the DOCX writer (webapp/note_docx.py)
share it, and the DOCX benchmark builds it without a database. A fixed number of queries,
whatever the number of responses.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...formatting import danish_key, format_long_date, to_local
from ...i18n import gettext as _
from ...i18n import ngettext
from ...models import (
    Consultation,
    ConsultationParty,
    ConsultationResponse,
    ConsultationResponseState,
    ConsultationState,
    Outcome,
    ResponseComment,
    TextVersion,
)
from ...workflows.consultations.processing import outcome_label
from .processing import next_version, section_numbers, version_sections


@dataclass(frozen=True)
class NoteParty:
    name: str
    answered: bool  # a submitted response, with or without remarks
    no_comments: bool  # "Ingen bemærkninger"
    late: bool


@dataclass(frozen=True)
class NotePoint:
    """One summarised point: who, what, the outcome and the secretariat's words."""

    party: str
    text: str  # Markdown: the summary of a response's general text, or the point itself
    outcome: str  # Danish label, "" while not processed
    comment: str  # the secretariat's comment / reason
    late: bool = False
    processed: bool = True  # False: "Ikke behandlet endnu"; True without outcome: no line


@dataclass(frozen=True)
class NoteGroup:
    """The points about one section ("2.1 Heading"), or the general remarks (number "")."""

    number: str
    heading: str
    points: list[NotePoint]

    @property
    def title(self) -> str:
        return f"{self.number} {self.heading}".strip()


@dataclass(frozen=True)
class ChangeReason:
    """A response's point that led to a change of a section in the next version."""

    party: str
    text: str
    outcome: str
    reason: str


@dataclass(frozen=True)
class NoteChange:
    key: str
    number: str
    heading: str
    reasons: list[ChangeReason]

    @property
    def title(self) -> str:
        return f"{self.number} {self.heading}".strip()


@dataclass(frozen=True)
class NoteData:
    title: str
    text_title: str  # "Rammeaftale 2018, Udkast 1"
    period: str  # "fra den 14. august 2017 til den 11. september 2017 (28 dage)"
    parties: list[NoteParty]
    groups: list[NoteGroup]
    changes: list[NoteChange]
    next_version_label: str  # "" when the text has no next version yet
    unprocessed: int  # submitted responses with remarks the secretariat has not processed
    issued: str = ""  # "27. november 2026": the day the note was made
    answered: int = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "answered", sum(1 for p in self.parties if p.answered))


def period_text(starts_at: datetime | None, deadline: datetime) -> str:
    """ "fra den 14. august 2017 til den 11. september 2017 (28 dage)", in Danish local days."""
    end = to_local(deadline).date()
    if starts_at is None:
        return _("til den %(end)s", end=format_long_date(end))
    start = to_local(starts_at).date()
    days = (end - start).days
    return _("fra den %(start)s til den %(end)s (%(days)s)", start=format_long_date(start),
             end=format_long_date(end), days=ngettext("%(num)d dag", "%(num)d dage", days))


GENERAL = "generelt"


def note_data(consultation: Consultation, now: datetime | None = None) -> NoteData:
    """The note of `consultation` (loaded by `scoped_consultation_or_404`): five queries, or six
    when the text has a next version."""
    version = consultation.text_version
    parties = list(db.session.scalars(
        select(ConsultationParty).where(ConsultationParty.consultation_id == consultation.id)))
    responses = list(db.session.scalars(
        select(ConsultationResponse).where(
            ConsultationResponse.consultation_id == consultation.id,
            ConsultationResponse.state == ConsultationResponseState.SUBMITTED)
        .options(selectinload(ConsultationResponse.comments))))
    by_party = {r.party_id: r for r in responses}
    names = {p.id: p.name for p in parties}
    listing = sorted(
        (NoteParty(p.name, p.id in by_party, p.id in by_party and by_party[p.id].no_comments,
                   p.id in by_party and by_party[p.id].is_late) for p in parties),
        key=lambda p: danish_key(p.name))

    sections = version_sections(version.id)
    numbers = section_numbers(sections)
    points: dict[int | str, list[NotePoint]] = defaultdict(list)
    ordered = sorted(responses, key=lambda r: danish_key(names.get(r.party_id, "")))
    for response in ordered:
        party = names.get(response.party_id, "")
        processed = response.processed_at is not None
        if response.no_comments:
            continue
        if response.general_text.strip() or response.summary.strip():
            comment = "\n\n".join(t for t in (response.secretariat_comment.strip(),
                                              response.outcome_reason.strip()) if t)
            points[GENERAL].append(NotePoint(
                party, response.summary.strip() or response.general_text.strip(),
                outcome_label(response.outcome), comment, response.is_late, processed))
        for point in response.comments:
            where: int | str = point.section_id if point.section_id in numbers else GENERAL
            points[where].append(NotePoint(party, point.body.strip(),
                                           outcome_label(point.outcome),
                                           point.outcome_reason.strip(), response.is_late,
                                           processed))
    groups = []
    if points[GENERAL]:
        groups.append(NoteGroup("", _("Generelle bemærkninger"), points[GENERAL]))
    groups += [NoteGroup(numbers[s.id], s.heading, points[s.id])
               for s in sections if points.get(s.id)]

    following = next_version(version)
    changes: list[NoteChange] = []
    if following is not None:
        changes = _changes(following, _reasons(responses, names))
    # "Ingen bemærkninger" leaves nothing to weigh.
    unprocessed = sum(1 for r in responses if r.processed_at is None and not r.no_comments)
    return NoteData(
        title=consultation.title,
        text_title=f"{version.text.title}, {version.label}",
        period=period_text(consultation.starts_at, consultation.deadline),
        parties=listing, groups=groups, changes=changes,
        next_version_label=following.label if following is not None else "",
        unprocessed=unprocessed,
        issued=format_long_date(now) if now is not None else "")


def _reasons(responses: list[ConsultationResponse], names: dict[int, str]
             ) -> dict[str, list[ChangeReason]]:
    out: dict[str, list[ChangeReason]] = defaultdict(list)
    for response in sorted(responses, key=lambda r: danish_key(names.get(r.party_id, ""))):
        for point in response.comments:
            if point.changed_section_key and point.outcome != Outcome.NOT_INCORPORATED:
                out[point.changed_section_key].append(ChangeReason(
                    names.get(response.party_id, ""), point.body.strip(),
                    outcome_label(point.outcome), point.outcome_reason.strip()))
    return out


def _changes(following: TextVersion, reasons: dict[str, list[ChangeReason]]
             ) -> list[NoteChange]:
    """The next version's sections that responses changed, in that version's order."""
    sections = version_sections(following.id)
    numbers = section_numbers(sections)
    return [NoteChange(s.key, numbers[s.id], s.heading, reasons[s.key])
            for s in sections if reasons.get(s.key)]


def reasons_by_section(next_version_: TextVersion) -> dict[str, list[ChangeReason]]:
    """For the compare page of `next_version_`: per section key, the points of the responses to
    consultations on the previous version that changed it. Two queries."""
    previous = db.session.scalar(select(TextVersion.id).where(
        TextVersion.text_id == next_version_.text_id,
        TextVersion.number == next_version_.number - 1))
    if previous is None:
        return {}
    return reasons_from(previous)


def reasons_from(consulted_version_id: int) -> dict[str, list[ChangeReason]]:
    """Per section key of a later version, the points of the responses to consultations on
    `consulted_version_id` that changed it (keys are a section's identity across versions).
    One query."""
    previous = consulted_version_id
    rows = db.session.execute(
        select(ResponseComment, ConsultationParty.name)
        .join(ConsultationResponse, ConsultationResponse.id == ResponseComment.response_id)
        .join(ConsultationParty, ConsultationParty.id == ConsultationResponse.party_id)
        .join(Consultation, Consultation.id == ConsultationResponse.consultation_id)
        .where(Consultation.text_version_id == previous,
               Consultation.state == ConsultationState.OPENED,
               ConsultationResponse.state == ConsultationResponseState.SUBMITTED,
               ResponseComment.changed_section_key.is_not(None),
               ResponseComment.outcome != Outcome.NOT_INCORPORATED)).all()
    out: dict[str, list[ChangeReason]] = defaultdict(list)
    for point, party in sorted(rows, key=lambda row: (danish_key(row[1]), row[0].id)):
        out[point.changed_section_key or ""].append(ChangeReason(
            party, point.body.strip(), outcome_label(point.outcome),
            point.outcome_reason.strip()))
    return dict(out)
