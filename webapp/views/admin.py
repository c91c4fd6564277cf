"""The secretariat's pages: organisations, people and invitations, the audit trail."""

from __future__ import annotations

from typing import Any, TypedDict

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ..clock import now
from ..forms.admin import InviteForm, OrganisationForm, PersonRolesForm
from ..forms.cycles import ROLE_LABELS, ConfirmForm
from ..i18n import gettext as _
from ..models import Organisation, OrgKind, Role
from ..permissions import permission_required
from ..queries import audit as audit_read
from ..queries import parties as read
from ..queries.parties import (
    api_token_or_404,
    api_tokens_of,
    scoped_organisation_or_404,
    scoped_user_or_404,
)
from ..routing import page_number, search_text
from ..workflows import accounts
from ..workflows import organisations as org_flow
from .common import form_version, kept_page, perform, render_form

bp = Blueprint("admin", __name__, url_prefix="/admin")


class _OrgFields(TypedDict):
    """What the organisation form gives both create_organisation and update_organisation."""

    kind: OrgKind
    name: str
    council_name: str
    email: str


PAGE_SIZE = 50


@bp.route("/organisationer")
@permission_required("organisation.manage")
def organisations() -> ResponseReturnValue:
    region_id = current_user.region_id
    return render_template("admin/organisations.html",
                           organisations=read.region_organisations(region_id),
                           counts=read.people_per_organisation(region_id),
                           kind_labels=org_flow.KIND_LABELS)


@bp.route("/organisationer/ny", methods=["GET", "POST"])
@bp.route("/organisationer/<int:org_id>", methods=["GET", "POST"])
@permission_required("organisation.manage")
def organisation(org_id: int | None = None) -> ResponseReturnValue:
    org = scoped_organisation_or_404(org_id, current_user) if org_id else None
    form = OrganisationForm(obj=org)
    form = form.editing(org) if org is not None else form.creating()
    if request.method == "GET" and org is not None:
        form.kind.data = org.kind.value
        form.version.data = str(org.version_id)
    if form.validate_on_submit():
        data: dict[str, Any] = dict(
            kind=OrgKind(form.kind.data), name=form.name.data or "",
            council_name=form.council_name.data or "", email=form.email.data or "")

        def save() -> Organisation:
            if org is None:
                return org_flow.create_organisation(
                    current_user, region_id=current_user.region_id, now=now(), **data)
            return org_flow.update_organisation(
                current_user, org, active=bool(form.active.data), now=now(),
                version=form_version(form), **data)

        outcome = perform(save, form=form, stale=org,
                          created=lambda _org: url_for("admin.organisations"))
        if outcome.conflict:
            return render_form("admin/organisation_form.html", form, org=org, stored=org)
        if outcome.ok:
            org = outcome.value
            flash(_("Organisationen “%(name)s” er gemt.", name=org.name), "success")
            return redirect(url_for("admin.organisations"))
    return render_form("admin/organisation_form.html", form, org=org)


@bp.route("/personer")
@permission_required("people.manage")
@kept_page
def people() -> ResponseReturnValue:
    page = page_number(request.args)
    q = search_text(request.args, "q")
    region_id = current_user.region_id

    def load() -> dict[str, object]:  # only when the page's kept HTML is out of date
        persons, total = read.people_page(region_id, q, page, PAGE_SIZE)
        return {"people": persons, "total": total,
                "pages": max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1)}

    return render_template("admin/people.html", load=load, q=q, page=page,
                           role_labels=ROLE_LABELS)


