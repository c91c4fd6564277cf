"""The result page, its forms, the XLSX and the API (issue 14, item 3): nobody reads a result
before the close, the members only after the publication, the individual scores only the
secretariat; the secretariat marks the theme-day themes, writes the conclusion and publishes."""

from __future__ import annotations

import io
import re

import pytest
from openapi_schema_validator import OAS30Validator
from openpyxl import load_workbook
from sqlalchemy import func, select

from tests.boards.results_helpers import scored_board
from webapp.api.openapi import openapi_document
from webapp.extensions import db
from webapp.models import (
    AuditEvent,
    BoardState,
    BoardTheme,
    OutboundEmail,
    PrioritisationBoard,
    Role,
)


def _paths(board_id):
    return {"page": f"/prioritering/{board_id}/resultat",
            "xlsx": f"/prioritering/{board_id}/resultat.xlsx",
            "scores": f"/prioritering/{board_id}/scorer.xlsx",
            "api": f"/api/v1/boards/{board_id}/results"}


def _set(board, **values):
    db.session.execute(db.update(PrioritisationBoard).where(PrioritisationBoard.id == board.id)
                       .values(**values))
    db.session.commit()


@pytest.mark.parametrize("state", [BoardState.DRAFT, BoardState.OPEN])
def test_nobody_reads_a_result_before_the_close(client, world, login_as, state):
    board, people = scored_board(world, 3, 2, state=state)
    paths = _paths(board.id)
    login_as(Role.SECRETARIAT)
    for name in ("page", "xlsx", "scores", "api"):
        assert client.get(paths[name]).status_code == 404, name
    client.get("/logout")
    login_as(people[1])
    for name in ("page", "xlsx", "api"):
        response = client.get(paths[name])
        assert response.status_code == 404, name
        assert "Hemmelig" not in response.get_data(as_text=True)
    assert client.get(paths["scores"]).status_code == 403  # not the secretariat at all


def test_after_the_close_the_secretariat_reads_it_and_the_members_wait(client, world,
                                                                       login_as):
    board, people = scored_board(world, 4, 3)
    paths = _paths(board.id)
    login_as(people[1])
    assert client.get(paths["page"]).status_code == 403
    assert client.get(paths["xlsx"]).status_code == 403
    assert client.get(paths["api"]).status_code == 404
    client.get("/logout")
    login_as(Role.RESPONDENT)
    assert client.get(paths["page"]).status_code == 404  # not a member: not even the board
    client.get("/logout")
    login_as(Role.SECRETARIAT, region="mid")
    assert client.get(paths["page"]).status_code == 404
    assert client.get(paths["api"]).status_code == 404
    client.get("/logout")
    login_as(Role.SECRETARIAT)
    html = client.get(paths["page"]).get_data(as_text=True)
    assert "Rangordning" in html and "Tema 1" in html
    assert html.count('class="chart columns"') == 4 and html.count("<desc") >= 4
    assert "Enighed: spredning højst 0,75" in html and "over 1,25" in html
    assert "skiller sig ud" in html.lower()
    assert "Kun sekretariatet: resultatet er ikke offentliggjort endnu." in html
    assert f'action="/prioritering/{board.id}/resultat/temadag"' in html
    assert paths["scores"] in html
    # the individual scores and comments are not on the page, only in their export
    assert "Hemmelig kommentar" not in html and people[0].name not in html


def test_published_to_the_members_and_then_to_the_region(client, world, login_as):
    board, people = scored_board(world, 3, 2)
    _set(board, state=BoardState.PUBLISHED, conclusion="Vi går **videre** med tema 2.")
    paths = _paths(board.id)
    login_as(people[1])
    html = client.get(paths["page"]).get_data(as_text=True)
    assert "<strong>videre</strong>" in html
    assert "Sekretariatet og tavlens medlemmer." in html
    assert "resultat/temadag" not in html and paths["scores"] not in html
    assert client.get(paths["xlsx"]).status_code == 200
    assert client.get(paths["scores"]).status_code == 403
    assert client.get(paths["api"]).status_code == 200
    client.get("/logout")
    login_as(Role.RESPONDENT)
    assert client.get(paths["page"]).status_code == 404
    _set(board, publish_to_region=True)
    assert client.get(paths["page"]).status_code == 200
    body = client.get(paths["api"]).get_json()
    assert [t["rank"] for t in body["themes"]] == sorted(t["rank"] for t in body["themes"])
    assert "Hemmelig" not in str(body)
    document = openapi_document()
    for path, url in (("/boards/{board_id}/results", paths["api"]),
                      ("/cycles/{cycle_id}/boards", f"/api/v1/cycles/{board.cycle_id}/boards")):
        schema = document["paths"][path]["get"]["responses"]["200"]["content"][
            "application/json"]["schema"]
        OAS30Validator({**schema, "components": document["components"]}).validate(
            client.get(url).get_json())


def test_the_xlsx_files(client, world, login_as):
    board, people = scored_board(world, 3, 2)
    paths = _paths(board.id)
    login_as(Role.SECRETARIAT)
    response = client.get(paths["xlsx"])
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Placering", "Tema", "Gruppe", "Arbejdsgruppens anbefaling",
                           "Gennemsnit (vægtet)")
    assert len(rows) == 4 and isinstance(rows[1][4], float)
    response = client.get(paths["scores"])
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][2] == "Kriterie 1 (vægt 2)"
    assert len(rows) == 1 + 3 * 2
    abstained = next(r for r in rows if r[0] == people[0].name and r[1] == "Tema 1")
    assert abstained[-3:] == ("Ja", "Inhabil: driver tilbuddet",
                              "Hemmelig kommentar fra et medlem")


