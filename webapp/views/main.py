"""The dashboard ("Mine opgaver"), the accessibility statement and the health check."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload

from ..charts import timeline_svg
from ..clock import now
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
from ..permissions import is_secretariat
from ..queries.reminders import dashboard_panel

bp = Blueprint("main", __name__)


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


def _questionnaires_by_milestone(milestones: list[Milestone]) -> dict[int, list[Any]]:
    """The questionnaires behind questionnaire milestones, with my organisation's response
    state, so a task links straight to the form. One query whatever the number."""
    ids = [m.id for m in milestones if m.kind == MilestoneKind.QUESTIONNAIRE]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Questionnaire, QuestionnaireResponse.state, QuestionnaireRecipient.id)
        .outerjoin(QuestionnaireResponse,
                   (QuestionnaireResponse.questionnaire_id == Questionnaire.id)
                   & (QuestionnaireResponse.organisation_id == current_user.organisation_id))
        .outerjoin(QuestionnaireRecipient,
                   (QuestionnaireRecipient.questionnaire_id == Questionnaire.id)
                   & (QuestionnaireRecipient.organisation_id == current_user.organisation_id))
        .where(Questionnaire.milestone_id.in_(ids))
        .order_by(Questionnaire.id)
    ).all()
    found: dict[int, list[Any]] = {}
    for questionnaire, state, recipient in rows:
        found.setdefault(questionnaire.milestone_id, []).append(
            {"questionnaire": questionnaire, "state": state, "recipient": recipient is not None})
    return found


@bp.route("/")
def index() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    return redirect(url_for("auth.login"))


@bp.route("/oversigt")
@login_required
def dashboard() -> ResponseReturnValue:
    at = now()
    cycle = current_cycle(current_user.region_id)
    roles = {r.value for r in current_user.roles_in(current_user.region_id)}
    milestones = list(cycle.milestones) if cycle else []
    tasks = tasks_for(milestones, roles, at)
    reminder_panel = (dashboard_panel(current_user.region_id, at)
                      if is_secretariat(current_user, current_user.region_id) else None)
    return render_template(
        "dashboard/index.html",
        cycle=cycle,
        tasks=tasks,
        questionnaires=_questionnaires_by_milestone(milestones),
        reminder_panel=reminder_panel,
        milestones=milestones,
        timeline=timeline_svg(milestones, at),
        today=at,
    )


@bp.route("/tilgaengelighed")
def accessibility() -> ResponseReturnValue:
    return render_template("pages/accessibility.html")


@bp.route("/healthz")
def healthz() -> ResponseReturnValue:
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        db.session.rollback()
        reason = type(exc).__name__ + ": " + str(exc).splitlines()[0][:200]
        return jsonify(status="error", database="unreachable", reason=reason), 503
    return jsonify(status="ok", database="ok")
