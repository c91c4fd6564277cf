"""A person's own page ("Min profil") and the calendar feeds.

The private feed (`/kalender/<token>.ics`) needs no login: calendar programs cannot log in, so the
secret token in the address is the key. It holds the milestones of the region's open cycles that
concern the person (the same rule as "Mine opgaver"). The cycle feed
(`/kalender/cyklus/<id>.ics`) is public on purpose: anyone may subscribe to a cycle's public
milestones; a draft cycle has none to show.
"""

from __future__ import annotations

from flask import Blueprint, Response, flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import revision
from ..clock import now
from ..extensions import db
from ..forms.profile import DIGEST, IMMEDIATE, CalendarForm, NoticesForm
from ..i18n import gettext as _
from ..links import absolute_url
from ..models import Cycle, CycleState, Milestone, Role
from ..permissions import can
from ..queries import calendar as feeds
from ..queries.parties import api_token_or_404, api_tokens_of
from ..workflows import accounts
from ..workflows import profile as flow
from ..workflows.cycles import KIND_LABELS
from .common import perform, render_form

bp = Blueprint("profile", __name__)

ICS_MIMETYPE = "text/calendar"
MAX_TOKEN_LENGTH = 64  # the column's width: anything longer is no token of ours


def _cycle_url(cycle_id: int) -> str:
    return absolute_url("cycles.detail", cycle_id=cycle_id)


def _kind_label(milestone: Milestone) -> str:
    return str(KIND_LABELS.get(milestone.kind, ""))


def _not_found() -> Response:
    """Calendar programs read no HTML error page: a short plain answer."""
    return Response(_("Kalenderen findes ikke.") + "\n", status=404,
                    mimetype="text/plain")


def _ics(body: bytes, filename: str, cache: str) -> Response:
    response = Response(body, mimetype=ICS_MIMETYPE)
    response.headers["Content-Type"] = f"{ICS_MIMETYPE}; charset=utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.headers["Cache-Control"] = cache
    return response


# --- Min profil ---------------------------------------------------------------------------------


def _page_context() -> dict[str, object]:
    token = current_user.calendar_token
    region_id = current_user.region_id
    cycles = db.session.scalars(
        select(Cycle).where(Cycle.region_id == region_id, Cycle.state != CycleState.DRAFT)
        .order_by(Cycle.first_year.desc(), Cycle.id.desc())
    ).all()
    return {
        "roles": [r for r in Role if r in current_user.roles_in(region_id)],
        "feed_url": absolute_url("profile.personal_feed", token=token) if token else None,
        "public_feeds": [(c, absolute_url("profile.cycle_feed", cycle_id=c.id)) for c in cycles],
        "api_tokens": api_tokens_of(current_user),
    }


@bp.route("/min-profil", methods=["GET", "POST"])
@login_required
def index() -> ResponseReturnValue:
    form = NoticesForm()
    if request.method == "GET":
        form.notices.data = DIGEST if current_user.digest_notices else IMMEDIATE
    if form.validate_on_submit():
        user = current_user._get_current_object()
        outcome = perform(
            lambda: flow.set_digest_notices(user, user, form.notices.data == DIGEST, now=now()),
            form=form, conflict_message=_("Dine indstillinger blev ændret samtidig et andet "
                                          "sted. Se dem her, og gem igen."))
        if outcome.ok:
            flash(_("Dit valg om e-mails er gemt."), "success")
            return redirect(url_for("profile.index"))
    return render_form("profile/index.html", form, **_page_context())


def _calendar_form_ok() -> bool:
    if CalendarForm().validate_on_submit():
        return True
    flash(_("Formularen var udløbet. Prøv igen."), "error")
    return False


def _back_to_calendar() -> ResponseReturnValue:
    return redirect(url_for("profile.index", _anchor="kalender"))


@bp.route("/min-profil/kalender/ny", methods=["POST"])
@login_required
def new_calendar_token() -> ResponseReturnValue:
    """Create the address, or replace it (the old one stops working)."""
    if not _calendar_form_ok():
        return _back_to_calendar()
    user = current_user._get_current_object()
    had_one = user.calendar_token is not None
    if perform(lambda: flow.new_calendar_token(user, user, now=now()),
               conflict_message=_("Noget blev ændret samtidig. Prøv igen.")).ok:
        flash(_("Du har fået en ny kalenderadresse. Den gamle virker ikke længere.")
              if had_one else _("Din kalenderadresse er oprettet."), "success")
    return _back_to_calendar()


@bp.route("/min-profil/kalender/slet", methods=["POST"])
@login_required
def revoke_calendar_token() -> ResponseReturnValue:
    if not _calendar_form_ok():
        return _back_to_calendar()
    user = current_user._get_current_object()
    outcome = perform(lambda: flow.revoke_calendar_token(user, user, now=now()),
                      conflict_message=_("Noget blev ændret samtidig. Prøv igen."))
    if outcome.ok and outcome.value:
        flash(_("Kalenderadressen er slettet. Kalendere, der bruger den, bliver ikke "
                "opdateret mere."), "success")
    return _back_to_calendar()


@bp.route("/min-profil/api-tokens/<int:token_id>/tilbagekald", methods=["POST"])
@login_required
def revoke_api_token(token_id: int) -> ResponseReturnValue:
    user = current_user._get_current_object()
    token = api_token_or_404(user, token_id)  # only one's own: anybody else's is a 404
    if _calendar_form_ok():
        outcome = perform(lambda: accounts.revoke_api_token(user, user, token, now=now()),
                          conflict_message=_("Noget blev ændret samtidig. Prøv igen."))
        if outcome.ok and outcome.value:
            flash(_("API-nøglen er tilbagekaldt. Programmer, der bruger den, får ikke længere "
                    "adgang."), "success")
    return redirect(url_for("profile.index", _anchor="api-noegler"))


# --- The feeds ----------------------------------------------------------------------------------


@bp.route("/kalender/<token>.ics")
def personal_feed(token: str) -> ResponseReturnValue:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return _not_found()
    user = feeds.feed_owner(token)
    if user is None:
        return _not_found()
    body = feeds.milestone_feed(
        feeds.personal_milestones(user),
        name=_("Aftalehjul – %(name)s", name=user.name),
        description=_("Frister og møder i rammeaftalen, der vedrører dig."),
        stamp=now(), cycle_url=_cycle_url, category=_kind_label,
    )
    return _ics(body, "aftalehjul.ics", "private")


@bp.route("/kalender/cyklus/<int:cycle_id>.ics")
def cycle_feed(cycle_id: int) -> ResponseReturnValue:
    at = now()

    def body() -> bytes | None:
        cycle = feeds.feed_cycle(cycle_id)
        # Public on purpose, but never a draft: a rule like any other (`cycle.public_feed`),
        # which asks the cycle and the clock only, never who asks.
        if cycle is None or not can(current_user, "cycle.public_feed", cycle, at):
            return None
        return feeds.milestone_feed(
            feeds.public_milestones(cycle),
            name=f"{cycle.title} – {cycle.region.name}",
            description=_("Offentlige milepæle i %(title)s.", title=cycle.title),
            stamp=at, cycle_url=_cycle_url, category=_kind_label,
            extra=feeds.council_meetings(
                cycle, url=absolute_url("approval_public.status", cycle_id=cycle.id)))

    # Kept under the data revision per minute, the "not found" too: a calendar polling it
    # costs the revision's one query.
    kept = revision.cached("feed.cycle", (cycle_id, at.replace(second=0, microsecond=0)), body)
    if kept is None:
        return _not_found()
    return _ics(kept, f"cyklus-{cycle_id}.ics", "public, max-age=300")