@bp.route("/personer/inviter", methods=["GET", "POST"])
@permission_required("people.manage")
def invite() -> ResponseReturnValue:
    form = InviteForm()
    orgs = {o.id: o for o in read.region_organisations(current_user.region_id) if o.active}
    form.organisation_id.choices = [(0, _("Vælg …"))] + [(o.id, o.name) for o in orgs.values()]
    if form.validate_on_submit():
        org = orgs.get(form.organisation_id.data)
        if org is None:
            form.organisation_id.errors = [_("Vælg en organisation.")]
        else:
            outcome = perform(lambda: accounts.invite(
                current_user, email=form.email.data or "", name=form.name.data or "",
                organisation=org, role=Role(form.role.data), now=now(),
                confirmed=bool(form.confirm_role.data)), form=form,
                created=lambda _user: url_for("admin.people"))
            if outcome.ok:
                flash(_("Invitationen er sendt til %(email)s.", email=outcome.value.email),
                      "success")
                return redirect(url_for("admin.people"))
            return render_form("admin/invite.html", form, confirm_role=_asks_confirmation(
                form, outcome.error))
    return render_form("admin/invite.html", form, confirm_role=bool(form.confirm_role.data))


def _asks_confirmation(form: InviteForm | PersonRolesForm, error: object) -> bool:
    """The "Ja, giv rollen alligevel" box is shown once a role was refused as not fitting."""
    return isinstance(error, accounts.RoleMismatch) or bool(form.confirm_role.data)


@bp.route("/personer/<int:user_id>", methods=["GET", "POST"])
@permission_required("people.manage")
def person(user_id: int) -> ResponseReturnValue:
    target = scoped_user_or_404(user_id, current_user)
    region_id = current_user.region_id
    form = PersonRolesForm()
    if request.method == "GET":
        form.roles.data = [r.value for r in target.roles_in(region_id)]
        form.active.data = target.active
    if form.validate_on_submit():
        wanted = {Role(r) for r in form.roles.data or []}
        outcome = perform(lambda: accounts.set_roles(current_user, target, wanted,
                                                     bool(form.active.data), now=now(),
                                                     confirmed=bool(form.confirm_role.data)),
                          form=form)
        if outcome.ok:
            flash(_("Ændringerne for %(name)s er gemt.", name=target.name), "success")
            return redirect(url_for("admin.people"))
        return render_form("admin/person.html", form, person=target,
                           api_tokens=api_tokens_of(target),
                           confirm_role=_asks_confirmation(form, outcome.error))
    return render_form("admin/person.html", form, person=target, api_tokens=api_tokens_of(target),
                       confirm_role=bool(form.confirm_role.data))


@bp.route("/personer/<int:user_id>/api-tokens/<int:token_id>/tilbagekald", methods=["POST"])
@permission_required("people.manage")
def revoke_api_token(user_id: int, token_id: int) -> ResponseReturnValue:
    """A leaked token: the secretariat stops it without waiting for its owner."""
    target = scoped_user_or_404(user_id, current_user)
    token = api_token_or_404(target, token_id)
    if ConfirmForm().validate_on_submit():
        outcome = perform(lambda: accounts.revoke_api_token(current_user, target, token,
                                                            now=now()),
                          conflict_message=_("Noget blev ændret samtidig. Prøv igen."))
        if outcome.ok and outcome.value:
            flash(_("API-nøglen for %(name)s er tilbagekaldt.", name=target.name), "success")
    else:
        flash(_("Formularen var udløbet. Prøv igen."), "error")
    return redirect(url_for("admin.person", user_id=target.id, _anchor="api-noegler"))


@bp.route("/log")
@permission_required("audit.view")
@kept_page
def audit() -> ResponseReturnValue:
    page = page_number(request.args)
    action = search_text(request.args, "handling")
    wanted = audit_read.action_filter(action) if action else ([], [])
    if wanted is None:  # an old link with a code, or a hand-made value: show everything
        flash(_("Den valgte handling findes ikke. Alle hændelser vises."), "error")
        action, wanted = "", ([], [])
    region_id = current_user.region_id

    def load() -> dict[str, object]:  # only when the page's kept HTML is out of date
        events = read.audit_page(region_id, *wanted, page, PAGE_SIZE)
        return {"events": audit_read.readable(events[:PAGE_SIZE]),
                "has_next": len(events) > PAGE_SIZE}

    return render_template("admin/audit.html", load=load, page=page, action=action,
                           choices=audit_read.action_choices())
