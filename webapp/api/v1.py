"""GET-only JSON under /api/v1/, by session or `Authorization: Bearer <token>`.

Everything is scoped to the caller's region: another region's id is a 404, like an unknown one.
The exceptions are what is public anyway: a cycle's council approvals and its focus areas (as on
their public pages) answer without a token or session too.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Blueprint, Response, g, jsonify, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.exceptions import NotFound

from .. import revision
from ..clock import now
from ..extensions import db
from ..formatting import to_local
from ..links import base_url
from ..models import (
    ApiToken,
    Consultation,
    Cycle,
    Milestone,
    Questionnaire,
    Region,
    User,
    Workshop,
)
from ..permissions import can
from ..queries.approvals.overview import ApprovalRow, RoundOverview, round_of_cycle
from ..queries.approvals.overview import overview as approvals_overview
from ..queries.boards import loaders as board_loaders
from ..queries.boards import results as board_results
from ..queries.calendar import feed_cycle
from ..queries.consultations.overview import (
    Progress,
    cycle_consultations,
    overview,
    scoped_consultation_or_404,
)
from ..queries.consultations.responses import (
    api_responses,
    consultation_or_404,
    published_responses,
    responses_of,
)
from ..queries.cycles import scoped_cycle_or_404, visible_cycles
from ..queries.focus_areas import FocusOverview
from ..queries.focus_areas import overview as focus_overview
from ..queries.questionnaires import (
    gather,
    latest_submissions,
    load_structure,
    scoped_questionnaire_or_404,
    status_board,
)
from ..queries.workshops import loaders as workshop_loaders
from ..queries.workshops.overview import overview as workshop_overview
from ..security import hash_api_token
from ..views.common import kept_page
from ..workflows.questionnaires.fields import field_type
from .openapi import openapi_document

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# Endpoints that answer without a token or session (with the public fields only).
PUBLIC_ENDPOINTS = frozenset({"api.cycle_approvals", "api.cycle_focus_areas"})


def _error(status: int, message: str) -> Response:
    response = jsonify(error=message, status=status)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="aftalehjul"'
    return response


@bp.before_request
def authenticate() -> Response | None:
    if request.endpoint == "api.openapi":
        return None
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return _error(401, "Authorization skal være 'Bearer <token>'.")
        user = db.session.scalar(
            select(User)
            .join(ApiToken, ApiToken.user_id == User.id)
            .where(ApiToken.token_hash == hash_api_token(token.strip()),
                   ApiToken.revoked_at.is_(None))
            .options(joinedload(User.organisation), selectinload(User.grants))
        )
        if user is None or not user.is_active:
            return _error(401, "Ugyldig eller tilbagekaldt token.")
        g.api_user = user
        return None
    if current_user.is_authenticated:
        g.api_user = current_user
        return None
    if request.endpoint in PUBLIC_ENDPOINTS:
        g.api_user = current_user  # the anonymous visitor: the rules' public answers only
        return None
    return _error(401, "Log ind, eller send en token i Authorization-headeren.")


@bp.errorhandler(404)
def not_found(error: NotFound) -> Response:
    return _error(404, "Findes ikke.")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _cycle(cycle: Cycle) -> dict[str, Any]:
    return {
        "id": cycle.id,
        "region_id": cycle.region_id,
        "title": cycle.title,
        "first_year": cycle.first_year,
        "last_year": cycle.last_year,
        "state": cycle.state.value,
    }


def _milestone(m: Milestone) -> dict[str, Any]:
    return {
        "id": m.id,
        "kind": m.kind.value,
        "title": m.title,
        "starts_at": _iso(m.starts_at),
        "ends_at": _iso(m.ends_at),
        "place": m.place,
        "description": m.description,
    }


@bp.get("/regions")
def regions() -> Response:
    region = db.session.get(Region, g.api_user.region_id)
    return jsonify([{"id": region.id, "code": region.code, "name": region.name}] if region else [])


@bp.get("/cycles")
@kept_page
def cycles() -> Response:
    rows = visible_cycles(g.api_user)
    return jsonify([_cycle(c) for c in sorted(rows, key=lambda c: (c.first_year, c.id))])


@bp.get("/cycles/<int:cycle_id>")
@kept_page
def cycle(cycle_id: int) -> Response:
    row = scoped_cycle_or_404(cycle_id, g.api_user, selectinload(Cycle.milestones))
    return jsonify({**_cycle(row), "milestones": [_milestone(m) for m in row.milestones]})


def _questionnaire(q: Questionnaire) -> dict[str, Any]:
    return {
        "id": q.id,
        "cycle_id": q.cycle_id,
        "title": q.title,
        "opens_at": _iso(q.opens_at),
        "closes_at": _iso(q.closes_at),
        "cloned_from_id": q.cloned_from_id,
    }


@bp.get("/cycles/<int:cycle_id>/questionnaires")
@kept_page
def cycle_questionnaires(cycle_id: int) -> Response:
    scoped_cycle_or_404(cycle_id, g.api_user)
    rows = db.session.scalars(
        select(Questionnaire).where(Questionnaire.cycle_id == cycle_id)
        .options(joinedload(Questionnaire.milestone)).order_by(Questionnaire.id)
    ).all()
    return jsonify([_questionnaire(q) for q in rows])


@bp.get("/questionnaires/<int:questionnaire_id>/status")
@kept_page
def questionnaire_status(questionnaire_id: int) -> Response:
    questionnaire = scoped_questionnaire_or_404(questionnaire_id, g.api_user, structure=False,
                                                recipients=False)
    # The same rule as the status page: who submitted for each organisation is the
    # secretariat's follow-up, not something every role in the region reads.
    if not can(g.api_user, "questionnaire.follow_up", questionnaire):
        return _error(403, "Kun sekretariatet kan se modtagernes status.")

    def recipients() -> list[dict[str, Any]]:
        latest = latest_submissions(questionnaire.id)
        out = []
        for row in status_board(load_structure(questionnaire)).rows:
            org, extension = row.organisation, row.extension
            submission = latest.get(org.id)
            out.append({
                "organisation": {"id": org.id, "name": org.name},
                "status": row.state,
                "submitted_at": _iso(submission.submitted_at) if submission else None,
                "submitted_by": (submission.submitted_by_name or None) if submission else None,
                "extended_until": _iso(extension.until) if extension else None,
            })
        return out

    # Kept under the data revision (plain data), like the status page.
    minute = now().replace(second=0, microsecond=0)
    kept = revision.cached("api.status", (questionnaire.id, minute), recipients)
    return jsonify({"questionnaire": _questionnaire(questionnaire), "recipients": kept})


@bp.get("/questionnaires/<int:questionnaire_id>/responses")
@kept_page
def questionnaire_responses(questionnaire_id: int) -> Response:
    questionnaire = scoped_questionnaire_or_404(questionnaire_id, g.api_user)
    if not can(g.api_user, "questionnaire.follow_up", questionnaire):
        return _error(403, "Kun sekretariatet kan hente besvarelserne.")
    data = gather(questionnaire)
    return jsonify({
        "questionnaire": _questionnaire(questionnaire),
        "questions": [{
            "key": q.key, "type": q.type.value, "label": q.label,
            **({"columns": [{"key": c["key"], "label": c["label"],
                             "type": c.get("type", "text")}
                            for c in q.config.get("columns", [])]}
               if field_type(q).compound else {}),
            **({"choices": list(q.config.get("choices", []))}
               if "choices" in q.config else {}),
        } for q in questionnaire.questions()],
        "target_groups": [{"id": t.id, "name": t.name, "audience": t.audience.value,
                           "active": t.active} for t in data.groups],
        "responses": [{
            "organisation": {"id": org.id, "name": org.name},
            "submitted_at": _iso(data.latest[org.id].submitted_at),
            "submitted_by": data.latest[org.id].submitted_by_name or None,
            "answers": data.latest[org.id].answers or {},
        } for org in data.submitted],
    })


@bp.get("/consultations/<int:consultation_id>/responses")
@kept_page
def consultation_responses(consultation_id: int) -> Response:
    """The published responses: after the deadline for those the consultation publishes to,
    always for the secretariat; otherwise a 404, like another party's response on the page."""
    consultation = consultation_or_404(consultation_id, g.api_user)
    if not can(g.api_user, "consultation.read_responses", responses_of(consultation), now()):
        return _error(404, "Findes ikke.")
    data = published_responses(consultation)
    return jsonify({
        "consultation": {"id": consultation.id, "title": consultation.title,
                         "deadline": _iso(consultation.deadline),
                         "publication": consultation.publication.value},
        "parties": len(data.parties),
        "responses": api_responses(data),
    })


