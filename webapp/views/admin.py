"""The secretariat's pages: organisations, people and invitations, the audit trail."""

from __future__ import annotations

from typing import TypedDict

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.exc import StaleDataError

from ..clock import now
from ..extensions import db
from ..forms.admin import InviteForm, OrganisationForm, PersonRolesForm
from ..forms.cycles import ROLE_LABELS
from ..models import AuditEvent, Organisation, OrgKind, Role, User
from ..permissions import scoped_organisation_or_404, scoped_user_or_404, secretariat_required
from ..workflows import WorkflowError, accounts
from ..workflows import organisations as org_flow
from ..workflows.base import StaleEdit
from .common import add_error, commit, form_version, render_form, show_conflict

bp = Blueprint("admin", __name__, url_prefix="/admin")


class _OrgFields(TypedDict):
    """What the organisation form gives both create_organisation and update_organisation."""

    kind: OrgKind
    name: str
    council_name: str
    email: str


PAGE_SIZE = 50


def _organisations() -> list[Organisation]:
    return list(db.session.scalars(
        select(Organisation).where(Organisation.region_id == current_user.region_id)
        .order_by(Organisation.kind, Organisation.name)
    ))


@bp.route("/organisationer")
@secretariat_required
def organisations() -> ResponseReturnValue:
    counts = dict(db.session.execute(
        select(User.organisation_id, func.count(User.id))
        .join(Organisation, User.organisation_id == Organisation.id)
        .where(Organisation.region_id == current_user.region_id)
        .group_by(User.organisation_id)
    ).all())
    return render_template("admin/organisations.html", organisations=_organisations(),
                           counts=counts, kind_labels=org_flow.KIND_LABELS)


@bp.route("/organisationer/ny", methods=["GET", "POST"])
@bp.route("/organisationer/<int:org_id>", methods=["GET", "POST"])
@secretariat_required
def organisation(org_id: int | None = None) -> ResponseReturnValue:
    org = scoped_organisation_or_404(org_id, current_user) if org_id else None
    form = OrganisationForm(obj=org)
    if request.method == "GET" and org is not None:
        form.kind.data = org.kind.value
        form.version.data = str(org.version_id)
    if form.validate_on_submit():
        data = _OrgFields(kind=OrgKind(form.kind.data), name=form.name.data or "",
                    council_name=form.council_name.data or "", email=form.email.data or "")
        try:
            if org is None:
                org = org_flow.create_organisation(
                    current_user, region_id=current_user.region_id, now=now(), **data)
            else:
                org_flow.update_organisation(current_user, org, active=bool(form.active.data),
                                             now=now(), version=form_version(form), **data)
            commit()
        except (StaleEdit, StaleDataError):
            assert org is not None  # only an update carries a version to be stale against
            show_conflict(form, org)
            return render_form("admin/organisation_form.html", form, org=org, stored=org)
        except WorkflowError as error:
            add_error(form, error)
        else:
            flash(_("Organisationen “%(name)s” er gemt.", name=org.name), "success")
            return redirect(url_for("admin.organisations"))
    return render_form("admin/organisation_form.html", form, org=org)


@bp.route("/personer")
@secretariat_required
def people() -> ResponseReturnValue:
    page = max(request.args.get("side", 1, type=int) or 1, 1)
    query = (
        select(User)
        .join(Organisation, User.organisation_id == Organisation.id)
        .where(Organisation.region_id == current_user.region_id)
    )
    q = (request.args.get("q") or "").strip()
    if q:
        needle = q.lower()
        query = query.where(func.lower(User.name).contains(needle, autoescape=True)
                            | User.email.contains(needle, autoescape=True))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    persons = db.session.scalars(
        query.options(selectinload(User.organisation), selectinload(User.grants))
        .order_by(Organisation.name, User.name, User.id)
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    ).all()
    return render_template("admin/people.html", people=persons, q=q, page=page,
                           pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1), total=total,
                           role_labels=ROLE_LABELS)


@bp.route("/personer/inviter", methods=["GET", "POST"])
@secretariat_required
def invite() -> ResponseReturnValue:
    form = InviteForm()
    orgs = {o.id: o for o in _organisations() if o.active}
    form.organisation_id.choices = [(0, _("Vælg …"))] + [(o.id, o.name) for o in orgs.values()]
    if form.validate_on_submit():
        org = orgs.get(form.organisation_id.data)
        if org is None:
            form.organisation_id.errors = [_("Vælg en organisation.")]
        else:
            try:
                person = accounts.invite(current_user, email=form.email.data or "",
                                         name=form.name.data or "", organisation=org,
                                         role=Role(form.role.data), now=now())
            except WorkflowError as error:
                add_error(form, error)
            else:
                commit()
                flash(_("Invitationen er sendt til %(email)s.", email=person.email), "success")
                return redirect(url_for("admin.people"))
    return render_form("admin/invite.html", form)


@bp.route("/personer/<int:user_id>", methods=["GET", "POST"])
@secretariat_required
def person(user_id: int) -> ResponseReturnValue:
    target = scoped_user_or_404(user_id, current_user)
    region_id = current_user.region_id
    form = PersonRolesForm()
    if request.method == "GET":
        form.roles.data = [r.value for r in target.roles_in(region_id)]
        form.active.data = target.active
    if form.validate_on_submit():
        wanted = {Role(r) for r in form.roles.data or []}
        held = target.roles_in(region_id)
        at = now()
        try:
            for role in sorted(wanted - held):
                accounts.grant_role(current_user, target, role, now=at)
            for role in sorted(held - wanted):
                accounts.revoke_role(current_user, target, role, now=at)
            accounts.set_active(current_user, target, bool(form.active.data), now=at)
        except WorkflowError as error:
            add_error(form, error)
        else:
            commit()
            flash(_("Ændringerne for %(name)s er gemt.", name=target.name), "success")
            return redirect(url_for("admin.people"))
    return render_form("admin/person.html", form, person=target)


@bp.route("/log")
@secretariat_required
def audit() -> ResponseReturnValue:
    page = max(request.args.get("side", 1, type=int) or 1, 1)
    action = (request.args.get("handling") or "").strip()
    query = select(AuditEvent).where(AuditEvent.region_id == current_user.region_id)
    if action:
        query = query.where(AuditEvent.action.startswith(action, autoescape=True))
    events = db.session.scalars(
        query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(PAGE_SIZE + 1).offset((page - 1) * PAGE_SIZE)
    ).all()
    has_next = len(events) > PAGE_SIZE
    return render_template("admin/audit.html", events=events[:PAGE_SIZE], page=page,
                           has_next=has_next, action=action)
