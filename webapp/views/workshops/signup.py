"""Signing up: the signed-in person's page, and the same page through a personal link for a
person without an account (`/workshops/tilmelding/<token>`: a tampered or expired link, or one
whose invitation is gone, is a 404). The link page reads and writes no session."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ...clock import now
from ...forms.workshops import SignupBase, signup_form
from ...i18n import gettext as _
from ...models import WorkshopInvitee
from ...permissions import can, permission_required
from ...permissions.workshops import Attendance, InviteeGuest
from ...queries.workshops import loaders as load
from ...queries.workshops.signup import SignupPage, signup_page
from ...workflows.workshops import signup as flow
from ..common import form_version, kept_page, perform, place_error

bp = Blueprint("workshop_signup", __name__)


def _choice(form: SignupBase, page: SignupPage) -> flow.Choice:
    answer = form.attending.data
    return flow.Choice(
        attending=True if answer == "yes" else False if answer == "no" else None,
        picks={s.id: list(form[flow.session_field(s.id)].data or []) for s in page.sessions},
        needs=form.needs.data or "", waitlist=bool(form.waitlist.data))


def _fill(form: SignupBase, page: SignupPage) -> None:
    invitee = page.invitee
    form.attending.data = {True: "yes", False: "no"}.get(invitee.attending)  # type: ignore[arg-type]
    form.needs.data = invitee.needs
    for session in page.sessions:
        form[flow.session_field(session.id)].data = [
            t.id for t in session.themes if t.id in page.picks]


def _handle(invitee: WorkshopInvitee, actor: Any, by_link: bool,
            again: str) -> ResponseReturnValue:
    workshop = invitee.workshop
    page = signup_page(workshop, invitee, now())
    form = signup_form(page.sessions).editing(invitee)
    if request.method == "GET":
        _fill(form, page)
    elif form.validate_on_submit():
        choice = _choice(form, page)
        problems = flow.rule_problems(page.sessions, choice)
        if problems:
            for where, message in problems.items():
                place_error(form, flow.WorkflowError(message, field=where))
        else:
            outcome = perform(lambda: flow.save_signup(
                actor, invitee, choice, now=now(), version=form_version(form),
                by_link=by_link), form=form, stale=invitee)
            if outcome.ok:
                flash(_("Din tilmelding er gemt.") if choice.attending
                      else _("Dit afbud er gemt."), "success")
                return redirect(again)
        invitee = _reload(invitee, by_link)
        page = signup_page(invitee.workshop, invitee, now())
    failed = request.method == "POST"
    return render_template("workshops/signup.html", page=page, form=form, by_link=by_link,
                           session_field=flow.session_field), 422 if failed else 200


def _reload(invitee: WorkshopInvitee, by_link: bool) -> WorkshopInvitee:
    """The invitee again after a rollback, with its workshop."""
    if by_link:
        found = load.invitee_for_token(request.view_args["token"])  # type: ignore[index]
        if found is None:
            abort(404)
        return found
    workshop = load.scoped_workshop_or_404(invitee.workshop_id, current_user)
    return load.invitee_or_404(workshop, invitee.id)


@bp.route("/workshops/<int:workshop_id>/tilmelding", methods=["GET", "POST"])
@permission_required("cycle.view")
@kept_page
def signup(workshop_id: int) -> ResponseReturnValue:
    workshop = load.scoped_workshop_or_404(workshop_id, current_user)
    invitee = load.own_invitee(workshop, current_user)
    if invitee is None or not can(current_user, "workshop.signup",
                                  Attendance(workshop, invitee)):
        abort(404)
    return _handle(invitee, current_user, False,
                   url_for("workshop_signup.signup", workshop_id=workshop_id))


@bp.route("/workshops/tilmelding/<token>", methods=["GET", "POST"])
def by_link(token: str) -> ResponseReturnValue:
    invitee = load.invitee_for_token(token)
    guest = InviteeGuest(invitee.name if invitee is not None else "")
    if invitee is None or not can(guest, "workshop.signup",
                                  Attendance(invitee.workshop, invitee, by_link=True)):
        abort(404)
    return _handle(invitee, guest, True, url_for("workshop_signup.by_link", token=token))
