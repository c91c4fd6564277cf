"""What "Mine opgaver" reads: the region's current cycle, the milestones that concern a person's
roles, and the questionnaires behind them with the person's organisation's state."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..extensions import db
from ..formatting import to_local
from ..models import (
    Cycle,
    CycleState,
    Milestone,
    MilestoneKind,
    Questionnaire,
    QuestionnaireRecipient,
    QuestionnaireResponse,
)


@dataclass
class Task:
    milestone: Milestone
    days_left: int
    ongoing: bool


def current_cycle(region_id: int) -> Cycle | None:
    """The region's open cycle with the earliest years: the one being worked on now."""
    return db.session.scalar(
        select(Cycle)
        .where(Cycle.region_id == region_id, Cycle.state == CycleState.OPEN)
        .order_by(Cycle.first_year, Cycle.id)
        .options(joinedload(Cycle.milestones))
        .limit(1)
    )


def tasks_for(milestones: list[Milestone], roles: set[str], at: datetime) -> list[Task]:
    """What concerns these roles and is not yet past, nearest deadline first."""
    today = to_local(at).date()
    tasks = []
    for m in milestones:
        if m.ends_at < at or not m.concerns(roles):
            continue
        starts = m.starts_at
        tasks.append(Task(
            milestone=m,
            days_left=(to_local(m.ends_at).date() - today).days,
            ongoing=starts is not None and starts <= at,
        ))
    return sorted(tasks, key=lambda t: (t.milestone.ends_at, t.milestone.id))


def questionnaires_by_milestone(milestones: list[Milestone],
                                organisation_id: int) -> dict[int, list[Any]]:
    """The questionnaires behind questionnaire milestones, with my organisation's response
    state, so a task links straight to the form. One query whatever the number."""
    ids = [m.id for m in milestones if m.kind == MilestoneKind.QUESTIONNAIRE]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Questionnaire, QuestionnaireResponse.state, QuestionnaireRecipient.id)
        .outerjoin(QuestionnaireResponse,
                   (QuestionnaireResponse.questionnaire_id == Questionnaire.id)
                   & (QuestionnaireResponse.organisation_id == organisation_id))
        .outerjoin(QuestionnaireRecipient,
                   (QuestionnaireRecipient.questionnaire_id == Questionnaire.id)
                   & (QuestionnaireRecipient.organisation_id == organisation_id))
        .where(Questionnaire.milestone_id.in_(ids))
        .order_by(Questionnaire.id)
    ).all()
    found: dict[int, list[Any]] = {}
    for questionnaire, state, recipient in rows:
        found.setdefault(questionnaire.milestone_id, []).append(
            {"questionnaire": questionnaire, "state": state, "recipient": recipient is not None})
    return found