def _consultation(c: Consultation, progress: Progress, days: int | None) -> dict[str, Any]:
    version = c.text_version
    return {
        "id": c.id,
        "cycle_id": c.cycle_id,
        "milestone_id": c.milestone_id,
        "title": c.title,
        "state": c.state.value,
        "starts_at": _iso(c.milestone.starts_at),
        "deadline": _iso(c.milestone.ends_at),
        "days": days,
        "short_deadline_reason": c.short_deadline_reason or None,
        "publication": c.publication.value,
        "text_version": {"id": version.id, "label": version.label,
                         "text": {"id": version.text.id, "title": version.text.title}},
        "answered": progress.answered,
        "invited": progress.invited,
    }


@bp.get("/cycles/<int:cycle_id>/consultations")
@kept_page
def cycle_consultations_list(cycle_id: int) -> Response:
    cycle = scoped_cycle_or_404(cycle_id, g.api_user)
    return jsonify([_consultation(row.consultation, row.progress, row.days)
                    for row in cycle_consultations(cycle, g.api_user)])


@bp.get("/consultations/<int:consultation_id>")
@kept_page
def consultation_detail(consultation_id: int) -> Response:
    consultation = scoped_consultation_or_404(consultation_id, g.api_user)
    data = overview(consultation, now())
    # As on the page: the secretariat reads each party's state, a party the names.
    secretariat = can(g.api_user, "consultation.manage", consultation)
    return jsonify({
        **_consultation(consultation, data.progress, data.days),
        "letter": consultation.letter,
        "parties": [{
            "id": p.id, "name": p.name,
            **({"organisation_id": p.organisation_id, "external": p.is_external,
                "state": p.state, "deadline": _iso(p.deadline), "extended": p.extended,
                "submitted_at": _iso(p.submitted_at), "late": p.late}
               if secretariat else {}),
        } for p in data.parties],
    })


