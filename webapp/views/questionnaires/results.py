"""Results, heatmaps, exports and printable responses: the secretariat's read-only pages.

Every page reads each organisation's latest submission (`webapp.results`) in a fixed number of
queries; nothing here changes state.
"""

from __future__ import annotations

import io

from flask import Blueprint, render_template, request, send_file
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from markupsafe import Markup

from ... import exports
from ...charts import heatmap_svg
from ...clock import now
from ...i18n import gettext as _
from ...models import (
    Question,
    TargetGroup,
)
from ...permissions import ensure, permission_required
from ...permissions.questionnaires import Answering
from ...queries import questionnaires as results
from ...queries.questionnaires import (
    recipient_or_404,
    scoped_questionnaire_or_404,
)
from ...workflows.questionnaires.responses import STATUS_BOARD_LABELS as STATUS_LABELS
from ..common import kept_page

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
@permission_required("questionnaire.read_results")
@kept_page
def results_page(questionnaire_id: int) -> ResponseReturnValue:
    # A role's page (no recipient check). While the page is kept (`kept_page`) none of this
    # runs; drawn, it needs the structure for the section shown, which names the page's title.
    questionnaire = results.load_structure(scoped_questionnaire_or_404(
        questionnaire_id, current_user, structure=False, recipients=False))
    # A long questionnaire's results come one section a page (`?afsnit=`).
    paging = results.section_paging(questionnaire, request.args.get("afsnit"))

    def load() -> dict[str, object]:  # only when the page's kept HTML is out of date
        data = results.gather(questionnaire, with_status=True)
        return {"sections": results.summarise_all(data, paging.shown), "paging": paging,
                "counts": results.result_counts(data)}

    return render_template("questionnaires/results/index.html", questionnaire=questionnaire,
                           load=load, paging=paging, heatmap_chart=heatmap_chart)


@bp.route("/skemaer/<int:questionnaire_id>/besvarelser/<int:org_id>")
@login_required
@kept_page
def response(questionnaire_id: int, org_id: int) -> ResponseReturnValue:
    """One organisation's answer, printable: for the secretariat, and for the organisation itself
    (its own answer, whatever its state)."""
    questionnaire = scoped_questionnaire_or_404(questionnaire_id, current_user, structure=False)
    org = recipient_or_404(questionnaire, org_id)
    ensure("questionnaire.read_response", Answering(questionnaire, org))
    return render_template(
        "questionnaires/results/response.html", questionnaire=questionnaire, organisation=org,
        status_labels=STATUS_LABELS,
        # Only when the page's kept HTML is out of date.
        load=lambda: results.printable_response(results.load_structure(questionnaire), org))


@bp.route("/skemaer/<int:questionnaire_id>/eksport.csv")
@permission_required("questionnaire.follow_up")
@kept_page
def export_csv(questionnaire_id: int) -> ResponseReturnValue:
    questionnaire = scoped_questionnaire_or_404(questionnaire_id, current_user, structure=False,
                                                recipients=False)
    return send_file(io.BytesIO(results.kept_export(questionnaire, "csv", now())),
                     # Werkzeug adds "; charset=utf-8" to a text type itself.
                     mimetype="text/csv", as_attachment=True,
                     download_name=exports.download_name(questionnaire.title, "csv"))


@bp.route("/skemaer/<int:questionnaire_id>/eksport.xlsx")
@permission_required("questionnaire.follow_up")
@kept_page
def export_xlsx(questionnaire_id: int) -> ResponseReturnValue:
    questionnaire = scoped_questionnaire_or_404(questionnaire_id, current_user, structure=False,
                                                recipients=False)
    return send_file(
        io.BytesIO(results.kept_export(questionnaire, "xlsx", now())),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True, download_name=exports.download_name(questionnaire.title, "xlsx"))
