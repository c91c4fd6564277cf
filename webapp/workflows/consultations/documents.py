"""The consultation's extra documents (a cover letter, an appendix): the secretariat adds and
removes them; the bytes go through webapp/uploads.py like a response's attachments."""

from __future__ import annotations

from datetime import datetime

from ... import uploads
from ...extensions import db
from ...i18n import gettext as _
from ...models import Consultation, ConsultationDocument, User
from ...permissions import require
from ..base import WorkflowError, bump_version, record

MAX_DOCUMENTS = 20


def add_document(actor: User, consultation: Consultation, *, title: str,
                 upload: uploads.Upload | None, now: datetime) -> ConsultationDocument:
    """Store the file and list it under the consultation (the title defaults to its name)."""
    require(actor, "consultation.manage", consultation,
            message=_("Kun sekretariatet kan lægge dokumenter på høringen."))
    if upload is None:
        raise WorkflowError(_("Vælg en fil."), field="file")
    if len(consultation.documents) >= MAX_DOCUMENTS:
        raise WorkflowError(_("En høring kan højst have %(n)d dokumenter.", n=MAX_DOCUMENTS),
                            field="file")
    stored = uploads.store(upload, region_id=consultation.region_id, uploaded_by_id=actor.id,
                           now=now, field="file")
    document = ConsultationDocument(file=stored, title=(title.strip() or stored.filename)[:200],
                                    position=len(consultation.documents))
    consultation.documents.append(document)
    bump_version(consultation)
    db.session.flush()
    record(actor=actor, action="consultation.document_added", obj=consultation, now=now,
           region_id=consultation.region_id,
           after={"title": document.title, "file_name": stored.filename})
    return document


def remove_document(actor: User, consultation: Consultation, document: ConsultationDocument,
                    *, now: datetime) -> None:
    """Take a document off the consultation; its bytes are deleted after the commit."""
    require(actor, "consultation.manage", consultation,
            message=_("Kun sekretariatet kan fjerne dokumenter fra høringen."))
    if document.consultation_id != consultation.id:
        raise WorkflowError(_("Dokumentet hører ikke til høringen."))
    uploads.remove_after_commit(document.file)
    title, name = document.title, document.file.filename
    consultation.documents.remove(document)
    db.session.delete(document.file)
    bump_version(consultation)
    db.session.flush()
    record(actor=actor, action="consultation.document_removed", obj=consultation, now=now,
           region_id=consultation.region_id, before={"title": title, "file_name": name})
