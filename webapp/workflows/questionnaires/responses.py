"""Answering a questionnaire: drafts, submission, reopening, extensions, prefill.

One official response per organisation. Drafts are saved without the completeness check;
submission checks everything. A submitted response is read-only until the secretariat reopens
it; every submission is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from ... import mail
from ...extensions import db
from ...formatting import format_datetime
from ...i18n import gettext as _
from ...i18n import lazy_gettext as _l
from ...links import absolute_url
from ...models import (
    DeadlineExtension,
    Organisation,
    Questionnaire,
    QuestionnaireResponse,
    ResponseState,
    Role,
    RoleGrant,
    Submission,
    TargetGroup,
    User,
)
from ...permissions import can, require
from ...permissions.questionnaires import Answering
from ..base import PermissionDenied, WorkflowError, check_date_window, check_stale, record
from ..states import RESPONSES
from .fields import completeness_errors, form_cells

# Where each recipient stands, the one definition the status board, the results page, the
# exports and the API count by. Every recipient is in exactly one of these four; an extension
# is not a status but a marker beside it (`Deadline.extended`), so an organisation with more
# time that has not begun is counted under "ikke påbegyndt". A reopened response is not
# "indsendt": it is being corrected, though the results keep its last submitted version.
STATUS_BOARD_LABELS = {
    "submitted": _l("indsendt"),
    "reopened": _l("genåbnet"),
    "draft": _l("i gang"),
    "not_started": _l("ikke påbegyndt"),
}


def status_of(response: QuestionnaireResponse | None) -> str:
    """A recipient's status (a key of STATUS_BOARD_LABELS), from its response alone."""
    if response is None:
        return "not_started"
    return response.state.value


class AnswerErrors(WorkflowError):
    """Answers that cannot be accepted, per field name."""

    def __init__(self, errors: dict[str, str], message: str | None = None) -> None:
        super().__init__(message or _("Besvarelsen er ikke gemt. Ret fejlene nedenfor."))
        self.errors = errors


@dataclass(frozen=True)
class Deadline:
    """An organisation's own deadline for a questionnaire, and whether an extension set it."""

    at: datetime
    extended: bool


def effective_deadline(closes_at: datetime, until: datetime | None) -> Deadline:
    """The one rule for an organisation's deadline: its extension when that is later than the
    questionnaire's ordinary deadline, else the ordinary one. Every page, the reminders and
    submission ask this."""
    if until is not None and until > closes_at:
        return Deadline(until, True)
    return Deadline(closes_at, False)


def deadline_for(questionnaire: Questionnaire, extension: DeadlineExtension | None) -> Deadline:
    return effective_deadline(questionnaire.closes_at,
                              extension.until if extension is not None else None)


def is_recipient(questionnaire: Questionnaire, organisation_id: int) -> bool:
    return any(r.organisation_id == organisation_id for r in questionnaire.recipients)


def can_answer(user: Any, questionnaire: Questionnaire, organisation: Organisation) -> bool:
    return can(user, "questionnaire.answer", Answering(questionnaire, organisation))


def _check_can_answer(actor: User, questionnaire: Questionnaire, org: Organisation) -> None:
    if not can_answer(actor, questionnaire, org):
        raise PermissionDenied(_("Du kan kun besvare skemaet for din egen organisation."))


def _check_open(questionnaire: Questionnaire, now: datetime) -> None:
    opens = questionnaire.opens_at
    if opens is not None and now < opens:
        raise WorkflowError(_("Skemaet åbner %(when)s.", when=format_datetime(opens)))


def _check_editable(response: QuestionnaireResponse | None) -> None:
    if response is not None and not RESPONSES.is_editable(response):
        raise WorkflowError(_("Besvarelsen er indsendt og kan ikke ændres. Bed sekretariatet om "
                              "at genåbne den, hvis der skal rettes noget."))


def _extension(questionnaire: Questionnaire, org_id: int) -> DeadlineExtension | None:
    return db.session.scalar(select(DeadlineExtension).where(
        DeadlineExtension.questionnaire_id == questionnaire.id,
        DeadlineExtension.organisation_id == org_id))


