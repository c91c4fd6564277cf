"""Issue 12, "Done when": the demo's council approvals walked through in Chromium.

The demo is seeded with the final text frozen but no round (`seed_demo(approval_round=False)`):
the secretariat opens the round on its page; Aalborg's respondent records the council's
approval with the minutes as a PDF; the demo's other councils tell their stories through the
workflows (webapp/demo/approvals.py), Læsø's meeting on 26.10.2017 after the deadline; the
secretariat records Læsø's decision and, last, Regionsrådet's on the region's behalf. The status
turns "I kraft fra 1. januar 2018" on the overview and on the public page (a fresh browser, no
login), and the "in force" e-mail reached the SMTP server once per person. axe finds nothing
and nothing scrolls sideways at 390 px on these pages.

The clock: 15.09.2017 (the round opens), 26.09.2017 (Aalborg), 27.10.2017 (after Læsø's
meeting: the secretariat's last two decisions).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from email.header import decode_header, make_header
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tests.browser.conftest import SECRETARIAT, click_and_wait, login, serve_demo
from tests.browser.test_reflow import holds_at_both_widths as holds_up
from tests.mailserver import text_body
from webapp.demo import nordjylland
from webapp.demo.approvals import seed_approvals
from webapp.demo.consultation import pdf
from webapp.extensions import db
from webapp.formatting import LOCAL_TZ
from webapp.models import ApprovalRound, CouncilApproval, Cycle, Region, User

pytestmark = pytest.mark.browser

AALBORG = "aalborg@nordjylland.example"
IN_FORCE = "I kraft fra 1. januar 2018"
SUBJECT = "Rammeaftale 2018 er godkendt af alle råd og træder i kraft 1. januar 2018"
# Who is told: the secretariat and every party's respondents (the parties are the round's).
TOLD = sorted(email for email, _name, _org, roles in nordjylland.PEOPLE
              if "secretariat" in roles or "respondent" in roles)


def _local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL_TZ).astimezone(UTC)


@pytest.fixture(scope="module")
def live_server(app: Any) -> Iterator[str]:
    """The demo up to the frozen final text: the round is the walk's to open."""
    with serve_demo(app, approval_round=False) as url:
        yield url


@pytest.fixture(scope="module")
def cycle_id(app: Any, live_server: str) -> int:
    with app.app_context():
        found = db.session.scalars(select(Cycle.id).join(Region, Region.id == Cycle.region_id)
                                   .where(Region.code == "nordjylland",
                                          Cycle.title.startswith("Rammeaftale 2018"))).one()
        assert db.session.scalar(select(ApprovalRound.id).where(
            ApprovalRound.cycle_id == found)) is None
        db.session.remove()
    return found


def _approval_id(app: Any, party: str) -> int:
    with app.app_context():
        found = db.session.scalars(select(CouncilApproval.id).where(
            CouncilApproval.party_name == party)).one()
        db.session.remove()
    return found


def _tell_the_other_stories(app: Any, cycle_id: int) -> None:
    """The demo's councils that are still "afventer" tell their stories (with the demo's own
    moments); Aalborg has decided, Regionsrådet has none."""
    with app.app_context():
        cycle = db.session.get(Cycle, cycle_id)
        assert cycle is not None
        people = {u.email: u for u in db.session.scalars(select(User).options(
            selectinload(User.grants), selectinload(User.organisation)))}
        created: list[str] = []
        seed_approvals(created, cycle, people, people[SECRETARIAT])
        db.session.commit()
        db.session.remove()
    assert len(created) == 10 and not any("Aalborg" in line for line in created), created


def _decide(page: Any, outcome: str, decided_on: str, minutes: Path | None = None) -> str:
    """Fill the record page's decision form and send it; the page's main text after."""
    form = page.locator("form").filter(
        has=page.get_by_role("heading", name="Registrér rådets beslutning"))
    form.get_by_role("radio", name=outcome, exact=True).check()
    form.get_by_label("Dato for beslutningen").fill(decided_on)
    if minutes is not None:
        form.get_by_label("Beslutningsprotokol (PDF)").set_input_files(str(minutes))
    click_and_wait(page, form.get_by_role("button", name="Registrér beslutningen"))
    return str(page.get_by_role("main").inner_text())


def _in_force_mail(smtp: Any) -> list[Any]:
    return [m for m in smtp.inbox.messages
            if str(make_header(decode_header(m["Subject"]))) == SUBJECT]


