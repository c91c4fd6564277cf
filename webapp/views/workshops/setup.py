"""The secretariat's workshop pages: the cycle's list, the workshop form, sessions, themes and
the invitations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from ...clock import now
from ...extensions import db
from ...formatting import danish_key, format_datetime, to_local
from ...forms.workshops import (
    InviteAddressForm,
    InviteKindForm,
    InviteOrganisationForm,
    InvitePersonForm,
    SessionForm,
    ThemeForm,
    WorkshopForm,
)
from ...i18n import gettext as _
from ...i18n import ngettext
from ...models import (
    Cycle,
    Milestone,
    MilestoneKind,
    Organisation,
    OrgKind,
    Workshop,
)
from ...permissions import can, ensure, permission_required
from ...queries.cycles import scoped_cycle_or_404
from ...queries.workshops import loaders as load
from ...queries.workshops.overview import overview
from ...workflows.workshops import invitations as invite
from ...workflows.workshops import setup as flow
from ..common import form_version, kept_page, perform, render_form

bp = Blueprint("workshops", __name__)


def managed(workshop_id: int) -> Workshop:
    workshop = load.scoped_workshop_or_404(workshop_id, current_user)
    ensure("workshop.manage", workshop)
    return workshop


# -- the list and the workshop form --------------------------------------------------------------

@bp.route("/cykler/<int:cycle_id>/workshops")
@permission_required("cycle.view")
@kept_page
def index(cycle_id: int) -> ResponseReturnValue:
    cycle = scoped_cycle_or_404(cycle_id, current_user)
    return render_template("workshops/index.html", cycle=cycle,
                           workshops=load.cycle_workshops(cycle, current_user),
                           manage=can(current_user, "workshop.manage", cycle))


def _milestones(form: WorkshopForm, cycle: Cycle) -> list[Milestone]:
    milestones = list(db.session.scalars(select(Milestone).where(
        Milestone.cycle_id == cycle.id, Milestone.kind == MilestoneKind.WORKSHOP)
        .order_by(Milestone.ends_at, Milestone.id)))
    form.milestone_id.choices = [(m.id, f"{m.title} ({format_datetime(m.starts_at or m.ends_at)})")
                                 for m in milestones]
    return milestones


def _workshop_data(form: WorkshopForm, milestones: list[Milestone]) -> flow.WorkshopData:
    return flow.WorkshopData(
        title=form.title.data or "", programme=form.programme.data or "",
        milestone=next((m for m in milestones if m.id == form.milestone_id.data), None),
        signup_deadline=form.signup_time.utc(),
        input_deadline=form.input_time.utc() if form.input_date.data else None)


@bp.route("/cykler/<int:cycle_id>/workshops/ny", methods=["GET", "POST"])
@permission_required("workshop.manage")
def new(cycle_id: int) -> ResponseReturnValue:
    cycle = scoped_cycle_or_404(cycle_id, current_user)
    form = WorkshopForm().creating()
    milestones = _milestones(form, cycle)
    if milestones and form.validate_on_submit():
        outcome = perform(lambda: flow.create_workshop(
            current_user, cycle, _workshop_data(form, milestones), now=now()), form=form,
            created=lambda w: url_for("workshops.detail", workshop_id=w.id))
        if outcome.ok:
            flash(_("Workshoppen er oprettet. Tilføj nu sessioner og temaer."), "success")
            return redirect(url_for("workshops.detail", workshop_id=outcome.value.id))
        cycle = scoped_cycle_or_404(cycle_id, current_user)
    elif not milestones and request.method == "POST":
        form.validate()
    return render_form("workshops/form.html", form, cycle=cycle, workshop=None,
                       has_milestones=bool(milestones))


@bp.route("/workshops/<int:workshop_id>/rediger", methods=["GET", "POST"])
@permission_required("workshop.manage")
def edit(workshop_id: int) -> ResponseReturnValue:
    workshop = managed(workshop_id)
    form = WorkshopForm(obj=workshop).editing(workshop)
    milestones = _milestones(form, workshop.cycle)
    stored = None
    if request.method == "GET":
        form.signup_date.data = to_local(workshop.signup_deadline).date()
        form.signup_time.data = to_local(workshop.signup_deadline).time()
        if workshop.input_deadline is not None:
            form.input_date.data = to_local(workshop.input_deadline).date()
            form.input_time.data = to_local(workshop.input_deadline).time()
    elif form.validate_on_submit():
        outcome = perform(lambda: flow.update_workshop(
            current_user, workshop, _workshop_data(form, milestones), now=now(),
            version=form_version(form)), form=form, stale=workshop)
        if outcome.ok:
            flash(_("Workshoppen er gemt."), "success")
            return redirect(url_for("workshops.detail", workshop_id=workshop_id))
        workshop = managed(workshop_id)
        stored = workshop if outcome.conflict else None
    return render_form("workshops/form.html", form, cycle=workshop.cycle, workshop=workshop,
                       stored=stored, has_milestones=True)


# -- sessions ------------------------------------------------------------------------------------

def _session_data(form: SessionForm) -> flow.SessionData:
    has_day = form.day.data is not None
    return flow.SessionData(
        title=form.title.data or "", position=form.position.data or 0,
        starts_at=form.starts_time.utc() if has_day and form.starts_time.data else None,
        ends_at=form.ends_time.utc() if has_day and form.ends_time.data else None,
        picks_min=form.picks_min.data, picks_max=form.picks_max.data)


@bp.route("/workshops/<int:workshop_id>/sessioner/ny", methods=["GET", "POST"])
@permission_required("workshop.manage")
def new_session(workshop_id: int) -> ResponseReturnValue:
    workshop = managed(workshop_id)
    form = SessionForm().creating()
    if request.method == "GET":
        form.day.data = to_local(workshop.milestone.starts_at or workshop.milestone.ends_at).date()
    if form.validate_on_submit():
        outcome = perform(lambda: flow.add_session(current_user, workshop, _session_data(form),
                                                   now=now()), form=form,
                          created=lambda s: url_for("workshops.detail", workshop_id=workshop_id))
        if outcome.ok:
            flash(_("Sessionen er oprettet."), "success")
            return redirect(url_for("workshops.detail", workshop_id=workshop_id))
        workshop = managed(workshop_id)
    return render_form("workshops/session_form.html", form, workshop=workshop, session=None)


@bp.route("/workshops/<int:workshop_id>/sessioner/<int:session_id>", methods=["GET", "POST"])
@permission_required("workshop.manage")
def edit_session(workshop_id: int, session_id: int) -> ResponseReturnValue:
    workshop = managed(workshop_id)
    session = load.session_or_404(workshop, session_id)
    form = SessionForm(obj=session).editing(session)
    if request.method == "GET" and session.starts_at is not None:
        form.day.data = to_local(session.starts_at).date()
        form.starts_time.data = to_local(session.starts_at).time()
        if session.ends_at is not None:
            form.ends_time.data = to_local(session.ends_at).time()
    stored = None
    if form.validate_on_submit():
        outcome = perform(lambda: flow.update_session(
            current_user, session, _session_data(form), now=now(),
            version=form_version(form)), form=form, stale=session)
        if outcome.ok:
            flash(_("Sessionen er gemt."), "success")
            return redirect(url_for("workshops.detail", workshop_id=workshop_id))
        workshop = managed(workshop_id)
        session = load.session_or_404(workshop, session_id)
        stored = session if outcome.conflict else None
    return render_form("workshops/session_form.html", form, workshop=workshop, session=session,
                       stored=stored)


# -- themes --------------------------------------------------------------------------------------

def _facilitators(form: ThemeForm, workshop: Workshop) -> None:
    form.facilitator_id.choices = [(0, _("Ingen (kun sekretariatet)"))] + [
        (p.id, f"{p.name} ({p.organisation.name})") for p in load.region_people(
            workshop.region_id)]


def _theme_data(form: ThemeForm) -> flow.ThemeData:
    return flow.ThemeData(title=form.title.data or "", description=form.description.data or "",
                          position=form.position.data or 0, capacity=form.capacity.data,
                          minimum=form.minimum.data,
                          facilitator_id=form.facilitator_id.data or None)


@bp.route("/workshops/<int:workshop_id>/sessioner/<int:session_id>/temaer/ny",
          methods=["GET", "POST"])
@permission_required("workshop.manage")
def new_theme(workshop_id: int, session_id: int) -> ResponseReturnValue:
    workshop = managed(workshop_id)
    session = load.session_or_404(workshop, session_id)
    form = ThemeForm().creating()
    _facilitators(form, workshop)
    if form.validate_on_submit():
        outcome = perform(lambda: flow.add_theme(current_user, session, _theme_data(form),
                                                 now=now()), form=form,
                          created=lambda t: url_for("workshops.detail", workshop_id=workshop_id))
        if outcome.ok:
            flash(_("Temaet er oprettet."), "success")
            return redirect(url_for("workshops.detail", workshop_id=workshop_id))
        workshop = managed(workshop_id)
        session = load.session_or_404(workshop, session_id)
    return render_form("workshops/theme_form.html", form, workshop=workshop, session=session,
                       theme=None)


@bp.route("/workshops/<int:workshop_id>/temaer/<int:theme_id>/rediger", methods=["GET", "POST"])
@permission_required("workshop.manage")
def edit_theme(workshop_id: int, theme_id: int) -> ResponseReturnValue:
    workshop = managed(workshop_id)
    theme = load.theme_or_404(workshop, theme_id)
    form = ThemeForm(obj=theme).editing(theme)
    _facilitators(form, workshop)
    if request.method == "GET":
        form.facilitator_id.data = theme.facilitator_id or 0
    stored = None
    if form.validate_on_submit():
        outcome = perform(lambda: flow.update_theme(
            current_user, theme, _theme_data(form), now=now(), version=form_version(form)),
            form=form, stale=theme)
        if outcome.ok:
            flash(_("Temaet er gemt."), "success")
            return redirect(url_for("workshops.theme", workshop_id=workshop_id,
                                    theme_id=theme_id))
        workshop = managed(workshop_id)
        theme = load.theme_or_404(workshop, theme_id)
        stored = theme if outcome.conflict else None
    return render_form("workshops/theme_form.html", form, workshop=workshop,
                       session=theme.session, theme=theme, stored=stored)


# -- invitations ---------------------------------------------------------------------------------

def _invite_forms(workshop: Workshop, **given: Any) -> dict[str, Any]:
    forms: dict[str, Any] = {
        "kind_form": given.get("kind_form") or InviteKindForm(formdata=None),
        "organisation_form": given.get("organisation_form") or InviteOrganisationForm(
            formdata=None),
        "person_form": given.get("person_form") or InvitePersonForm(formdata=None),
        "address_form": given.get("address_form") or InviteAddressForm(formdata=None),
    }
    orgs = sorted(db.session.scalars(select(Organisation).where(
        Organisation.region_id == workshop.region_id, Organisation.active.is_(True))),
        key=lambda o: danish_key(o.name))
    forms["organisation_form"].organisation_id.choices = [(o.id, o.name) for o in orgs]
    forms["address_form"].organisation_id.choices = [(0, _("Ingen organisation"))] + [
        (o.id, o.name) for o in orgs]
    forms["person_form"].user_id.choices = [
        (p.id, f"{p.name} ({p.organisation.name})")
        for p in load.region_people(workshop.region_id)]
    return forms


def _invitations_page(workshop: Workshop, **given: Any) -> Any:
    return render_template("workshops/invitations.html", workshop=workshop,
                           data=overview(workshop), **_invite_forms(workshop, **given))


@bp.route("/workshops/<int:workshop_id>/invitationer")
@permission_required("workshop.manage")
def invitations(workshop_id: int) -> ResponseReturnValue:
    return _invitations_page(managed(workshop_id))


def _invited(count: int) -> None:
    flash(ngettext("%(num)d person er inviteret.", "%(num)d personer er inviteret.", count)
          if count else _("Alle er allerede inviteret."), "success")


def _invite(workshop_id: int, key: str, form: Any,
            operation: Callable[[Workshop], int]) -> ResponseReturnValue:
    """One invitation form posted: the operation returns how many it invited; a refusal shows
    the page again with the form's messages (the other forms empty)."""
    workshop = managed(workshop_id)
    _invite_forms(workshop, **{key: form})
    if form.validate_on_submit():
        outcome = perform(lambda: operation(workshop), form=form)
        if outcome.ok:
            _invited(outcome.value)
            return redirect(url_for("workshops.invitations", workshop_id=workshop_id))
        workshop = managed(workshop_id)
    return _invitations_page(workshop, **{key: form}), 422


