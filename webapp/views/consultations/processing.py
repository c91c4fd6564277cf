"""The secretariat's processing of a consultation's responses, and the consultation note (page
and DOCX)."""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ...clock import now
from ...forms.consultation_processing import ProcessingForm
from ...i18n import gettext as _
from ...models import Consultation, ConsultationResponse
from ...note_docx import DOCX_MIME, note_filename, write_note
from ...permissions import ensure, permission_required
from ...queries.consultations.note import note_data
from ...queries.consultations.processing import (
    ResponsePage,
    processing_list,
    response_page,
    scoped_consultation_or_404,
    scoped_response_or_404,
)
from ...workflows.consultations import processing as flow
from ..common import form_version, kept_page, perform

bp = Blueprint("consultation_processing", __name__)


@bp.route("/hoeringer/<int:consultation_id>/behandling")
@permission_required("consultation.process")
@kept_page
def index(consultation_id: int) -> ResponseReturnValue:
    consultation = scoped_consultation_or_404(consultation_id, current_user)
    ensure("consultation.process", consultation)
    rows = processing_list(consultation)
    return render_template("consultations/processing/index.html", consultation=consultation,
                           rows=rows, processed=sum(1 for r in rows if r.processed_at))


def _render(consultation: Consultation, response: ConsultationResponse, form: ProcessingForm,
            page: ResponsePage, status: int = 200, stored: bool = False) -> tuple[str, int]:
    return render_template(
        "consultations/processing/response.html", consultation=consultation,
        response=response, form=form, page=page, stored=stored,
        may_process=flow.can_be_processed(consultation, response),
        outcome_label=flow.outcome_label), status


@bp.route("/hoeringssvar/<int:response_id>/behandling", methods=["GET", "POST"])
@permission_required("consultation.process")
@kept_page
def response(response_id: int) -> ResponseReturnValue:
    consultation, answer = scoped_response_or_404(response_id, current_user)
    ensure("consultation.process", consultation)
    page = response_page(consultation)
    sections = [(s.key, s.label) for s in page.next_sections]
    form = ProcessingForm(data=ProcessingForm.initial(answer)).editing(answer) \
        .setup(answer, sections)
    if request.method == "GET":
        return _render(consultation, answer, form, page)
    if not form.validate():
        return _render(consultation, answer, form, page, 422)
    party = answer.party.name  # the commit expires the loaded rows
    outcome = perform(lambda: flow.process_response(
        current_user, consultation, answer, form.decision(),
        next_section_keys={s.key for s in page.next_sections},
        version=form_version(form), now=now()), form=form, stale=answer)
    if outcome.ok:
        flash(_("Behandlingen af svaret fra %(party)s er gemt.", party=party),
              "success")
        return redirect(url_for(".index", consultation_id=consultation.id))
    # After the rollback every loaded object is expired: load afresh to show the page.
    consultation, answer = scoped_response_or_404(response_id, current_user)
    page = response_page(consultation)
    form.response = answer
    return _render(consultation, answer, form, page, 409 if outcome.conflict else 422,
                   stored=outcome.conflict)


@bp.route("/hoeringer/<int:consultation_id>/hoeringsnotat")
@permission_required("consultation.process")
@kept_page
def note(consultation_id: int) -> ResponseReturnValue:
    consultation = scoped_consultation_or_404(consultation_id, current_user)
    ensure("consultation.process", consultation)
    return render_template("consultations/processing/note.html", consultation=consultation,
                           note=note_data(consultation, now()))


@bp.route("/hoeringer/<int:consultation_id>/hoeringsnotat.docx")
@permission_required("consultation.process")
@kept_page
def note_docx(consultation_id: int) -> ResponseReturnValue:
    consultation = scoped_consultation_or_404(consultation_id, current_user)
    ensure("consultation.process", consultation)
    body = write_note(note_data(consultation, now()))
    filename = note_filename(consultation.title)
    return Response(body, mimetype=DOCX_MIME, headers={
        "Content-Disposition": f'attachment; filename="{filename}"',
        "Cache-Control": "no-store"})
