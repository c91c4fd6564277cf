"""The parties' grid (one tile per council, coloured and labelled by its state), shared by the
secretariat's overview and the public page."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from ...charts import tile_grid_svg
from ...i18n import gettext as _
from ...models import ApprovalState as S
from ...queries.approvals.overview import RoundOverview

# Fill per state. The tile's text says the state too, and "med bemærkninger" is hatched, so the
# colours are never the only cue; light fills carry a border of at least 3:1 against white.
FILLS = {
    S.APPROVED: ("#1a7a3a", False, False),
    S.APPROVED_WITH_REMARKS: ("#a6dba0", True, False),
    S.SCHEDULED: ("#abd9e9", False, False),
    S.POSTPONED: ("#fdae61", False, False),
    S.PENDING: ("#ffffff", False, True),
    S.REJECTED: ("#b00020", False, False),
}


@dataclass(frozen=True)
class _Kind:
    key: str
    label: str
    fill: str
    hatched: bool
    dashed: bool


@dataclass(frozen=True)
class _Tile:
    title: str
    kind: str
    detail: str


def approval_grid(data: RoundOverview, chart_id: str = "godkendelser") -> Markup:
    kinds = [_Kind(c.state.value, f"{c.label} ({c.count})", *FILLS[c.state])
             for c in data.counts]
    tiles = [_Tile(r.party, r.state.value,
                   r.state_label + (" – " + _("mødet er efter fristen")
                                    if r.meeting_after_deadline else ""))
             for r in data.rows]
    desc = _("%(status)s. ", status=data.status.label) + "; ".join(
        f"{c.label}: {c.count}" for c in data.counts if c.count)
    return tile_grid_svg(tiles, kinds, chart_id=chart_id,
                         title=_("Byråd og regionsråd: hvor langt de er"), desc=desc)