def _approval(row: ApprovalRow, internal: bool) -> dict[str, Any]:
    minutes = (base_url() + row.minutes_url) if row.minutes_uploaded else row.minutes_url
    return {
        "id": row.id, "organisation_id": row.organisation_id, "party": row.party,
        "council": row.council, "state": row.state.value, "state_label": row.state_label,
        "meeting_date": _day(row.meeting_date), "meeting_body": row.meeting_body or None,
        "agenda_url": row.agenda_url or None,
        "meeting_after_deadline": row.meeting_after_deadline,
        "decided_on": _day(row.decided_on), "remarks": row.remarks or None,
        "rejection_reason": row.rejection_reason or None, "minutes_url": minutes or None,
        **({"internal_note": row.internal_note or None,
            "recorded_by": row.recorded_by or None, "recorded_at": _iso(row.recorded_at),
            "on_behalf": row.on_behalf} if internal else {}),
    }


def _approvals(cycle: Cycle, data: RoundOverview | None, internal: bool) -> dict[str, Any]:
    return {
        "cycle": _cycle(cycle),
        "round": None if data is None else {
            "id": data.round_id, "opened_at": _iso(data.opened_at),
            "deadline": _iso(data.deadline), "days_left": data.days_left,
            "text_version": {"id": data.text_version_id, "label": data.version_label,
                             "text_title": data.text_title}},
        "status": None if data is None else {
            "kind": data.status.kind, "label": data.status.label,
            "approved": data.status.approved, "total": data.status.total},
        "approvals": [] if data is None else [_approval(r, internal) for r in data.rows],
        "version_changes": [] if data is None else [{
            "decided_at": _iso(c.decided_at), "from_version": c.from_label,
            "to_version": c.to_label, "approvals_stand": c.approvals_stand,
            "reason": c.reason or None} for c in data.version_changes],
    }


