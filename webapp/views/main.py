"""The dashboard ("Mine opgaver"), the accessibility statement and the health check."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from ..clock import now
from ..extensions import db
from ..i18n import gettext as _
from ..models import Role
from ..permissions import is_secretariat, permission_required
from ..queries import cycles as cycles_read
from ..queries.consultations.overview import (
    consultations_by_milestone,
    own_consultation_deadlines,
    running_consultations,
)
from ..queries.dashboard import (
    approvals_by_milestone,
    boards_by_milestone,
    current_cycle,
    own_deadlines,
    questionnaires_by_milestone,
    secretariat_now,
    tasks_for,
    unfinished_boards,
)
from ..queries.reminders import dashboard_panel
from ..queries.theme_days.catalogue import votes_by_milestone
from ..queries.workshops.signup import own_signup_deadlines, workshops_by_milestone
from .common import kept_page, render_kept

bp = Blueprint("main", __name__)


@bp.route("/")
def index() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    return redirect(url_for("auth.login"))


@bp.route("/oversigt")
@permission_required("cycle.view")
@kept_page
def dashboard() -> ResponseReturnValue:
    at = now()
    region_id = current_user.region_id

    def context() -> dict[str, Any]:  # only when the kept page content is out of date
        cycle = current_cycle(region_id)
        roles = {r.value for r in current_user.roles_in(region_id)}
        milestones = list(cycle.milestones) if cycle else []
        questionnaires = questionnaires_by_milestone(milestones, current_user.organisation_id)
        consultations = consultations_by_milestone(milestones, current_user.organisation_id, at)
        # A party's respondents record their council's decision.
        approvals = (approvals_by_milestone(milestones, current_user.organisation_id, at)
                     if Role.RESPONDENT.value in roles else {})
        workshops = workshops_by_milestone(milestones, current_user.id)
        votes = votes_by_milestone(milestones, current_user.id, roles)
        boards = boards_by_milestone(milestones, current_user.id)
        own = {**own_deadlines(questionnaires), **own_consultation_deadlines(consultations),
               **own_signup_deadlines(workshops)}
        tasks = tasks_for(milestones, roles, at, own,
                          invited=set(consultations) | set(approvals) | set(workshops)
                          | set(votes) | set(boards),
                          until_done=set(approvals) | set(votes) | unfinished_boards(boards))
        secretariat = is_secretariat(current_user, region_id)
        return {
            "cycle": cycle,
            "tasks": tasks,
            "questionnaires": questionnaires,
            "consultations": consultations,
            "approvals": approvals,
            "workshops": workshops,
            "votes": votes,
            "boards": boards,
            "running_consultations": running_consultations(milestones, at) if secretariat else [],
            "reminder_panel": dashboard_panel(region_id, at) if secretariat else None,
            "needs_now": secretariat_now(region_id, cycle, at) if secretariat else None,
            "milestones": milestones,
            "timeline": lambda: cycles_read.timeline(milestones, at),
            "today": at,
        }

    # Kept per person until something changes.
    return render_kept(_("Mine opgaver"), "dashboard", region_id, "dashboard/_body.html",
                       context)


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
