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

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ...clock import now
from ...i18n import gettext as _
from ...models import Cycle
from ...permissions import can
from ...queries.approvals import overview as read
from ..common import public_cycle_page
from .grid import approval_grid

bp = Blueprint("approval_public", __name__)


def _visible(cycle: Cycle) -> bool:
    # The same public rule as the cycle's calendar feed: anyone, never a draft.
    return can(current_user, "cycle.public_feed", cycle)


def _content(cycle_id: int) -> tuple[str, str] | None:
    data = read.public_overview(cycle_id, now(), _visible)
    if data is None:
        return None
    title = _("Politisk godkendelse af %(title)s", title=data.cycle_title)
    return title, render_template("approvals/public_body.html", title=title, data=data,
                                  grid=approval_grid(data))


@bp.route("/offentlig/cykler/<int:cycle_id>/godkendelser")
def status(cycle_id: int) -> ResponseReturnValue:
    # Unknown cycles, drafts and cycles without a round are kept too (as None): a 404.
    return public_cycle_page("approvals.public", cycle_id, lambda: _content(cycle_id),
                             template="approvals/public.html")
