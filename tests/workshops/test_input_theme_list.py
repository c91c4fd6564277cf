"""The prioritisation list: made from the workshop's themes, then renamed, merged, split and
added to; labels per region; a merge across workshops refused, in the workflow and the
database."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from tests import factories
from tests.workshops import input_factories as wf
from webapp.extensions import db
from webapp.models import (
    InputKind,
    ListTheme,
    ListThemeSource,
    RecommendationLabel,
    Role,
)
from webapp.permissions import SYSTEM
from webapp.queries.workshops.input import scoped_workshop_or_404
from webapp.workflows import WorkflowError
from webapp.workflows.workshops import theme_list as flow


@pytest.fixture
def ws(db, world):
    made = wf.workshop(world["north"]["cycle"])
    themes = wf.themes_of(made)
    items = [wf.item(themes[0], heading="A", body="Udfordring 1"),
             wf.item(themes[0], kind=InputKind.ACTION, body="Tiltag 1"),
             wf.item(themes[1], body="Udfordring 2")]
    db.session.commit()
    return {"workshop": made, "themes": themes, "items": items, "id": made.id}


def entries(ws):
    db.session.expire_all()
    return {t.title: t for t in db.session.scalars(select(ListTheme).where(
        ListTheme.workshop_id == ws["id"]))}


def links(entry):
    from webapp.models import ListThemeItem

    return sorted(db.session.scalars(select(ListThemeItem.item_id).where(
        ListThemeItem.list_theme_id == entry.id)))


def build(client, ws):
    assert client.post(f"/workshops/{ws['id']}/temaliste/opret").status_code == 302


def test_the_list_starts_with_the_workshops_themes_and_the_regions_three_labels(client, ws,
                                                                                login_as):
    login_as(Role.SECRETARIAT)
    text = client.get(f"/workshops/{ws['id']}/temaliste").get_data(as_text=True)
    assert "Lav temalisten af workshoppens temaer" in text
    build(client, ws)
    listed = entries(ws)
    assert sorted(listed) == ["Tema 1", "Tema 2", "Tema 3", "Tema 4"]
    assert links(listed["Tema 1"]) == [ws["items"][0].id, ws["items"][1].id]
    labels = db.session.scalars(select(RecommendationLabel.name).order_by(
        RecommendationLabel.position)).all()
    assert labels == ["Anbefales", "Anbefales ikke", "Anbefales (DAS/politisk?)"]
    # Made once: a second post is refused with a message.
    client.post(f"/workshops/{ws['id']}/temaliste/opret")
    assert len(entries(ws)) == 4
    assert "Temalisten er allerede lavet." in client.get(
        f"/workshops/{ws['id']}/temaliste").get_data(as_text=True)


def test_rename_group_label_and_rationale(client, ws, world, login_as):
    login_as(Role.SECRETARIAT)
    build(client, ws)
    entry = entries(ws)["Tema 1"]
    label = db.session.scalar(select(RecommendationLabel).where(
        RecommendationLabel.name == "Anbefales"))
    url = f"/workshops/{ws['id']}/temaliste/{entry.id}"
    version = re.search(r'name="version"[^>]*value="(\d+)"',
                        client.get(url).get_data(as_text=True)).group(1)
    data = {"title": "Rehabilitering", "group_name": "Borgerens mestring af eget liv",
            "label_id": str(label.id), "rationale": "Bred opbakning.", "version": version}
    assert client.post(url, data=data).status_code == 302
    entry = entries(ws)["Rehabilitering"]
    assert (entry.group_name, entry.label_id, entry.rationale) == (
        "Borgerens mestring af eget liv", label.id, "Bred opbakning.")
    # The same old version again: a conflict, the typed text kept.
    stale = client.post(url, data=data | {"title": "Andet navn"})
    assert stale.status_code == 409
    assert 'value="Andet navn"' in stale.get_data(as_text=True)
    # A label of another region, or a taken title: messages at the fields.
    foreign = RecommendationLabel(region_id=world["mid"]["region"].id, name="Fremmed")
    db.session.add(foreign)
    db.session.commit()
    version = str(entries(ws)["Rehabilitering"].version_id)
    refused = client.post(url, data=data | {"label_id": str(foreign.id), "version": version})
    assert refused.status_code == 422
    refused = client.post(url, data=data | {"title": "Tema 2", "version": version})
    assert refused.status_code == 422
    assert "allerede et tema med titlen" in refused.get_data(as_text=True)


def test_merging_brings_the_items_along_with_their_origin(client, ws, login_as):
    login_as(Role.SECRETARIAT)
    build(client, ws)
    listed = entries(ws)
    response = client.post(f"/workshops/{ws['id']}/temaliste/saml", data={
        "theme_ids": [str(listed["Tema 1"].id), str(listed["Tema 2"].id)],
        "title": "Tema 1", "group_name": "Tværgående temaer"})
    assert response.status_code == 302
    listed = entries(ws)
    assert sorted(listed) == ["Tema 1", "Tema 3", "Tema 4"]
    merged = listed["Tema 1"]
    assert links(merged) == sorted(i.id for i in ws["items"])
    sources = db.session.scalars(select(ListThemeSource.theme_id).where(
        ListThemeSource.list_theme_id == merged.id)).all()
    assert sorted(sources) == [ws["themes"][0].id, ws["themes"][1].id]
    text = client.get(f"/workshops/{ws['id']}/temaliste").get_data(as_text=True)
    assert "fra temaet Tema 2" in text and "Tema 1, Tema 2" in text


def test_merging_needs_two_themes(client, ws, login_as):
    login_as(Role.SECRETARIAT)
    build(client, ws)
    one = entries(ws)["Tema 1"]
    response = client.post(f"/workshops/{ws['id']}/temaliste/saml",
                           data={"theme_ids": [str(one.id)], "title": "X"})
    assert response.status_code == 422
    assert "Vælg mindst to temaer" in response.get_data(as_text=True)


def test_a_merge_across_workshops_is_refused(client, db, ws, world, login_as):
    login_as(Role.SECRETARIAT)
    other = wf.workshop(world["north"]["cycle"], title="Anden workshop")
    db.session.commit()
    build(client, ws)
    flow.build_list(SYSTEM, other, now=factories.at(2017, 3, 1))
    db.session.commit()
    mine = entries(ws)["Tema 1"]
    theirs = db.session.scalar(select(ListTheme).where(ListTheme.workshop_id == other.id))
    # Through the page: the other workshop's theme is not among the choices.
    response = client.post(f"/workshops/{ws['id']}/temaliste/saml", data={
        "theme_ids": [str(mine.id), str(theirs.id)], "title": "Samlet"})
    assert response.status_code == 422
    # Through the workflow: refused with its reason.
    workshop = scoped_workshop_or_404(ws["id"], world["north"]["secretariat_org"])
    with pytest.raises(WorkflowError, match="forskellige workshops"):
        flow.merge(SYSTEM, workshop, [mine.id, theirs.id], title="Samlet",
                   now=factories.at(2017, 3, 1))
    db.session.rollback()
    # And in the database: a source row cannot name another workshop than its list theme's.
    db.session.add(ListThemeSource(list_theme_id=mine.id, theme_id=wf.themes_of(other)[0].id,
                                   workshop_id=other.id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_splitting_hands_each_item_to_one_part(client, ws, login_as):
    login_as(Role.SECRETARIAT)
    build(client, ws)
    entry = entries(ws)["Tema 1"]
    url = f"/workshops/{ws['id']}/temaliste/{entry.id}/del"
    text = client.get(url).get_data(as_text=True)
    version = re.search(r'name="version"[^>]*value="(\d+)"', text).group(1)
    # Items are listed challenges first: Udfordring 1, then Tiltag 1.
    refused = client.post(url, data={"titles": "Kun én", "parts-0": "1", "parts-1": "1",
                                     "version": version})
    assert refused.status_code == 422
    assert "Kun én" in refused.get_data(as_text=True)
    refused = client.post(url, data={"titles": "Del A\nDel B", "parts-0": "1", "parts-1": "3",
                                     "version": version})
    assert refused.status_code == 422
    assert "præcis ét af de nye temaer" in refused.get_data(as_text=True)
    response = client.post(url, data={"titles": "Del A\nDel B", "parts-0": "1",
                                      "parts-1": "2", "version": version})
    assert response.status_code == 302
    listed = entries(ws)
    assert "Tema 1" not in listed
    assert links(listed["Del A"]) == [ws["items"][0].id]
    assert links(listed["Del B"]) == [ws["items"][1].id]


def test_a_plenary_theme_and_a_new_label(client, ws, login_as):
    login_as(Role.SECRETARIAT)
    build(client, ws)
    assert client.post(f"/workshops/{ws['id']}/temaliste/plenum", data={
        "plenum-title": "Vidensdeling", "plenum-group_name": "Tværgående temaer"}) \
        .status_code == 302
    entry = entries(ws)["Vidensdeling"]
    assert entry.group_name == "Tværgående temaer" and links(entry) == []
    assert entry.position == 5
    taken = client.post(f"/workshops/{ws['id']}/temaliste/plenum",
                        data={"plenum-title": "Tema 2"})
    assert taken.status_code == 422
    assert client.post(f"/workshops/{ws['id']}/temaliste/anbefalinger",
                       data={"name": "Anbefales med forbehold"}).status_code == 302
    again = client.post(f"/workshops/{ws['id']}/temaliste/anbefalinger",
                        data={"name": "Anbefales"})
    assert again.status_code == 422
    text = client.get(f"/workshops/{ws['id']}/temaliste").get_data(as_text=True)
    assert "Tilføjet i plenum" in text and "Anbefales med forbehold" in text


def test_an_item_added_after_the_list_joins_its_list_theme(client, ws, login_as):
    login_as(Role.SECRETARIAT)
    build(client, ws)
    client.post(f"/workshops/{ws['id']}/temaer/{ws['themes'][2].id}/input",
                data={"kind": "challenge", "body": "Sent input"})
    assert len(links(entries(ws)["Tema 3"])) == 1


def test_the_list_page_uses_a_fixed_number_of_queries(client, db, world, login_as, queries):
    secretariat = login_as(Role.SECRETARIAT)
    counts = []
    for themes, per_theme in ((10, 3), (30, 12)):
        made = wf.workshop(world["north"]["cycle"], themes=themes, title=f"Stor {themes}")
        for theme in wf.themes_of(made):
            for k in range(per_theme):
                wf.item(theme, kind=InputKind.ACTION if k % 2 else InputKind.CHALLENGE)
        flow.build_list(secretariat, made, now=factories.at(2017, 3, 1))
        db.session.commit()
        with queries() as q:
            assert client.get(f"/workshops/{made.id}/temaliste").status_code == 200
        counts.append(q.count)
    assert counts[0] == counts[1], counts
