"""The consultation's pages: the cycle's list, the secretariat's form, the list of parties, the
opening, a party's extension, and the consultation page every invited party reads.

The consultation page also opens to an external party without an account: its personal link
(`?adgang=<signed token>`) puts the party's id in `session["consultation_parties"]` (the list
the responses pages read too) and the page is shown without the token in the address.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from ... import uploads
from ...clock import now
from ...extensions import db, login_manager
from ...formatting import danish_key, format_date, format_datetime, to_local
from ...forms.consultations.setup import (
    KIND_LABELS,
    ConsultationForm,
    DocumentForm,
    ExternalPartyForm,
    KindPartiesForm,
    OpenConsultationForm,
    OrganisationPartyForm,
    PartyExtensionForm,
)
from ...forms.cycles import ConfirmForm
from ...i18n import gettext as _
from ...i18n import ngettext
from ...models import (
    Consultation,
    ConsultationParty,
    Cycle,
    Milestone,
    Organisation,
    OrgKind,
    Publication,
    TextVersion,
)
from ...permissions import can, ensure, is_secretariat, permission_required
from ...permissions.consultations import LinkAccess
from ...queries.consultations import overview as read
from ...queries.cycles import scoped_cycle_or_404
from ...workflows.consultations import documents
from ...workflows.consultations import parties as party_flow
from ...workflows.consultations import setup as flow
from ..common import form_version, kept_page, kept_when, perform, render_form
from . import guests

bp = Blueprint("consultations", __name__)

# The session key the personal links fill: party ids proven by a signed token.


# -- loading --------------------------------------------------------------------------------

def _managed(consultation_id: int) -> Consultation:
    consultation = read.scoped_consultation_or_404(consultation_id, current_user)
    ensure("consultation.manage", consultation)
    return consultation


def _party_or_404(consultation: Consultation, party_id: int) -> ConsultationParty:
    party = next((p for p in consultation.parties if p.id == party_id), None)
    if party is None:
        abort(404)
    return party


def _milestone_choices(milestones: list[Milestone]) -> list[tuple[int, str]]:
    return [(m.id, _("%(title)s (%(start)s – %(end)s)", title=m.title,
                     start=format_date(m.starts_at) or _("ingen start"),
                     end=format_datetime(m.ends_at)))
            for m in milestones]


def _version_choices(versions: list[TextVersion]) -> list[tuple[int, str]]:
    return [(v.id, f"{v.text.title}: {v.label}") for v in versions]


def _choose(form: ConsultationForm, cycle: Cycle) -> tuple[list[Milestone], list[TextVersion]]:
    milestones = read.consultation_milestones(cycle.id)
    versions = read.frozen_versions(cycle.id)
    form.milestone_id.choices = _milestone_choices(milestones)
    form.text_version_id.choices = _version_choices(versions)
    return milestones, versions


def _data(form: ConsultationForm, milestones: list[Milestone],
          versions: list[TextVersion]) -> flow.ConsultationData:
    return flow.ConsultationData(
        title=form.title.data or "", letter=form.letter.data or "",
        starts_at=form.starts_time.utc(), ends_at=form.ends_time.utc(),
        short_deadline_reason=form.short_deadline_reason.data or "",
        publication=Publication(form.publication.data or Publication.INVITED.value),
        text_version=next((v for v in versions if v.id == form.text_version_id.data), None),
        milestone=next((m for m in milestones if m.id == form.milestone_id.data), None))


def _fill(form: ConsultationForm, consultation: Consultation) -> None:
    m = consultation.milestone
    if m.starts_at is not None:
        form.starts_date.data = to_local(m.starts_at).date()
        form.starts_time.data = to_local(m.starts_at).time()
    form.ends_date.data = to_local(m.ends_at).date()
    form.ends_time.data = to_local(m.ends_at).time()
    form.publication.data = consultation.publication.value


# -- the list and the form ---------------------------------------------------------------

@bp.route("/cykler/<int:cycle_id>/hoeringer")
@permission_required("cycle.view")
@kept_page
def index(cycle_id: int) -> ResponseReturnValue:
    cycle = scoped_cycle_or_404(cycle_id, current_user)
    return render_template("consultations/index.html", cycle=cycle,
                           consultations=read.cycle_consultations(cycle, current_user),
                           manage=can(current_user, "consultation.manage", cycle))


@bp.route("/cykler/<int:cycle_id>/hoeringer/ny", methods=["GET", "POST"])
@permission_required("consultation.manage")
def new(cycle_id: int) -> ResponseReturnValue:
    cycle = scoped_cycle_or_404(cycle_id, current_user)
    form = ConsultationForm().creating()
    milestones, versions = _choose(form, cycle)
    ready = bool(milestones and versions)
    if ready and form.validate_on_submit():
        outcome = perform(lambda: flow.create_consultation(
            current_user, cycle, _data(form, milestones, versions), now=now()), form=form,
            created=lambda c: url_for("consultations.parties", consultation_id=c.id))
        if outcome.ok:
            flash(_("Høringen er oprettet som kladde. Sæt nu høringslisten sammen."),
                  "success")
            return redirect(url_for("consultations.parties", consultation_id=outcome.value.id))
        cycle = scoped_cycle_or_404(cycle_id, current_user)
    elif not ready and request.method == "POST":
        form.validate()
    return render_form("consultations/form.html", form, cycle=cycle, consultation=None,
                       has_milestones=bool(milestones), has_versions=bool(versions))


@bp.route("/hoeringer/<int:consultation_id>/rediger", methods=["GET", "POST"])
@permission_required("consultation.manage")
def edit(consultation_id: int) -> ResponseReturnValue:
    consultation = _managed(consultation_id)
    form = ConsultationForm(obj=consultation).editing(consultation)
    milestones, versions = _choose(form, consultation.cycle)
    stored = None
    if request.method == "GET":
        _fill(form, consultation)
    elif form.validate_on_submit():
        outcome = perform(lambda: flow.update_consultation(
            current_user, consultation, _data(form, milestones, versions), now=now(),
            version=form_version(form)), form=form, stale=consultation)
        if outcome.ok:
            flash(_("Høringens oplysninger er gemt."), "success")
            return redirect(url_for("consultations.detail", consultation_id=consultation_id))
        consultation = _managed(consultation_id)
        if outcome.conflict:
            stored = consultation
    return render_form("consultations/form.html", form, cycle=consultation.cycle,
                       consultation=consultation, stored=stored, has_milestones=True,
                       has_versions=True)


# -- the list of parties ------------------------------------------------------------------

def _organisation_choices(consultation: Consultation) -> list[tuple[int, str]]:
    listed = {p.organisation_id for p in consultation.parties}
    orgs = db.session.scalars(select(Organisation).where(
        Organisation.region_id == consultation.region_id, Organisation.active.is_(True)))
    return sorted(((o.id, o.name) for o in orgs if o.id not in listed),
                  key=lambda c: danish_key(c[1]))


def _parties_page(consultation: Consultation, *, organisation_form: OrganisationPartyForm |
                  None = None, external_form: ExternalPartyForm | None = None) -> Any:
    organisation_form = organisation_form or OrganisationPartyForm(formdata=None)
    organisation_form.organisation_id.choices = _organisation_choices(consultation)
    external_form = external_form or ExternalPartyForm(formdata=None)
    failed = request.method == "POST" and bool(organisation_form.errors or
                                               external_form.errors or
                                               external_form.form_errors or
                                               organisation_form.form_errors)
    page = render_template(
        "consultations/parties.html", consultation=consultation, cycle=consultation.cycle,
        overview=read.overview(consultation, now()), organisation_form=organisation_form,
        external_form=external_form, confirm=ConfirmForm(),
        kinds=[(k.value, KIND_LABELS[k]) for k in (
            OrgKind.MUNICIPALITY, OrgKind.REGION, OrgKind.USER_ORGANISATION,
            OrgKind.STEERING_BODY)])
    return page, 422 if failed else 200


@bp.route("/hoeringer/<int:consultation_id>/parter")
@permission_required("consultation.manage")
def parties(consultation_id: int) -> ResponseReturnValue:
    return _parties_page(_managed(consultation_id))


@bp.route("/hoeringer/<int:consultation_id>/parter/art", methods=["POST"])
@permission_required("consultation.manage")
def add_kind(consultation_id: int) -> ResponseReturnValue:
    consultation = _managed(consultation_id)
    form = KindPartiesForm()
    if not form.validate_on_submit():
        flash(_("Vælg, hvilke organisationer der skal på høringslisten."), "error")
        return redirect(url_for("consultations.parties", consultation_id=consultation_id))
    kind = OrgKind(form.kind.data)
    outcome = perform(lambda: party_flow.add_by_kind(current_user, consultation, kind,
                                                      now=now()))
    if outcome.ok:
        label = KIND_LABELS[kind]
        if outcome.value:
            flash(ngettext("%(num)d organisation er føjet til høringslisten (%(kind)s).",
                           "%(num)d organisationer er føjet til høringslisten (%(kind)s).",
                           outcome.value, kind=label), "success")
        else:
            flash(_("Der var ingen nye organisationer at tilføje (%(kind)s).", kind=label),
                  "info")
    return redirect(url_for("consultations.parties", consultation_id=consultation_id))


@bp.route("/hoeringer/<int:consultation_id>/parter/organisation", methods=["POST"])
@permission_required("consultation.manage")
def add_organisation(consultation_id: int) -> ResponseReturnValue:
    consultation = _managed(consultation_id)
    form = OrganisationPartyForm()
    form.organisation_id.choices = _organisation_choices(consultation)
    target = url_for("consultations.parties", consultation_id=consultation_id)
    if form.validate_on_submit():
        outcome = perform(lambda: party_flow.add_organisation(
            current_user, consultation, form.organisation_id.data, now=now()),
            form=form, created=lambda p: target)
        if outcome.ok:
            flash(_("%(name)s er føjet til høringslisten.", name=outcome.value.name), "success")
            return redirect(target)
        consultation = _managed(consultation_id)
    return _parties_page(consultation, organisation_form=form)


@bp.route("/hoeringer/<int:consultation_id>/parter/ekstern", methods=["POST"])
@permission_required("consultation.manage")
def add_external(consultation_id: int) -> ResponseReturnValue:
    consultation = _managed(consultation_id)
    form = ExternalPartyForm()
    target = url_for("consultations.parties", consultation_id=consultation_id)
    if form.validate_on_submit():
        outcome = perform(lambda: party_flow.add_external(
            current_user, consultation, name=form.name.data or "",
            email=form.email.data or "", now=now()), form=form, created=lambda p: target)
        if outcome.ok:
            flash(_("%(name)s er føjet til høringslisten.", name=outcome.value.name), "success")
            return redirect(target)
        consultation = _managed(consultation_id)
    return _parties_page(consultation, external_form=form)


@bp.route("/hoeringer/<int:consultation_id>/parter/<int:party_id>/fjern", methods=["POST"])
@permission_required("consultation.manage")
def remove_party(consultation_id: int, party_id: int) -> ResponseReturnValue:
    consultation = _managed(consultation_id)
    party = _party_or_404(consultation, party_id)
    name = party.name
    if ConfirmForm().validate_on_submit():
        outcome = perform(lambda: party_flow.remove_party(current_user, consultation, party,
                                                          now=now()))
        if outcome.ok:
            flash(_("%(name)s er fjernet fra høringslisten.", name=name), "success")
    return redirect(url_for("consultations.parties", consultation_id=consultation_id))


# -- opening and extensions ---------------------------------------------------------------

@bp.route("/hoeringer/<int:consultation_id>/send", methods=["GET", "POST"])
@permission_required("consultation.manage")
def open_consultation(consultation_id: int) -> ResponseReturnValue:
    consultation = _managed(consultation_id)
    form = OpenConsultationForm().editing(consultation)
    if request.method == "POST" and form.validate_on_submit():
        outcome = perform(lambda: flow.open_consultation(
            current_user, consultation, now=now(), version=form_version(form)),
            conflict_message=_("Høringslisten eller høringen er ændret, mens du så på den. "
                               "Se den nye liste, og send igen."))
        if outcome.ok:
            flash(ngettext("Høringen er sendt ud: %(num)d e-mail er lagt i kø.",
                           "Høringen er sendt ud: %(num)d e-mails er lagt i kø.",
                           outcome.value), "success")
            return redirect(url_for("consultations.detail", consultation_id=consultation_id))
        return redirect(url_for("consultations.open_consultation",
                                consultation_id=consultation_id))
    sent = flow.invitations(consultation.id)
    reached = {i.party_id for i in sent}
    silent = sorted((p.name for p in consultation.parties if p.id not in reached),
                    key=danish_key)
    return render_form("consultations/open.html", form, consultation=consultation,
                       cycle=consultation.cycle, emails=len(sent),
                       parties=len(consultation.parties), silent=silent)


@bp.route("/hoeringer/<int:consultation_id>/parter/<int:party_id>/frist",
          methods=["GET", "POST"])
@permission_required("consultation.manage")
def extend(consultation_id: int, party_id: int) -> ResponseReturnValue:
    consultation = _managed(consultation_id)
    party = _party_or_404(consultation, party_id)
    form = PartyExtensionForm().editing(party)
    if request.method == "GET" and party.extended_until is not None:
        form.until_date.data = to_local(party.extended_until).date()
        form.until_time.data = to_local(party.extended_until).time()
        form.reason.data = party.extension_reason
    if request.method == "POST" and form.validate_on_submit():
        outcome = perform(lambda: party_flow.grant_extension(
            current_user, consultation, party, form.until_time.utc(), form.reason.data or "",
            now=now(), version=form_version(form)), form=form, stale=party)
        if outcome.ok:
            flash(_("Fristen for %(name)s er forlænget.", name=party.name), "success")
            return redirect(url_for("consultations.detail", consultation_id=consultation_id,
                                    _anchor="parter"))
        consultation = _managed(consultation_id)
        party = _party_or_404(consultation, party_id)
    return render_form("consultations/extend.html", form, consultation=consultation,
                       cycle=consultation.cycle, party=party)


# -- the consultation page ----------------------------------------------------------------

def _as_member() -> bool:
    """The page is a member's (kept by `_member_detail`), not a personal link's."""
    return "adgang" not in request.args and not guests.party_ids()


@bp.route("/hoeringer/<int:consultation_id>")
@kept_when(_as_member)
def detail(consultation_id: int) -> ResponseReturnValue:
    token = request.args.get("adgang")
    if token is not None:
        guests.accept_link(token, consultation_id)
        # The token stays out of the address bar, the history and any Referer.
        return redirect(url_for("consultations.detail", consultation_id=consultation_id))
    held = guests.party_ids()
    if current_user.is_authenticated and _as_member():
        return _member_detail(consultation_id)
    consultation: Consultation | None = None
    visitor_party: ConsultationParty | None = None
    if current_user.is_authenticated:
        consultation = _by_role(consultation_id)
    if consultation is None:
        if held:
            consultation = read.link_consultation_or_404(consultation_id, held,
                                                         current_user._get_current_object())
            visitor_party = next(p for p in consultation.parties if p.id in held)
        elif not current_user.is_authenticated:
            return login_manager.unauthorized()
        else:
            abort(404)
    return _detail_page(consultation, visitor_party)


def _by_role(consultation_id: int) -> Consultation | None:
    found = read.consultation_by_id(consultation_id)
    if (found is not None and found.region_id == current_user.region_id
            and can(current_user, "consultation.view", found)):
        return found
    return None


@kept_page
def _member_detail(consultation_id: int) -> ResponseReturnValue:
    """The page of a signed-in person who holds no personal link: it depends on the person
    and the data only, so it is kept."""
    consultation = _by_role(consultation_id)
    if consultation is None:
        abort(404)
    return _detail_page(consultation, None)


def _detail_page(consultation: Consultation, visitor_party: ConsultationParty | None,
                 document_form: DocumentForm | None = None,
                 status: int = 200) -> tuple[str, int]:
    at = now()
    data = read.overview(consultation, at)
    secretariat = is_secretariat(current_user, consultation.region_id)
    own_party = None
    if visitor_party is not None:
        own_party = data.party(visitor_party.id)
    elif current_user.is_authenticated and not secretariat:
        own_party = next((data.party(p.id) for p in consultation.parties
                          if p.organisation_id == current_user.organisation_id), None)
    deadline = own_party.deadline if own_party is not None else consultation.deadline
    return render_template(
        "consultations/detail.html", consultation=consultation, cycle=consultation.cycle,
        overview=data, secretariat=secretariat, own_party=own_party,
        days_left=read.days_until(deadline, at),
        visitor_party=visitor_party, version_url=url_for("agreements.version",
                                                   version_id=consultation.text_version_id),
        manage=secretariat and can(current_user, "consultation.manage", consultation),
        confirm=ConfirmForm(), now=at, document_form=document_form or DocumentForm(),
        accept=uploads.ACCEPT, max_size=uploads.size_label(uploads.max_bytes())), status


# -- extra documents ------------------------------------------------------------------------

@bp.route("/hoeringer/<int:consultation_id>/dokumenter", methods=["POST"])
@permission_required("consultation.manage")
def add_document(consultation_id: int) -> ResponseReturnValue:
    consultation = _managed(consultation_id)
    form = DocumentForm()
    if not form.validate():
        return _detail_page(consultation, None, form, 422)
    file = request.files.get("file")
    upload = uploads.read_upload(file.stream, file.filename) if file is not None else None
    outcome = perform(lambda: documents.add_document(
        current_user, consultation, title=form.title.data or "", upload=upload, now=now()),
        form=form, created=lambda _doc: url_for(".detail", consultation_id=consultation_id,
                                                _anchor="dokumenter"))
    if outcome.ok:
        flash(_("Dokumentet er lagt på høringen."), "success")
        return redirect(url_for(".detail", consultation_id=consultation_id, _anchor="dokumenter"))
    return _detail_page(_managed(consultation_id), None, form, 422)


@bp.route("/hoeringer/<int:consultation_id>/dokumenter/<int:document_id>/fjern",
          methods=["POST"])
@permission_required("consultation.manage")
def remove_document(consultation_id: int, document_id: int) -> ResponseReturnValue:
    consultation = _managed(consultation_id)
    document = read.document_or_404(consultation, document_id)
    if ConfirmForm().validate():
        outcome = perform(lambda: documents.remove_document(current_user, consultation, document,
                                                             now=now()))
        if outcome.ok:
            flash(_("Dokumentet er fjernet fra høringen."), "success")
    return redirect(url_for(".detail", consultation_id=consultation_id, _anchor="dokumenter"))


@bp.route("/hoeringsdokumenter/<int:document_id>")
def document(document_id: int) -> ResponseReturnValue:
    """A document of the consultation, for whoever may read the consultation's page."""
    consultation = read.consultation_of_document(document_id)
    if consultation is None:
        abort(404)
    allowed = False
    if current_user.is_authenticated and current_user.region_id == consultation.region_id:
        allowed = can(current_user, "consultation.view", consultation, now())
    if not allowed:
        held = [p.id for p in consultation.parties if p.id in guests.party_ids()]
        allowed = bool(held) and can(current_user, "consultation.view_by_link",
                                     LinkAccess(consultation, held), now())
    if not allowed:
        abort(404)
    return uploads.serve(read.document_or_404(consultation, document_id).file)
