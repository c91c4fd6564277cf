"""Issue 14, "Done when": from 14 themes to the agreement's content, walked through in Chromium.

On the Nordjylland demo (its published board, its open theme day and its focus areas):

1. The secretariat makes a new prioritisation board from the workshop's 14-theme list, adds
   three criteria (one with weight 2) and three steering-group members by name, and opens it.
2. Three members score in three browser contexts of their own: each sees their own progress
   ("n af 14 temaer"); no page a member can reach holds another member's scores, comments or
   abstention note in its HTML, and the results (page and spreadsheets) are refused while open.
3. The secretariat closes the board; the result ranks the themes (ties as ties) with the working
   group's recommendation beside each.
4. The secretariat picks three themes for the theme day and publishes; a member reads it.
5. Two politicians vote on the demo's theme day, one at phone width, while the secretariat's
   projector shows the live tally, which follows without a reload; four picks are refused in
   Danish with the picks kept; the secretariat ends the vote and the tally freezes.
6. The secretariat adds an initiative to a focus area and reports its status; a browser that
   never logged in reads both on the public page.

axe-core finds no WCAG A/AA violation on each page and none scrolls sideways at 390 px.
Set WALK_SCREENSHOTS=<dir> to save each page at 1280 and 390 px for a look by eye.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.browser.conftest import SECRETARIAT, check_axe, click_and_wait, login
from tests.browser.test_reflow import DESKTOP, holds_at_both_widths
from webapp.demo.theme_day import TITLE as THEME_DAY
from webapp.extensions import db
from webapp.formatting import LOCAL_TZ
from webapp.models import Cycle, Region, ThemeDay

pytestmark = pytest.mark.browser

BOARD = "DAS' prioritering, anden runde"
CRITERIA = [("Tværkommunal relevans", 2), ("Potentiale for fælles handling", 1),
            ("Politisk relevans", 1)]
# The three members (e-mail, name as the secretariat picks them) and what each writes.
MEMBERS = [
    ("das@nordjylland.example", "Dorte Direktør (DAS – Den Administrative Styregruppe)"),
    ("direktoer.aalborg@nordjylland.example", "Annette Skov (Aalborg Kommune)"),
    ("direktoer.thisted@nordjylland.example", "Tove Mikkelsen (Thisted Kommune)"),
]
COMMENTS = ["Dortes hemmelige bemærkning om temaet", "Annettes hemmelige bemærkning om temaet",
            "Toves hemmelige bemærkning om temaet"]
ABSTAIN_NOTE = "Thisted driver selv et tilbud på området"  # Tove, on the last theme
DISAGREE = 6  # the theme (0-based position) the members disagree on: 5, 1 and 3
POLITICIAN = "politiker@nordjylland.example"  # has not voted in the demo
ALLAN = "politiker.aalborg@nordjylland.example"  # has voted; changes his picks
INITIATIVE = "Fælles udkørende team for unge med dobbeltdiagnoser"
REPORT = "Rebild og Mariagerfjord har ansat de to første medarbejdere i teamet."


def _local(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LOCAL_TZ)


SCORING = _local("2017-02-14T10:00")  # the demo's prioritisation milestone runs 13.–27.02.
CLOSING = _local("2017-02-27T13:00")
THE_DAY = _local("2017-04-28T10:30")  # the theme day, after the demo's votes of 9.00
REPORTING = _local("2017-06-01T10:00")
# A score chosen in the scoring form (the empty value is "Ingen score endnu").
SCORED = "form.board-score-form input[type=radio]:checked:not([value=''])"


def _score(position: int, member: int) -> int:
    """Every criterion the same score: three themes at the top share 1st place (5.00)."""
    if position == DISAGREE:
        return (5, 1, 3)[member]
    return 5 - position // 3


def _holds(page: Any, what: str) -> None:
    _screenshots(page, what)
    holds_at_both_widths(page, what)


def _screenshots(page: Any, what: str) -> None:
    folder = os.environ.get("WALK_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    size = page.viewport_size or DESKTOP
    name = re.sub(r"[^a-z0-9]+", "-", what.lower()).strip("-")
    for width, step in ((1280, 1600), (390, 1200)):  # long pages in parts one can read
        page.set_viewport_size({"width": width, "height": 900})
        height = page.evaluate("() => document.documentElement.scrollHeight")
        for part, top in enumerate(range(0, height, step)):
            page.screenshot(path=f"{folder}/{name}-{width}-{part + 1}.png", full_page=True,
                            clip={"x": 0, "y": top, "width": width,
                                  "height": min(step, height - top)})
    page.set_viewport_size(size)

# A checkbox whose label starts below it instead of beside it (the label a block of its own).
BOX_APART = """() => Array.from(document.querySelectorAll('main input[type=checkbox]'))
    .filter(box => {
      const label = document.querySelector(`label[for="${box.id}"]`);
      if (!label) return true;
      const first = label.getClientRects()[0];
      return first.top >= box.getBoundingClientRect().bottom;
    }).map(box => box.id)"""


def _context(browser: Any, width: int = 1280) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="da-DK")
    context.set_default_timeout(10_000)
    return context


@pytest.fixture(scope="module")
def ids(app: Any, live_server: str) -> dict[str, int]:
    with app.app_context():
        cycle = db.session.scalars(select(Cycle.id).join(Region, Region.id == Cycle.region_id)
                                   .where(Region.code == "nordjylland",
                                          Cycle.title == "Rammeaftale 2018")).one()
        day = db.session.scalars(select(ThemeDay.id).where(ThemeDay.cycle_id == cycle,
                                                           ThemeDay.title == THEME_DAY)).one()
        db.session.remove()
    return {"cycle": cycle, "day": day}


def test_from_fourteen_themes_to_the_focus_areas(live_server: str, ids: dict[str, int],
                                                 browser: Any, page: Any, clock: Any) -> None:
    base = live_server
    main = page.get_by_role("main")

    # 1. The secretariat makes the board from the workshop's list and opens it.
    clock.set(SCORING)
    login(page, base, SECRETARIAT)
    page.goto(f"{base}/cykler/{ids['cycle']}")
    click_and_wait(page, main.get_by_role("link", name="Prioritering af temaer", exact=True))
    _holds(page, "the cycle's boards")
    click_and_wait(page, main.get_by_role("link", name="Ny prioriteringstavle"))
    page.get_by_label("Titel").fill(BOARD)
    assert "(14 temaer)" in page.get_by_label("Temaer").inner_text()
    page.get_by_label("Indledning til medlemmerne").fill(
        "Scor de 14 temaer fra workshoppen før mødet den **2. marts**.")
    _holds(page, "the new board form")
    click_and_wait(page, main.get_by_role("button", name="Opret tavlen"))
    board_page = page.url
    board = int(board_page.rsplit("/", 1)[1])
    assert "Tavlen er oprettet som kladde" in page.inner_text("body")
    themes = [re.sub(r"^\d+\. ", "", t) for t in
              page.locator("#temaer-tabel tbody th").all_inner_texts()]
    assert len(themes) == 14
    # the working group's recommendation of each theme, copied from the workshop's list
    advice = dict(zip(themes, page.locator("#temaer-tabel tbody td:nth-child(3)")
                      .all_inner_texts(), strict=True))
    assert "Anbefales" in advice.values() and "Anbefales ikke" in advice.values()
    for title, weight in CRITERIA:
        click_and_wait(page, main.get_by_role("link", name="Nyt kriterium"))
        page.get_by_label("Kriterium").fill(title)
        page.get_by_label("Vægt").fill(str(weight))
        if weight == 2:
            _holds(page, "the criterion form")
        click_and_wait(page, main.get_by_role("button", name="Tilføj kriteriet"))
        assert f"Kriteriet “{title}” er tilføjet." in page.inner_text("body")
    click_and_wait(page, main.get_by_role("link", name="Medlemmer", exact=True))
    for _email, label in MEMBERS:
        page.locator("#user_id").select_option(label=label)
        click_and_wait(page, main.get_by_role("button", name="Tilføj personen"))
        assert f"{label.split(' (')[0]} er tilføjet tavlen." in page.inner_text("body")
    _holds(page, "the board's members")
    click_and_wait(page, main.get_by_role("link", name="Tilbage til tavlen"))
    _holds(page, "the draft board")
    click_and_wait(page, main.get_by_role("button", name="Åbn tavlen for scoring"))
    assert "3 medlemmer har fået en invitation" in page.inner_text("body")
    assert page.locator("#fremskridt-tabel").inner_text().count("0 af 14 temaer") == 3
    _holds(page, "the open board")

    # 2. Three members score blind, each in a browser of their own.
    members = [_context(browser) for _ in MEMBERS]
    try:
        tabs = [context.new_page() for context in members]
        for n, (tab, (email, _label)) in enumerate(zip(tabs, MEMBERS, strict=True)):
            login(tab, base, email)
            secrets = COMMENTS[:n]  # what the members before this one wrote
            tab.goto(f"{base}/prioritering/{board}")
            assert "Til din scoring" in tab.inner_text("main")
            click_and_wait(tab, tab.get_by_role("link", name="Til din scoring"))
            assert "Du har scoret\n0 af 14 temaer" in tab.inner_text("main")
            if n == 0:
                _holds(tab, "the member's scoring overview")
            click_and_wait(tab, tab.get_by_role("main").get_by_role("link", name=themes[0]))
            for position, theme in enumerate(themes):
                assert tab.locator("h1").inner_text() == theme
                html = tab.content()
                _blind(html, secrets, what=f"{email} on “{theme}”")
                # the earlier members scored this theme: nothing of it is in this form
                assert tab.locator(SCORED).count() == 0
                if n == 0 and position == 0:
                    _holds(tab, "the member's theme page")
                _fill(tab, position, n)
                button = "Gem og gå til næste tema" if position < 13 else "Gem"
                click_and_wait(tab, tab.get_by_role("button", name=button, exact=True))
                if position == 0:
                    assert "Du har scoret 1 af 14 temaer" in tab.inner_text("main")
            assert "Du har scoret 14 af 14 temaer" in tab.inner_text("main")
            if n == 2:
                _holds(tab, "the member's abstention")
        # Afterwards every member goes everywhere a member can go: only their own ballot.
        for n, (tab, (email, _label)) in enumerate(zip(tabs, MEMBERS, strict=True)):
            others = [c for k, c in enumerate(COMMENTS) if k != n]
            if n != 2:
                others.append(ABSTAIN_NOTE)
            for path in (f"/prioritering/{board}", f"/prioritering/{board}/scoring",
                         f"/cykler/{ids['cycle']}/prioritering", "/oversigt"):
                tab.goto(base + path)
                _blind(tab.content(), others, what=f"{email} on {path}")
            tab.goto(f"{base}/prioritering/{board}/scoring")
            assert "Du har scoret\n14 af 14 temaer" in tab.inner_text("main")
            links = tab.get_by_role("main").get_by_role("link")
            hrefs = {p: links.filter(has_text=themes[p]).first.get_attribute("href")
                     for p in (0, DISAGREE, 13)}
            for position, href in hrefs.items():
                tab.goto(f"{base}{href}")
                assert tab.locator("h1").inner_text() == themes[position]
                _blind(tab.content(), others, what=f"{email} on “{themes[position]}”")
                checked = tab.locator(SCORED)
                if n == 2 and position == 13:
                    assert checked.count() == 0
                    assert tab.get_by_label("Jeg er inhabil i dette tema").is_checked()
                else:  # their own scores, and no one else's
                    assert checked.count() == 3
                    assert [checked.nth(k).get_attribute("value") for k in range(3)] == [
                        str(_score(position, n))] * 3
                if position == 0:
                    assert COMMENTS[n] in tab.content()
            for path in (f"/prioritering/{board}/resultat", f"/prioritering/{board}/resultat.xlsx",
                         f"/prioritering/{board}/scorer.xlsx", f"/api/v1/boards/{board}/results"):
                response = tab.request.get(base + path)
                assert response.status in (401, 403, 404), (email, path, response.status)
                _blind(response.text(), others, what=f"{email} refused {path}")
            # the API's list of boards (the session signs in): counts, not even the progress
            listed = tab.request.get(f"{base}/api/v1/cycles/{ids['cycle']}/boards")
            _blind(listed.text(), others, what=f"{email} in the API")
            (mine,) = [b for b in listed.json() if b["id"] == board]
            assert mine["results_available"] is False and "members_done" not in mine
            response = tab.goto(f"{base}/prioritering/{board}/resultat")
            assert response is not None and response.status in (403, 404)
            assert "Rangordning" not in tab.content()
        check_axe(tabs[0], note="the refused result")

        # 3. The secretariat closes the board: the ranking, the recommendations beside it.
        clock.set(CLOSING)
        page.goto(board_page)
        assert page.locator("#fremskridt-tabel").inner_text().count("14 af 14 temaer") == 3
        click_and_wait(page, main.get_by_role("button", name="Luk tavlen"))
        assert "Tavlen er lukket" in page.inner_text("body")
        click_and_wait(page, main.get_by_role("link", name="Resultat"))
        result_page = page.url
        assert result_page == f"{base}/prioritering/{board}/resultat"
        rows = page.locator("#rangordning-tabel tbody tr")
        assert rows.count() == 14
        ranks = [rows.nth(k).locator(".rank").inner_text() for k in range(5)]
        assert ranks == ["1.", "1.", "1.", "4.", "4."], ranks  # ties shown as ties
        top = [rows.nth(k).locator("th a").inner_text() for k in range(3)]
        assert sorted(top) == sorted(themes[:3])
        for k in range(14):  # the working group's recommendation beside each score
            title = rows.nth(k).locator("th a").inner_text()
            beside = rows.nth(k).locator("td").first.inner_text().split("\n")[0]
            assert beside == advice[title], (title, beside)
        disagreement = rows.filter(has=page.get_by_role("link", name=themes[DISAGREE],
                                                        exact=True))
        assert "Uenighed" in disagreement.inner_text()
        _holds(page, "the result for the secretariat")

        # 4. Three themes for the theme day, the result published; a member reads it.
        for title in top:
            page.get_by_role("checkbox", name=title, exact=True).check()
        click_and_wait(page, page.get_by_role("button", name="Gem valget af temaer"))
        assert "3 temaer er valgt til temadagen." in page.inner_text("main")
        page.get_by_label("Konklusion").fill(
            "DAS sender de **tre højest placerede temaer** videre til den politiske temadag.")
        click_and_wait(page, page.get_by_role("button", name="Gem konklusionen"))
        click_and_wait(page, page.get_by_role("button", name="Offentliggør resultatet"))
        assert "Resultatet er offentliggjort" in page.inner_text("main")
        reader = tabs[1]
        reader.goto(f"{base}/prioritering/{board}")
        click_and_wait(reader, reader.get_by_role("link", name="Se resultatet"))
        text = reader.inner_text("main")
        assert "tre højest placerede temaer" in text
        chosen = reader.locator("#til-temadagen + ul").inner_text()
        assert all(title in chosen for title in top)
        assert reader.get_by_role("button", name="Offentliggør resultatet").count() == 0
        assert reader.request.get(f"{base}/prioritering/{board}/scorer.xlsx").status in (403,
                                                                                        404)
        _holds(reader, "the published result for a member")
    finally:
        for context in members:
            context.close()

    # 5. The theme day: two politicians vote while the projector's tally follows.
    clock.set(THE_DAY)
    day = ids["day"]
    page.goto(f"{base}/cykler/{ids['cycle']}")
    click_and_wait(page, main.get_by_role("link", name="Politisk temadag", exact=True))
    click_and_wait(page, main.get_by_role("link", name=THEME_DAY))
    _holds(page, "the theme day")
    click_and_wait(page, main.get_by_role("link", name="Optælling", exact=True))
    assert page.url == f"{base}/temadage/{day}/optaelling"
    _holds(page, "the live tally")
    page.evaluate("() => { window.sameDocument = true; }")  # gone if the page reloads

    phone, laptop = _context(browser, 390), _context(browser)
    try:
        allan = laptop.new_page()
        login(allan, base, ALLAN)
        allan.goto(f"{base}/temadage/{day}/stem")
        assert allan.evaluate(BOX_APART) == []
        section = allan.locator("section.vote-theme").first
        theme_id = section.get_attribute("id")
        assert theme_id is not None
        # an option he has not picked: both politicians add it
        target = section.locator("input[type=checkbox]:not(:checked)").first
        target_value = target.get_attribute("value")
        assert target_value is not None
        before = _tally(page, target_value)

        poul = phone.new_page()
        login(poul, base, POLITICIAN)
        poul.goto(f"{base}/temadage/{day}/stem")
        _holds_on_phone(poul, "the vote on a phone")
        assert poul.evaluate(BOX_APART) == []
        form = poul.locator(f"#{theme_id} form")
        others = form.locator(f"input[type=checkbox]:not([value='{target_value}'])")
        form.locator(f"input[value='{target_value}']").check()
        for k in range(3):
            others.nth(k).check()
        click_and_wait(poul, form.get_by_role("button"))
        refused = poul.locator(f"#{theme_id} .error-summary").inner_text()
        assert "Dine valg er ikke gemt" in refused and "Vælg højst 3" in refused, refused
        assert poul.locator(f"#{theme_id} input:checked").count() == 4  # the picks kept
        _holds_on_phone(poul, "the refused vote on a phone")
        form = poul.locator(f"#{theme_id} form")
        form.locator(f"input:checked:not([value='{target_value}'])").first.uncheck()
        assert form.locator(f"input[value='{target_value}']").is_checked()
        click_and_wait(poul, form.get_by_role("button"))
        assert "er gemt" in poul.inner_text("main")
        _wait_for_tally(page, target_value, before + 1)

        form = allan.locator(f"#{theme_id} form")
        while form.locator("input:checked").count():
            form.locator("input:checked").first.uncheck()
        form.locator(f"input[value='{target_value}']").check()
        click_and_wait(allan, form.get_by_role("button"))
        assert "er gemt" in allan.inner_text("main")
        _wait_for_tally(page, target_value, before + 2)
        assert page.evaluate("() => window.sameDocument === true"), "the tally page reloaded"

        # The secretariat ends the vote from another tab; the projector's tally freezes.
        controls = page.context.new_page()
        controls.goto(f"{base}/temadage/{day}")
        click_and_wait(controls, controls.get_by_role("button", name="Afslut afstemningen"))
        assert "Afstemningen er afsluttet" in controls.inner_text("body")
        page.wait_for_selector("#tally-ended", state="visible", timeout=15_000)
        assert "Afstemningen er afsluttet" in page.inner_text("#tally-ended")
        assert not page.is_visible("#tally-live")
        counts = page.locator(".tally-n").all_inner_texts()
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        poul.goto(f"{base}/temadage/{day}/stem")
        assert "Afstemningen er afsluttet" in poul.inner_text("main")
        assert poul.locator(f"#{theme_id} form").count() == 0
        page.wait_for_timeout(3_500)  # longer than one round of the tally's script
        assert asked == [] and page.locator(".tally-n").all_inner_texts() == counts
        assert page.evaluate("() => window.sameDocument === true")
        _holds(page, "the ended tally")
    finally:
        phone.close()
        laptop.close()

    # 6. A new initiative with its status, on the public page without login.
    clock.set(REPORTING)
    page.goto(f"{base}/cykler/{ids['cycle']}")
    click_and_wait(page, main.get_by_role("link", name="Cyklussens fokusområder og initiativer"))
    assert page.url == f"{base}/cykler/{ids['cycle']}/fokusomraader"
    click_and_wait(page, main.get_by_role("link", name="Nyt initiativ – Nye samarbejdsformer"))
    page.locator("#title").fill(INITIATIVE)
    page.locator("#lead_organisation_id").select_option(label="Rebild Kommune")
    _holds(page, "the initiative form")
    click_and_wait(page, main.get_by_role("button", name="Gem initiativet"))
    assert "Initiativet er oprettet." in page.inner_text("body")
    click_and_wait(page, main.get_by_role("link", name=f"Meld status – {INITIATIVE}"))
    page.get_by_label("I gang", exact=True).check()
    page.locator("#report").fill(REPORT)
    page.locator("#reported_on").fill("2017-05-31")
    _holds(page, "the status form")
    click_and_wait(page, main.get_by_role("button", name="Meld status"))
    assert "Status er meldt." in page.inner_text("body")
    page.goto(f"{base}/cykler/{ids['cycle']}/fokusomraader")
    _holds(page, "the cycle's focus areas")

    stranger = _context(browser)
    try:
        public = stranger.new_page()
        response = public.goto(f"{base}/offentlig/cykler/{ids['cycle']}/fokusomraader")
        assert response is not None and response.status == 200
        assert public.url.endswith(f"/offentlig/cykler/{ids['cycle']}/fokusomraader")
        assert public.get_by_role("link", name="Log ud").count() == 0
        text = public.inner_text("main")
        assert "Fokusområde 3: Nye samarbejdsformer" in text
        item = public.locator("ul.initiatives li", has_text=INITIATIVE)
        assert item.locator(".initiative-letter").inner_text() == "d)"
        assert "Rebild Kommune" in item.inner_text() and "I gang" in item.inner_text()
        assert REPORT in item.inner_text()
        _holds(public, "the public focus areas")
    finally:
        stranger.close()


def _blind(html: str, secrets: list[str], *, what: str) -> None:
    """None of the other members' words in the page's HTML (not only its visible text)."""
    leaked = [s for s in secrets if s in html]
    assert not leaked, f"{what}: another member's words in the HTML: {leaked}"


def _fill(tab: Any, position: int, member: int) -> None:
    """A member's ballot for one theme: a score per criterion, a comment on the first theme,
    and Tove abstains on the last."""
    form = tab.locator("form.board-score-form")
    if member == 2 and position == 13:
        form.get_by_label("Jeg er inhabil i dette tema").check()
        form.get_by_label("Hvorfor er du inhabil?").fill(ABSTAIN_NOTE)
        return
    value = str(_score(position, member))
    for fieldset in form.locator("fieldset").all():
        fieldset.locator(f"input[type=radio][value='{value}']").check()
    if position == 0:
        form.get_by_label("Kommentar (valgfri)").fill(COMMENTS[member])


def _tally(page: Any, item: str) -> int:
    return int(page.inner_text(f'[data-item="{item}"] .tally-n'))


def _wait_for_tally(page: Any, item: str, count: int) -> None:
    page.wait_for_function(
        "([id, n]) => parseInt(document.querySelector(`[data-item='${id}'] .tally-n`)"
        ".textContent, 10) === n", arg=[item, count], timeout=15_000)


def _holds_on_phone(page: Any, what: str) -> None:
    """The phone's browser: axe and no sideways scrolling at its own 390 px."""
    _screenshots(page, what)
    page.set_viewport_size({"width": 390, "height": 844})
    wide, window = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert wide <= window, what
    check_axe(page, note=f"{what} (at 390 px)")
