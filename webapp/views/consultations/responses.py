"""Consultation responses: a party writes, saves and submits its response; everybody allowed
reads the published responses after the deadline; attachments are downloaded through a check.

The writer is a signed-in person of the party's organisation, or a visitor without an account
who proved an external party's personal link: its party ids live in
the session (`guests.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from flask import (
    Blueprint,
    Flask,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ... import uploads
from ...clock import now
from ...extensions import login_manager
from ...forms.base import read_version
from ...forms.consultation_responses import ACTIONS, ResponseForm
from ...i18n import gettext as _
from ...models import (
    Consultation,
    ConsultationParty,
    ConsultationResponse,
    ConsultationResponseState,
    Role,
    User,
)
from ...permissions import can
from ...permissions.consultation_responses import PartyGuest
from ...queries.consultations.responses import (
    attachment_or_404,
    consultation_or_404,
    own_response,
    published_responses,
    responses_of,
    section_numbers,
    sections_of,
    viewer_party,
)
from ...workflows.consultations import responses as flow
from ..common import perform, place_error
from . import guests

bp = Blueprint("consultation_responses", __name__)

def subject() -> Any:
    """Who is asking: the signed-in person, or a visitor with the parties it proved."""
    if current_user.is_authenticated:
        return current_user._get_current_object()
    return PartyGuest(guests.party_ids())


def _as_writer(who: Any, party: ConsultationParty) -> Any:
    """A guest is audited under the party's name."""
    if isinstance(who, PartyGuest):
        return replace(who, name=_("%(party)s (eksternt link)", party=party.name),
                       email=party.email or "")
    return who


def _load(consultation_id: int) -> tuple[Consultation, ConsultationParty, Any]:
    """The consultation and the party the viewer writes for; 404 for a party not on the list
    (or another region's consultation), the login page for a visitor with no proof."""
    who = subject()
    if isinstance(who, PartyGuest) and not who.party_ids:
        abort(login_manager.unauthorized())
    consultation = consultation_or_404(consultation_id, who)
    party = viewer_party(consultation, who)
    if party is None:
        if isinstance(who, User) and Role.SECRETARIAT in who.roles_in(consultation.region_id):
            abort(redirect(url_for(".published", consultation_id=consultation.id)))
        abort(404)
    if not can(who, "consultation.respond", party, now()):
        abort(403)
    return consultation, party, _as_writer(who, party)


def _choices(sections: list[Any], numbers: dict[int, str]) -> list[tuple[int, str]]:
    return [(s.id, f"{numbers[s.id]} {s.heading}") for s in sections]


def _render(consultation: Consultation, party: ConsultationParty,
            response: ConsultationResponse | None, form: ResponseForm, status: int = 200,
            conflict: bool = False) -> tuple[str, int]:
    sections = sections_of(consultation)
    numbers = section_numbers(sections)
    at = now()
    deadline = flow.party_deadline(party)
    return render_template(
        "consultations/responses/respond.html", consultation=consultation, party=party,
        response=response, form=form, sections=sections, numbers=numbers,
        headings={s.id: f"{numbers[s.id]} {s.heading}" for s in sections},
        deadline=deadline, extended=deadline != consultation.deadline,
        past_deadline=at > consultation.deadline, can_write=at <= deadline,
        editable=flow.is_editable(response), publication=flow.publication_words(consultation),
        conflict=conflict, accept=uploads.ACCEPT, max_size=uploads.size_label(uploads.max_bytes()),
    ), status


def _section_param(sections: list[Any]) -> int | None:
    raw = request.args.get("afsnit", "")
    if raw.isascii() and raw.isdigit() and len(raw) <= 11:
        wanted = int(raw)
        if any(s.id == wanted for s in sections):
            return wanted
    return None


@bp.route("/hoeringer/<int:consultation_id>/svar", methods=["GET", "POST"])
def respond(consultation_id: int) -> ResponseReturnValue:
    consultation, party, writer = _load(consultation_id)
    response = own_response(party)
    sections = sections_of(consultation)
    choices = _choices(sections, section_numbers(sections))
    posted = request.form if request.method == "POST" else None
    form = ResponseForm(sections=choices, response=response, posted=posted)
    if request.method == "GET":
        form.version.data = str(response.version_id) if response is not None else ""
        chosen = _section_param(sections)
        if chosen is not None:
            form.new_section.data = chosen
        return _render(consultation, party, response, form)

    action = request.form.get("action", "save")
    if action not in ACTIONS:
        abort(400)
    version = read_version(form.version.data, may_be_new=True)
    if not form.validate():
        return _render(consultation, party, response, form, 422)
    removing = _attachment_ids(response)
    file = request.files.get("attachment")
    upload = uploads.read_upload(file.stream, file.filename) if file is not None else None
    draft = form.draft(removing, upload)

    def operation() -> ConsultationResponse:
        if action == "submit":
            return flow.submit(writer, party, response, draft, version=version, now=now())
        if action == "no_comments":
            return flow.answer_no_comments(writer, party, response, version=version, now=now())
        return flow.save_draft(writer, party, response, draft, version=version, now=now())

    outcome = perform(operation, flash_errors=False)
    if not outcome.ok:
        consultation, party, writer = _load(consultation_id)
        current = own_response(party)
        if outcome.conflict:
            form.version.data = str(current.version_id) if current is not None else ""
            return _render(consultation, party, current, form, 409, conflict=True)
        error = outcome.error
        assert error is not None
        if not (error.field and form.place(error.field, error.message)):
            place_error(form, error)
        if upload is not None:
            form.attachment.errors = [*form.attachment.errors,
                                      _("Vælg filen igen: den blev ikke gemt.")]
        return _render(consultation, party, current, form, 422)
    if action in ("submit", "no_comments"):
        flash(_("Tak. Høringssvaret er indsendt, og der er sendt en kvittering på e-mail."),
              "success")
        return redirect(url_for(".receipt", consultation_id=consultation_id))
    flash(_("Kladden er gemt. Den er ikke indsendt endnu."), "success")
    return redirect(url_for(".respond", consultation_id=consultation_id))


