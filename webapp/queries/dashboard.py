"""What "Mine opgaver" reads: the region's current cycle, the milestones that concern a person's
roles, and the questionnaires behind them with the person's organisation's state."""

from __future__ import annotations

from collections.abc import Mapping
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
    DeadlineExtension,
    Milestone,
    MilestoneKind,
    Questionnaire,
    QuestionnaireRecipient,
    QuestionnaireResponse,
)
from ..workflows.questionnaires.responses import Deadline, effective_deadline


@dataclass
class Task:
    milestone: Milestone
    days_left: int
    ongoing: bool
    # The reader's own deadline: the milestone's, or the organisation's extension.
    deadline: Deadline


def current_cycle(region_id: int) -> Cycle | None:
    """The region's open cycle with the earliest years: the one being worked on now."""
    return db.session.scalar(
        select(Cycle)
        .where(Cycle.region_id == region_id, Cycle.state == CycleState.OPEN)
        .order_by(Cycle.first_year, Cycle.id)
        .options(joinedload(Cycle.milestones))
        .limit(1)
    )


def tasks_for(milestones: list[Milestone], roles: set[str], at: datetime,
              own: Mapping[int, Deadline] | None = None) -> list[Task]:
    """What concerns these roles and is not yet past, nearest deadline first. `own` holds the
    organisation's own deadlines by milestone id (`own_deadlines`): an extension keeps a task
    on the list, with its date, until the extended deadline."""
    today = to_local(at).date()
    tasks = []
    for m in milestones:
        deadline = (own or {}).get(m.id) or Deadline(m.ends_at, False)
        if deadline.at < at or not m.concerns(roles):
            continue
        starts = m.starts_at
        tasks.append(Task(
            milestone=m,
            days_left=(to_local(deadline.at).date() - today).days,
            ongoing=starts is not None and starts <= at,
            deadline=deadline,
        ))
    return sorted(tasks, key=lambda t: (t.deadline.at, t.milestone.id))


def own_deadlines(questionnaires: Mapping[int, list[Any]]) -> dict[int, Deadline]:
    """The organisation's own deadline per milestone, from `questionnaires_by_milestone`: the
    latest extended deadline of the milestone's questionnaires it answers, where it has one."""
    found: dict[int, Deadline] = {}
    for milestone_id, items in questionnaires.items():
        for item in items:
            deadline = item["deadline"]
            if item["recipient"] and deadline.extended and (
                    milestone_id not in found or deadline.at > found[milestone_id].at):
                found[milestone_id] = deadline
    return found


def questionnaires_by_milestone(milestones: list[Milestone],
                                organisation_id: int) -> dict[int, list[Any]]:
    """The questionnaires behind questionnaire milestones, with my organisation's response
    state and own deadline, so a task links straight to the form. One query whatever the
    number."""
    ids = [m.id for m in milestones if m.kind == MilestoneKind.QUESTIONNAIRE]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Questionnaire, QuestionnaireResponse.state, QuestionnaireRecipient.id,
               DeadlineExtension.until)
        .outerjoin(QuestionnaireResponse,
                   (QuestionnaireResponse.questionnaire_id == Questionnaire.id)
                   & (QuestionnaireResponse.organisation_id == organisation_id))
        .outerjoin(QuestionnaireRecipient,
                   (QuestionnaireRecipient.questionnaire_id == Questionnaire.id)
                   & (QuestionnaireRecipient.organisation_id == organisation_id))
        .outerjoin(DeadlineExtension,
                   (DeadlineExtension.questionnaire_id == Questionnaire.id)
                   & (DeadlineExtension.organisation_id == organisation_id))
        .options(joinedload(Questionnaire.milestone))
        .where(Questionnaire.milestone_id.in_(ids))
        .order_by(Questionnaire.id)
    ).all()
    found: dict[int, list[Any]] = {}
    for questionnaire, state, recipient, until in rows:
        found.setdefault(questionnaire.milestone_id, []).append(
            {"questionnaire": questionnaire, "state": state, "recipient": recipient is not None,
             "deadline": effective_deadline(questionnaire.closes_at,
                                            until if recipient is not None else None)})
    return found
