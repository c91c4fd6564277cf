"""Rows a consultation needs (a frozen text version, a consultation milestone) and a draft
consultation made through the workflow, for the consultation setup tests."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from tests import factories as f
from webapp.extensions import db
from webapp.models import (
    AgreementText,
    Consultation,
    Cycle,
    Milestone,
    MilestoneKind,
    Publication,
    TextSection,
    TextVersion,
)
from webapp.workflows.consultations import setup as flow

_seq = itertools.count(1)
START = (2017, 8, 1, 0, 0)
DEADLINE = (2017, 9, 29, 23, 59)  # 59 days after the start


def text_version(cycle: Cycle, *, frozen: bool = True, title: str | None = None,
                 label: str = "Udkast 1") -> TextVersion:
    text = AgreementText(cycle_id=cycle.id, title=title or f"Rammeaftale {next(_seq)}", position=0,
                         created_at=datetime.now(UTC))
    db.session.add(text)
    db.session.flush()
    version = TextVersion(text_id=text.id, number=1, label=label, is_final=False,
                          created_at=datetime.now(UTC),
                          frozen_at=datetime.now(UTC) if frozen else None)
    version.sections = [TextSection(key="s1", position=0, level=1, heading="Indledning",
                                    body="Tekst.")]
    db.session.add(version)
    db.session.flush()
    return version


def consultation_milestone(cycle: Cycle, title: str = "Høring") -> Milestone:
    return f.milestone(cycle, f.at(*DEADLINE), MilestoneKind.CONSULTATION, title=title,
                       starts_at=f.at(*START))


def data(version: TextVersion | None, milestone: Milestone | None, *,
         title: str = "Høring over udkast", starts: datetime | None = None,
         ends: datetime | None = None, reason: str = "",
         letter: str = "Kære høringspart") -> flow.ConsultationData:
    return flow.ConsultationData(
        title=title, letter=letter, starts_at=starts or f.at(*START),
        ends_at=ends or f.at(*DEADLINE), short_deadline_reason=reason,
        publication=Publication.INVITED, text_version=version, milestone=milestone)


def draft(actor: Any, cycle: Cycle, **kwargs: Any) -> Consultation:
    """A draft consultation on a new frozen version and consultation milestone, committed."""
    version = text_version(cycle)
    milestone = consultation_milestone(cycle)
    consultation = flow.create_consultation(actor, cycle, data(version, milestone, **kwargs),
                                            now=f.at(2017, 1, 10))
    db.session.commit()
    return consultation
