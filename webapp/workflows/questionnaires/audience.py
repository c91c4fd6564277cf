"""Who still owes a questionnaire: the reminder pass's audience for questionnaire milestones."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from ...extensions import db
from ...links import absolute_url
from ...models import (
    DeadlineExtension,
    Milestone,
    Organisation,
    Questionnaire,
    QuestionnaireRecipient,
    QuestionnaireResponse,
    ResponseState,
    Role,
    RoleGrant,
    User,
)
from ..audiences import DEADLINE_RULES, DefaultRule, OwnerKind, PendingItem
from .responses import effective_deadline


class QuestionnaireAudience:
    """Recipient organisations without a submitted response. An organisation with an extension
    gets its own deadline, so the same rules remind it against the new date."""

    owner_kind: OwnerKind = "organisation"
    default_rules: Sequence[DefaultRule] = DEADLINE_RULES

    def pending(self, milestones: Sequence[Milestone], now: datetime) -> list[PendingItem]:
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
        links = {q_id: absolute_url("questionnaires.answer", questionnaire_id=q_id)
                 for q_id in q_ids}
        items = []
        for q_id, org, state, until in recipients:
            if state == ResponseState.SUBMITTED:
                continue
            questionnaire = by_id[q_id]
            milestone = milestone_by_id[questionnaire.milestone_id]
            deadline = effective_deadline(milestone.ends_at, until).at
            items.append(PendingItem.for_organisation(
                milestone.id, org, deadline, people.get(org.id, []), what=questionnaire.title,
                link=links[q_id]))
        return items
