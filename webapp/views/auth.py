"""Login, logout, invitations and password reset."""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ..clock import now
from ..extensions import db
from ..forms.auth import ForgotPasswordForm, LoginForm, SetPasswordForm
from ..i18n import gettext as _
from ..models import User
from ..security import read_link_token
from ..workflows import accounts
from .common import client_address, perform, safe_next

bp = Blueprint("auth", __name__)


def _fresh_session() -> None:
    """Nothing of the previous session (the CSRF token included) is carried over, so a token
    seen before a login, or by the previous person in this browser, is worthless after it.
    Flask-Login's note to delete a remember cookie survives the clearing."""
    logout_user()
    remember = session.get("_remember")
    session.clear()
    if remember is not None:
        session["_remember"] = remember


def _start_session(user: User) -> None:
    _fresh_session()
    login_user(user)


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    if current_user.is_authenticated and request.method == "GET":
        return redirect(safe_next(form.next.data) or url_for("main.dashboard"))
    if form.validate_on_submit():
        # A failed attempt must be kept (keep_refused): it is what the throttle counts.
        outcome = perform(lambda: accounts.login(form.email.data or "", form.password.data or "",
                                                 address=client_address(), now=now()),
                          form=form, keep_refused=True)
        if outcome.ok:
            _start_session(outcome.value)
            return redirect(safe_next(form.next.data) or url_for("main.dashboard"))
        form.password.data = ""
    return render_template("auth/login.html", form=form), 200 if not form.errors else 422


@bp.route("/logout", methods=["POST"])
@login_required
def logout() -> ResponseReturnValue:
    _fresh_session()
    flash(_("Du er logget ud."), "info")
    return redirect(url_for("auth.login"))


def _user_from_token(purpose: str, token: str, max_age: int) -> User | None:
    data = read_link_token(purpose, token, max_age)
    if data is None:
        return None
    user = db.session.scalar(
        select(User).where(User.id == data["u"]).options(joinedload(User.organisation))
    )
    if (user is None or user.session_nonce != data["n"] or not user.active
            or not user.region_open):
        return None
    return user


def _set_password_page(purpose: str, token: str, action: str,
                       template: str) -> ResponseReturnValue:
    config_key = "INVITATION_MAX_AGE_SECONDS" if purpose == "invite" else "RESET_MAX_AGE_SECONDS"
    user = _user_from_token(purpose, token, current_app.config[config_key])
    if user is None:
        return render_template("auth/link_invalid.html", purpose=purpose), 410
    form = SetPasswordForm()
    if form.validate_on_submit():
        outcome = perform(lambda: accounts.set_password(user, form.password.data or "",
                                                        now=now(), action=action), form=form)
        if outcome.ok:
            _start_session(user)
            flash(_("Din adgangskode er gemt. Velkommen, %(name)s.", name=user.name), "success")
            return redirect(url_for("main.dashboard"))
    status = 422 if form.errors or form.form_errors else 200
    return render_template(template, form=form, person=user), status


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str) -> ResponseReturnValue:
    return _set_password_page("invite", token, "user.invitation_accepted", "auth/invitation.html")


@bp.route("/glemt-adgangskode", methods=["GET", "POST"])
def forgot_password() -> ResponseReturnValue:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        # Never refused: the page says the same whether or not the address is known.
        perform(lambda: accounts.request_password_reset(form.email.data or "",
                                                        address=client_address(), now=now()))
        flash(_("Hvis adressen findes hos os, har vi sendt et link til at vælge en ny "
                "adgangskode. Linket virker i en time."), "info")
        return redirect(url_for("auth.login"))
    status = 422 if form.errors else 200
    return render_template("auth/forgot.html", form=form), status


@bp.route("/nulstil/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> ResponseReturnValue:
    return _set_password_page("reset", token, "user.password_reset", "auth/reset.html")
