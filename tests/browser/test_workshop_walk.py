"""Issue 13, "Done when": the demo's workshop of 6 February 2017 walked through in Chromium.

The secretariat invites a person without an account; she follows the personal link from the
invitation e-mail (read from the outbox), picks two themes in session 1 and one in session 2 and
is refused three in session 1 (a Danish message, the picks kept). Her pick takes the last place
of "Flere hjemløse", so the next person (an invited demo person, signed in) is refused there
until he asks for the waiting list. The secretariat moves her to another theme with a reason:
he gets her place and both are e-mailed. After the workshop the theme's facilitator records a
challenge and an action; the secretariat merges two themes on the prioritisation list and
downloads the input as DOCX. axe finds nothing and nothing scrolls sideways at 390 px on these
pages. The app clock stands before the sign-up deadline (27.01.2017), then after the workshop.
"""

from __future__ import annotations

import io
import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
from docx import Document
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from tests.browser.conftest import PEOPLE, SECRETARIAT, click_and_wait, login
from tests.browser.test_reflow import holds_at_both_widths
from webapp.demo.workshop_signup import TITLE
from webapp.extensions import db
from webapp.formatting import LOCAL_TZ
from webapp.models import OutboundEmail, Workshop, WorkshopPick
from webapp.permissions import SYSTEM
from webapp.workflows.workshops import sessions_with_themes, setup

pytestmark = pytest.mark.browser

GUEST, GUEST_EMAIL = "Karen Kirkegaard", "karen.kirkegaard@example.org"
NEXT = "rebild@nordjylland.example"  # invited by the demo, has not answered
FACILITATOR = "aalborg@nordjylland.example"
HOMELESS, ELDERLY = "Flere hjemløse", "Flere ældre med handicap"
# Her session 1 picks: the small group, and a theme the fixture gives room.
ROOMY = ["Forskning, metode og evidens", "Sociale relationer"]
CHALLENGE = "Unge hjemløse venter for længe på en bolig med støtte."
ACTION = "Et fælles Housing First-forløb på tværs af kommunerne."
MERGED = "Nye målgrupper i vækst"


def _local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL_TZ)


BEFORE_DEADLINE = _local("2017-01-20T10:00")
AFTER_WORKSHOP = _local("2017-02-08T10:00")


@pytest.fixture(scope="module")
def ws(app: Any, live_server: str) -> dict[str, int]:
    """The demo's workshop, with room made for exactly this story: "Sociale relationer" gets
    more places (its waiting list moves up) and "Flere hjemløse" keeps one free place."""
    with app.test_request_context():
        workshop = db.session.scalars(select(Workshop).where(Workshop.title == TITLE).options(
            joinedload(Workshop.cycle))).one()
        themes = {t.title: t for s in sessions_with_themes(workshop) for t in s.themes}
        found = {"workshop": workshop.id, "elderly": themes[ELDERLY].id}
        for title, capacity in ((ROOMY[1], 60), (HOMELESS, None)):
            theme = themes[title]
            if capacity is None:
                capacity = 1 + len(db.session.scalars(select(WorkshopPick.id).where(
                    WorkshopPick.theme_id == theme.id, WorkshopPick.waiting.is_(False))).all())
            setup.update_theme(SYSTEM, theme, setup.ThemeData(
                title=theme.title, description=theme.description, position=theme.position,
                capacity=capacity, minimum=theme.minimum,
                facilitator_id=theme.facilitator_id), now=BEFORE_DEADLINE, version=None)
            found[title] = theme.id
        db.session.commit()
        db.session.remove()
    return found


def _holds(page: Any, what: str) -> None:
    holds_at_both_widths(page, what, axe_on_phone=True)


def _mails(app: Any, address: str) -> list[OutboundEmail]:
    with app.app_context():
        found = list(db.session.scalars(select(OutboundEmail).where(
            OutboundEmail.to_address == address).order_by(OutboundEmail.id)))
        db.session.expunge_all()
        db.session.remove()
    return found


def _state(page: Any, theme: str) -> str:
    """What the sign-up page says beside a theme: the person's place and the theme's room."""
    box = page.get_by_label(theme, exact=True)
    return str(page.locator(f"#{box.get_attribute('id')}-state").inner_text())


