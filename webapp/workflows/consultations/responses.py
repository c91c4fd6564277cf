"""A party's consultation response ("høringssvar"): draft, submit, or "Ingen bemærkninger".

One official response per party, shared by its people like a questionnaire draft: every save
carries the response's version, and a save made from an older page is a conflict (the page
keeps what the person typed). Comments are tied to sections of the consulted version.
Attachments go through webapp/uploads.py. Writing is possible while the consultation is
open; after the deadline only a party with its own extension may still write, and what it
submits is marked late.

The party's people are the subject (or, for an external party, a `PartyGuest` who proved its
link): every operation asks "consultation.respond" itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from ... import mail, uploads
from ...extensions import db
from ...formatting import format_datetime
from ...i18n import gettext as _
from ...i18n import lazy_gettext as _l
from ...links import absolute_url
from ...models import (
    Consultation,
    ConsultationParty,
    ConsultationResponse,
    ConsultationResponseState,
    Publication,
    ResponseAttachment,
    ResponseComment,
    RoleGrant,
    StoredFile,
    TextSection,
    User,
)
from ...permissions import require
from ...permissions.consultation_responses import RESPONDING_ROLES, PartyGuest
from ..base import StaleEdit, WorkflowError, bump_version, check_stale, record
from ..states import StateMachine

Responder = User | PartyGuest

# Not registered in states._MACHINES (a shared file): the pages ask `is_editable` below.
CONSULTATION_RESPONSES = StateMachine(
    "consultation_responses",
    {ConsultationResponseState.DRAFT: {ConsultationResponseState.SUBMITTED}},
    {ConsultationResponseState.DRAFT: _l("Kladde"),
     ConsultationResponseState.SUBMITTED: _l("Indsendt")},
    editable={ConsultationResponseState.DRAFT},
)

MAX_TEXT = 100_000  # far beyond any response; a paste of a whole report still fits


def is_editable(response: ConsultationResponse | None) -> bool:
    return response is None or CONSULTATION_RESPONSES.is_editable(response)


@dataclass(frozen=True)
class CommentEdit:
    """An existing comment as posted: kept with a new section/body, or removed."""

    id: int
    section_id: int | None
    body: str
    remove: bool = False


@dataclass(frozen=True)
class Draft:
    """Everything the response page posts, parsed (the form checked the typing)."""

    general_text: str = ""
    comments: list[CommentEdit] = field(default_factory=list)
    new_section_id: int | None = None
    new_body: str = ""
    remove_attachment_ids: frozenset[int] = frozenset()
    upload: uploads.Upload | None = None


def party_deadline(party: ConsultationParty) -> datetime:
    """The party's own deadline: its extension when later than the consultation's."""
    deadline = party.consultation.deadline
    if party.extended_until is not None and party.extended_until > deadline:
        return party.extended_until
    return deadline


def is_late(party: ConsultationParty, now: datetime) -> bool:
    return now > party.consultation.deadline


def publication_words(consultation: Consultation) -> str:
    """When and to whom the responses become visible, as the page says it before submitting."""
    when = format_datetime(consultation.deadline)
    if consultation.publication == Publication.PUBLIC:
        return _("Alle høringssvar offentliggøres for alle efter fristen %(when)s.", when=when)
    return _("Alle høringssvar bliver synlige for de inviterede parter efter fristen %(when)s.",
             when=when)


def _label(party: ConsultationParty) -> str:
    return f"{party.consultation.title}: {party.name}"


def _check_may_write(actor: Responder, party: ConsultationParty, now: datetime) -> None:
    require(actor, "consultation.respond", party, now,
            message=_("Du kan kun skrive høringssvar for din egen part i en åben høring."))
    starts = party.consultation.starts_at
    if starts is not None and now < starts:
        raise WorkflowError(_("Høringen begynder %(when)s.", when=format_datetime(starts)))
    deadline = party_deadline(party)
    if now > deadline:
        raise WorkflowError(_(
            "Fristen var %(when)s, og høringssvar kan ikke længere gemmes eller indsendes. "
            "Kontakt sekretariatet, hvis I har brug for en forlænget frist.",
            when=format_datetime(deadline)))


def _check_editable(response: ConsultationResponse | None) -> None:
    if not is_editable(response):
        raise WorkflowError(_("Høringssvaret er indsendt og kan ikke ændres."))


def _response(actor: Responder, party: ConsultationParty,
              response: ConsultationResponse | None, version: int | None,
              now: datetime) -> ConsultationResponse:
    """The party's response to write into: a new one, or the stored one if the page was made
    from its current version."""
    if response is None:
        if version is not None:
            raise WorkflowError(_("Høringssvaret findes ikke længere. Genindlæs siden."))
        existing = db.session.scalar(select(ConsultationResponse.id).where(
            ConsultationResponse.party_id == party.id))
        if existing is not None:  # another person of the party made it meanwhile
            raise StaleEdit(_Placeholder())
        response = ConsultationResponse(
            consultation_id=party.consultation_id, party_id=party.id,
            state=ConsultationResponseState.DRAFT, general_text="", no_comments=False,
            created_at=now, updated_at=now, comments=[], attachments=[])
        db.session.add(response)
        return response
    # A page made before another person saved carries an old version (or none at all).
    check_stale(response, version if version is not None else -1)
    return response


@dataclass
class _Placeholder:
    """A stale edit of a response this request has not loaded: the view reloads it."""

    version_id: int = 0


def _section_ids(party: ConsultationParty) -> set[int]:
    return set(db.session.scalars(select(TextSection.id).where(
        TextSection.text_version_id == party.consultation.text_version_id)))


def _apply(actor: Responder, party: ConsultationParty, response: ConsultationResponse,
           draft: Draft, now: datetime) -> None:
    sections = _section_ids(party)
    by_id = {c.id: c for c in response.comments}
    for edit in draft.comments:
        comment = by_id.get(edit.id)
        if comment is None:
            raise WorkflowError(_("En kommentar findes ikke længere. Genindlæs siden."))
        if edit.remove:
            response.comments.remove(comment)
            continue
        if edit.section_id is not None and edit.section_id not in sections:
            raise WorkflowError(_("Vælg et af afsnittene i den tekst, der er i høring."),
                                field=f"comment-{edit.id}-section")
        if not edit.body.strip():
            raise WorkflowError(_("Skriv kommentaren, eller markér den til sletning."),
                                field=f"comment-{edit.id}-body")
        comment.section_id = edit.section_id
        comment.body = edit.body[:MAX_TEXT]
    if draft.new_body.strip():
        if draft.new_section_id is None:
            raise WorkflowError(_("Vælg det afsnit, kommentaren gælder."), field="new_section")
        if draft.new_section_id not in sections:
            raise WorkflowError(_("Vælg et af afsnittene i den tekst, der er i høring."),
                                field="new_section")
        position = max((c.position for c in response.comments), default=0) + 1
        response.comments.append(ResponseComment(section_id=draft.new_section_id,
                                                 body=draft.new_body[:MAX_TEXT],
                                                 position=position))
    label = _label(party)
    region_id = party.region_id
    for attachment in list(response.attachments):
        if attachment.id in draft.remove_attachment_ids:
            response.attachments.remove(attachment)
            uploads.remove_after_commit(attachment.file)
            name = attachment.file.filename
            db.session.delete(attachment.file)
            record(actor=actor, action="consultation_response.attachment_removed",
                   obj=response, now=now, region_id=region_id, label=label,
                   before={"file_name": name})
    if draft.upload is not None:
        stored = uploads.store(draft.upload, region_id=region_id,
                               uploaded_by_id=actor.id, now=now)
        response.attachments.append(ResponseAttachment(file=stored))
        db.session.flush()
        record(actor=actor, action="consultation_response.attachment_added", obj=response,
               now=now, region_id=region_id, label=label, after={"file_name": stored.filename})
    changed = response.general_text != draft.general_text
    response.general_text = draft.general_text[:MAX_TEXT]
    if response.id is not None:
        bump_version(response)  # a change in comments or attachments is a change of the response
    response.updated_at = now
    response.updated_by_id = actor.id
    response.updated_by_name = actor.name
    db.session.flush()
    record(actor=actor, action="consultation_response.saved", obj=response, now=now,
           region_id=region_id, label=label,
           after={"general_text_changed": changed, "comment_count": len(response.comments),
                  "attachment_count": len(response.attachments)})


def save_draft(actor: Responder, party: ConsultationParty,
               response: ConsultationResponse | None, draft: Draft, *, version: int | None,
               now: datetime) -> ConsultationResponse:
    """Save the draft as it stands; nothing is sent, nobody else sees it."""
    _check_may_write(actor, party, now)
    _check_editable(response)
    response = _response(actor, party, response, version, now)
    _apply(actor, party, response, draft, now)
    return response


def submit(actor: Responder, party: ConsultationParty, response: ConsultationResponse | None,
           draft: Draft, *, version: int | None, now: datetime) -> ConsultationResponse:
    """Save what is posted and submit it; a receipt goes to the party."""
    _check_may_write(actor, party, now)
    _check_editable(response)
    response = _response(actor, party, response, version, now)
    _apply(actor, party, response, draft, now)
    if not (response.general_text.strip() or response.comments or response.attachments):
        raise WorkflowError(_(
            "Høringssvaret er tomt. Skriv en generel bemærkning, en kommentar til et afsnit "
            "eller vedhæft en fil – eller vælg “Ingen bemærkninger”."), field="general_text")
    _finish(actor, party, response, no_comments=False, now=now)
    return response


def answer_no_comments(actor: Responder, party: ConsultationParty,
                       response: ConsultationResponse | None, *, version: int | None,
                       now: datetime) -> ConsultationResponse:
    """"Ingen bemærkninger": a submitted response without content. A draft with content is
    not thrown away behind the person's back: they remove it or submit it."""
    _check_may_write(actor, party, now)
    _check_editable(response)
    response = _response(actor, party, response, version, now)
    if response.general_text.strip() or response.comments or response.attachments:
        raise WorkflowError(_(
            "Kladden har allerede indhold. Indsend svaret, eller fjern teksten, kommentarerne "
            "og bilagene først, hvis I ikke har bemærkninger."))
    response.updated_at = now
    response.updated_by_id = actor.id
    response.updated_by_name = actor.name
    _finish(actor, party, response, no_comments=True, now=now)
    return response


