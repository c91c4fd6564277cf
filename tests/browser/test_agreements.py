"""The agreement text pages in the browser: reflow at 390/320 px, nothing clipped at 1280 px,
axe-core at both, and the comparison readable without colour. (test_reflow.py covers the same
pages among all others; this file runs just these, for a quick check while working on them.)"""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import check_axe, login
from tests.browser.main_pages import ROLES, DemoIds, demo_ids, main_pages
from tests.browser.test_reflow import CLIPPED, HEADERLESS_COLUMNS, SIDEWAYS_CULPRITS

pytestmark = pytest.mark.browser

TEXT_PATHS = ("/tekster", "/versioner/")


@pytest.fixture(scope="module")
def ids(app: Any, live_server: str) -> DemoIds:
    return demo_ids(app)


@pytest.mark.parametrize("role", ["secretariat", "respondent"])
def test_text_pages_reflow_and_pass_axe(live_server: str, ids: DemoIds, page: Any,
                                        role: str) -> None:
    login(page, live_server, ROLES[role])
    paths = [p for p in main_pages(ids, role) if any(t in p for t in TEXT_PATHS)]
    assert len(paths) >= (9 if role == "secretariat" else 3), paths
    problems = []
    for path in paths:
        page.set_viewport_size({"width": 1280, "height": 900})
        response = page.goto(f"{live_server}{path}")
        assert response is not None and response.status == 200, path
        for what, script in [("clipped", CLIPPED), ("no column header", HEADERLESS_COLUMNS)]:
            if found := page.evaluate(script):
                problems.append(f"{path}: {what}: {found}")
        check_axe(page, note=path)
        for width in (390, 320):
            page.set_viewport_size({"width": width, "height": 800})
            wide, window = page.evaluate(
                "() => [document.documentElement.scrollWidth, window.innerWidth]")
            if wide > window:
                problems.append(f"{path} at {width} px: {wide} px wide; "
                                f"{page.evaluate(SIDEWAYS_CULPRITS)}")
        check_axe(page, note=f"{path} at 320 px")
    assert not problems, "\n".join(problems)


def test_the_comparison_marks_changes_without_colour(live_server: str, ids: DemoIds,
                                                     page: Any) -> None:
    login(page, live_server, ROLES["respondent"])
    page.goto(f"{live_server}/tekster/{ids.agreement_text}/sammenlign")
    inserted = page.locator(".diff-section ins").first
    deleted = page.locator(".diff-section del").first
    # A line under or through the words, and a symbol before them: not colour alone.
    assert "underline" in inserted.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert "line-through" in deleted.evaluate("e => getComputedStyle(e).textDecorationLine")
    assert inserted.locator(".mark-symbol").inner_text() == "+"
    assert deleted.locator(".mark-symbol").inner_text() == "−"
    # A screen reader hears what happened.
    assert inserted.locator(".visually-hidden").inner_text().strip() == "indsat:"
    assert deleted.locator(".visually-hidden").inner_text().strip() == "slettet:"