@bp.get("/cycles/<int:cycle_id>/approvals")
@kept_page
def cycle_approvals(cycle_id: int) -> Response:
    """The council approvals of a cycle. Without a token or session: the public page's fields
    of any region's published cycle. Signed in: scoped as /cycles/<id> (another region's cycle
    is a 404), the internal notes for who manages the round."""
    at = now()
    user = g.api_user
    if not user.is_authenticated:
        cycle = feed_cycle(cycle_id)
        if cycle is None or not can(user, "cycle.public_feed", cycle, at):
            return _error(404, "Findes ikke.")
        internal = False
    else:
        cycle = scoped_cycle_or_404(cycle_id, user)
        internal = can(user, "approval.manage", cycle)

    def load() -> dict[str, Any]:
        approval_round = round_of_cycle(cycle_id)
        data = (None if approval_round is None
                else approvals_overview(approval_round, at, public=not internal))
        return _approvals(cycle, data, internal)

    # Kept under the data revision, per day (days left) and per kind of reader.
    return jsonify(revision.cached("api.approvals", (cycle_id, internal, to_local(at).date()),
                                   load))
# -- focus areas (issue 14) ------------------------------------------------------------------------

def _focus_areas(cycle: Cycle, data: FocusOverview) -> dict[str, Any]:
    return {
        "cycle": _cycle(cycle),
        "focus_areas": [{
            "id": a.id, "number": a.number, "title": a.title, "vision": a.vision,
            "background": a.background,
            "initiatives": [{
                "id": i.id, "letter": i.letter, "title": i.title,
                "description": i.description,
                "lead_organisation": ({"id": i.lead_id, "name": i.lead_name}
                                      if i.lead_id is not None else None),
                "status": i.status.value, "status_label": i.status_label,
                "status_report": i.status_report or None,
                "status_date": _day(i.status_date),
            } for i in a.initiatives],
        } for a in data.areas],
    }


@bp.get("/cycles/<int:cycle_id>/focus-areas")
@kept_page
def cycle_focus_areas(cycle_id: int) -> Response:
    """A cycle's focus areas with their initiatives, leads and status. Without a token or
    session: any region's published cycle (as on the public page). Signed in: scoped as
    /cycles/<id> (another region's cycle is a 404). The same fields either way."""
    user = g.api_user
    if not user.is_authenticated:
        cycle = feed_cycle(cycle_id)
        if cycle is None or not can(user, "cycle.public_feed", cycle, now()):
            return _error(404, "Findes ikke.")
    else:
        cycle = scoped_cycle_or_404(cycle_id, user)
    # Kept under the data revision: the same answer for every reader who may see it.
    return jsonify(revision.cached("api.focus_areas", cycle_id,
                                   lambda: _focus_areas(cycle, focus_overview(cycle))))


# -- workshops (issue 13: sign-up) ---------------------------------------------------------------

def _workshop(w: Workshop) -> dict[str, Any]:
    milestone = w.milestone
    return {"id": w.id, "cycle_id": w.cycle_id, "title": w.title,
            "starts_at": _iso(milestone.starts_at), "ends_at": _iso(milestone.ends_at),
            "place": milestone.place or None, "signup_deadline": _iso(w.signup_deadline),
            "input_deadline": _iso(w.input_deadline)}


@bp.get("/cycles/<int:cycle_id>/workshops")
@kept_page
def cycle_workshops_list(cycle_id: int) -> Response:
    cycle = scoped_cycle_or_404(cycle_id, g.api_user)
    return jsonify([_workshop(w) for w in workshop_loaders.cycle_workshops(cycle, g.api_user)])


