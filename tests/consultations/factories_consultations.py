"""Consultations written directly with the models (the setup pages are built elsewhere)."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from typing import Any

from tests import factories as f
from webapp.extensions import db
from webapp.models import (
    AgreementText,
    Consultation,
    ConsultationParty,
    ConsultationState,
    Cycle,
    MilestoneKind,
    Organisation,
    Publication,
    Role,
    TextSection,
    TextVersion,
)
from webapp.security import new_nonce

START = f.at(2017, 8, 15, 9, 0)
DEADLINE = f.at(2017, 9, 15, 12, 0)
DURING = f.at(2017, 8, 20, 10, 0)
AFTER = f.at(2017, 9, 20, 10, 0)


def version(cycle: Cycle, n_sections: int = 3) -> TextVersion:
    text = AgreementText(cycle_id=cycle.id, title=f"Rammeaftale {next(f._seq)}", position=0,
                         created_at=datetime.now(UTC))
    db.session.add(text)
    db.session.flush()
    v = TextVersion(text_id=text.id, number=1, label="Udkast 1", created_at=datetime.now(UTC),
                    frozen_at=datetime.now(UTC))
    db.session.add(v)
    db.session.flush()
    for i in range(n_sections):
        db.session.add(TextSection(text_version_id=v.id, key=f"k{i}", position=i, level=1,
                                   heading=f"Afsnit om emne {i + 1}",
                                   body=f"Tekst til afsnit {i + 1}."))
    db.session.flush()
    return v


def consultation(cycle: Cycle, organisations: list[Organisation] = (),
                 externals: list[str] = (), publication: Publication = Publication.INVITED,
                 state: ConsultationState = ConsultationState.OPENED,
                 title: str = "") -> Consultation:
    ms = f.milestone(cycle, DEADLINE, kind=MilestoneKind.CONSULTATION, title="Høring",
                     starts_at=START)
    v = version(cycle)
    c = Consultation(cycle_id=cycle.id, milestone_id=ms.id, text_version_id=v.id,
                     title=title or f"Høring over udkast {next(f._seq)}",
                     letter="", publication=publication, state=state,
                     created_at=datetime.now(UTC), opened_at=START)
    db.session.add(c)
    db.session.flush()
    # Readable in the test's own session (the relationships are lazy="raise").
    c.cycle, c.milestone, c.text_version = cycle, ms, v
    for org in organisations:
        db.session.add(ConsultationParty(consultation_id=c.id, organisation_id=org.id,
                                         name=org.name, invited_at=START))
    for email in externals:
        db.session.add(ConsultationParty(consultation_id=c.id, email=email,
                                         name=f"Ekstern {email}", access_nonce=new_nonce(),
                                         invited_at=START))
    db.session.flush()
    return c


def parties(c: Consultation) -> list[ConsultationParty]:
    from sqlalchemy import select

    return list(db.session.scalars(select(ConsultationParty).where(
        ConsultationParty.consultation_id == c.id).order_by(ConsultationParty.id)))


def pdf_bytes() -> bytes:
    return b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def docx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def odt_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<office:document-content/>")
    return buf.getvalue()


def world_consultation(world: dict[str, Any], **kwargs: Any) -> Consultation:
    """A consultation in the north region sent to its municipality and user organisation."""
    north = world["north"]
    userorg = db.session.get(Organisation, north["users"][Role.USER_ORG_REP].organisation_id)
    return consultation(north["cycle"], [north["municipality"], userorg], **kwargs)
