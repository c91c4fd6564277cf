"""Layout on every main page of every demo role (tests/browser/main_pages.py lists them).

- WCAG 1.4.10 reflow: at 390 and 320 CSS px the page itself never scrolls sideways; wide tables
  scroll inside their own box (macros/layout.html table_wrap).
- At 1280 px nothing is clipped: a form field or table cell hidden beyond the right edge of its
  box is only acceptable in a scroll box that already uses the full width of the content column;
  a table that scrolls keeps its row headers in view; every column has a header one can see.
- axe-core finds nothing at 1280 and at 320 px.

One browser context per role and test; each page is loaded once per test and the viewport resized.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.conftest import check_axe, login
from tests.browser.main_pages import ROLES, DemoIds, demo_ids, main_pages, public_pages

pytestmark = pytest.mark.browser

PHONE_WIDTHS = [390, 320]
DESKTOP = {"width": 1280, "height": 900}

# Elements whose right edge lies beyond the viewport, outside any scroll box: the culprits when a
# page scrolls sideways.
SIDEWAYS_CULPRITS = """() => Array.from(document.querySelectorAll('body *'))
    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
    .filter(e => !e.parentElement.closest('.table-wrap, .chart-wrap'))
    .slice(0, 4).map(e => e.tagName.toLowerCase() + '.' + e.className
                        + ' ' + Math.round(e.getBoundingClientRect().right))"""

def fits_width(page: Any, width: int) -> None:
    """At `width` px the page does not scroll sideways (the culprits named if it does)."""
    page.set_viewport_size({"width": width, "height": 800})
    wide, window = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert wide <= window, f"{page.url} at {width} px: {page.evaluate(SIDEWAYS_CULPRITS)}"


def holds_at_both_widths(page: Any, what: str, *, axe_on_phone: bool = False) -> None:
    """For the walks: axe at 1280 px, and at 390 px nothing makes the page scroll sideways
    (and, if asked, axe again there); the tab is left at 1280 px."""
    page.set_viewport_size(DESKTOP)
    check_axe(page, note=what)
    page.set_viewport_size({"width": 390, "height": 800})
    assert page.evaluate(SIDEWAYS_CULPRITS) == [], what
    wide, window = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert wide <= window, what
    if axe_on_phone:
        check_axe(page, note=f"{what} (at 390 px)")
    page.set_viewport_size(DESKTOP)


# Form fields and table cells cut off at the right: by an overflow:hidden/clip ancestor, by the
# viewport (no scroll box at all), or inside a scroll box narrower than the content column (the
# page had room to show them: "Bemærkning" hidden while 380 px stay empty).
CLIPPED = """() => {
  const column = document.querySelector('main .wrap');
  const columnRight = column.getBoundingClientRect().right
      - parseFloat(getComputedStyle(column).paddingRight);
  const name = e => e.tagName.toLowerCase() + (e.id ? '#' + e.id : '')
      + (e.getAttribute('name') ? '[name=' + e.getAttribute('name') + ']' : '')
      + (e.tagName === 'TD' || e.tagName === 'TH'
         ? ' "' + e.innerText.trim().slice(0, 30) + '"' : '');
  const found = [];
  const fields = 'main input:not([type=hidden]), main select, main textarea, main button, '
      + 'main td, main th';
  for (const el of document.querySelectorAll(fields)) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (el.closest('.visually-hidden')) continue;
    let box = el.parentElement;
    while (box && box !== document.body && getComputedStyle(box).overflowX === 'visible') {
      box = box.parentElement;
    }
    if (!box || box === document.body) {
      if (r.right > window.innerWidth + 1) found.push(name(el) + ': beyond the window');
      continue;
    }
    const b = box.getBoundingClientRect();
    const visibleRight = b.left + box.clientLeft + box.clientWidth;
    if (r.right <= visibleRight + 1) continue;
    const overflow = getComputedStyle(box).overflowX;
    if (overflow !== 'auto' && overflow !== 'scroll') {
      found.push(name(el) + ': cut off by ' + name(box) + ' (overflow ' + overflow + ')');
    } else if (visibleRight < columnRight - 2) {
      found.push(name(el) + ': hidden in a scroll box ' + Math.round(box.clientWidth)
                 + ' px wide, the column has ' + Math.round(columnRight - b.left) + ' px');
    }
  }
  return found.slice(0, 6);
}"""

# A table that scrolls sideways keeps its first column (row headers, <th scope=row>) in view:
# scrolled to the far right, each row's first cell still sits at the box's left edge and is what
# one sees there (its background hides the cells passing beneath).
ROW_HEADERS_SCROLLED = """() => {
  const found = [];
  for (const wrap of document.querySelectorAll('main .table-wrap')) {
    if (wrap.scrollWidth <= wrap.clientWidth + 1) continue;
    const table = wrap.querySelector('table');
    const label = (table.id || table.className) + '';
    const rows = Array.from(table.querySelectorAll('tbody tr')).filter(tr => tr.cells.length > 1);
    if (!rows.length) continue;
    const first = rows[0].cells[0];
    if (first.tagName !== 'TH' || first.getAttribute('scope') !== 'row') {
      found.push(label + ': rows start with a ' + first.tagName.toLowerCase()
                 + ', not a row header (th scope=row)');
      continue;
    }
    wrap.scrollIntoView({block: 'center'});
    wrap.scrollLeft = wrap.scrollWidth;
    const b = wrap.getBoundingClientRect();
    const r = first.getBoundingClientRect();
    const seen = document.elementFromPoint(r.left + 4, r.top + r.height / 2);
    if (r.left < b.left - 1 || r.right < b.left + 8) {
      found.push(label + ': "' + first.innerText.trim() + '" scrolls out of view');
    } else if (!seen || !first.contains(seen)) {
      found.push(label + ': "' + first.innerText.trim() + '" is covered by '
                 + (seen ? seen.tagName.toLowerCase() : 'nothing'));
    }
    wrap.scrollLeft = 0;
  }
  window.scrollTo(0, 0);
  return found;
}"""

# A column header one can see: some text in the <th> that is not visually hidden.
HEADERLESS_COLUMNS = """() => {
  const found = [];
  for (const th of document.querySelectorAll('main table thead th')) {
    const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
    let visible = false;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      if (n.textContent.trim() && !n.parentElement.closest('.visually-hidden')) visible = true;
    }
    if (!visible) {
      const table = th.closest('table');
      found.push((table.id || table.className) + ' column ' + (th.cellIndex + 1)
                 + ' ("' + th.textContent.trim() + '")');
    }
  }
  return found;
}"""


@pytest.fixture(scope="module")
def ids(app: Any, live_server: str) -> DemoIds:
    return demo_ids(app)


@pytest.fixture
def signed_in(browser: Any, live_server: str, request: Any) -> Iterator[Any]:
    """A tab signed in as the role the test is parametrised with ("anonymous": not signed in)."""
    role = request.node.callspec.params["role"]
    context = browser.new_context(viewport=DESKTOP, locale="da-DK")
    context.set_default_timeout(10_000)
    tab = context.new_page()
    try:
        if role != "anonymous":
            login(tab, live_server, ROLES[role])
        yield tab
    finally:
        context.close()


def _paths(ids: DemoIds, role: str) -> list[str]:
    return public_pages(ids) if role == "anonymous" else main_pages(ids, role)


def _open(page: Any, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, (
        f"{url}: {response.status if response else 'no response'}")


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_no_page_scrolls_sideways_on_a_phone(
        live_server: str, ids: DemoIds, signed_in: Any, role: str) -> None:
    page = signed_in
    problems = []
    for path in _paths(ids, role):
        page.set_viewport_size({"width": PHONE_WIDTHS[0], "height": 800})
        _open(page, f"{live_server}{path}")
        for width in PHONE_WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            wide, window = page.evaluate(
                "() => [document.documentElement.scrollWidth, window.innerWidth]")
            if wide > window:
                problems.append(f"{path} at {width} px: the page is {wide} px wide; "
                                f"{page.evaluate(SIDEWAYS_CULPRITS)}")
        check_axe(page, note=f"(at {PHONE_WIDTHS[-1]} px)")
    assert not problems, "pages scroll sideways:\n" + "\n".join(problems)


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_nothing_is_clipped_on_a_desktop(
        live_server: str, ids: DemoIds, signed_in: Any, role: str) -> None:
    page = signed_in
    problems = []
    for path in _paths(ids, role):
        _open(page, f"{live_server}{path}")
        for what, script in [("clipped", CLIPPED), ("row headers", ROW_HEADERS_SCROLLED),
                             ("no visible column header", HEADERLESS_COLUMNS)]:
            found = page.evaluate(script)
            if found:
                problems.append(f"{path}: {what}: {found}")
        check_axe(page)
    assert not problems, "at 1280 px:\n" + "\n".join(problems)


# --- the single defects, each shown on its own page -------------------------------------------


def test_the_answer_grid_uses_the_width_of_the_page(
        live_server: str, ids: DemoIds, page: Any) -> None:
    """At 1280 px the questionnaire's grid (about 900 px) is shown whole: its last column
    ("Bemærkning") is not hidden in a 768 px scroll box while the page has room beside it."""
    login(page, live_server, ROLES["respondent"])
    _open(page, f"{live_server}/skemaer/{ids.questionnaire}/besvar")
    sizes = page.evaluate("""() => Array.from(
        document.querySelectorAll('.grid-question .table-wrap'))
        .map(w => [w.scrollWidth, w.clientWidth])""")
    assert sizes, "the answer form has no grid"
    assert all(wide <= box for wide, box in sizes), f"grids scroll at 1280 px: {sizes}"
    # Running text keeps a readable line length.
    hint = page.locator(".question .hint").first.bounding_box()
    assert hint is not None and hint["width"] <= 800


def test_a_wide_results_table_keeps_the_organisation_in_view(
        live_server: str, ids: DemoIds, page: Any) -> None:
    login(page, live_server, ROLES["secretariat"])
    _open(page, f"{live_server}/skemaer/{ids.questionnaire}/resultater")
    wrap = page.locator(".table-wrap:has(table.grid-result)").first
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth"), "expected a table that scrolls"
    assert page.evaluate(ROW_HEADERS_SCROLLED) == []
    wrap.evaluate("w => w.scrollLeft = w.scrollWidth")
    header = wrap.locator("tbody th[scope=row]").first
    box, cell = wrap.bounding_box(), header.bounding_box()
    assert box is not None and cell is not None
    assert abs(cell["x"] - box["x"]) <= 2, "the organisation column scrolled away"


@pytest.mark.parametrize("where", ["dashboard", "cycle"])
def test_the_timeline_is_a_list_on_a_phone(
        live_server: str, ids: DemoIds, page: Any, where: str) -> None:
    login(page, live_server, ROLES["secretariat"])
    path = "/oversigt" if where == "dashboard" else f"/cykler/{ids.cycle}"
    _open(page, f"{live_server}{path}")
    chart = page.get_by_role("img", name="Tidslinje", exact=False)
    milestones = page.get_by_role("list", name="Milepæle i tidsorden")
    # Desktop: the drawing; the list is not there for anyone (display: none).
    assert chart.count() == 1 and chart.is_visible()
    assert milestones.count() == 0
    page.set_viewport_size({"width": 320, "height": 800})
    assert page.get_by_role("img", name="Tidslinje", exact=False).count() == 0
    assert milestones.count() == 1 and milestones.is_visible()
    items = milestones.get_by_role("listitem")
    assert items.count() == 11
    first = items.first.inner_text()
    assert "Kickoff-møde" in first and ".2016" in first  # Danish dates, dd.mm.yyyy
    # The whole list is readable within the screen.
    box = milestones.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 320


def test_timeline_labels_are_never_cut_short(
        live_server: str, ids: DemoIds, page: Any) -> None:
    """Each label in the drawing gives its milestone's whole title: on up to two lines, or
    shortened with the whole title in the label's <title> (shown on hover); the list of
    milestones gives every title in full."""
    login(page, live_server, ROLES["secretariat"])
    _open(page, f"{live_server}/cykler/{ids.cycle}")
    labels = page.evaluate("""() => Array.from(
        document.querySelectorAll('svg.timeline text[text-anchor=end]'))
        .map(t => { const whole = t.querySelector('title');
                    return whole ? whole.textContent : Array.from(t.querySelectorAll('tspan'))
                        .map(s => s.textContent).join(' '); })""")
    page.set_viewport_size({"width": 390, "height": 800})
    listed = page.get_by_role("list", name="Milepæle i tidsorden").locator(".timeline-title")
    titles = [listed.nth(i).inner_text() for i in range(listed.count())]
    assert len(titles) == 11
    assert labels == titles
    assert "Frist: DAS' bemærkninger til FU's plan for workshop og temadag" in titles


def test_the_submissions_table_has_a_header_for_every_column(
        live_server: str, ids: DemoIds, page: Any) -> None:
    login(page, live_server, ROLES["secretariat"])
    _open(page, f"{live_server}/skemaer/{ids.questionnaire}/besvarelser/{ids.submitted_org}")
    assert page.evaluate(HEADERLESS_COLUMNS) == []
    heads = page.locator("#indsendelser-tabel thead th")
    assert heads.count() == 3 and all(heads.nth(i).inner_text().strip() for i in range(3))


def test_a_table_scroll_box_is_named_by_its_caption(live_server: str, page: Any) -> None:
    """The scroll box is a focusable region; a screen reader announces the table's caption."""
    page.set_viewport_size({"width": 320, "height": 800})
    login(page, live_server, ROLES["secretariat"])
    page.goto(f"{live_server}/cykler/")
    region = page.get_by_role("region", name="Rammeaftaler i din region", exact=True)
    assert region.count() == 1
    assert region.get_attribute("tabindex") == "0"
