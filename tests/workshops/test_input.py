"""A theme's input: who records and when, what the page shows, edits with their counter, bad
input, exports and the query counts."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document
from openpyxl import load_workbook
from sqlalchemy import select

from tests import factories
from tests.test_hostile_input import field_error
from tests.workshops import input_factories as wf
from webapp.extensions import db
from webapp.models import AuditEvent, InputComment, InputItem, InputKind, Role


@pytest.fixture
def ws(db, world):
    made = wf.workshop(world["north"]["cycle"])
    themes = wf.themes_of(made)
    db.session.commit()
    return {"workshop": made, "themes": themes, "id": made.id}


def theme_url(ws, n=0, tail=""):
    return f"/workshops/{ws['id']}/temaer/{ws['themes'][n].id}/input{tail}"


def page(response):
    return response.get_data(as_text=True)


def participants(monkeypatch, mapping):
    monkeypatch.setattr("webapp.queries.workshops.input.participant_ids",
                        lambda ids: {k: v for k, v in mapping.items() if k in ids})


def add(client, ws, n=0, **data):
    payload = {"kind": "challenge", "heading": "", "body": "En udfordring."} | data
    return client.post(theme_url(ws, n), data=payload)


# -- recording ---------------------------------------------------------------------------------

def test_the_secretariat_records_a_challenge_and_an_action_under_a_sub_heading(client, ws,
                                                                              login_as):
    person = login_as(Role.SECRETARIAT)
    assert add(client, ws, body="Mangel på **fælles** sprog", heading="Samarbejde") \
        .status_code == 302
    assert add(client, ws, kind="action", body="Fælles kursus for medarbejdere").status_code \
        == 302
    items = db.session.scalars(select(InputItem).order_by(InputItem.id)).all()
    assert [(i.kind, i.heading, i.author_name) for i in items] == [
        (InputKind.CHALLENGE, "Samarbejde", person.name), (InputKind.ACTION, "", person.name)]
    text = page(client.get(theme_url(ws)))
    assert "<h2>Udfordringer</h2>" in text and "<h2>Tiltag</h2>" in text
    assert "<h3>Samarbejde</h3>" in text and "<strong>fælles</strong>" in text
    assert person.name in text and "06.02.2017" not in text  # written now, 10.01.2017
    assert "10.01.2017" in text
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "workshop_input.added")) is not None


def test_script_in_an_item_is_shown_as_text(client, ws, login_as):
    login_as(Role.SECRETARIAT)
    assert add(client, ws, body="<script>alert(1)</script> og <b>fed</b>",
               heading="<img src=x onerror=alert(1)>").status_code == 302
    text = page(client.get(theme_url(ws)))
    assert "<script>alert(1)" not in text and "<b>fed</b>" not in text
    assert "&lt;script&gt;" in text and "&lt;img src=x" in text


@pytest.mark.parametrize("data,field,message", [
    ({"body": ""}, "body", "Skriv teksten."),
    ({"body": "\u200b\u200b"}, "body", "usynlige tegn"),
    ({"body": "x" * 10_001}, "body", "højst være 10000 tegn"),
    ({"heading": "h" * 201}, "heading", "højst være 200 tegn"),
    ({"kind": "opinion"}, "kind", "Vælg"),
])
def test_bad_input_is_a_message_at_the_field_with_the_text_kept(client, ws, login_as, data,
                                                                field, message):
    login_as(Role.SECRETARIAT)
    response = add(client, ws, **({"heading": "Min overskrift"} | data))
    assert response.status_code == 422
    text = page(response)
    anchor = f"{field}-0" if field == "kind" else field
    assert message in (field_error(text, field) if field != "kind" else text)
    assert anchor in text
    if field != "heading":
        assert 'value="Min overskrift"' in text
    assert db.session.scalar(select(InputItem.id)) is None


def test_control_characters_are_stripped(client, ws, login_as):
    login_as(Role.SECRETARIAT)
    assert add(client, ws, body="Linje\x00 1\x07\nLinje 2\x1b").status_code == 302
    assert db.session.scalar(select(InputItem.body)) == "Linje 1\nLinje 2"


def test_the_same_form_posted_twice_creates_one_item(client, ws, login_as, app, monkeypatch):
    login_as(Role.SECRETARIAT)
    monkeypatch.setitem(app.config, "CREATE_TOKEN_REQUIRED", True)
    token = re.search(r'name="once"[^>]*value="([^"]+)"', page(client.get(theme_url(ws)))).group(1)
    for _ in range(2):
        assert add(client, ws, once=token).status_code == 302
    assert len(db.session.scalars(select(InputItem)).all()) == 1


# -- who may ------------------------------------------------------------------------------------

def test_the_facilitator_records_until_the_input_deadline_then_only_the_secretariat(
        client, ws, world, login_as, clock):
    facilitator = world["north"]["users"][Role.RESPONDENT]
    ws["themes"][0].facilitator_id = facilitator.id
    db.session.commit()
    login_as(facilitator)
    assert add(client, ws).status_code == 302
    item_id = db.session.scalar(select(InputItem.id))
    assert "Skriv nyt input" in page(client.get(theme_url(ws)))
    assert client.get(theme_url(ws, 1)).status_code == 403  # not their theme
    clock.set(factories.at(2017, 2, 20, 12, 1))
    text = page(client.get(theme_url(ws)))
    assert "Inputfristen er overskredet" in text  # still reads it
    assert add(client, ws).status_code == 403
    assert client.get(theme_url(ws, tail=f"/{item_id}")).status_code == 403
    login_as(Role.SECRETARIAT)
    assert add(client, ws).status_code == 302
    assert client.get(theme_url(ws, tail=f"/{item_id}")).status_code == 200


def test_participants_add_and_comment_and_change_only_their_own(client, ws, world, login_as,
                                                                monkeypatch):
    one = world["north"]["users"][Role.RESPONDENT]
    other = world["north"]["users"][Role.USER_ORG_REP]
    participants(monkeypatch, {ws["themes"][0].id: {one.id, other.id}})
    login_as(other)
    assert add(client, ws, body="Andens input").status_code == 302
    others = db.session.scalar(select(InputItem.id))
    login_as(one)
    assert add(client, ws, body="Mit input").status_code == 302
    mine = db.session.scalar(select(InputItem.id).where(InputItem.body == "Mit input"))
    text = page(client.get(theme_url(ws)))
    assert f"/input/{mine}\"" in text and f"/input/{others}\"" not in text
    assert client.get(theme_url(ws, tail=f"/{others}")).status_code == 403
    assert client.post(theme_url(ws, tail=f"/{others}/kommentar"),
                       data={"body": "Enig!"}).status_code == 302
    assert db.session.scalar(select(InputComment.author_name)) == one.name
    assert "Enig!" in page(client.get(theme_url(ws)))
    # Not a participant of the other theme.
    assert client.get(theme_url(ws, 1)).status_code == 403


def test_a_person_outside_the_theme_sees_nothing(client, ws, world, login_as):
    login_as(Role.RESPONDENT)
    assert client.get(theme_url(ws)).status_code == 403
    assert client.get(f"/workshops/{ws['id']}/input").status_code == 403
    assert client.get(f"/workshops/{ws['id']}/temaliste").status_code == 403


def test_a_theme_of_another_workshop_or_region_is_not_found(client, db, ws, world, login_as):
    second = wf.workshop(world["north"]["cycle"], title="Anden workshop")
    foreign = wf.workshop(world["mid"]["cycle"])
    db.session.commit()
    other_theme = wf.themes_of(second)[0]
    item = wf.item(other_theme)
    db.session.commit()
    login_as(Role.SECRETARIAT)
    assert client.get(f"/workshops/{ws['id']}/temaer/{other_theme.id}/input").status_code == 404
    assert client.get(theme_url(ws, tail=f"/{item.id}")).status_code == 404
    assert client.post(f"/workshops/{ws['id']}/temaer/{other_theme.id}/input",
                       data={"kind": "challenge", "body": "x"}).status_code == 404
    assert client.get(f"/workshops/{foreign.id}/input").status_code == 404
    assert client.get(f"/workshops/{foreign.id}/temaer/{wf.themes_of(foreign)[0].id}/input") \
        .status_code == 404


# -- editing ------------------------------------------------------------------------------------

def test_two_tabs_saving_the_same_item_the_second_sees_the_first(client, ws, login_as):
    login_as(Role.SECRETARIAT)
    add(client, ws, body="Først")
    item_id = db.session.scalar(select(InputItem.id))
    url = theme_url(ws, tail=f"/{item_id}")
    version = re.search(r'name="version"[^>]*value="(\d+)"', page(client.get(url))).group(1)
    first = client.post(url, data={"kind": "challenge", "body": "Fra fane 1",
                                   "version": version})
    assert first.status_code == 302
    second = client.post(url, data={"kind": "action", "heading": "Ny",
                                    "body": "Fra fane 2", "version": version})
    assert second.status_code == 409
    text = page(second)
    assert "Det, der nu er gemt" in text and "Fra fane 1" in text
    assert re.search(r">\s*Fra fane 2</textarea>", text)
    newer = re.search(r'name="version"[^>]*value="(\d+)"', text).group(1)
    assert newer != version
    again = client.post(url, data={"kind": "action", "body": "Fra fane 2", "version": newer})
    assert again.status_code == 302
    db.session.expire_all()
    stored = db.session.get(InputItem, item_id)
    assert (stored.body, stored.kind, stored.updated_by_name) == (
        "Fra fane 2", InputKind.ACTION, stored.author_name)
    assert "ændret" in page(client.get(theme_url(ws)))


def test_an_edit_without_its_version_is_refused(client, ws, login_as):
    login_as(Role.SECRETARIAT)
    add(client, ws)
    item_id = db.session.scalar(select(InputItem.id))
    assert client.post(theme_url(ws, tail=f"/{item_id}"),
                       data={"kind": "challenge", "body": "x"}).status_code == 400


def test_an_empty_comment_is_a_message_at_the_field(client, ws, login_as):
    login_as(Role.SECRETARIAT)
    add(client, ws)
    item_id = db.session.scalar(select(InputItem.id))
    response = client.post(theme_url(ws, tail=f"/{item_id}/kommentar"), data={"body": " "})
    assert response.status_code == 422
    assert "Skriv kommentaren." in field_error(page(response), "body")


# -- exports ------------------------------------------------------------------------------------

def _fill(ws, secretariat):
    first, second = ws["themes"][0], ws["themes"][1]
    wf.item(first, heading="Sammenhæng", body="Borgeren mødes af mange aktører",
            author=secretariat)
    wf.item(first, kind=InputKind.ACTION, body="Én plan for borgeren", author=secretariat)
    wf.item(second, body="=1+1 <script>", author=secretariat)
    db.session.commit()


def test_the_workshops_input_as_docx_has_headings_per_theme_and_lists(client, ws, world,
                                                                      login_as):
    _fill(ws, world["north"]["users"][Role.SECRETARIAT])
    login_as(Role.SECRETARIAT)
    response = client.get(f"/workshops/{ws['id']}/input.docx")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].isascii()
    document = Document(io.BytesIO(response.data))
    styled = [(p.style.name, p.text) for p in document.paragraphs if p.text]
    assert ("Heading 1", "Tema 1") in styled and ("Heading 1", "Tema 2") in styled
    assert ("Heading 2", "Udfordringer") in styled and ("Heading 2", "Tiltag") in styled
    assert ("Heading 3", "Sammenhæng") in styled
    bullets = [text for style, text in styled if style == "List Bullet"]
    assert any(t.startswith("Borgeren mødes af mange aktører") for t in bullets)
    assert any(t.startswith("=1+1 <script>") for t in bullets)
    one = client.get(theme_url(ws, tail=".docx"))
    texts = [p.text for p in Document(io.BytesIO(one.data)).paragraphs]
    assert "Tema 1" in texts and "Tema 2" not in texts


def test_the_workshops_input_as_xlsx(client, ws, world, login_as):
    _fill(ws, world["north"]["users"][Role.SECRETARIAT])
    login_as(Role.SECRETARIAT)
    response = client.get(f"/workshops/{ws['id']}/input.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0][:5] == ("Session", "Tema", "Slags", "Underoverskrift", "Tekst")
    assert ("Session 1", "Tema 1", "Udfordring", "Sammenhæng",
            "Borgeren mødes af mange aktører") in [r[:5] for r in rows]
    assert any(r[4] == "=1+1 <script>" for r in rows)  # text, not a formula


def test_the_overview_page_lists_every_theme(client, ws, world, login_as):
    _fill(ws, world["north"]["users"][Role.SECRETARIAT])
    login_as(Role.SECRETARIAT)
    text = page(client.get(f"/workshops/{ws['id']}/input"))
    for theme in ws["themes"]:
        assert theme.title in text
    assert "Én plan for borgeren" in text


# -- speed --------------------------------------------------------------------------------------

def _big(world, themes, items_per_theme):
    made = wf.workshop(world["north"]["cycle"], themes=themes, title=f"Stor {themes}")
    author = world["north"]["users"][Role.SECRETARIAT]
    listed = wf.themes_of(made)
    for n, theme in enumerate(listed):
        theme.facilitator_id = author.id
        for k in range(items_per_theme):
            item = wf.item(theme, kind=InputKind.ACTION if k % 2 else InputKind.CHALLENGE,
                           heading=f"Overskrift {k % 3}", author=author)
            db.session.add(InputComment(item_id=item.id, body="Enig", author_name="X",
                                        created_at=factories.at(2017, 2, 6, 11)))
        assert n < themes
    db.session.commit()
    return made, listed


def test_the_input_pages_use_a_fixed_number_of_queries(client, db, world, login_as, queries):
    login_as(Role.SECRETARIAT)
    counts = []
    for themes, items in ((10, 3), (30, 12)):
        made, listed = _big(world, themes, items)
        pages = [f"/workshops/{made.id}/input", f"/workshops/{made.id}/input.docx",
                 f"/workshops/{made.id}/input.xlsx",
                 f"/workshops/{made.id}/temaer/{listed[-1].id}/input"]
        sizes = []
        for path in pages:
            with queries() as q:
                assert client.get(path).status_code == 200, path
            sizes.append(q.count)
        counts.append(sizes)
    assert counts[0] == counts[1], counts


def test_the_participants_are_those_signed_up_with_a_place(app, world, db):
    """participant_ids reads the sign-up: a seat or a pick of an unlimited theme counts; the
    waiting list and a "no" do not."""
    from tests.workshops import helpers as h
    from webapp.queries.workshops.participants import participant_ids

    workshop = h.build(world, capacities=((1, 3, None), (2, 5)))
    seated, waiting, declined = h.people(world, 3)
    invitees = h.invite(world, workshop, [seated, waiting, declined])
    ids = h.theme_ids(workshop)
    h.sign(seated, invitees[0], h.pick(workshop, [0, 2], [0]))
    h.sign(waiting, invitees[1], h.pick(workshop, [0, 1], [0]), waitlist=True)
    h.sign(declined, invitees[2], {}, attending=False)
    db.session.commit()
    found = participant_ids([ids[0][0], ids[0][1], ids[0][2], ids[1][0]])
    assert found[ids[0][0]] == {seated.id}  # the one seat; the other waits
    assert found[ids[0][2]] == {seated.id}  # no limit: a pick is a place
    assert found[ids[0][1]] == {waiting.id}
    assert found[ids[1][0]] == {seated.id, waiting.id}
    assert declined.id not in set().union(*found.values())
    assert participant_ids([]) == {}


def test_the_workshop_page_leads_a_participant_to_the_input_of_their_themes(client, world, db,
                                                                           login_as):
    from tests.workshops import helpers as h

    workshop = h.build(world, capacities=((3, 3, None), (2, 5)))
    [person] = h.people(world, 1)
    [invitee] = h.invite(world, workshop, [person])
    ids = h.theme_ids(workshop)
    h.sign(person, invitee, h.pick(workshop, [0, 2], [1]))
    db.session.commit()
    login_as(person)
    page = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    for theme_id in (ids[0][0], ids[0][2], ids[1][1]):
        assert f"/workshops/{workshop.id}/temaer/{theme_id}/input" in page
    assert f"/workshops/{workshop.id}/temaer/{ids[0][1]}/input" not in page


def test_two_tabs_opened_in_the_same_minute_each_create_their_own_item(client, ws, login_as,
                                                                         app, monkeypatch,
                                                                         queries):
    """A kept page carries fresh one-time tokens in every answer: two tabs opened at once get
    two tokens, so the second tab's item is created too, not taken for a second post of the
    first; the page itself is still the kept copy (one query)."""
    monkeypatch.setitem(app.config, "CREATE_TOKEN_REQUIRED", True)
    login_as(Role.SECRETARIAT)
    client.get(theme_url(ws))  # the sign-in's message shown
    first = page(client.get(theme_url(ws)))
    with queries(kept=True) as counted:
        second = page(client.get(theme_url(ws)))
    assert len(counted.statements) == 1  # kept
    once = r'name="once"[^>]*value="([^"]+)"'
    tokens = [re.findall(once, text) for text in (first, second)]
    assert tokens[0] and not set(tokens[0]) & set(tokens[1])
    assert re.sub(once, "", first) == re.sub(once, "", second)
    tokens = [tokens[0][0], tokens[1][0]]
    for token, body in zip(tokens, ("Første fane", "Anden fane"), strict=True):
        response = add(client, ws, once=token, body=body)
        assert response.status_code == 302
    text = page(client.get(theme_url(ws)))
    assert "Første fane" in text and "Anden fane" in text
