"""A closed board's result: the ranking with the recommendations, a distribution chart per theme
with its table, the secretariat's forms (themes for the theme day, conclusion, publication) and
the XLSX of the results and of the individual scores.

Before the close there is no result for anyone (404: scoring is blind); the members read it once
it is published, the region's people too when the secretariat chose so. The individual scores
are the secretariat's only (`board.scores`).
"""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, flash, redirect, render_template, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from markupsafe import Markup

from ... import exports, revision
from ...charts import column_chart_svg
from ...clock import now
from ...forms.board_results import BoardConclusionForm, PublishResultsForm, ThemeDayPicksForm
from ...i18n import gettext as _
from ...i18n import ngettext
from ...models import BoardState, PrioritisationBoard
from ...permissions import can, ensure, permission_required
from ...queries.boards import results as read
from ...workflows.boards import results as flow
from ..common import form_version, kept_page, perform, render_kept

bp = Blueprint("board_results", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def board_href(board: PrioritisationBoard) -> str:
    """The board's own page (part A's)."""
    return url_for("boards.detail", board_id=board.id)


def distribution_chart(theme: read.ThemeResult) -> Markup:
    counts = ", ".join(f"{v}: {n}" for v, n in zip(read.VALUES, theme.distribution, strict=True))
    return column_chart_svg(
        [(str(v), n) for v, n in zip(read.VALUES, theme.distribution, strict=True)],
        chart_id=f"fordeling-{theme.id}",
        title=_("Fordeling af scorer for %(title)s", title=theme.title),
        desc=ngettext("%(num)d score i alt. Antal pr. værdi: %(counts)s.",
                      "%(num)d scorer i alt. Antal pr. værdi: %(counts)s.", theme.scores,
                      counts=counts),
        axis_label=_("Score (1 = lavest, 5 = højest)"))


# The page's three forms, each under its own prefix (their fields' ids stay unique).
PREFIXES = {"theme_form": "temadag", "conclusion_form": "konklusion",
            "publish_form": "offentliggoer"}


def _forms(board: PrioritisationBoard, data: read.BoardResults) -> dict[str, Any]:
    """The forms as the board holds them now (not the posted ones), on its version."""
    theme_form = ThemeDayPicksForm(formdata=None, prefix=PREFIXES["theme_form"])
    theme_form.theme_ids.choices = [(t.id, t.title) for t in data.themes]
    theme_form.theme_ids.data = [t.id for t in data.themes if t.for_theme_day]
    forms: dict[str, Any] = {
        "theme_form": theme_form,
        "conclusion_form": BoardConclusionForm(formdata=None, prefix=PREFIXES["conclusion_form"],
                                          obj=board),
        "publish_form": PublishResultsForm(formdata=None, prefix=PREFIXES["publish_form"])}
    for form in forms.values():
        form.version.data = str(board.version_id)
    return forms


def _context(board: PrioritisationBoard, data: read.BoardResults,
             forms: dict[str, Any] | None = None, stored: bool = False) -> dict[str, Any]:
    manage = can(current_user, "board.manage", board)
    closed = board.state == BoardState.CLOSED
    return {
        "title": _("Resultat: %(title)s", title=board.title), "board": board, "data": data,
        "board_href": board_href(board), "manage": manage,
        "scores": can(current_user, "board.scores", board),
        "charts": {t.id: distribution_chart(t) for t in data.themes},
        "agreed_max": read.AGREED_MAX, "mixed_max": read.MIXED_MAX,
        "min_scorers": read.MIN_SCORERS, "stored": stored,
        **((forms or _forms(board, data)) if manage and closed else {}),
    }


@bp.route("/prioritering/<int:board_id>/resultat")
@permission_required("board.results")
@kept_page
def results(board_id: int) -> ResponseReturnValue:
    board = read.results_board_or_404(board_id, current_user)
    title = _("Resultat: %(title)s", title=board.title)
    manage = can(current_user, "board.manage", board)
    return render_kept(title, "boards.results", (board.id, manage), "boards/results_body.html",
                       lambda: _context(board, read.results(board)))


def _again(board_id: int, forms: dict[str, Any], stored: bool) -> ResponseReturnValue:
    """The page again after a refused or conflicting post: the person's input kept (422)."""
    board = _managed(board_id)
    if board.state != BoardState.CLOSED:  # published meanwhile: the forms are gone, say why
        for form in forms.values():
            for message in [*form.form_errors, *(e for f in form for e in f.errors)]:
                flash(message, "error")
        return redirect(url_for("board_results.results", board_id=board_id))
    data = read.results(board)
    fresh = _forms(board, data)
    for name, form in forms.items():
        if name == "theme_form":
            form.theme_ids.choices = fresh["theme_form"].theme_ids.choices
        fresh[name] = form
    context = _context(board, data, fresh, stored)
    body = Markup(render_template("boards/results_body.html", **context))
    return render_template("kept_page.html", title=context["title"], body=body), 422


def _managed(board_id: int) -> PrioritisationBoard:
    board = read.results_board_or_404(board_id, current_user)
    ensure("board.manage", board)
    return board


def _done(board_id: int, message: str) -> ResponseReturnValue:
    flash(message, "success")
    return redirect(url_for("board_results.results", board_id=board_id))


@bp.route("/prioritering/<int:board_id>/resultat/temadag", methods=["POST"])
@permission_required("board.manage")
def theme_day(board_id: int) -> ResponseReturnValue:
    board = _managed(board_id)
    form = ThemeDayPicksForm(prefix=PREFIXES["theme_form"])
    form.theme_ids.choices = [(t.id, t.title) for t in read.results(board).themes]
    if form.validate_on_submit():
        outcome = perform(lambda: flow.choose_theme_day_themes(
            current_user, board, form.theme_ids.data or [], version=form_version(form),
            now=now()), form=form, stale=board)
        if outcome.ok:
            return _done(board_id, ngettext(
                "%(num)d tema er valgt til temadagen.", "%(num)d temaer er valgt til temadagen.",
                len(outcome.value)))
        return _again(board_id, {"theme_form": form}, outcome.conflict)
    return _again(board_id, {"theme_form": form}, False)


@bp.route("/prioritering/<int:board_id>/resultat/konklusion", methods=["POST"])
@permission_required("board.manage")
def conclusion(board_id: int) -> ResponseReturnValue:
    board = _managed(board_id)
    form = BoardConclusionForm(prefix=PREFIXES["conclusion_form"])
    if form.validate_on_submit():
        outcome = perform(lambda: flow.write_conclusion(
            current_user, board, form.conclusion.data or "", bool(form.publish_to_region.data),
            version=form_version(form), now=now()), form=form, stale=board)
        if outcome.ok:
            return _done(board_id, _("Konklusionen er gemt."))
        return _again(board_id, {"conclusion_form": form}, outcome.conflict)
    return _again(board_id, {"conclusion_form": form}, False)


@bp.route("/prioritering/<int:board_id>/resultat/offentliggoer", methods=["POST"])
@permission_required("board.manage")
def publish(board_id: int) -> ResponseReturnValue:
    board = _managed(board_id)
    form = PublishResultsForm(prefix=PREFIXES["publish_form"])
    if form.validate_on_submit():
        outcome = perform(lambda: flow.publish(current_user, board, version=form_version(form),
                                               now=now()), form=form, stale=board)
        if outcome.ok:
            return _done(board_id, ngettext(
                "Resultatet er offentliggjort, og %(num)d medlem har fået en e-mail.",
                "Resultatet er offentliggjort, og %(num)d medlemmer har fået en e-mail.",
                outcome.value))
        return _again(board_id, {"publish_form": form}, outcome.conflict)
    return _again(board_id, {"publish_form": form}, False)


@bp.route("/prioritering/<int:board_id>/resultat.xlsx")
@permission_required("board.results")
@kept_page
def results_xlsx(board_id: int) -> ResponseReturnValue:
    board = read.results_board_or_404(board_id, current_user)
    body = revision.cached("export.board_results", board.id,
                           lambda: read.results_xlsx(read.results(board)))
    return send_file(io.BytesIO(body), mimetype=XLSX, as_attachment=True,
                     download_name=exports.download_name(
                         _("Resultat %(title)s", title=board.title), "xlsx"))


@bp.route("/prioritering/<int:board_id>/scorer.xlsx")
@permission_required("board.scores")
@kept_page
def scores_xlsx(board_id: int) -> ResponseReturnValue:
    board = read.results_board_or_404(board_id, current_user)
    ensure("board.scores", board)
    body = revision.cached("export.board_scores", board.id,
                           lambda: read.scores_xlsx(read.individual_scores(board)))
    return send_file(io.BytesIO(body), mimetype=XLSX, as_attachment=True,
                     download_name=exports.download_name(
                         _("Scorer %(title)s", title=board.title), "xlsx"))
