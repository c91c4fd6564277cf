"""The Rammeaftale 2018 draft, its consultation and the responses, through the workflows.

Idempotent: each step is skipped when what it makes exists (the text by its title, the final
version by `is_final`, the consultation by its title, a response by its party, a processing
by `processed_at`). The story keeps its own dates (June–September 2017), later than the demo
clock's default: the pages work out from the clock whether the consultation is ahead, open
or closed, so the demo can be moved into the period (2017-08-30) or past it (2017-09-20).
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db
from ..formatting import LOCAL_TZ
from ..models import (
    AgreementText,
    Consultation,
    ConsultationParty,
    Cycle,
    MilestoneKind,
    Organisation,
    OrgKind,
    Outcome,
    Publication,
    TextSection,
    TextVersion,
    User,
)
from ..queries.consultations.responses import own_response, party_by_id
from ..uploads import Upload
from ..workflows import agreements as texts
from ..workflows import cycles as cycle_flow
from ..workflows.consultations import parties as party_flow
from ..workflows.consultations import processing, setup
from ..workflows.consultations import responses as answering
from . import consultation_data as data
from . import nordjylland


def _at(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%d %H:%M").replace(tzinfo=LOCAL_TZ).astimezone(UTC)


def seed_consultation(created: list[str], cycle: Cycle, people: dict[str, User],
                      actor: User) -> None:
    """Everything missing of the story; `created` gets a line per thing made."""
    text = _text(created, cycle, actor)
    consulted = text.versions[0]
    consultation = _consultation(created, cycle, consulted, actor)
    for story in data.RESPONSES:
        _respond(created, consultation, story, people)
    final = _final_version(created, text, actor)
    _process(created, consultation, final, actor)


def _load_text(cycle: Cycle) -> AgreementText | None:
    return db.session.scalar(
        select(AgreementText).where(AgreementText.cycle_id == cycle.id,
                                    AgreementText.title == data.TEXT_TITLE)
        .options(joinedload(AgreementText.cycle),
                 selectinload(AgreementText.versions).selectinload(TextVersion.sections)))


def _text(created: list[str], cycle: Cycle, actor: User) -> AgreementText:
    text = _load_text(cycle)
    if text is not None:
        for version in text.versions:  # the relationship back is lazy="raise"
            set_committed_value(version, "text", text)
        return text
    written = _at(data.TEXT_WRITTEN)
    text = texts.create_text(actor, cycle, title=data.TEXT_TITLE, now=written)
    first = text.versions[0]
    for heading, level, body in data.SECTIONS:
        texts.add_section(actor, first, heading=heading, body=body, level=level, now=written)
    texts.freeze(actor, first, now=_at(data.FROZEN_AT))
    created.append(f"tekst {text.title}")
    return text


def _consultation(created: list[str], cycle: Cycle, version: TextVersion,
                  actor: User) -> Consultation:
    spec = data.CONSULTATION
    found = db.session.scalar(select(Consultation.id).where(
        Consultation.cycle_id == cycle.id, Consultation.title == spec["title"]))
    if found is not None:
        consultation = db.session.get(Consultation, found)
        assert consultation is not None
        return consultation
    when = _at(spec["created"])
    _move_to_the_data(cycle, actor, when)
    milestone = next(m for m in cycle.milestones if m.kind == MilestoneKind.CONSULTATION)
    consultation = setup.create_consultation(actor, cycle, setup.ConsultationData(
        title=spec["title"], letter=spec["letter"], starts_at=_at(spec["starts"]),
        ends_at=_at(spec["ends"]), short_deadline_reason="", publication=Publication.INVITED,
        text_version=version, milestone=milestone), now=when)
    for kind in spec["kinds"]:
        party_flow.add_by_kind(actor, consultation, OrgKind(kind), now=when)
    for name, email in spec["external"]:
        party_flow.add_external(actor, consultation, name=name, email=email, now=when)
    setup.open_consultation(actor, consultation, now=_at(spec["opened"]))
    created.append(f"høring {consultation.title}")
    return consultation


def _move_to_the_data(cycle: Cycle, actor: User, at: datetime) -> None:
    """A demo seeded before the consultation lay in August–September has it in June–August and
    the approvals from 01.09: move both to the data's dates (the approvals first, so the phase
    order holds at every step)."""
    for kind in (MilestoneKind.APPROVAL, MilestoneKind.CONSULTATION):
        spec = next(m for m in nordjylland.MILESTONES if m["kind"] == kind.value)
        starts, ends = _at(spec["starts"]), _at(spec["ends"])
        for milestone in cycle.milestones:
            if milestone.kind != kind or (milestone.starts_at, milestone.ends_at) == (
                    starts, ends):
                continue
            set_committed_value(milestone, "cycle", cycle)
            cycle_flow.update_milestone(actor, milestone, cycle_flow.MilestoneData(
                kind=kind, title=milestone.title, ends_at=ends, starts_at=starts,
                place=milestone.place, description=spec["description"],
                audience=list(milestone.audience), is_public=milestone.is_public), now=at)


def _party(consultation: Consultation, organisation: str) -> ConsultationParty:
    party_id = db.session.scalar(
        select(ConsultationParty.id).join(
            Organisation, Organisation.id == ConsultationParty.organisation_id)
        .where(ConsultationParty.consultation_id == consultation.id,
               Organisation.name == organisation))
    party = party_by_id(party_id) if party_id is not None else None
    if party is None:
        raise ValueError(f"{organisation} is not on the consultation's list")
    return party


def _respond(created: list[str], consultation: Consultation, story: dict[str, Any],
             people: dict[str, User]) -> None:
    party = _party(consultation, story["organisation"])
    if own_response(party) is not None:
        return
    person = people[story["person"]]
    sections = {s.heading: s.id for s in db.session.scalars(
        select(TextSection).where(TextSection.text_version_id == consultation.text_version_id))}
    first_kind, first_when = story["events"][0]
    if first_kind == "no_comments":
        answering.answer_no_comments(person, party, None, version=None, now=_at(first_when))
        created.append(f"høringssvar {party.name}")
        return
    # The content goes in as the page adds it: the general text, then each comment and each
    # attachment with a save of its own, at the first event's time; a submit comes after.
    general = story["general"]
    at = _at(first_when)
    response = answering.save_draft(person, party, None, answering.Draft(general_text=general),
                                    version=None, now=at)
    for heading, body in story["comments"]:
        response = answering.save_draft(person, party, response, answering.Draft(
            general_text=general, new_section_id=sections[heading], new_body=body),
            version=response.version_id, now=at)
    for name, lines in story["attachments"]:
        response = answering.save_draft(person, party, response, answering.Draft(
            general_text=general, upload=Upload(name, pdf(lines))),
            version=response.version_id, now=at)
    for kind, when in story["events"]:
        if kind == "submit":
            response = answering.submit(person, party, response, answering.Draft(
                general_text=general), version=response.version_id, now=_at(when))
    created.append(f"høringssvar {party.name}")


def _final_version(created: list[str], text: AgreementText, actor: User) -> TextVersion:
    final = next((v for v in text.versions if v.is_final), None)
    if final is not None:
        return final
    when = _at(data.FINAL_WRITTEN)
    final = texts.new_version(actor, text, label=data.FINAL_LABEL, is_final=True, now=when)
    for section in list(final.sections):
        body = data.FINAL_CHANGES.get(section.heading)
        if body is not None:
            texts.update_section(actor, final, section, heading=section.heading, body=body,
                                 level=section.level, now=when)
    created.append(f"version {text.title}: {final.label}")
    return final


def _process(created: list[str], consultation: Consultation, final: TextVersion,
             actor: User) -> None:
    keys = {s.heading: s.key for s in final.sections}
    for organisation, spec in data.PROCESSING.items():
        party = _party(consultation, organisation)
        response = own_response(party)
        if response is None or response.processed_at is not None:
            continue
        comments = sorted(response.comments, key=lambda c: c.position)
        if len(comments) != len(spec["points"]):
            raise ValueError(f"the processing of {organisation} does not fit its response")
        points = [processing.PointDecision(
            comment_id=comment.id, outcome=Outcome(outcome), reason=reason,
            changed_section_key=keys[heading] if heading else None)
            for comment, (outcome, reason, heading) in zip(comments, spec["points"], strict=True)]
        processing.process_response(
            actor, party.consultation, response, processing.Decision(
                summary=spec["summary"], comment=spec["comment"],
                outcome=Outcome(spec["outcome"]) if spec["outcome"] else None,
                reason=spec["reason"], points=points),
            next_section_keys=set(keys.values()), version=response.version_id,
            now=_at(data.PROCESSED_AT))
        created.append(f"behandling {organisation}")


def pdf(lines: list[str]) -> bytes:
    """A small, valid one-page PDF with the lines in Helvetica (WinAnsi covers æ, ø, å)."""
    def escape(line: str) -> bytes:
        raw = line.encode("cp1252")
        return raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")

    stream = b"BT /F1 12 Tf 72 760 Td 16 TL\n" + b"".join(
        b"(" + escape(line) + b") '\n" for line in lines) + b"ET"
    packed = zlib.compress(stream)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(packed) + packed
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
        b"/Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe6\xf8\xe5\xc6\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref)
    return bytes(out)