def _store(actor: User, questionnaire: Questionnaire, org: Organisation,
           response: QuestionnaireResponse | None, values: dict[str, Any], version: int | None,
           now: datetime) -> QuestionnaireResponse:
    if response is None:
        if version is not None:
            raise WorkflowError(_("Besvarelsen findes ikke længere. Genindlæs siden."))
        response = QuestionnaireResponse(questionnaire_id=questionnaire.id, organisation_id=org.id,
                            state=ResponseState.DRAFT, answers={}, prefilled=[],
                            created_at=now, updated_at=now)
        db.session.add(response)
    else:
        # A form made before another person saved carries an old version (or none at all).
        check_stale(response, version if version is not None else -1)
    before = response.answers or {}
    changed = sorted(k for k in set(before) | set(values) if before.get(k) != values.get(k))
    response.prefilled = [k for k in (response.prefilled or []) if k not in changed]
    response.answers = dict(values)
    response.updated_at = now
    response.updated_by_id = actor.id
    response.updated_by_name = actor.name
    db.session.flush()
    record(actor=actor, action="response.saved", obj=response, now=now,
           region_id=org.region_id, label=f"{questionnaire.title}: {org.name}",
           after={"changed": changed})
    return response


def save_draft(actor: User, questionnaire: Questionnaire, org: Organisation,
               response: QuestionnaireResponse | None, values: dict[str, Any], *,
               version: int | None,
               now: datetime) -> QuestionnaireResponse:
    """Save what is there, complete or not. Typing errors are refused before this is called."""
    _check_can_answer(actor, questionnaire, org)
    _check_open(questionnaire, now)
    _check_editable(response)
    return _store(actor, questionnaire, org, response, values, version, now)


def submit(actor: User, questionnaire: Questionnaire, org: Organisation,
           response: QuestionnaireResponse | None, values: dict[str, Any],
           groups: list[TargetGroup], *,
           version: int | None, now: datetime) -> QuestionnaireResponse:
    _check_can_answer(actor, questionnaire, org)
    _check_open(questionnaire, now)
    _check_editable(response)
    deadline = deadline_for(questionnaire, _extension(questionnaire, org.id))
    if now > deadline.at:
        raise WorkflowError(_(
            "Fristen var %(when)s. Besvarelsen kan gemmes som kladde, men ikke indsendes. "
            "Kontakt sekretariatet, hvis I har brug for en forlænget frist.",
            when=format_datetime(deadline.at)))
    errors = completeness_errors(questionnaire.questions(), groups, values)
    if errors:
        raise AnswerErrors(errors, _("Besvarelsen er ikke indsendt: nogle svar mangler."))
    response = _store(actor, questionnaire, org, response, values, version, now)
    RESPONSES.move(response, ResponseState.SUBMITTED, actor=actor, now=now,
                   action="response.submitted", region_id=org.region_id,
                   label=f"{questionnaire.title}: {org.name}")
    response.submitted_at = now
    response.submitted_by_id = actor.id
    response.submitted_by_name = actor.name
    response.reopen_reason = ""
    db.session.add(Submission(response_id=response.id, questionnaire_id=questionnaire.id,
                              organisation_id=org.id, submitted_at=now,
                              submitted_by_id=actor.id, submitted_by_name=actor.name,
                              answers=dict(values)))
    mail.queue("response_receipt", actor.email, now=now, region_id=org.region_id,
                   urgent=False,
               name=actor.name, organisation=org.name, questionnaire=questionnaire.title,
               submitted_at=format_datetime(now),
               answers=answer_lines(questionnaire, groups, values),
               link=absolute_url("questionnaires.answer", questionnaire_id=questionnaire.id))
    return response


def reopen(actor: User, questionnaire: Questionnaire, response: QuestionnaireResponse,
           org: Organisation,
           reason: str, *, now: datetime) -> QuestionnaireResponse:
    require(actor, "questionnaire.follow_up", org,
            message=_("Kun sekretariatet kan genåbne en besvarelse."))
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Skriv hvorfor besvarelsen genåbnes; organisationen får det at "
                              "vide."), field="reason")
    RESPONSES.move(response, ResponseState.REOPENED, actor=actor, now=now,
                   action="response.reopened", region_id=org.region_id,
                   label=f"{questionnaire.title}: {org.name}", extra_after={"reason": reason})
    response.reopen_reason = reason
    response.updated_at = now
    response.updated_by_id = actor.id
    response.updated_by_name = actor.name
    link = absolute_url("questionnaires.answer", questionnaire_id=questionnaire.id)
    for address in organisation_addresses(org):
        mail.queue("response_reopened", address, now=now, region_id=org.region_id,
                   urgent=False,
                   organisation=org.name, questionnaire=questionnaire.title, reason=reason,
                   secretariat=actor.name, link=link)
    return response


