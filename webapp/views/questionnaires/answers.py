"""Answering questionnaires (respondents) and following up (the secretariat's status board)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from markupsafe import Markup
from sqlalchemy import select

from ...clock import now
from ...extensions import db
from ...formatting import to_local
from ...forms.base import read_version
from ...forms.questionnaires.follow_up import ExtensionForm, ReopenForm
from ...i18n import gettext as _
from ...models import (
    DeadlineExtension,
    Organisation,
    Question,
    Questionnaire,
    QuestionnaireResponse,
    Submission,
    TargetGroup,
)
from ...permissions import is_secretariat, permission_required
from ...queries.cycles import scoped_cycle_or_404
from ...queries.questionnaires import (
    SectionPaging,
    answer_rows,
    cycle_questionnaires,
    load_structure,
    own_response,
    recipient_or_404,
    scoped_questionnaire_or_404,
    section_paging,
    status_board,
    target_groups,
)
from ...templating import kept_html
from ...workflows.questionnaires import responses as flow
from ...workflows.questionnaires.fields import (
    AnswerSheet,
    FieldError,
    display,
    field_name,
    field_type,
    form_cells,
    grid_groups,
    labelled_errors,
    merge_answers,
    parse_answers,
    raw_from_values,
)
from ...workflows.questionnaires.responses import STATUS_BOARD_LABELS as STATUS_LABELS
from ...workflows.states import is_editable
from ..common import kept_page, perform, render_form

bp = Blueprint("questionnaires", __name__)

@bp.route("/cykler/<int:cycle_id>/skemaer")
@login_required
def index(cycle_id: int) -> ResponseReturnValue:
    cycle = scoped_cycle_or_404(cycle_id, current_user)
    listing = cycle_questionnaires(cycle, current_user.organisation_id)
    return render_template("questionnaires/index.html", cycle=cycle,
                           questionnaires=listing.questionnaires, own=listing.own,
                           recipient_of=listing.recipient_of, deadlines=listing.deadlines)


def _answer_context(questionnaire: Questionnaire, org: Organisation,
                    response: QuestionnaireResponse | None) -> dict[str, Any]:
    extension = db.session.scalar(select(DeadlineExtension).where(
        DeadlineExtension.questionnaire_id == questionnaire.id,
        DeadlineExtension.organisation_id == org.id))
    has_previous = questionnaire.cloned_from_id is not None and db.session.scalar(
        select(Submission.id).where(Submission.questionnaire_id == questionnaire.cloned_from_id,
                                    Submission.organisation_id == org.id).limit(1)) is not None
    at = now()
    deadline = flow.deadline_for(questionnaire, extension)
    return {
        "questionnaire": questionnaire, "organisation": org, "response": response,
        "deadline": deadline, "days_left": (to_local(deadline.at).date()
                                            - to_local(at).date()).days,
        "is_open": questionnaire.opens_at is None or questionnaire.opens_at <= at,
        "past_deadline": at > deadline.at, "has_previous": has_previous,
    }


def _answer_body(questionnaire: Questionnaire, org: Organisation,
                 response: QuestionnaireResponse | None, paging: SectionPaging,
                 sheet: AnswerSheet | None = None,
                 messages: list[str] | None = None,
                 conflicts: list[dict[str, str]] | None = None) -> str:
    groups = target_groups(org.region_id)
    values = response.answers if response is not None else {}
    raw = raw_from_values(_questions(paging), groups, values)
    if sheet is not None:
        raw.update(sheet.raw)
    errors = dict(sheet.errors) if sheet is not None else {}
    unknown = errors.pop("_unknown", None)
    messages = [*(messages or []), *([unknown] if unknown else [])]
    context = _answer_context(questionnaire, org, response)
    # A submitted answer reads as a page (question → answer), as the printable view shows it.
    shown_ids = {s.id for s in paging.shown}
    sections = ([s for s in answer_rows(questionnaire, groups, values, None)
                 if s.section.id in shown_ids]
                if response is not None and not is_editable(response) else [])
    return render_template(
        "questionnaires/_answer_body.html", raw=raw, errors=errors, messages=messages,
        error_items=_error_items(paging, groups, errors),
        sections=sections, paging=paging,
        groups=groups, grid_groups=grid_groups, field_name=field_name, field_type=field_type,
        prefilled=set(response.prefilled or []) if response is not None else set(),
        conflicts=conflicts or [], display=display, **context)


def _questions(paging: SectionPaging) -> list[Question]:
    """The questions the page shows (every question of a short questionnaire)."""
    return [q for s in paging.shown for q in s.questions]


def _error_items(paging: SectionPaging, groups: list[TargetGroup],
                 errors: dict[str, str]) -> list[tuple[FieldError, int | None]]:
    """The summary's errors, each with the number of the section page its field is on when
    that is not the page shown (submitting checks the whole response), else None."""
    elsewhere: dict[str, int] = {}
    if paging.number is not None:
        for number, section in enumerate(paging.sections, start=1):
            if number == paging.number:
                continue
            for question in section.questions:
                elsewhere[field_name(question)] = number
                elsewhere.update((c.name, number) for c in form_cells(question, groups))
    questions = [q for s in paging.sections for q in s.questions]
    return [(e, elsewhere.get(e.name)) for e in labelled_errors(questions, groups, errors)]


def _answer_page(questionnaire: Questionnaire, body: str, paging: SectionPaging,
                 status: int = 200) -> tuple[str, int]:
    # The title names the section a long questionnaire's page shows.
    return render_template("questionnaires/answer.html", questionnaire=questionnaire,
                           body=Markup(body), paging=paging), status  # our own template's output


def _render_answer(questionnaire: Questionnaire, org: Organisation,
                   response: QuestionnaireResponse | None, number: int | None,
                   sheet: AnswerSheet | None = None, status: int = 200,
                   messages: list[str] | None = None,
                   conflicts: list[dict[str, str]] | None = None) -> tuple[str, int]:
    """The page again after a post, on the section it was posted from (`number`; None: all)."""
    paging = SectionPaging(list(questionnaire.sections), number)
    return _answer_page(questionnaire, _answer_body(questionnaire, org, response, paging, sheet,
                                                    messages, conflicts), paging, status)


def _render_answer_kept(questionnaire: Questionnaire, org: Organisation) -> tuple[str, int]:
    """The answer page as opened (no input of the person's to show): its content kept under
    the data revision (per person, so per organisation) and the section asked for, drawn only
    after a change. A section number that is not one is a 404."""
    asked = request.args.get("afsnit")
    paging = section_paging(questionnaire, asked)
    body = kept_html("answer", (questionnaire.id, asked or ""), lambda: _answer_body(
        questionnaire, org, own_response(questionnaire.id, org.id), paging))
    return _answer_page(questionnaire, body, paging)


def _posted_paging(questionnaire: Questionnaire) -> SectionPaging:
    """The section a post answers: the form's hidden `afsnit`. A form drawn one section a page
    stays one section's answers even if the questionnaire has become short since, so that
    saving it never clears the other sections' answers."""
    posted = request.form.get("afsnit")
    paging = section_paging(questionnaire, posted)
    if paging.number is None and posted:
        if not (posted.isascii() and posted.isdigit()
                and 1 <= int(posted) <= len(paging.sections)):
            abort(404)
        paging = SectionPaging(paging.sections, int(posted))
    return paging


@bp.route("/skemaer/<int:questionnaire_id>/besvar", methods=["GET", "POST"])
@login_required
@kept_page
def answer(questionnaire_id: int) -> ResponseReturnValue:
    opening = request.method == "GET"
    # With its sections and questions: the page's title names the section shown. While the
    # page is kept (`kept_page`) none of this runs.
    questionnaire = scoped_questionnaire_or_404(questionnaire_id, current_user)
    org = current_user.organisation
    if not flow.can_answer(current_user, questionnaire, org):
        if is_secretariat(current_user):
            return redirect(url_for("questionnaires.status", questionnaire_id=questionnaire.id))
        abort(403)
    if opening:
        return _render_answer_kept(questionnaire, org)
    response = own_response(questionnaire.id, org.id)
    paging = _posted_paging(questionnaire)
    shown = _questions(paging)

    groups = target_groups(org.region_id)
    sheet = parse_answers(shown, groups, request.form)
    if sheet.errors:
        return _render_answer(questionnaire, org, response, paging.number, sheet, 422)
    version = read_version(request.form.get("version"), may_be_new=True)
    action = request.form.get("action", "save")

    def values(current: QuestionnaireResponse | None) -> dict[str, Any]:
        # A section's page saves its own answers into the others'; a whole form replaces all.
        if paging.number is None:
            return sheet.values
        return merge_answers(current.answers if current is not None else {}, shown, sheet.values)

    def save() -> QuestionnaireResponse:
        if action == "submit":
            return flow.submit(current_user, questionnaire, org, response, values(response),
                               groups, version=version, now=now())
        return flow.save_draft(current_user, questionnaire, org, response, values(response),
                               version=version, now=now())

    # The page shows refusals and conflicts itself: per question, beside the answers.
    outcome = perform(save, flash_errors=False)
    if outcome.conflict:
        questionnaire, org, current = _reload(questionnaire_id)
        return _render_answer(questionnaire, org, current, paging.number, sheet, 409,
                              conflicts=_conflicts(questionnaire, current, sheet, paging.number))
    if outcome.error is not None:
        if isinstance(outcome.error, flow.AnswerErrors):
            sheet.errors.update(outcome.error.errors)
        messages = [outcome.error.message]
        if action == "submit" and paging.number is not None and _keep_draft(
                questionnaire_id, values, version):
            # The summary links to other sections' pages: what was typed here must not be lost.
            messages.append(_("Dine svar i dette afsnit er gemt som kladde."))
        questionnaire, org, current = _reload(questionnaire_id)
        return _render_answer(questionnaire, org, current, paging.number, sheet, 422, messages)
    if action == "submit":
        flash(_("Tak. Besvarelsen er indsendt, og du får en kvittering på e-mail."), "success")
        return redirect(url_for("questionnaires.answer", questionnaire_id=questionnaire.id))
    flash(_("Kladden er gemt. Den er ikke indsendt endnu."), "success")
    number = (paging.next or paging.number) if action == "next" else paging.number
    return redirect(url_for("questionnaires.answer", questionnaire_id=questionnaire.id,
                            afsnit=number))


def _keep_draft(questionnaire_id: int,
                values: Callable[[QuestionnaireResponse | None], dict[str, Any]],
                version: int | None) -> bool:
    """After a refused submission of a section's page: save the page's answers as a draft
    (the refusal saved nothing). True if they were saved."""
    questionnaire, org, current = _reload(questionnaire_id)
    return perform(lambda: flow.save_draft(current_user, questionnaire, org, current,
                                           values(current), version=version, now=now()),
                   flash_errors=False).ok


def _reload(
    questionnaire_id: int,
) -> tuple[Questionnaire, Organisation, QuestionnaireResponse | None]:
    """After a rollback every loaded object is expired: load afresh to show the page again."""
    questionnaire = scoped_questionnaire_or_404(questionnaire_id, current_user)
    org = db.session.get_one(Organisation, current_user.organisation_id)
    return questionnaire, org, own_response(questionnaire.id, org.id)


def _conflicts(questionnaire: Questionnaire, current: QuestionnaireResponse | None,
               sheet: AnswerSheet, number: int | None) -> list[dict[str, str]]:
    """The questions where what is saved now differs from what this person sends: those of the
    section posted (`number`; None: all), the only ones the person sent."""
    stored = current.answers if current is not None else {}
    rows = []
    for question in _questions(SectionPaging(list(questionnaire.sections), number)):
        mine, theirs = sheet.values.get(question.key), stored.get(question.key)
        if mine == theirs:
            continue
        kind = field_type(question)
        if kind.compound:  # a table: no one field to point at, no one answer to show
            rows.append({"label": question.label, "stored": _("(ændringer i skemaet)"),
                         "field": ""})
        else:
            rows.append({"label": question.label, "stored": kind.display(theirs) or "–",
                         "field": field_name(question)})
    return rows


@bp.route("/skemaer/<int:questionnaire_id>/hent-sidste-aar", methods=["POST"])
@login_required
def prefill(questionnaire_id: int) -> ResponseReturnValue:
    questionnaire = scoped_questionnaire_or_404(questionnaire_id, current_user)
    org = current_user.organisation
    if not flow.can_answer(current_user, questionnaire, org):
        abort(403)
    response = own_response(questionnaire.id, org.id)
    version = read_version(request.form.get("version"), may_be_new=True)
    outcome = perform(lambda: flow.prefill(current_user, questionnaire, org, response,
                                           target_groups(org.region_id), version=version,
                                           now=now()),
                      conflict_message=_("Nogen har gemt besvarelsen imens. Prøv igen."))
    if outcome.ok:
        filled = outcome.value[1]  # not `_, filled`: that would shadow gettext's `_`
        flash(_("%(n)d svar er hentet fra sidste cyklus. De er markeret, så du kan tjekke dem.",
                n=filled), "success")
    return redirect(url_for("questionnaires.answer", questionnaire_id=questionnaire.id))


@bp.route("/skemaer/<int:questionnaire_id>/status")
@permission_required("questionnaire.read_results")
@kept_page
def status(questionnaire_id: int) -> ResponseReturnValue:
    questionnaire = scoped_questionnaire_or_404(questionnaire_id, current_user, structure=False,
                                                recipients=False)
    wanted = request.args.get("status", "")
    if wanted not in (*STATUS_LABELS, "extended"):
        wanted = ""
    at = now()

    def load() -> dict[str, object]:  # only when the page's kept HTML is out of date
        board = status_board(load_structure(questionnaire))
        return {"rows": board.only(wanted), "counts": board.counts, "total": board.total}

    return render_template(
        "questionnaires/status.html", questionnaire=questionnaire, load=load,
        wanted=wanted, status_labels=STATUS_LABELS,
        days_left=(to_local(questionnaire.closes_at).date() - to_local(at).date()).days,
        past_deadline=at > questionnaire.closes_at)


@bp.route("/skemaer/<int:questionnaire_id>/besvarelser/<int:org_id>/genaabn",
          methods=["GET", "POST"])
@permission_required("questionnaire.follow_up")
def reopen(questionnaire_id: int, org_id: int) -> ResponseReturnValue:
    questionnaire = scoped_questionnaire_or_404(questionnaire_id, current_user)
    org = recipient_or_404(questionnaire, org_id)
    response = own_response(questionnaire.id, org.id)
    if response is None:
        abort(404)
    form = ReopenForm()
    if form.validate_on_submit():
        outcome = perform(lambda: flow.reopen(current_user, questionnaire, response, org,
                                              form.reason.data or "", now=now()), form=form)
        if outcome.ok:
            flash(_("Besvarelsen fra %(org)s er genåbnet, og organisationen har fået besked.",
                    org=org.name), "success")
            return redirect(url_for("questionnaires.status", questionnaire_id=questionnaire.id))
    return render_form("questionnaires/reopen.html", form, questionnaire=questionnaire,
                       organisation=org, response=response)


@bp.route("/skemaer/<int:questionnaire_id>/frist/<int:org_id>", methods=["GET", "POST"])
@permission_required("questionnaire.follow_up")
def extend(questionnaire_id: int, org_id: int) -> ResponseReturnValue:
    questionnaire = scoped_questionnaire_or_404(questionnaire_id, current_user)
    org = recipient_or_404(questionnaire, org_id)
    form = ExtensionForm()
    if request.method == "GET":
        closes = to_local(questionnaire.closes_at)
        form.until_date.data = closes.date()
        form.until_time.data = closes.time()
    if form.validate_on_submit():
        until = form.until_time.utc()
        assert until is not None  # InputRequired
        outcome = perform(lambda: flow.grant_extension(current_user, questionnaire, org, until,
                                                       form.reason.data or "", now=now()),
                          form=form)
        if outcome.ok:
            flash(_("%(org)s har fået forlænget fristen.", org=org.name), "success")
            return redirect(url_for("questionnaires.status", questionnaire_id=questionnaire.id))
    return render_form("questionnaires/extend.html", form, questionnaire=questionnaire,
                       organisation=org)