def test_an_invited_guest_signs_up_and_the_workshop_goes_on(
        app: Any, live_server: str, ws: dict[str, int], page: Any, browser: Any,
        clock: Any) -> None:
    w = ws["workshop"]
    clock.set(BEFORE_DEADLINE)

    # The secretariat invites a person without an account.
    login(page, live_server, SECRETARIAT)
    page.goto(f"{live_server}/cykler/{_cycle(app, w)}/workshops")
    _holds(page, "the cycle's workshops")
    click_and_wait(page, page.get_by_role("main").get_by_role("link", name=TITLE))
    assert page.url.endswith(f"/workshops/{w}")
    _holds(page, "the workshop's overview")
    page.goto(f"{live_server}/workshops/{w}/invitationer")
    _holds(page, "the invitations")
    form = page.locator("form", has=page.get_by_role("button", name="Invitér", exact=True))
    form.get_by_label("Navn").fill(GUEST)
    form.get_by_label("E-mail").fill(GUEST_EMAIL)
    form.get_by_label("Kommer fra").select_option(label="Hjørring Kommune")
    click_and_wait(page, form.get_by_role("button", name="Invitér", exact=True))
    assert "1 person er inviteret" in page.inner_text("body")

    # She follows the link in her invitation e-mail, with no session of her own.
    (invitation,) = _mails(app, GUEST_EMAIL)
    assert TITLE in invitation.subject
    link = re.search(r"https?://\S+/workshops/tilmelding/\S+", invitation.body_text)
    assert link is not None, invitation.body_text
    guest = browser.new_context(viewport={"width": 1280, "height": 900}, locale="da-DK")
    guest.set_default_timeout(10_000)
    tab = guest.new_page()
    try:
        tab.goto(live_server + urlsplit(link.group(0)).path)
        assert f"Til {GUEST}" in tab.inner_text("main")
        _holds(tab, "the sign-up by link")
        tab.get_by_label("Ja, jeg deltager").check()
        for theme in [*ROOMY, "Rehabilitering", HOMELESS]:
            tab.get_by_label(theme, exact=True).check()
        tab.get_by_label("Behov for kost eller tilgængelighed").fill("Glutenfri frokost")
        click_and_wait(tab, tab.get_by_role("button", name="Gem tilmeldingen"))
        refused = tab.locator(".error-summary").inner_text()
        assert "Vælg 2 temaer i “Session 1: Mestring af eget liv” (du har valgt 3)" in refused
        for theme in [*ROOMY, "Rehabilitering", HOMELESS]:
            assert tab.get_by_label(theme, exact=True).is_checked(), theme
        assert tab.get_by_label("Behov for kost eller tilgængelighed").input_value() == (
            "Glutenfri frokost")
        _holds(tab, "the sign-up refused")
        tab.get_by_label("Rehabilitering", exact=True).uncheck()
        click_and_wait(tab, tab.get_by_role("button", name="Gem tilmeldingen"))
        assert "Din tilmelding er gemt" in tab.inner_text("body")
        for theme in [*ROOMY, HOMELESS]:
            assert "Du har en plads." in _state(tab, theme), theme
        assert "Fuldt – venteliste: 0" in _state(tab, HOMELESS)
        _holds(tab, "the sign-up saved")
    finally:
        guest.close()

    # The next person finds "Flere hjemløse" full and takes the waiting list.
    page.context.clear_cookies()
    login(page, live_server, NEXT)
    page.goto(f"{live_server}/workshops/{w}/tilmelding")
    _holds(page, "the signed-in sign-up")
    page.get_by_label("Ja, jeg deltager").check()
    for theme in [*ROOMY, HOMELESS]:
        page.get_by_label(theme, exact=True).check()
    click_and_wait(page, page.get_by_role("button", name="Gem tilmeldingen"))
    assert "Temaet “Flere hjemløse” er fuldt" in page.locator(".error-summary").inner_text()
    assert page.get_by_label(HOMELESS, exact=True).is_checked()
    page.get_by_label("Sæt mig på ventelisten", exact=False).check()
    click_and_wait(page, page.get_by_role("button", name="Gem tilmeldingen"))
    assert "Din tilmelding er gemt" in page.inner_text("body")
    assert "Du står på ventelisten." in _state(page, HOMELESS)

    # The secretariat moves her to another theme; he gets her place.
    page.context.clear_cookies()
    login(page, live_server, SECRETARIAT)
    page.goto(f"{live_server}/workshops/{w}/temaer/{ws[HOMELESS]}")
    main = page.get_by_role("main")
    waiting = main.locator("h2:has-text('Venteliste') + ol")
    assert PEOPLE[NEXT][0] in waiting.inner_text()
    _holds(page, "the theme's page")
    hers = main.locator("details", has=page.locator("summary", has_text=f"Flyt {GUEST}"))
    hers.locator("summary").click()
    hers.get_by_label("Flyt til").select_option(label=ELDERLY)
    click_and_wait(page, hers.get_by_role("button", name=f"Flyt {GUEST}"))
    assert "Skriv en begrundelse" in main.locator(".error-summary").inner_text()
    assert hers.get_attribute("open") is not None  # her form stays open, the choice kept
    assert hers.get_by_label("Flyt til").input_value() == str(ws["elderly"])
    _holds(page, "the move refused")
    hers.get_by_label("Begrundelse (står i e-mailen)").fill("Hjørring ønsker en deltager i "
                                                            "gruppen om ældre med handicap.")
    click_and_wait(page, hers.get_by_role("button", name=f"Flyt {GUEST}"))
    assert f"{GUEST} er flyttet og har fået besked." in page.inner_text("body")
    participants = main.locator(".people-list").inner_text()
    assert PEOPLE[NEXT][0] in participants and GUEST not in participants
    assert "Ingen på ventelisten." in main.inner_text()
    page.goto(f"{live_server}/workshops/{w}/temaer/{ws['elderly']}")
    assert GUEST in main.locator(".people-list").inner_text()
    assert any("ønsker en deltager i gruppen om ældre" in m.body_text
               for m in _mails(app, GUEST_EMAIL)[1:])
    assert len(_mails(app, NEXT)) >= 2  # the invitation, and the place that freed up

    # The secretariat names a facilitator for the theme.
    page.goto(f"{live_server}/workshops/{w}/temaer/{ws[HOMELESS]}")
    click_and_wait(page, main.get_by_role("link", name="Rediger temaet"))
    _holds(page, "the theme's form")
    page.get_by_label("Facilitator").select_option(
        label=f"{PEOPLE[FACILITATOR][0]} (Aalborg Kommune)")
    click_and_wait(page, main.get_by_role("button", name="Gem temaet"))
    assert "Temaet er gemt." in page.inner_text("body")
    click_and_wait(page, main.get_by_role("link", name="Temaets input"))
    assert page.url.endswith(f"/workshops/{w}/temaer/{ws[HOMELESS]}/input")
    assert PEOPLE[FACILITATOR][0] in main.locator("dl.facts").inner_text()

    # After the workshop the facilitator records a challenge and an action.
    clock.set(AFTER_WORKSHOP)
    page.context.clear_cookies()
    login(page, live_server, FACILITATOR)
    path = f"/workshops/{w}/temaer/{ws[HOMELESS]}/input"
    page.goto(live_server + path)
    _holds(page, "the theme's input")
    main.get_by_label("Udfordring", exact=True).check()
    main.get_by_label("Underoverskrift").fill("Boliger")
    main.locator("#body").fill(CHALLENGE)
    click_and_wait(page, main.get_by_role("button", name="Gem input"))
    main.get_by_label("Tiltag", exact=True).check()
    main.get_by_label("Underoverskrift").fill("Boliger")
    main.locator("#body").fill(ACTION)
    click_and_wait(page, main.get_by_role("button", name="Gem input"))
    text = main.inner_text()
    assert CHALLENGE in text and ACTION in text and PEOPLE[FACILITATOR][0] in text
    _holds(page, "the theme's input with new items")

    # The secretariat merges two themes of the list and downloads the input as DOCX.
    page.context.clear_cookies()
    login(page, live_server, SECRETARIAT)
    page.goto(f"{live_server}/workshops/{w}")
    click_and_wait(page, main.get_by_role("link", name="Temaliste til prioritering"))
    assert page.url.endswith(f"/workshops/{w}/temaliste")
    _holds(page, "the prioritisation list")
    merge = page.locator("form", has=page.get_by_role("button", name="Læg sammen"))
    merge.get_by_label(HOMELESS, exact=True).check()
    merge.get_by_label(ELDERLY, exact=True).check()
    merge.get_by_label("Det samlede temas titel").fill(MERGED)
    click_and_wait(page, merge.get_by_role("button", name="Læg sammen"))
    assert "Temaerne er lagt sammen." in page.inner_text("body")
    row = main.locator("#temaliste tr", has_text=MERGED)
    assert f"{HOMELESS}, {ELDERLY}" in row.inner_text()
    _holds(page, "the merged list")

    page.goto(f"{live_server}/workshops/{w}")
    click_and_wait(page, main.get_by_role("link", name="Input fra temaerne"))
    assert page.url.endswith(f"/workshops/{w}/input")
    _holds(page, "the workshop's input")
    with page.expect_download() as download:
        main.get_by_role("link", name="Hent alt input som Word-fil (DOCX)").click()
    with open(download.value.path(), "rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    styled = [(p.style.name if p.style is not None else "", p.text)
              for p in document.paragraphs]
    assert ("Heading 1", HOMELESS) in styled
    assert ("Heading 2", "Udfordringer") in styled
    assert any(CHALLENGE in text for _style, text in styled)


def _cycle(app: Any, workshop_id: int) -> int:
    with app.app_context():
        found = db.session.scalars(select(Workshop.cycle_id).where(
            Workshop.id == workshop_id)).one()
        db.session.remove()
    return found

