"""Results, heatmaps, exports and printable responses: the secretariat's read-only pages.

Every page reads each organisation's latest submission (`webapp.results`) in a fixed number of
queries; nothing here changes state.
"""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, abort, render_template, send_file
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from ... import exports
from ...charts import heatmap_svg
from ...extensions import db
from ...models import (
    Cycle,
    DeadlineExtension,
    Organisation,
    Question,
    Questionnaire,
    QuestionnaireResponse,
    Submission,
    TargetGroup,
)
from ...permissions import scoped_questionnaire_or_404, secretariat_required
from ...queries import questionnaires as results
from ...workflows.questionnaires import responses as flow
from ...workflows.questionnaires.responses import BOARD_LABELS as STATUS_LABELS
from ...workflows.questionnaires.responses import status_of, target_groups

bp = Blueprint("qresults", __name__)


def heatmap_chart(question: Question, heatmap: results.Heatmap,
                  groups: list[TargetGroup], chart_id: str) -> Markup:
    label = heatmap.column["label"]
    desc = _(
        "%(column)s for %(orgs)d organisationer og %(groups)d målgrupper, fra 1 (laveste) til "
        "5 (højeste). %(dk)d svar er “Ved ikke”, %(missing)d er ikke besvaret. Tallene står i "
        "tabellen under figuren.",
        column=label, orgs=len(heatmap.rows), groups=len(groups), dk=heatmap.dont_know,
        missing=heatmap.missing)
    return heatmap_svg(
        [org.name for org, _values in heatmap.rows], [g.name for g in groups],
        [values for _org, values in heatmap.rows], chart_id=chart_id,
        title=f"{question.label}: {label}", desc=desc, dont_know_label=_("Ved ikke"),
        missing_label=_("Ikke besvaret"), low_label=_("laveste"), high_label=_("højeste"))


@bp.route("/skemaer/<int:questionnaire_id>/resultater", endpoint="results")
@secretariat_required
def results_page(questionnaire_id: int) -> ResponseReturnValue:
    questionnaire = scoped_questionnaire_or_404(questionnaire_id, current_user)
    data = results.gather(questionnaire)
    return render_template(
        "questionnaires/results/index.html", questionnaire=questionnaire, data=data,
        sections=results.summarise_all(data), heatmap_chart=heatmap_chart,
        submitted=len(data.latest), total=len(data.organisations))


def _recipient_or_404(questionnaire: Questionnaire, org_id: int) -> Organisation:
    if not flow.is_recipient(questionnaire, org_id):
        abort(404)
    org = db.session.get(Organisation, org_id)
    if org is None or org.region_id != questionnaire.cycle.region_id:
        abort(404)
    return org


@bp.route("/skemaer/<int:questionnaire_id>/besvarelser/<int:org_id>")
@secretariat_required
def response(questionnaire_id: int, org_id: int) -> ResponseReturnValue:
    questionnaire = scoped_questionnaire_or_404(questionnaire_id, current_user)
    org = _recipient_or_404(questionnaire, org_id)
    stored = db.session.scalar(select(QuestionnaireResponse).where(
        QuestionnaireResponse.questionnaire_id == questionnaire.id,
            QuestionnaireResponse.organisation_id == org.id))
    extension = db.session.scalar(select(DeadlineExtension).where(
        DeadlineExtension.questionnaire_id == questionnaire.id,
        DeadlineExtension.organisation_id == org.id))
    history = db.session.scalars(select(Submission).where(
        Submission.questionnaire_id == questionnaire.id, Submission.organisation_id == org.id)
        .order_by(Submission.submitted_at.desc(), Submission.id.desc())).all()
    latest = history[0] if history else None
    source: Any = None
    previous = None
    if questionnaire.cloned_from_id is not None:
        source = db.session.execute(
            select(Questionnaire.id, Questionnaire.title, Cycle.title.label("cycle_title"))
            .join(Cycle, Questionnaire.cycle_id == Cycle.id)
            .where(Questionnaire.id == questionnaire.cloned_from_id,
                   Cycle.region_id == questionnaire.cycle.region_id)).first()
        if source is not None:
            previous = results.latest_submissions(source.id, org.id).get(org.id)
    if latest is not None:
        answers = latest.answers or {}
    else:
        answers = stored.answers if stored is not None else {}
    groups = target_groups(questionnaire.cycle.region_id)
    return render_template(
        "questionnaires/results/response.html", questionnaire=questionnaire, organisation=org,
        stored=stored, latest=latest, history=history, source=source, previous=previous,
        showing_draft=latest is None and stored is not None,
        status=status_of(stored, extension), status_labels=STATUS_LABELS, extension=extension,
        deadline=flow.deadline_for(questionnaire, extension),
        sections=results.answer_rows(questionnaire, groups, answers,
                                     previous.answers if previous is not None else None))


@bp.route("/skemaer/<int:questionnaire_id>/eksport.csv")
@secretariat_required
def export_csv(questionnaire_id: int) -> ResponseReturnValue:
    questionnaire = scoped_questionnaire_or_404(questionnaire_id, current_user)
    return send_file(io.BytesIO(results.csv_export(questionnaire)),
                     mimetype="text/csv; charset=utf-8", as_attachment=True,
                     download_name=exports.download_name(questionnaire.title, "csv"))


@bp.route("/skemaer/<int:questionnaire_id>/eksport.xlsx")
@secretariat_required
def export_xlsx(questionnaire_id: int) -> ResponseReturnValue:
    questionnaire = scoped_questionnaire_or_404(questionnaire_id, current_user)
    return send_file(
        io.BytesIO(results.xlsx_export(questionnaire)),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True, download_name=exports.download_name(questionnaire.title, "xlsx"))
