"""Blind scoring in Chromium: three steering-group members score an open board, each sees only
their own scores and progress; a score typed with the keyboard is kept; the pages have no
sideways scrolling at 320 px, and axe-core finds nothing on them."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.boards import factories as bf
from tests.browser.conftest import check_axe, click_and_wait, login
from tests.browser.test_reflow import DESKTOP, fits_width
from webapp.extensions import db
from webapp.models import Cycle, Region, User

pytestmark = pytest.mark.browser

MEMBERS = ["das@nordjylland.example", "direktoer.aalborg@nordjylland.example",
           "direktoer.thisted@nordjylland.example"]


@pytest.fixture(scope="module")
def board(app: Any, live_server: str) -> dict[str, Any]:
    """An open board of the demo's list themes with three members, none of whom has scored."""
    with app.test_request_context():
        cycle = db.session.scalars(select(Cycle).join(Region, Region.id == Cycle.region_id)
                                   .where(Region.code == "nordjylland",
                                          Cycle.title.startswith("Rammeaftale 2018"))).first()
        assert cycle is not None
        made = bf.demo_board(cycle, title="Browsertavle", scored=False)
        keep = set(db.session.scalars(select(User.id).where(User.email.in_(MEMBERS))))
        for member in db.session.scalars(select(bf.BoardMember).where(
                bf.BoardMember.board_id == made.id)):
            if member.user_id not in keep:
                db.session.delete(member)
        db.session.commit()
        themes = [t.id for t in bf.themes_of(made)]
        out = {"id": made.id, "themes": themes}
        db.session.remove()
    return out


def _score(page: Any, values: list[str], comment: str) -> None:
    for fieldset, value in zip(page.locator("form.board-score-form fieldset").all(), values,
                               strict=False):
        fieldset.get_by_label(value, exact=False).first.check()
    page.get_by_label("Kommentar (valgfri)").fill(comment)
    click_and_wait(page, page.get_by_role("button", name="Gem", exact=True))


def test_three_members_score_blind(live_server: str, board: Any, browser: Any) -> None:
    url = f"{live_server}/prioritering/{board['id']}/scoring"
    comments = {}
    for n, email in enumerate(MEMBERS):
        context = browser.new_context(viewport=DESKTOP, locale="da-DK")
        page = context.new_page()
        try:
            login(page, live_server, email)
            page.goto(url)
            assert "0 af 14 temaer" in page.inner_text("main")
            check_axe(page)
            click_and_wait(page, page.get_by_role("link", name="Rehabilitering"))
            main = page.inner_text("main")
            for earlier in comments.values():  # no other member's comment, ever
                assert earlier not in page.content()
            assert "Input fra workshoppen" in main and "Anbefales" in main
            check_axe(page)
            comments[email] = f"Kommentar nummer {n + 1} fra browseren"
            _score(page, ["5", "4", "3"] if n != 1 else ["1", "2", "1"], comments[email])
            assert "er gemt" in page.inner_text("main")
            checked = page.locator("form.board-score-form input[type=radio]:checked")
            assert [checked.nth(k).get_attribute("value") for k in range(3)] == (
                ["5", "4", "3"] if n != 1 else ["1", "2", "1"])
            page.goto(url)
            assert "Scoret" in page.inner_text("main")
            for width in (390, 320):
                fits_width(page, width)
            page.goto(f"{url}/{board['themes'][0]}")
            fits_width(page, 320)
            page.goto(f"{live_server}/oversigt")
            assert "Scor temaerne: Browsertavle" in page.inner_text("main")
            assert all(c not in page.content() for k, c in comments.items() if k != email)
        finally:
            context.close()