def test_the_councils_approve_and_the_agreement_is_in_force(
        app: Any, live_server: str, cycle_id: int, browser: Any, page: Any, clock: Any,
        smtp: Any, tmp_path: Path) -> None:
    overview = f"{live_server}/cykler/{cycle_id}/godkendelser"
    main = page.get_by_role("main")

    # The secretariat opens the round on the frozen final text, every council ticked.
    clock.set(_local("2017-09-15T10:00"))
    login(page, live_server, SECRETARIAT)
    page.goto(f"{overview}/aabn")
    holds_up(page, "the open-round page")
    assert page.get_by_role("checkbox").count() == 12
    assert all(box.is_checked() for box in page.get_by_role("checkbox").all())
    click_and_wait(page, main.get_by_role("button", name="Åbn godkendelsesrunden"))
    assert page.url == overview
    assert "Godkendelsesrunden er åbnet med 12 parter" in main.inner_text()
    assert "0 af 12 godkendt" in main.inner_text()

    # Aalborg's respondent records the council's approval with the minutes as a PDF.
    clock.set(_local("2017-09-26T10:15"))
    page.context.clear_cookies()
    login(page, live_server, AALBORG)
    aalborg = _approval_id(app, "Aalborg Kommune")
    page.goto(f"{live_server}/godkendelser/{aalborg}")
    holds_up(page, "the respondent's record page")
    minutes = tmp_path / "Aalborg beslutningsprotokol.pdf"
    minutes.write_bytes(pdf(["Aalborg Byråd", "Beslutningsprotokol, mødet 25. september 2017",
                             "Punkt 7: Rammeaftale 2018. Beslutning: Godkendt."]))
    text = _decide(page, "Godkendt", "2017-09-25", minutes)
    assert "beslutningen er registreret" in text
    assert "Aalborg beslutningsprotokol.pdf" in text and "Beslutningsdato\n25.09.2017" in text
    assert "på partens vegne" not in text
    assert page.get_by_role("heading", name="Registrér rådets beslutning").count() == 0
    holds_up(page, "the decided record page")
    with page.expect_download() as download:
        main.get_by_role("link", name="Aalborg beslutningsprotokol.pdf").click()
    assert Path(download.value.path()).read_bytes() == minutes.read_bytes()

    # The other councils, through the workflows: nine approve, Læsø meets on 26.10.2017.
    _tell_the_other_stories(app, cycle_id)
    assert _in_force_mail(smtp) == []

    # After Læsø's meeting the secretariat records its decision and then Regionsrådet's.
    clock.set(_local("2017-10-27T10:00"))
    page.context.clear_cookies()
    login(page, live_server, SECRETARIAT)
    page.goto(overview)
    assert "10 af 12 godkendt" in main.inner_text()
    page.goto(f"{live_server}/godkendelser/{_approval_id(app, 'Læsø Kommune')}")
    text = _decide(page, "Godkendt", "2017-10-26")
    assert "beslutningen er registreret" in text and "på partens vegne" in text
    assert _in_force_mail(smtp) == []

    page.goto(f"{live_server}/godkendelser/{_approval_id(app, 'Region Nordjylland')}")
    assert "Du registrerer beslutningen på vegne af Region Nordjylland" in main.inner_text()
    holds_up(page, "the secretariat's record page")
    text = _decide(page, "Godkendt", "2017-10-24")
    assert "beslutningen er registreret" in text and "på partens vegne" in text
    holds_up(page, "the region's decided record page")

    # The status is computed: in force, on the overview ...
    page.goto(overview)
    assert IN_FORCE in main.inner_text()
    assert "12 af 12 godkendt" not in main.inner_text()  # the status, not the count
    holds_up(page, "the overview")

    # ... and on the public page, in a browser that never logged in.
    stranger = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    try:
        public = stranger.new_page()
        response = public.goto(f"{live_server}/offentlig/cykler/{cycle_id}/godkendelser")
        assert response is not None and response.status == 200
        assert public.url.endswith(f"/offentlig/cykler/{cycle_id}/godkendelser")
        assert public.get_by_role("link", name="Log ud").count() == 0
        assert IN_FORCE in public.get_by_role("main").inner_text()
        holds_up(public, "the public page")
    finally:
        stranger.close()

    # The "in force" e-mail reached the SMTP server: the secretariat and every party's
    # respondent, each exactly once (TOLD has no address twice).
    told = _in_force_mail(smtp)
    assert sorted(m["To"] for m in told) == TOLD
    assert all("Aftalen træder i kraft 1. januar 2018." in text_body(m) for m in told)
