"""The scoring pages: the overview with progress, a theme's form (radio buttons 1–5, comment,
abstaining), bad input kept at 422, two tabs (the conflict page with the input kept), a save
after the close, who gets a 404, "Mine opgaver", a fixed number of queries — and blindness: no
page a member reaches while the board is open carries another member's score or comment."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from tests import factories as f
from tests.boards import factories as bf
from webapp.extensions import db
from webapp.models import (
    BoardMember,
    BoardScore,
    BoardState,
    BoardThemeNote,
    PrioritisationBoard,
    Role,
)
from webapp.workflows.boards.scoring import criterion_field

SECRET = "Hemmelig kommentar fra B"


@pytest.fixture
def setup(world: dict[str, Any], clock: Any) -> dict[str, Any]:
    clock.set(f.at(2017, 2, 15, 10))
    north = world["north"]
    members = bf.steering_members(north["municipality"], 2)
    board = bf.board(north["cycle"], themes=3, criteria=2, members=members)
    db.session.commit()
    return {"board": board, "members": members, "themes": bf.themes_of(board),
            "criteria": bf.criteria_of(board)}


def _version(page: str) -> str:
    found = re.search(r'name="version"[^>]*value="(\d+)"', page)
    assert found is not None
    return found.group(1)


def _url(s: dict[str, Any], theme: int | None = None) -> str:
    base = f"/prioritering/{s['board'].id}/scoring"
    return base if theme is None else f"{base}/{s['themes'][theme].id}"


def _data(s: dict[str, Any], values: Any, **extra: Any) -> dict[str, Any]:
    data = {criterion_field(c.id): "" if v is None else str(v)
            for c, v in zip(s["criteria"], values, strict=True)}
    return {"comment": "", "abstain_note": "", **data, **extra}


def test_a_member_scores_a_theme_and_sees_progress(client: Any, setup: dict[str, Any],
                                                   login_as: Any) -> None:
    s = setup
    login_as(s["members"][0])
    overview = client.get(_url(s)).get_data(as_text=True)
    assert "0 af 3 temaer" in overview and "Ikke scoret" in overview
    page = client.get(_url(s, 0)).get_data(as_text=True)
    assert "Begrundelse for tema 1." in page and "Anbefales" in page
    assert 'type="radio"' in page and "Jeg er inhabil" in page
    done = client.post(_url(s, 0), data=_data(s, (4, None), comment="Godt tema",
                                              version=_version(page)))
    assert done.status_code == 302 and done.headers["Location"].endswith(_url(s, 0))
    again = client.get(_url(s, 0)).get_data(as_text=True)
    assert "er gemt" in again and "Godt tema" in again
    assert re.findall(r'<input checked[^>]*value="([^"]*)"', again) == ["4", ""]
    assert "Delvist scoret (1 af 2 kriterier)" in client.get(_url(s)).get_data(as_text=True)
    nxt = client.post(_url(s, 0), data=_data(s, (4, 5), go="next", version=_version(again)))
    assert nxt.headers["Location"].endswith(_url(s, 1))
    assert "1 af 3 temaer" in client.get(_url(s)).get_data(as_text=True)


@pytest.mark.parametrize("bad", ["9", "0", "abc", "3.5", "1" * 5000, "-1"])
def test_a_score_that_is_not_one_to_five_is_refused_with_the_input_kept(
        client: Any, setup: dict[str, Any], login_as: Any, bad: str) -> None:
    s = setup
    login_as(s["members"][0])
    page = client.get(_url(s, 0)).get_data(as_text=True)
    refused = client.post(_url(s, 0), data=_data(s, (3, 3), comment="Min tekst", version=_version(
        page)) | {criterion_field(s["criteria"][1].id): bad})
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "Vælg en score fra 1 til 5." in body and "Min tekst" in body
    assert db.session.scalar(select(BoardScore.id)) is None


def test_abstaining_without_a_note_is_refused_at_the_field(client: Any, setup: dict[str, Any],
                                                           login_as: Any) -> None:
    s = setup
    login_as(s["members"][0])
    page = client.get(_url(s, 0)).get_data(as_text=True)
    refused = client.post(_url(s, 0), data=_data(s, (None, None), abstain="y",
                                                 version=_version(page)))
    assert refused.status_code == 422
    assert "Skriv kort, hvorfor du er inhabil" in refused.get_data(as_text=True)
    done = client.post(_url(s, 0), data=_data(s, (None, None), abstain="y",
                                              abstain_note="Driver tilbuddet",
                                              version=_version(page)))
    assert done.status_code == 302
    assert "Inhabil" in client.get(_url(s)).get_data(as_text=True)


def test_two_tabs_the_second_gets_the_conflict_page_with_its_input_kept(
        client: Any, setup: dict[str, Any], login_as: Any) -> None:
    s = setup
    login_as(s["members"][0])
    tab = client.get(_url(s, 0)).get_data(as_text=True)
    old = _version(tab)
    assert client.post(_url(s, 0), data=_data(s, (2, 2), comment="Fra fane 1",
                                              version=old)).status_code == 302
    second = client.post(_url(s, 0), data=_data(s, (5, 5), comment="Fra fane 2", version=old))
    assert second.status_code == 409
    body = second.get_data(as_text=True)
    assert "Nogen har ændret dette" in body and "Det, der nu er gemt" in body
    assert "Fra fane 2" in body and "Fra fane 1" in body  # own input kept, stored shown
    assert _version(body) != old
    assert client.post(_url(s, 0), data=_data(s, (5, 5), version=_version(body))
                       ).status_code == 302


def test_a_save_after_the_close_is_refused_in_danish_and_the_input_kept(
        client: Any, setup: dict[str, Any], login_as: Any) -> None:
    s = setup
    login_as(s["members"][0])
    page = client.get(_url(s, 0)).get_data(as_text=True)
    db.session.execute(PrioritisationBoard.__table__.update()
                       .where(PrioritisationBoard.id == s["board"].id)
                       .values(state=BoardState.CLOSED))
    db.session.commit()
    refused = client.post(_url(s, 0), data=_data(s, (4, 4), comment="For sent",
                                                 version=_version(page)))
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "Tavlen er lukket, så scorerne kan ikke længere ændres" in body
    assert "For sent" in body
    assert db.session.scalar(select(BoardScore.id)) is None
    closed = client.get(_url(s, 0)).get_data(as_text=True)  # read-only now
    assert 'type="radio"' not in closed and "Tavlen er lukket" in closed


def test_who_gets_a_404(client: Any, setup: dict[str, Any], world: Any,
                        login_as: Any) -> None:
    s = setup
    login_as(Role.STEERING_MEMBER)  # of the region, not on the board
    assert client.get(_url(s)).status_code == 404
    assert client.post(_url(s, 0), data=_data(s, (3, 3), version="1")).status_code == 404
    login_as(Role.SECRETARIAT)  # no ballot of their own
    assert client.get(_url(s)).status_code == 404
    login_as(Role.STEERING_MEMBER, region="mid")
    assert client.get(_url(s)).status_code == 404
    login_as(s["members"][0])
    other = bf.board(world["north"]["cycle"], title="Anden", members=[s["members"][1]])
    draft = bf.board(world["north"]["cycle"], title="Kladde", members=[s["members"][0]],
                     state=BoardState.DRAFT)
    db.session.commit()
    assert client.get(f"{_url(s)}/{bf.themes_of(other)[0].id}").status_code == 404
    assert client.get(f"/prioritering/{draft.id}/scoring").status_code == 404
    assert client.get(f"/prioritering/{s['board'].id}/scoring/999999").status_code == 404


def test_blind_no_page_shows_another_members_score_or_comment(
        client: Any, setup: dict[str, Any], login_as: Any) -> None:
    """B scores every theme 5 with a comment; A has scored nothing. Every page A reaches
    while the board is open — the board page, the scoring overview, each theme, "Mine
    opgaver" — shows no checked score, B's comment or B's name."""
    s = setup
    a, b = s["members"]
    bf.score_all(s["board"], b, 5)
    for theme in s["themes"][:2]:
        db.session.add(BoardThemeNote(board_id=s["board"].id, theme_id=theme.id, user_id=b.id,
                                      comment=SECRET))
    bf.abstain(s["board"], s["themes"][2], b, note="B's inhabilitet")
    db.session.commit()
    login_as(a)
    pages = [_url(s), *(_url(s, n) for n in range(3)), "/oversigt",
             f"/prioritering/{s['board'].id}"]  # the board page (part A's; 404 until merged)
    for url in pages:
        body = client.get(url).get_data(as_text=True)
        assert SECRET not in body and "inhabilitet" not in body and b.name not in body, url
        if "/scoring/" in url:
            checked = re.findall(r'<input checked[^>]*value="([^"]*)"', body)
            assert checked == ["", ""], url  # only "Ingen score endnu", per criterion
            assert "Ikke scoret" in client.get(_url(s)).get_data(as_text=True)
    assert "0 af 3 temaer" in client.get("/oversigt").get_data(as_text=True)