def _version(html, prefix):
    return re.search(rf'name="{prefix}-version"[^>]*value="(\d+)"', html).group(1)


def test_the_secretariat_picks_themes_concludes_and_publishes(client, world, login_as):
    board, people = scored_board(world, 4, 3)
    themes = [t.id for t in db.session.scalars(select(BoardTheme).where(
        BoardTheme.board_id == board.id).order_by(BoardTheme.position))]
    login_as(Role.SECRETARIAT)
    page = _paths(board.id)["page"]
    html = client.get(page).get_data(as_text=True)
    response = client.post(f"{page}/temadag", data={
        "temadag-theme_ids": [themes[1], themes[3]],
        "temadag-version": _version(html, "temadag")})
    assert response.status_code == 302
    assert [t.for_theme_day for t in db.session.scalars(select(BoardTheme).where(
        BoardTheme.board_id == board.id).order_by(BoardTheme.position))] == [
        False, True, False, True]
    # a form made before that change is a conflict, the typed text kept
    response = client.post(f"{page}/konklusion", data={
        "konklusion-conclusion": "Min tekst", "konklusion-version": _version(html, "konklusion")})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Nogen har ændret dette" in text and "Min tekst" in text
    html = client.get(page).get_data(as_text=True)
    response = client.post(f"{page}/konklusion", data={
        "konklusion-conclusion": "Tre temaer går videre.", "konklusion-publish_to_region": "y",
        "konklusion-version": _version(html, "konklusion")})
    assert response.status_code == 302
    # a theme of another board is refused at the field
    other, _people = scored_board(world, 2, 1, title="Anden tavle")
    foreign = db.session.scalar(select(BoardTheme.id).where(BoardTheme.board_id == other.id))
    html = client.get(page).get_data(as_text=True)
    response = client.post(f"{page}/temadag", data={
        "temadag-theme_ids": [foreign], "temadag-version": _version(html, "temadag")})
    assert response.status_code == 422
    response = client.post(f"{page}/offentliggoer", data={
        "offentliggoer-version": _version(html, "offentliggoer")})
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(PrioritisationBoard, board.id)
    assert stored.state == BoardState.PUBLISHED and stored.publish_to_region
    assert stored.conclusion == "Tre temaer går videre." and stored.published_at is not None
    mails = list(db.session.scalars(select(OutboundEmail).where(
        OutboundEmail.template == "board_results_published")))
    assert sorted(m.to_address for m in mails) == sorted(p.email for p in people)
    assert f"/prioritering/{board.id}/resultat" in mails[0].body_text
    assert "regionens øvrige brugere" in mails[0].body_text
    actions = set(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.object_id == board.id, AuditEvent.action.like("board_result.%"))))
    assert actions == {"board_result.theme_day", "board_result.concluded",
                       "board_result.published"}
    # after the publication the result is final
    html = client.get(page).get_data(as_text=True)
    assert "resultat/temadag" not in html and "Tre temaer går videre." in html
    response = client.post(f"{page}/temadag", data={
        "temadag-theme_ids": [themes[0]], "temadag-version": str(stored.version_id)})
    assert response.status_code == 302
    assert "ikke er offentliggjort" in client.get(page).get_data(as_text=True)


def test_a_member_cannot_post_the_forms(client, world, login_as):
    board, people = scored_board(world, 2, 2)
    login_as(people[0])
    page = _paths(board.id)["page"]
    for form in ("temadag", "konklusion", "offentliggoer"):
        assert client.post(f"{page}/{form}", data={f"{form}-version": "1"}).status_code == 403


def test_the_api_lists_the_boards_a_person_may_see_without_scores(client, world, login_as):
    closed, people = scored_board(world, 3, 2)
    scored_board(world, 2, 1, state=BoardState.DRAFT, title="Kladde")
    cycle_id = world["north"]["cycle"].id
    login_as(Role.SECRETARIAT)
    rows = client.get(f"/api/v1/cycles/{cycle_id}/boards").get_json()
    assert {r["title"] for r in rows} == {"Prioritering af temaer", "Kladde"}
    mine = next(r for r in rows if r["id"] == closed.id)
    assert (mine["themes"], mine["criteria"], mine["members"], mine["members_done"]) == (
        3, 3, 2, 0)
    assert mine["results_available"] and mine["state"] == "closed"
    client.get("/logout")
    login_as(people[1])
    rows = client.get(f"/api/v1/cycles/{cycle_id}/boards").get_json()
    assert [r["id"] for r in rows] == [closed.id]
    assert "members_done" not in rows[0] and not rows[0]["results_available"]
    client.get("/logout")
    login_as(Role.RESPONDENT)
    assert client.get(f"/api/v1/cycles/{cycle_id}/boards").get_json() == []


def _count(client, queries, path):
    client.get(path)  # warm: the session, the login
    with queries() as q:
        assert client.get(path).status_code == 200, path
    return q.count


def test_page_xlsx_and_api_read_a_fixed_number_of_queries(client, world, login_as, queries):
    sizes = {"14x15": scored_board(world, 14, 15, title="Lille")[0],
             "50x100": scored_board(world, 50, 100, title="Stor")[0]}
    login_as(Role.SECRETARIAT)
    counts = {}
    for size, board in sizes.items():
        for name, path in _paths(board.id).items():
            counts[size, name] = _count(client, queries, path)
    for name in ("page", "xlsx", "scores", "api"):
        assert counts["14x15", name] == counts["50x100", name], (name, counts)
    assert db.session.scalar(select(func.count()).select_from(OutboundEmail)) == 0
