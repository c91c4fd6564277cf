"""The public page of a cycle's council approvals: no login, fit to link from the secretariat's
website and to print. The same overview without the internal notes and without who recorded a
decision.

Anyone may load it, so it is kept: its content as HTML under the data revision and the app
clock's date (`revision.cached`, as the public calendar feed), and for a visitor without
messages waiting the whole page under the clock's minute (the frame shows the demo clock). A
kept copy costs the revision's one query; any committed change renews the revision, so a kept
copy is never stale.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, render_template, session
from flask.typing import ResponseReturnValue
from flask_login import current_user
from markupsafe import Markup

from ... import revision
from ...clock import now
from ...formatting import to_local
from ...i18n import gettext as _
from ...models import Cycle
from ...permissions import can
from ...queries.approvals import overview as read
from .grid import approval_grid

bp = Blueprint("approval_public", __name__)


@dataclass(frozen=True)
class _Kept:
    title: str
    html: str


def _visible(cycle: Cycle) -> bool:
    # The same public rule as the cycle's calendar feed: anyone, never a draft.
    return can(current_user, "cycle.public_feed", cycle)


def _content(cycle_id: int) -> _Kept | None:
    data = read.public_overview(cycle_id, now(), _visible)
    if data is None:
        return None
    title = _("Politisk godkendelse af %(title)s", title=data.cycle_title)
    html = render_template("approvals/public_body.html", title=title, data=data,
                           grid=approval_grid(data))
    return _Kept(title, html)


def _page(kept: _Kept) -> str:
    return render_template("approvals/public.html", title=kept.title, body=Markup(kept.html))


@bp.route("/offentlig/cykler/<int:cycle_id>/godkendelser")
def status(cycle_id: int) -> ResponseReturnValue:
    at = now()
    # Unknown cycles, drafts and cycles without a round are kept too (as None): a 404.
    kept = revision.cached("approvals.public", (cycle_id, to_local(at).date()),
                           lambda: _content(cycle_id))
    if kept is None:
        abort(404)
    if current_user.is_authenticated or session.get("_flashes"):
        return _page(kept)  # the signed-in person's own menu, or a message to show once
    minute = at.replace(second=0, microsecond=0)
    return revision.cached("approvals.public_page", (cycle_id, minute), lambda: _page(kept))