def test_mine_opgaver_shows_the_open_board_with_progress(client: Any, setup: dict[str, Any],
                                                         login_as: Any) -> None:
    s = setup
    login_as(s["members"][0])
    page = client.get("/oversigt").get_data(as_text=True)
    assert "Scor temaerne: Prioritering af temaer" in page and _url(s) in page
    bf.score_all(s["board"], s["members"][0], 3)
    db.session.commit()
    page = client.get("/oversigt").get_data(as_text=True)
    assert "Se din scoring: Prioritering af temaer" in page and "3 af 3 temaer" in page
    login_as(Role.STEERING_MEMBER)  # not a member
    assert _url(s) not in client.get("/oversigt").get_data(as_text=True)


@pytest.mark.parametrize("size", [(4, 3, 3), (30, 6, 20)])
def test_the_pages_use_a_fixed_number_of_queries(client: Any, world: Any, login_as: Any,
                                                 queries: Any, size: tuple[int, int, int],
                                                 clock: Any) -> None:
    themes, criteria, members = size
    clock.set(f.at(2017, 2, 15, 10))
    people = bf.steering_members(world["north"]["municipality"], members)
    board = bf.board(world["north"]["cycle"], themes=themes, criteria=criteria, members=people)
    for person in people:
        bf.score_all(board, person, 4)
    theme = bf.themes_of(board)[-1]
    db.session.commit()
    login_as(people[0])
    counts = {}
    for name, url in (("overview", f"/prioritering/{board.id}/scoring"),
                      ("theme", f"/prioritering/{board.id}/scoring/{theme.id}"),
                      ("dashboard", "/oversigt")):
        with queries() as q:
            assert client.get(url).status_code == 200
        counts[name] = len(q.statements)
    assert counts["overview"] <= 12 and counts["theme"] <= 13, counts
    test_the_pages_use_a_fixed_number_of_queries.seen.setdefault(  # type: ignore[attr-defined]
        "counts", []).append(counts)
    seen = test_the_pages_use_a_fixed_number_of_queries.seen["counts"]  # type: ignore[attr-defined]
    if len(seen) == 2:
        assert seen[0] == seen[1]


test_the_pages_use_a_fixed_number_of_queries.seen = {}  # type: ignore[attr-defined]


def test_member_row_versions_move_with_each_save(client: Any, setup: dict[str, Any],
                                                 login_as: Any) -> None:
    s = setup
    login_as(s["members"][0])
    page = client.get(_url(s, 1)).get_data(as_text=True)
    client.post(_url(s, 1), data=_data(s, (1, 2), version=_version(page)))
    row = db.session.scalar(select(BoardMember.version_id).where(
        BoardMember.user_id == s["members"][0].id))
    assert row == 2
