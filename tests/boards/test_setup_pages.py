"""Part A's pages: the cycle's boards, the board form, the board's page, themes, criteria,
members, opening and closing — who reaches what, Danish messages with the input kept, and a
fixed number of queries."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from tests.boards import factories as bf
from tests.boards.setup_helpers import NOW, board, milestone, theme_list
from webapp.extensions import db
from webapp.models import (
    BoardMember,
    BoardState,
    BoardTheme,
    PrioritisationBoard,
    Recommendation,
    Role,
)
from webapp.workflows.boards import setup as flow


def html(response: Any) -> str:
    return response.get_data(as_text=True)


def _once(client: Any, path: str) -> str:
    match = re.search(r'name="once"[^>]*value="([^"]+)"', html(client.get(path)))
    assert match, path
    return match.group(1)


def _version(client: Any, path: str) -> str:
    match = re.search(r'name="version"[^>]*value="(\d+)"', html(client.get(path)))
    assert match, path
    return match.group(1)


def test_the_secretariat_creates_a_board_from_the_workshop_list(client: Any, world: Any,
                                                                login_as: Any) -> None:
    cycle = world["north"]["cycle"]
    workshop = theme_list(cycle)
    due = milestone(cycle)
    db.session.commit()
    login_as(Role.SECRETARIAT)
    path = f"/cykler/{cycle.id}/prioritering/ny"
    page = html(client.get(path))
    assert "Temalisten fra “Workshop om temaer” (4 temaer)" in page
    assert "Ingen: jeg skriver temaerne selv" in page
    response = client.post(path, data={
        "title": "Prioritering af workshoppens temaer", "milestone_id": due.id,
        "workshop_id": workshop.id, "intro": "Scor **alle** temaer.",
        "once": _once(client, path)})
    assert response.status_code == 302, html(response)
    made = db.session.scalar(select(PrioritisationBoard).where(
        PrioritisationBoard.cycle_id == cycle.id))
    assert made is not None and made.workshop_id == workshop.id
    detail = html(client.get(response.headers["Location"]))
    assert "Tavlen er oprettet som kladde" in detail
    assert "Rehabilitering" in detail and "Anbefales (DAS/politisk?)" in detail
    assert "<strong>alle</strong>" in detail  # the intro as Markdown
    assert "Før tavlen kan åbnes, mangler den: mindst ét kriterium, mindst ét medlem." in detail
    listing = html(client.get(f"/cykler/{cycle.id}/prioritering"))
    assert "Prioritering af workshoppens temaer" in listing and "Kladde" in listing


def test_a_refused_board_form_keeps_the_input(client: Any, world: Any, login_as: Any) -> None:
    cycle = world["north"]["cycle"]
    due = milestone(cycle)
    board(world, title="Optaget")
    db.session.commit()
    login_as(Role.SECRETARIAT)
    path = f"/cykler/{cycle.id}/prioritering/ny"
    response = client.post(path, data={"title": "Optaget", "milestone_id": due.id,
                                       "workshop_id": 0, "intro": "Min tekst",
                                       "once": _once(client, path)})
    assert response.status_code == 422
    page = html(response)
    assert "Cyklussen har allerede en prioriteringstavle med denne titel." in page
    assert "Min tekst" in page
    response = client.post(path, data={"title": "", "milestone_id": 987654, "workshop_id": 5,
                                       "once": _once(client, path)})
    assert response.status_code == 422
    assert "Skriv en titel." in html(response)
    assert "Milepæl: Vælg en af de viste muligheder." in html(response)
    assert "Temaer: Vælg en af de viste muligheder." in html(response)


def test_without_a_prioritisation_milestone_the_form_says_so(client: Any, world: Any,
                                                             login_as: Any) -> None:
    login_as(Role.SECRETARIAT)
    page = html(client.get(f"/cykler/{world['north']['cycle'].id}/prioritering/ny"))
    assert "ingen milepæl af typen “Prioritering af temaer”" in page


def test_themes_and_criteria_through_the_pages(client: Any, world: Any, login_as: Any) -> None:
    made = board(world)
    db.session.commit()
    login_as(Role.SECRETARIAT)
    new = f"/prioritering/{made.id}/temaer/ny"
    response = client.post(new, data={
        "title": "Nye samarbejdsformer", "group_name": "Incitamenter og styring",
        "recommendation": "recommended", "recommendation_label": "Anbefales (DAS/politisk?)",
        "rationale": "Bredt ønsket.", "once": _once(client, new)})
    assert response.status_code == 302
    theme = db.session.scalar(select(BoardTheme).where(
        BoardTheme.title == "Nye samarbejdsformer"))
    assert theme is not None and theme.recommendation == Recommendation.RECOMMENDED
    assert theme.position == 2
    edit = f"/prioritering/{made.id}/temaer/{theme.id}/rediger"
    stale = _version(client, edit)
    assert client.post(edit, data={"title": "Nye samarbejdsformer", "recommendation": "none",
                                   "version": stale}).status_code == 302
    response = client.post(edit, data={"title": "Mit nye navn", "recommendation": "none",
                                       "version": stale})
    assert response.status_code == 422
    page = html(response)
    assert "Nogen har ændret dette" in page and "Mit nye navn" in page
    assert client.post(f"/prioritering/{made.id}/temaer/{theme.id}/flyt",
                       data={"step": "up"}).status_code == 302
    assert [t.title for t in bf.themes_of(made)] == ["Tema A", "Nye samarbejdsformer", "Tema B"]
    response = client.post(f"/prioritering/{made.id}/kriterier/ny", data={
        "title": "Økonomi", "weight": "11", "once": _once(client,
                                                          f"/prioritering/{made.id}/kriterier/ny")})
    assert response.status_code == 422
    assert "Skriv et helt tal fra 1 til 10." in html(response)
    assert client.post(f"/prioritering/{made.id}/temaer/{theme.id}/fjern").status_code == 302
    assert [t.title for t in bf.themes_of(made)] == ["Tema A", "Tema B"]


def test_members_by_role_and_by_name_and_removal(client: Any, world: Any, login_as: Any) -> None:
    made = board(world)
    directors = bf.steering_members(world["north"]["municipality"], 2)
    db.session.commit()
    login_as(Role.SECRETARIAT)
    response = client.post(f"/prioritering/{made.id}/medlemmer/rolle")
    assert response.status_code == 302
    assert "3 medlemmer af styregruppen er tilføjet." in html(client.get(
        response.headers["Location"]))
    politician = world["north"]["users"][Role.POLITICIAN]
    page = html(client.get(f"/prioritering/{made.id}/medlemmer"))
    assert politician.name in page and "0 af 2 temaer" in page
    assert client.post(f"/prioritering/{made.id}/medlemmer/person",
                       data={"user_id": politician.id}).status_code == 302
    foreign = world["mid"]["users"][Role.POLITICIAN]
    response = client.post(f"/prioritering/{made.id}/medlemmer/person",
                           data={"user_id": foreign.id})
    assert response.status_code == 422
    assert "Person: Vælg en af de viste muligheder." in html(response)
    member = db.session.scalar(select(BoardMember).where(BoardMember.user_id == directors[0].id))
    assert member is not None
    confirm = html(client.get(f"/prioritering/{made.id}/medlemmer/{member.id}/fjern"))
    assert "har ikke scoret nogen temaer endnu" in confirm
    assert client.post(f"/prioritering/{made.id}/medlemmer/{member.id}/fjern"
                       ).status_code == 302
    assert db.session.scalar(select(BoardMember.id).where(BoardMember.id == member.id)) is None


def test_open_and_close_through_the_page(client: Any, world: Any, login_as: Any, smtp: Any,
                                         clock: Any) -> None:
    member = world["north"]["users"][Role.STEERING_MEMBER]
    made = board(world, members=[member])
    db.session.commit()
    login_as(Role.SECRETARIAT)
    clock.set(NOW)
    response = client.post(f"/prioritering/{made.id}/aabn")
    assert response.status_code == 302
    assert "1 medlem har fået en invitation" in html(client.get(response.headers["Location"]))
    assert [m["To"] for m in smtp.inbox.messages] == [member.email]
    page = html(client.get(f"/prioritering/{made.id}"))
    assert "0 af 2 temaer" in page and "1 medlem har ikke scoret alle temaer endnu." in page
    assert client.post(f"/prioritering/{made.id}/luk").status_code == 302
    assert db.session.scalar(select(PrioritisationBoard.state).where(
        PrioritisationBoard.id == made.id)) == BoardState.CLOSED
    again = client.post(f"/prioritering/{made.id}/luk", follow_redirects=True)
    assert "Tavlen er allerede lukket." in html(again)


def test_who_sees_the_board(client: Any, world: Any, login_as: Any) -> None:
    member = world["north"]["users"][Role.STEERING_MEMBER]
    made = board(world, members=[member])
    db.session.commit()
    path = f"/prioritering/{made.id}"
    login_as(member)
    assert client.get(path).status_code == 404  # a draft is the secretariat's
    assert client.get(f"/prioritering/{made.id}/rediger").status_code == 403
    assert client.post(f"/prioritering/{made.id}/aabn").status_code == 403
    flow.open_board(world["north"]["users"][Role.SECRETARIAT], made, now=NOW)
    db.session.commit()
    page = html(client.get(path))
    assert "Til din scoring" in page and f"/prioritering/{made.id}/scoring" in page
    assert "Velkommen." in page and "Medlemmer" not in page  # no one else's progress
    listing = html(client.get(f"/cykler/{world['north']['cycle'].id}/prioritering"))
    assert made.title in listing and "Færdige medlemmer" not in listing
    client.post("/logout")
    login_as(Role.RESPONDENT)  # not on the board
    assert client.get(path).status_code == 404
    assert made.title not in html(client.get(
        f"/cykler/{world['north']['cycle'].id}/prioritering"))
    client.post("/logout")
    login_as(Role.SECRETARIAT, region="mid")
    assert client.get(path).status_code == 404
    assert client.get(f"/prioritering/{made.id}/medlemmer").status_code == 404


def test_the_secretariat_sees_counts_never_scores(client: Any, world: Any, login_as: Any) -> None:
    members = bf.steering_members(world["north"]["municipality"], 2)
    made = board(world, members=members)
    flow.open_board(world["north"]["users"][Role.SECRETARIAT], made, now=NOW)
    bf.score_all(made, members[0], value=4)
    db.session.commit()
    login_as(Role.SECRETARIAT)
    page = html(client.get(f"/prioritering/{made.id}"))
    assert "2 af 2 temaer" in page and "0 af 2 temaer" in page and "Færdig" in page
    assert "gennemsnit" not in page.split('id="medlemmer"')[1].lower()


@pytest.mark.parametrize("themes, members", [(3, 2), (30, 25)])
def test_the_board_page_reads_a_fixed_number_of_queries(client: Any, world: Any, login_as: Any,
                                                        queries: Any, themes: int,
                                                        members: int) -> None:
    people = bf.steering_members(world["north"]["municipality"], members)
    made = bf.board(world["north"]["cycle"], themes=themes, members=people)
    for person in people[: members // 2]:
        bf.score_all(made, person)
    db.session.commit()
    login_as(Role.SECRETARIAT)
    client.get(f"/prioritering/{made.id}")  # warm: first-use caches
    with queries() as q:
        page = client.get(f"/prioritering/{made.id}")
    assert page.status_code == 200
    assert html(page).count(f"af {themes} temaer") == members
    # the person, the board, its members, themes, criteria, progress
    assert q.count == 6, q.statements
    with queries() as q:
        listing = client.get(f"/cykler/{world['north']['cycle'].id}/prioritering")
    assert listing.status_code == 200
    # the person, the cycle, the boards, their members, theme and criterion counts
    assert q.count == 6, q.statements


def test_the_list_page_links_each_state(client: Any, world: Any, login_as: Any) -> None:
    cycle = world["north"]["cycle"]
    bf.board(cycle, state=BoardState.CLOSED, title="Lukket tavle")
    bf.board(cycle, state=BoardState.DRAFT, title="Kladdetavle")
    db.session.commit()
    login_as(Role.SECRETARIAT)
    page = html(client.get(f"/cykler/{cycle.id}/prioritering"))
    assert "Lukket tavle" in page and "Kladdetavle" in page and "Ny prioriteringstavle" in page
    assert page.count("27.02.2017") == 2


def test_another_boards_theme_criterion_or_member_is_not_found(client: Any, world: Any,
                                                               login_as: Any) -> None:
    member = world["north"]["users"][Role.STEERING_MEMBER]
    mine = board(world, title="Min tavle")
    other = board(world, title="Anden tavle", members=[member])
    theme, criterion = bf.themes_of(other)[0], bf.criteria_of(other)[0]
    row = db.session.scalar(select(BoardMember.id).where(BoardMember.board_id == other.id))
    db.session.commit()
    login_as(Role.SECRETARIAT)
    page = html(client.get(f"/prioritering/{mine.id}/temaer/ny"))
    assert "<h1>Nyt tema</h1>" in page and "Tilføj temaet" in page
    for path in (f"/prioritering/{mine.id}/temaer/{theme.id}/rediger",
                 f"/prioritering/{mine.id}/kriterier/{criterion.id}/rediger",
                 f"/prioritering/{mine.id}/medlemmer/{row}/fjern"):
        assert client.get(path).status_code == 404, path
    for path in (f"/prioritering/{mine.id}/temaer/{theme.id}/fjern",
                 f"/prioritering/{mine.id}/kriterier/{criterion.id}/flyt"):
        assert client.post(path, data={"step": "up"}).status_code == 404, path
    assert len(bf.themes_of(other)) == 2


def test_each_form_says_which_milestone_is_missing(client: Any, login_as: Any,
                                                   world: dict[str, Any]) -> None:
    """The workshop, the theme day and the board take their time from a milestone: without one
    of the kind, the form says which kind to add (one macro, `missing_milestone`)."""
    login_as(Role.SECRETARIAT)
    c = world["north"]["cycle"].id
    for path, kind in ((f"/cykler/{c}/workshops/ny", "Workshop"),
                       (f"/cykler/{c}/temadag/ny", "Politisk temadag"),
                       (f"/cykler/{c}/prioritering/ny", "Prioritering af temaer")):
        html = client.get(path).get_data(as_text=True)
        assert f"Cyklussen har ingen milepæl af typen “{kind}”." in html, path