@bp.route("/workshops/<int:workshop_id>/invitationer/art", methods=["POST"])
@permission_required("workshop.manage")
def invite_kind(workshop_id: int) -> ResponseReturnValue:
    form = InviteKindForm()
    return _invite(workshop_id, "kind_form", form, lambda w: invite.invite_by_kind(
        current_user, w, OrgKind(form.kind.data), now=now()))


@bp.route("/workshops/<int:workshop_id>/invitationer/organisation", methods=["POST"])
@permission_required("workshop.manage")
def invite_organisation(workshop_id: int) -> ResponseReturnValue:
    form = InviteOrganisationForm()
    return _invite(workshop_id, "organisation_form", form, lambda w: invite.invite_organisation(
        current_user, w, form.organisation_id.data, now=now()))


@bp.route("/workshops/<int:workshop_id>/invitationer/person", methods=["POST"])
@permission_required("workshop.manage")
def invite_person(workshop_id: int) -> ResponseReturnValue:
    form = InvitePersonForm()
    return _invite(workshop_id, "person_form", form, lambda w: bool(invite.invite_person(
        current_user, w, form.user_id.data, now=now())))


@bp.route("/workshops/<int:workshop_id>/invitationer/ekstern", methods=["POST"])
@permission_required("workshop.manage")
def invite_address(workshop_id: int) -> ResponseReturnValue:
    form = InviteAddressForm()
    return _invite(workshop_id, "address_form", form, lambda w: bool(invite.invite_address(
        current_user, w, name=form.name.data or "", email=form.email.data or "",
        organisation_id=form.organisation_id.data or None, now=now())))
