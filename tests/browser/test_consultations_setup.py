"""The consultation's pages in Chromium: the layout checks of test_reflow.py (no sideways
scrolling at 390/320 px, nothing clipped at 1280 px, axe-core clean) on the consultation pages
of main_pages.py only, and the external party's page opened through its personal link."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.browser.conftest import check_axe, click_and_wait, login
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
from webapp.models import ConsultationParty, Milestone, MilestoneKind
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


def test_the_secretariat_prepares_and_sends_a_consultation(app: Any, live_server: str,
                                                           ids: DemoIds, page: Any) -> None:
    """The form with the browser's own date inputs (an empty time is posted as ""): a short
    deadline is refused at the field with the input kept, then the list by kind, then sending
    after the confirmation that says how many are e-mailed."""
    with app.app_context():
        # A consultation milestone of its own: the demo's carries a consultation already sent.
        demo = db.session.get(Milestone, db.session.scalar(select(Milestone.id).where(
            Milestone.cycle_id == ids.cycle, Milestone.kind == MilestoneKind.CONSULTATION)))
        assert demo is not None
        extra = Milestone(cycle_id=ids.cycle, kind=MilestoneKind.CONSULTATION,
                          title="Ekstra høring", starts_at=demo.starts_at, ends_at=demo.ends_at,
                          place="", description="", audience=[], is_public=True)
        db.session.add(extra)
        db.session.commit()
        extra_id = extra.id
        db.session.remove()
    login(page, live_server, ROLES["secretariat"])
    page.goto(f"{live_server}/cykler/{ids.cycle}/hoeringer/ny")
    page.fill("#title", "Høring i browseren")
    page.select_option("#text_version_id", index=0)
    page.select_option("#milestone_id", value=str(extra_id))
    page.fill("#starts_date", "2017-06-12")
    page.fill("#ends_date", "2017-06-30")
    click_and_wait(page, page.get_by_role("button", name="Opret høringen"))
    error = page.locator("#short_deadline_reason-error")
    assert "skal begrundes" in error.inner_text()
    assert page.input_value("#title") == "Høring i browseren"
    check_axe(page, note="(the form with an error)")
    page.fill("#short_deadline_reason", "Byrådenes sommerferie")
    click_and_wait(page, page.get_by_role("button", name="Opret høringen"))
    assert "/parter" in page.url
    click_and_wait(page, page.get_by_role("button", name="Alle kommuner"))
    assert "organisationer er føjet til høringslisten" in page.inner_text("main")
    click_and_wait(page, page.get_by_role("link", name="Send høringen"))
    text = page.inner_text("main")
    assert "Høringen sendes til" in text and "e-mails med linket" in text
    check_axe(page)
    click_and_wait(page, page.get_by_role("button", name="Send høringen og"))
    main = page.inner_text("main")
    assert "Høring i browseren" in main and "Byrådenes sommerferie" in main
    assert "fra den 12. juni 2017 til den 30. juni 2017 (18 dage)" in main
