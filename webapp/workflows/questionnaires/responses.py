"""Answering a questionnaire: drafts, submission, reopening, extensions, prefill.

One official response per organisation. Drafts are saved without the completeness check;
submission checks everything. A submitted response is read-only until the secretariat reopens
it; every submission is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ... import mail
from ...extensions import db
from ...formatting import format_datetime
from ...models import (
    DeadlineExtension,
    Organisation,
    Questionnaire,
    QuestionnaireRecipient,
    QuestionnaireResponse,
    ResponseState,
    Role,
    RoleGrant,
    Submission,
    TargetGroup,
    User,
)
from ...permissions import is_secretariat
from ..base import PermissionDenied, WorkflowError, check_stale, check_transition, record
from .fields import completeness_errors, display, grid_groups

TRANSITIONS = {
    ResponseState.DRAFT: {ResponseState.SUBMITTED},
    ResponseState.SUBMITTED: {ResponseState.REOPENED},
    ResponseState.REOPENED: {ResponseState.SUBMITTED},
}

STATE_LABELS = {
    ResponseState.DRAFT: _l("Kladde"),
    ResponseState.SUBMITTED: _l("Indsendt"),
    ResponseState.REOPENED: _l("Genåbnet"),
}


BOARD_LABELS = {
    "not_started": _l("ikke påbegyndt"),
    "draft": _l("kladde"),
    "submitted": _l("indsendt"),
    "reopened": _l("genåbnet"),
    "extended": _l("forlænget frist"),
}


def target_groups(region_id: int) -> list[TargetGroup]:
    return list(db.session.scalars(
        select(TargetGroup).where(TargetGroup.region_id == region_id)
        .order_by(TargetGroup.audience, TargetGroup.position, TargetGroup.id)))


def status_of(response: QuestionnaireResponse | None, extension: DeadlineExtension | None) -> str:
    """The status board's five states; an extension shows while the response is open."""
    if response is not None and response.state == ResponseState.SUBMITTED:
        return "submitted"
    if extension is not None:
        return "extended"
    if response is None:
        return "not_started"
    return response.state.value



class AnswerErrors(WorkflowError):
    """Answers that cannot be accepted, per field name."""

    def __init__(self, errors: dict[str, str], message: str | None = None) -> None:
        super().__init__(message or _("Besvarelsen er ikke gemt. Ret fejlene nedenfor."))
        self.errors = errors


@dataclass
class Deadline:
    at: datetime
    extended: bool


def deadline_for(questionnaire: Questionnaire, extension: DeadlineExtension | None) -> Deadline:
    if extension is not None and extension.until > questionnaire.closes_at:
        return Deadline(extension.until, True)
    return Deadline(questionnaire.closes_at, False)


def is_recipient(questionnaire: Questionnaire, organisation_id: int) -> bool:
    return any(r.organisation_id == organisation_id for r in questionnaire.recipients)


def can_answer(user: Any, questionnaire: Questionnaire, organisation: Organisation) -> bool:
    return bool(
        user.is_authenticated
        and user.organisation_id == organisation.id
        and user.has_role(Role.RESPONDENT, organisation.region_id)
        and is_recipient(questionnaire, organisation.id)
    )


def _check_can_answer(actor: User, questionnaire: Questionnaire, org: Organisation) -> None:
    if not can_answer(actor, questionnaire, org):
        raise PermissionDenied(_("Du kan kun besvare skemaet for din egen organisation."))


def _check_open(questionnaire: Questionnaire, now: datetime) -> None:
    opens = questionnaire.opens_at
    if opens is not None and now < opens:
        raise WorkflowError(_("Skemaet åbner %(when)s.", when=format_datetime(opens)))


def _check_editable(response: QuestionnaireResponse | None) -> None:
    if response is not None and response.state == ResponseState.SUBMITTED:
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
    target = ResponseState.SUBMITTED
    check_transition(TRANSITIONS, response.state, target, STATE_LABELS)
    previous = response.state
    response.state = target
    response.submitted_at = now
    response.submitted_by_id = actor.id
    response.submitted_by_name = actor.name
    response.reopen_reason = ""
    db.session.add(Submission(response_id=response.id, questionnaire_id=questionnaire.id,
                              organisation_id=org.id, submitted_at=now,
                              submitted_by_id=actor.id, submitted_by_name=actor.name,
                              answers=dict(values)))
    record(actor=actor, action="response.submitted", obj=response, now=now,
           region_id=org.region_id, label=f"{questionnaire.title}: {org.name}",
           before={"state": previous.value}, after={"state": target.value})
    mail.queue("response_receipt", actor.email, now=now, region_id=org.region_id,
                   urgent=False,
               name=actor.name, organisation=org.name, questionnaire=questionnaire.title,
               submitted_at=format_datetime(now),
               answers=answer_lines(questionnaire, groups, values),
               link=_absolute(url_for("questionnaires.answer", questionnaire_id=questionnaire.id)))
    return response