def _finish(actor: Responder, party: ConsultationParty, response: ConsultationResponse, *,
            no_comments: bool, now: datetime) -> None:
    CONSULTATION_RESPONSES.set_state(response, ConsultationResponseState.SUBMITTED)
    response.no_comments = no_comments
    response.submitted_at = now
    response.submitted_by_id = actor.id
    response.submitted_by_name = actor.name
    response.is_late = is_late(party, now)
    db.session.flush()
    record(actor=actor,
           action=("consultation_response.no_comments" if no_comments
                   else "consultation_response.submitted"),
           obj=response, now=now, region_id=party.region_id, label=_label(party),
           before={"state": ConsultationResponseState.DRAFT.value},
           after={"state": ConsultationResponseState.SUBMITTED.value,
                  "is_late": response.is_late})
    _queue_receipts(actor, party, response, now)


def receipt_addresses(actor: Responder, party: ConsultationParty) -> list[str]:
    """The submitter, the party's responding people, or an external party's address."""
    addresses: list[str] = []
    if isinstance(actor, User):
        addresses.append(actor.email)
    if party.organisation_id is not None:
        addresses.extend(db.session.scalars(
            select(User.email).join(RoleGrant, RoleGrant.user_id == User.id)
            .where(User.organisation_id == party.organisation_id, User.active.is_(True),
                   RoleGrant.region_id == party.region_id,
                   RoleGrant.role.in_(RESPONDING_ROLES))
            .order_by(User.email)))
    if party.email:
        addresses.append(party.email)
    unique: dict[str, str] = {}
    for address in addresses:
        unique.setdefault(address.lower(), address)
    return list(unique.values())


def _queue_receipts(actor: Responder, party: ConsultationParty,
                    response: ConsultationResponse, now: datetime) -> None:
    consultation = party.consultation
    for address in receipt_addresses(actor, party):
        mail.queue("consultation_receipt", address, now=now, region_id=party.region_id,
                   urgent=True, party=party.name, consultation=consultation.title,
                   submitted_at=format_datetime(now), submitted_by=actor.name,
                   no_comments=response.no_comments, is_late=response.is_late,
                   comment_count=len(response.comments),
                   attachments=[a.file.filename for a in response.attachments],
                   publication=publication_words(consultation),
                   link=absolute_url("consultation_responses.respond",
                                     consultation_id=consultation.id))


def stored_files_of(response: ConsultationResponse) -> list[StoredFile]:
    return [a.file for a in response.attachments]
