"""The secretariat's overview of a cycle's council approvals, and its XLSX export.

The region's secretariat and the respondents of every party in the round read it
(`approval.view`); the internal notes and who recorded a decision only who may manage the round.
Before the round exists the page says so and points the secretariat to opening it (ap-core's
form at /cykler/<id>/godkendelser/aabn).
"""

from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, abort, render_template, send_file
from flask.typing import ResponseReturnValue
from flask_login import current_user

from ... import exports, revision
from ...clock import now
from ...formatting import to_local
from ...i18n import gettext as _
from ...links import base_url
from ...models import ApprovalRound, Cycle
from ...permissions import can, ensure, permission_required
from ...queries.approvals import overview as read
from ...queries.cycles import scoped_cycle_or_404
from ..common import kept_page, render_kept
from .grid import approval_grid

bp = Blueprint("approval_overview", __name__)


def _round_or_none(cycle_id: int) -> tuple[Cycle, ApprovalRound | None]:
    """The cycle (another region's is a 404) and its round, if opened; the person must be
    allowed to see the round (a respondent of a party outside it: 403)."""
    approval_round = read.round_of_cycle(cycle_id, region_id=current_user.region_id)
    if approval_round is None:
        return scoped_cycle_or_404(cycle_id, current_user), None
    cycle = approval_round.cycle
    if not can(current_user, "cycle.view", cycle):
        abort(404)
    ensure("approval.view", approval_round)
    return cycle, approval_round


def _internal(approval_round: ApprovalRound) -> bool:
    return can(current_user, "approval.manage", approval_round)


@bp.route("/cykler/<int:cycle_id>/godkendelser")
@permission_required("approval.view")
@kept_page
def overview(cycle_id: int) -> ResponseReturnValue:
    cycle, approval_round = _round_or_none(cycle_id)
    title = _("Politisk godkendelse af %(title)s", title=cycle.title)
    if approval_round is None:
        return render_template("approvals/overview_empty.html", title=title, cycle=cycle,
                               manage=can(current_user, "approval.manage", cycle))
    at = now()
    internal = _internal(approval_round)

    def context() -> dict[str, Any]:  # only when the kept content is out of date
        data = read.overview(approval_round, at, public=not internal)
        return {"title": title, "cycle": cycle, "data": data, "grid": approval_grid(data),
                "manage": internal}

    return render_kept(title, "approvals.overview", (cycle.id, internal),
                       "approvals/overview_body.html", context)


@bp.route("/cykler/<int:cycle_id>/godkendelser.xlsx")
@permission_required("approval.view")
@kept_page
def export_xlsx(cycle_id: int) -> ResponseReturnValue:
    cycle, approval_round = _round_or_none(cycle_id)
    if approval_round is None:
        abort(404)
    at = now()
    internal = _internal(approval_round)
    # Kept under the data revision (and the day: the flags follow the clock's date).
    body = revision.cached(
        "export.approvals", (approval_round.id, internal, to_local(at).date()),
        lambda: read.xlsx_export(read.overview(approval_round, at, public=not internal),
                                 base_url()))
    return send_file(
        io.BytesIO(body),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=exports.download_name(_("Godkendelser %(title)s", title=cycle.title),
                                            "xlsx"))
