"""Rows for the processing and note tests, written directly with the models (the texts,
consultation and response workflows are built in parallel elsewhere)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from tests import factories as f
from webapp.extensions import db
from webapp.models import (
    AgreementText,
    Consultation,
    ConsultationParty,
    ConsultationResponse,
    ConsultationResponseState,
    ConsultationState,
    Cycle,
    Milestone,
    MilestoneKind,
    ResponseComment,
    TextSection,
    TextVersion,
)

_seq = itertools.count(1)

# (key, level, heading) of the consulted version; the next version renames s3 and adds s5.
SECTIONS = [("s1", 1, "Indledning"), ("s2", 1, "Styringsaftalen"),
            ("s21", 2, "Takster"), ("s3", 1, "Udviklingsstrategien")]
NEXT_SECTIONS = [("s1", 1, "Indledning"), ("s2", 1, "Styringsaftalen"),
                 ("s21", 2, "Takster og prisudvikling"), ("s3", 1, "Udviklingsstrategien"),
                 ("s5", 1, "Opfølgning")]


@dataclass
class Setup:
    consultation: Consultation
    version: TextVersion
    next_version: TextVersion | None
    sections: dict[str, TextSection]
    parties: list[ConsultationParty] = field(default_factory=list)
    response: Any = None  # the response a test works on, when it made one


def _version(text: AgreementText, number: int, label: str,
             sections: list[tuple[str, int, str]]) -> TextVersion:
    version = TextVersion(text_id=text.id, number=number, label=label,
                          created_at=datetime.now(UTC), frozen_at=datetime.now(UTC))
    db.session.add(version)
    db.session.flush()
    for position, (key, level, heading) in enumerate(sections):
        db.session.add(TextSection(text_version_id=version.id, key=key, position=position,
                                   level=level, heading=heading, body=f"Brødtekst om {heading}."))
    db.session.flush()
    return version

_texts = itertools.count(1)


def consultation(cycle: Cycle, *, with_next: bool = True, state: ConsultationState =
                 ConsultationState.OPENED, title: str = "Høring om Rammeaftale 2018",
                 parties: list[str] | None = None, milestone: Milestone | None = None) -> Setup:
    """A consultation from 14 August to 11 September 2017 on "Udkast 1" of a text, optionally
    with "Udkast 2" as its next version, and a party per name (an organisation each). Given a
    `milestone`, the consultation belongs to it (its dates) instead of a new one."""
    # Its own title: other helpers write texts into the same cycle ("Rammeaftale <n>").
    text = AgreementText(cycle_id=cycle.id, title=f"Udkast til rammeaftale {next(_texts)}",
                         created_at=datetime.now(UTC))
    db.session.add(text)
    db.session.flush()
    version = _version(text, 1, "Udkast 1", SECTIONS)
    following = _version(text, 2, "Udkast 2", NEXT_SECTIONS) if with_next else None
    if milestone is None:
        milestone = f.milestone(cycle, f.at(2017, 9, 11, 23, 59),
                                kind=MilestoneKind.CONSULTATION, title=f"Høring {cycle.id}",
                                starts_at=f.at(2017, 8, 14, 9, 0))
    obj = Consultation(cycle_id=cycle.id, milestone_id=milestone.id, text_version_id=version.id,
                       title=title, letter="", state=state, created_at=datetime.now(UTC))
    db.session.add(obj)
    db.session.flush()
    sections = {s.key: s for s in db.session.query(TextSection)
                .filter(TextSection.text_version_id == version.id)}
    setup = Setup(obj, version, following, sections)
    for name in parties or []:
        setup.parties.append(party(obj, cycle, name))
    return setup


def party(consultation_: Consultation, cycle: Cycle, name: str,
          external: bool = False) -> ConsultationParty:
    if external:
        obj = ConsultationParty(consultation_id=consultation_.id, name=name,
                                email=f"part{next(_seq)}@ekstern.example")
    else:
        from webapp.models import Region

        region = db.session.get(Region, cycle.region_id)
        assert region is not None
        org = f.organisation(region, name=name)
        obj = ConsultationParty(consultation_id=consultation_.id, organisation_id=org.id,
                                name=name)
    db.session.add(obj)
    db.session.flush()
    return obj


def response(party_: ConsultationParty, *, general: str = "Vi har generelle bemærkninger.",
             comments: list[tuple[TextSection | None, str]] | None = None,
             submitted: bool = True, no_comments: bool = False,
             late: bool = False, **extra: Any) -> ConsultationResponse:
    obj = ConsultationResponse(
        consultation_id=party_.consultation_id, party_id=party_.id,
        state=ConsultationResponseState.SUBMITTED if submitted
        else ConsultationResponseState.DRAFT,
        no_comments=no_comments, general_text="" if no_comments else general,
        submitted_at=f.at(2017, 9, 1) if submitted else None, submitted_by_name="Anna Svar",
        is_late=late, **extra)
    db.session.add(obj)
    db.session.flush()
    for position, (section, body) in enumerate(comments or []):
        db.session.add(ResponseComment(response_id=obj.id, position=position, body=body,
                                       section_id=section.id if section is not None else None))
    db.session.flush()
    return obj