def _attachment_ids(response: ConsultationResponse | None) -> set[int]:
    """The attachments ticked for removal, among the response's own (others are ignored)."""
    own = {a.id for a in response.attachments} if response is not None else set()
    wanted: set[int] = set()
    for raw in request.form.getlist("remove_attachment"):
        if raw.isascii() and raw.isdigit() and len(raw) <= 11 and int(raw) in own:
            wanted.add(int(raw))
    return wanted


@bp.route("/hoeringer/<int:consultation_id>/svar/kvittering")
def receipt(consultation_id: int) -> ResponseReturnValue:
    consultation, party, _writer = _load(consultation_id)
    response = own_response(party)
    if response is None or response.state != ConsultationResponseState.SUBMITTED:
        return redirect(url_for(".respond", consultation_id=consultation_id))
    sections = sections_of(consultation)
    numbers = section_numbers(sections)
    return render_template(
        "consultations/responses/receipt.html", consultation=consultation, party=party,
        response=response,
        headings={s.id: f"{numbers[s.id]} {s.heading}" for s in sections},
        publication=flow.publication_words(consultation))


@bp.route("/hoeringer/<int:consultation_id>/hoeringssvar")
def published(consultation_id: int) -> ResponseReturnValue:
    who = subject()
    consultation = consultation_or_404(consultation_id, who)
    if not can(who, "consultation.read_responses", responses_of(consultation), now()):
        if isinstance(who, PartyGuest) and not who.party_ids:
            abort(login_manager.unauthorized())
        abort(404)
    data = published_responses(consultation)
    return render_template("consultations/responses/published.html",
                           consultation=consultation, data=data,
                           before_deadline=now() <= consultation.deadline)


@bp.route("/hoeringsbilag/<int:attachment_id>")
def attachment(attachment_id: int) -> ResponseReturnValue:
    who = subject()
    found = attachment_or_404(attachment_id)
    consultation = found.party.consultation
    if isinstance(who, User) and who.region_id != consultation.region_id:
        abort(404)
    target = responses_of(consultation, found.party,
                          found.response.state == ConsultationResponseState.SUBMITTED)
    if not can(who, "consultation.read_responses", target, now()):
        abort(404)  # another party's file before the deadline: not even its existence
    return uploads.serve(found.attachment.file)


@bp.route("/hoeringssvar/ekstern/<token>")
def external(token: str) -> ResponseReturnValue:
    """An external party's personal link: prove the party for this session, then write."""
    party = guests.accept_link(token)
    return redirect(url_for(".respond", consultation_id=party.consultation_id))


@dataclass(frozen=True)
class RespondBox:
    """What the consultation page's box says to the viewer about its own response."""

    party: ConsultationParty | None
    response: ConsultationResponse | None
    may_respond: bool
    may_read_all: bool

    @property
    def status(self) -> str:
        if self.response is None:
            return _("Ikke påbegyndt")
        if self.response.state == ConsultationResponseState.SUBMITTED:
            return _("Ingen bemærkninger (indsendt)") if self.response.no_comments else _(
                "Indsendt")
        return _("Kladde – ikke indsendt")


def respond_box(consultation: Consultation) -> RespondBox:
    """For templates/consultations/_respond_box.html: harmless for anyone who is no party."""
    who = subject()
    at = now()
    party = viewer_party(consultation, who)
    response = own_response(party) if party is not None else None
    may_read = can(who, "consultation.read_responses", responses_of(consultation), at)
    may_respond = party is not None and can(who, "consultation.respond", party, at)
    return RespondBox(party, response, may_respond, may_read)


@bp.app_context_processor
def _box() -> dict[str, Any]:
    return {"respond_box": respond_box}


def register(app: Flask) -> None:
    app.register_blueprint(bp)