def reopen(actor: User, questionnaire: Questionnaire, response: QuestionnaireResponse,
           org: Organisation,
           reason: str, *, now: datetime) -> QuestionnaireResponse:
    if not is_secretariat(actor, org.region_id):
        raise PermissionDenied(_("Kun sekretariatet kan genåbne en besvarelse."))
    reason = reason.strip()
    if not reason:
        raise WorkflowError(_("Skriv hvorfor besvarelsen genåbnes; organisationen får det at "
                              "vide."), field="reason")
    check_transition(TRANSITIONS, response.state, ResponseState.REOPENED, STATE_LABELS)
    response.state = ResponseState.REOPENED
    response.reopen_reason = reason
    response.updated_at = now
    response.updated_by_id = actor.id
    response.updated_by_name = actor.name
    record(actor=actor, action="response.reopened", obj=response, now=now,
           region_id=org.region_id, label=f"{questionnaire.title}: {org.name}",
           before={"state": "submitted"}, after={"state": "reopened", "reason": reason})
    link = _absolute(url_for("questionnaires.answer", questionnaire_id=questionnaire.id))
    for address in organisation_addresses(org):
        mail.queue("response_reopened", address, now=now, region_id=org.region_id,
                   urgent=False,
                   organisation=org.name, questionnaire=questionnaire.title, reason=reason,
                   secretariat=actor.name, link=link)
    return response


def grant_extension(actor: User, questionnaire: Questionnaire, org: Organisation,
                    until: datetime, reason: str, *, now: datetime) -> DeadlineExtension:
    if not is_secretariat(actor, org.region_id):
        raise PermissionDenied(_("Kun sekretariatet kan forlænge fristen."))
    if not is_recipient(questionnaire, org.id):
        raise WorkflowError(_("Organisationen er ikke modtager af skemaet."))
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
    link = _absolute(url_for("questionnaires.answer", questionnaire_id=questionnaire.id))
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
        if question.type.value == "grid":
            cells = values.get(question.key) or {}
            for group in grid_groups(question, groups):
                row = cells.get(str(group.id)) or {}
                for column in question.config.get("columns", []):
                    shown = display(row.get(column["key"]), column.get("type", "text"))
                    if shown:
                        lines.append((f"{question.label} – {group.name} – {column['label']}",
                                      shown))
        else:
            lines.append((question.label, display(values.get(question.key), question.type)
                          or "–"))
    return lines


def _absolute(path: str) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + path


class QuestionnaireAudience:
    """Recipient organisations without a submitted response. An organisation with an extension
    gets its own deadline, so the same rules remind it against the new date."""

    def pending(self, milestones: Any, now: datetime) -> list[Any]:
        from ..audiences import PendingParty

        ids = [m.id for m in milestones]
        if not ids:
            return []
        questionnaires = db.session.scalars(
            select(Questionnaire).where(Questionnaire.milestone_id.in_(ids))).all()
        if not questionnaires:
            return []
        milestone_by_id = {m.id: m for m in milestones}
        q_ids = [q.id for q in questionnaires]
        # Recipients with their response state and extension in one query.
        recipients = db.session.execute(
            select(QuestionnaireRecipient.questionnaire_id, Organisation,
                   QuestionnaireResponse.state,
                   DeadlineExtension.until)
            .join(Organisation, Organisation.id == QuestionnaireRecipient.organisation_id)
            .outerjoin(QuestionnaireResponse,
                       (QuestionnaireResponse.questionnaire_id
                        == QuestionnaireRecipient.questionnaire_id)
                       & (QuestionnaireResponse.organisation_id == Organisation.id))
            .outerjoin(DeadlineExtension,
                       (DeadlineExtension.questionnaire_id
                        == QuestionnaireRecipient.questionnaire_id)
                       & (DeadlineExtension.organisation_id == Organisation.id))
            .where(QuestionnaireRecipient.questionnaire_id.in_(q_ids),
                   Organisation.active.is_(True))).all()
        org_ids = {org.id for _, org, _, _ in recipients}
        people: dict[int, list[User]] = {}
        for user in db.session.scalars(
                select(User).join(RoleGrant, RoleGrant.user_id == User.id)
                .where(User.organisation_id.in_(org_ids), User.active.is_(True),
                       User.password_hash.is_not(None), RoleGrant.role == Role.RESPONDENT)
                .order_by(User.id)):
            if user not in people.get(user.organisation_id, []):
                people.setdefault(user.organisation_id, []).append(user)
        by_id = {q.id: q for q in questionnaires}
        parties = []
        for q_id, org, state, until in recipients:
            if state == ResponseState.SUBMITTED:
                continue
            questionnaire = by_id[q_id]
            milestone = milestone_by_id[questionnaire.milestone_id]
            deadline = max(milestone.ends_at, until or milestone.ends_at)
            parties.append(PendingParty(
                milestone_id=milestone.id, organisation=org, deadline=deadline,
                recipients=people.get(org.id, []), what=questionnaire.title,
                link=url_for("questionnaires.answer", questionnaire_id=q_id)))
        return parties


def _register_audience() -> None:
    from ...models import MilestoneKind
    from ..audiences import register

    register(MilestoneKind.QUESTIONNAIRE, QuestionnaireAudience())


_register_audience()