@bp.get("/workshops/<int:workshop_id>")
@kept_page
def workshop_detail(workshop_id: int) -> Response:
    """Sessions and themes with counts; names only for the secretariat, as on the page."""
    workshop = workshop_loaders.scoped_workshop_or_404(workshop_id, g.api_user)
    data = workshop_overview(workshop)
    secretariat = can(g.api_user, "workshop.manage", workshop)

    def person(p: Any) -> dict[str, Any]:
        return {"name": p.name, "organisation": p.organisation or None}

    return jsonify({
        **_workshop(workshop),
        "programme": workshop.programme,
        "sessions": [{
            "id": b.session.id, "title": b.session.title,
            "picks_min": b.session.picks_min, "picks_max": b.session.picks_max,
            "themes": [{
                "id": r.theme.id, "title": r.theme.title, "description": r.theme.description,
                "capacity": r.theme.capacity, "minimum": r.theme.minimum,
                "closed": r.theme.is_closed, "signed_up": len(r.participants),
                "waiting": len(r.waiting), "below_minimum": r.below_minimum,
                **({"participants": [person(p) for p in r.participants],
                    "waiting_list": [person(p) for p in r.waiting], "mix": r.mix}
                   if secretariat else {}),
            } for r in b.rows],
        } for b in data.sessions],
    })


# -- prioritisation boards (issue 14: results) -----------------------------------------------------

def _decimal(value: Any) -> float | None:
    return None if value is None else float(value)


@bp.get("/cycles/<int:cycle_id>/boards")
@kept_page
def cycle_boards(cycle_id: int) -> Response:
    """The cycle's boards the caller may see, with counts: never a score."""
    cycle = scoped_cycle_or_404(cycle_id, g.api_user)
    return jsonify([{
        "id": b.id, "title": b.title, "state": b.state.value, "deadline": _iso(b.deadline),
        "themes": b.themes, "criteria": b.criteria, "members": b.members,
        **({"members_done": b.members_done} if b.members_done is not None else {}),
        "results_available": b.results,
    } for b in board_results.visible_boards(cycle, g.api_user)])


@bp.get("/boards/<int:board_id>/results")
@kept_page
def board_results_detail(board_id: int) -> Response:
    """A closed board's results, as on the page; a 404 before the close and for anyone the
    result is not (yet) published to, like another region's board."""
    board = board_loaders.scoped_board_or_404(board_id, g.api_user)
    if not board_results.is_closed(board) or not can(g.api_user, "board.results", board):
        return _error(404, "Findes ikke.")
    data = board_results.results(board)
    return jsonify({
        "board": {"id": data.board_id, "title": data.title, "cycle_id": board.cycle_id,
                  "state": data.state.value, "closed_at": _iso(data.closed_at),
                  "published_at": _iso(data.published_at), "conclusion": data.conclusion,
                  "publish_to_region": data.publish_to_region, "members": data.members},
        "criteria": [{"id": c.id, "title": c.title, "weight": c.weight} for c in data.criteria],
        "thresholds": {"agreed_max": float(board_results.AGREED_MAX),
                       "mixed_max": float(board_results.MIXED_MAX),
                       "min_scorers": board_results.MIN_SCORERS,
                       "standout_cut": data.standout_cut},
        "themes": [{
            "id": t.id, "title": t.title, "group": t.group_name, "rank": t.rank,
            "tied": t.tied, "recommendation": t.recommendation.value,
            "recommendation_label": t.recommendation_label, "mean": _decimal(t.mean),
            "median": _decimal(t.median), "spread": _decimal(t.spread), "scorers": t.scorers,
            "abstentions": t.abstentions, "scores": t.scores, "consensus": t.consensus,
            "consensus_label": t.consensus_label or None,
            "distribution": dict(zip([str(v) for v in board_results.VALUES], t.distribution,
                                     strict=True)),
            "standout": t.standout, "for_theme_day": t.for_theme_day,
        } for t in data.themes],
    })


@bp.get("/openapi.json")
def openapi() -> Response:
    return jsonify(openapi_document())