def grant_extension(actor: User, questionnaire: Questionnaire, org: Organisation,
                    until: datetime, reason: str, *, now: datetime) -> DeadlineExtension:
    require(actor, "questionnaire.follow_up", org,
            message=_("Kun sekretariatet kan forlænge fristen."))
    if not is_recipient(questionnaire, org.id):
        raise WorkflowError(_("Organisationen er ikke modtager af skemaet."))
    check_date_window(until, "until_date")
    if until <= questionnaire.closes_at:
        raise WorkflowError(_("Den nye frist skal ligge efter den almindelige frist %(when)s.",
                              when=format_datetime(questionnaire.closes_at)), field="until_date")
    if until <= now:
        raise WorkflowError(_("Den nye frist skal ligge i fremtiden."), field="until_date")
    extension = _extension(questionnaire, org.id)
    before = {"until": extension.until.isoformat()} if extension else None
    if extension is None:
        extension = DeadlineExtension(questionnaire_id=questionnaire.id,
                                      organisation_id=org.id, created_at=now, until=until)
        db.session.add(extension)
    extension.until = until
    extension.reason = reason.strip()
    extension.granted_by_id = actor.id
    db.session.flush()
    record(actor=actor, action="extension.granted", obj=extension, now=now,
           region_id=org.region_id, label=f"{questionnaire.title}: {org.name}",
           before=before, after={"until": until.isoformat(), "reason": extension.reason})
    link = absolute_url("questionnaires.answer", questionnaire_id=questionnaire.id)
    for address in organisation_addresses(org):
        mail.queue("extension_granted", address, now=now, region_id=org.region_id,
                   urgent=False,
                   organisation=org.name, questionnaire=questionnaire.title,
                   until=format_datetime(until), link=link)
    return extension


def prefill(actor: User, questionnaire: Questionnaire, org: Organisation,
            response: QuestionnaireResponse | None, groups: list[TargetGroup], *,
            version: int | None,
            now: datetime) -> tuple[QuestionnaireResponse, int]:
    """Fill empty answers from the organisation's last submission to the questionnaire this
    one was cloned from. Returns the response and how many answers were filled."""
    _check_can_answer(actor, questionnaire, org)
    _check_editable(response)
    if questionnaire.cloned_from_id is None:
        raise WorkflowError(_("Skemaet er ikke kopieret fra en tidligere cyklus."))
    previous = db.session.scalar(
        select(Submission)
        .where(Submission.questionnaire_id == questionnaire.cloned_from_id,
               Submission.organisation_id == org.id)
        .order_by(Submission.submitted_at.desc(), Submission.id.desc()).limit(1))
    if previous is None:
        raise WorkflowError(_("Der er ingen indsendt besvarelse fra sidste cyklus at hente."))
    current = dict(response.answers) if response is not None else {}
    keys = {q.key for q in questionnaire.questions()}
    filled = [k for k, v in previous.answers.items()
              if k in keys and v not in (None, "", [], {}) and k not in current]
    for key in filled:
        current[key] = previous.answers[key]
    response = _store(actor, questionnaire, org, response, current, version, now)
    response.prefilled = sorted(set(response.prefilled or []) | set(filled))
    record(actor=actor, action="response.prefilled", obj=response, now=now,
           region_id=org.region_id, label=f"{questionnaire.title}: {org.name}",
           after={"filled": filled, "from_submission": previous.id})
    return response, len(filled)


def organisation_addresses(org: Organisation) -> list[str]:
    """The organisation's active respondents, and its shared address if it has one."""
    addresses = sorted(set(db.session.scalars(
        select(User.email)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(User.organisation_id == org.id, User.active.is_(True),
               User.password_hash.is_not(None), RoleGrant.role == Role.RESPONDENT,
               RoleGrant.region_id == org.region_id)
    )))
    if org.email and org.email not in addresses:
        addresses.append(org.email)
    return addresses


def answer_lines(questionnaire: Questionnaire, groups: list[TargetGroup],
                 values: dict[str, Any]) -> list[tuple[str, str]]:
    """(question, answer) pairs for a receipt: grids as one line per answered cell."""
    lines: list[tuple[str, str]] = []
    for question in questionnaire.questions():
        for cell in form_cells(question, groups):
            shown = cell.display(values)
            if shown or cell.group is None:  # a grid's empty cells are left out
                lines.append((cell.label, shown or "–"))
    return lines
