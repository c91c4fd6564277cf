"""The council approvals' overview (secretariat) and public page in Chromium: at 1280, 390 and
320 px, nothing scrolls sideways or is clipped, and axe-core finds no WCAG A/AA violation.

The demo's 2018 cycle gets a round written with the read side's factory (rows directly, on the
demo's own municipalities and region) unless the demo already has one (ap-core's story)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.approvals.factories_read import round_on
from tests.browser.conftest import SECRETARIAT, check_axe, login
from tests.browser.test_reflow import CLIPPED, SIDEWAYS_CULPRITS
from webapp.extensions import db
from webapp.models import (
    ApprovalRound,
    ApprovalState,
    CouncilApproval,
    Cycle,
    Organisation,
    OrgKind,
    Region,
)

pytestmark = pytest.mark.browser

S = ApprovalState
# Most approved, one with remarks, one scheduled, one postponed past the deadline, one pending.
STATES = [S.APPROVED, S.APPROVED_WITH_REMARKS, S.SCHEDULED, S.POSTPONED, S.APPROVED,
          S.APPROVED, S.APPROVED, S.APPROVED, S.APPROVED, S.APPROVED, S.APPROVED]


@pytest.fixture(scope="module")
def cycle_id(app: Any, live_server: str) -> int:
    with app.app_context():
        s = db.session
        cycle = s.scalars(select(Cycle).join(Region, Region.id == Cycle.region_id).where(
            Region.code == "nordjylland", Cycle.title.startswith("Rammeaftale 2018"))).one()
        if s.scalar(select(ApprovalRound.id).where(ApprovalRound.cycle_id == cycle.id)) is None:
            parties = list(s.scalars(select(Organisation).where(
                Organisation.region_id == cycle.region_id, Organisation.active.is_(True),
                Organisation.kind.in_([OrgKind.MUNICIPALITY, OrgKind.REGION]))
                .order_by(Organisation.kind, Organisation.name)))
            round_on(cycle, parties, STATES)
        # The demo's own round (ap-core's story) has no internal note: one for the page to hide.
        first = s.scalars(select(CouncilApproval).join(ApprovalRound).where(
            ApprovalRound.cycle_id == cycle.id).order_by(CouncilApproval.id).limit(1)).one()
        first.internal_note = "Intern note til sekretariatet"
        s.commit()
        found = cycle.id
        s.remove()
    return found


def _check(page: Any, url: str) -> None:
    for width in (1280, 390, 320):
        page.set_viewport_size({"width": width, "height": 900})
        response = page.goto(url)
        assert response is not None and response.status == 200, url
        wide, window = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]")
        assert wide <= window, (f"{url} at {width} px is {wide} px wide: "
                                f"{page.evaluate(SIDEWAYS_CULPRITS)}")
        if width == 1280:
            assert not page.evaluate(CLIPPED), page.evaluate(CLIPPED)
        check_axe(page, note=f"(at {width} px)")


def test_the_secretariats_overview(live_server: str, page: Any, cycle_id: int) -> None:
    login(page, live_server, SECRETARIAT)
    url = f"{live_server}/cykler/{cycle_id}/godkendelser"
    page.goto(url)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Politisk godkendelse")
    grid = page.get_by_role("img", name="Byråd og regionsråd: hvor langt de er")
    assert grid.count() == 1
    assert "Intern note til sekretariatet" in page.inner_text("main")
    _check(page, url)


def test_the_public_page_without_login(live_server: str, page: Any, cycle_id: int) -> None:
    url = f"{live_server}/offentlig/cykler/{cycle_id}/godkendelser"
    page.goto(url)
    main = page.inner_text("main")
    assert "Status:" in main and "Intern note" not in main
    assert page.get_by_role("link", name="Log ud").count() == 0
    _check(page, url)
    # Printed, the page is the content alone.
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
