"""The consultation's pages in Chromium: the layout checks of test_reflow.py (no sideways
scrolling at 390/320 px, nothing clipped at 1280 px, axe-core clean) on the consultation pages
of main_pages.py only, and the external party's page opened through its personal link."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.browser.conftest import check_axe, login
from tests.browser.main_pages import ROLES, DemoIds, demo_ids, main_pages
from tests.browser.test_reflow import (
    CLIPPED,
    DESKTOP,
    HEADERLESS_COLUMNS,
    PHONE_WIDTHS,
    ROW_HEADERS_SCROLLED,
    SIDEWAYS_CULPRITS,
)
from webapp.extensions import db
from webapp.models import ConsultationParty
from webapp.security import make_link_token
from webapp.workflows.consultations.parties import LINK_PURPOSE

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def ids(app: Any, live_server: str) -> DemoIds:
    return demo_ids(app)


def _check(page: Any, url: str) -> list[str]:
    problems = []
    page.set_viewport_size(DESKTOP)
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    for what, script in [("clipped", CLIPPED), ("row headers", ROW_HEADERS_SCROLLED),
                         ("no visible column header", HEADERLESS_COLUMNS)]:
        found = page.evaluate(script)
        if found:
            problems.append(f"{url}: {what}: {found}")
    check_axe(page)
    for width in PHONE_WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        wide, window = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]")
        if wide > window:
            problems.append(f"{url} at {width} px: {wide} px wide; "
                            f"{page.evaluate(SIDEWAYS_CULPRITS)}")
    check_axe(page, note=f"(at {PHONE_WIDTHS[-1]} px)")
    return problems


@pytest.mark.parametrize("role", ["secretariat", "respondent", "user_org_rep"])
def test_consultation_pages_reflow_and_pass_axe(live_server: str, ids: DemoIds, page: Any,
                                                role: str) -> None:
    login(page, live_server, ROLES[role])
    paths = [p for p in main_pages(ids, role) if "hoering" in p]
    assert paths
    problems = [problem for path in paths for problem in _check(page, live_server + path)]
    assert not problems, "\n".join(problems)


def test_an_external_party_opens_the_page_by_its_link(app: Any, live_server: str, ids: DemoIds,
                                                      page: Any) -> None:
    with app.test_request_context():
        party = db.session.scalars(select(ConsultationParty).where(
            ConsultationParty.consultation_id == ids.consultation,
            ConsultationParty.organisation_id.is_(None))).first()
        assert party is not None and party.access_nonce
        token = make_link_token(LINK_PURPOSE, party.id, party.access_nonce)
        name = party.name
        db.session.remove()
    url = f"{live_server}/hoeringer/{ids.consultation}"
    assert not _check(page, f"{url}?adgang={token}")
    assert page.url == url  # the token is gone from the address
    assert f"Du ser høringen som {name}" in page.inner_text("main")
