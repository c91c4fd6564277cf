"""The theme day's pages: the secretariat's setup through the forms, the catalogue (page and
DOCX), the tally and its JSON in a fixed number of queries, "Mine opgaver", the demo."""

from __future__ import annotations

import io
import zipfile

from sqlalchemy import func, select

from tests import factories
from tests.boards import factories as bf
from webapp.extensions import db as _db
from webapp.models import (
    CatalogueItem,
    CatalogueItemKind,
    CatalogueTheme,
    EmailAttachment,
    Milestone,
    MilestoneKind,
    OutboundEmail,
    Role,
    ThemeDay,
    ThemeDayState,
    ThemeDayVote,
)
from webapp.queries.theme_days.catalogue import tally
from webapp.workflows.theme_days import themes_with_items


def _vote_everyone(day, people):
    for person in people:
        for theme in themes_with_items(day):
            for slot, item in enumerate(theme.items[:day.picks_per_theme], start=1):
                _db.session.add(ThemeDayVote(
                    theme_day_id=day.id, theme_id=theme.id, item_id=item.id, user_id=person.id,
                    slot=slot, picks_limit=day.picks_per_theme))
    _db.session.flush()


def test_the_secretariat_builds_sends_opens_and_ends(client, world, login_as, db):
    cycle = world["north"]["cycle"]
    factories.milestone(cycle, factories.at(2017, 4, 28, 15), kind=MilestoneKind.THEME_DAY,
                        title="Politisk temadag", starts_at=factories.at(2017, 4, 28, 9, 30))
    db.session.commit()
    login_as(Role.SECRETARIAT)
    page = client.get(f"/cykler/{cycle.id}/temadag/ny")
    assert page.status_code == 200
    milestone_id = db.session.scalar(select(Milestone.id).where(
        Milestone.kind == MilestoneKind.THEME_DAY))
    response = client.post(f"/cykler/{cycle.id}/temadag/ny", data={
        "title": "Temadag", "milestone_id": milestone_id, "board_id": 0,
        "theme_titles": "Borgerens mestring af eget liv\nNye samarbejdsformer",
        "picks_per_theme": 2, "intro": "Velkommen"})
    assert response.status_code == 302, response.get_data(as_text=True)
    day = db.session.scalar(select(ThemeDay))
    themes = themes_with_items(day)
    assert [t.title for t in themes] == ["Borgerens mestring af eget liv", "Nye samarbejdsformer"]
    # Sending needs challenges: a Danish refusal first.
    client.post(f"/temadage/{day.id}/send")
    assert "har ingen udfordringer" in client.get(f"/temadage/{day.id}").get_data(as_text=True)
    for theme in themes:
        response = client.post(f"/temadage/{day.id}/temaer/{theme.id}/punkter/ny", data={
            "title": f"Udfordring i {theme.title}", "version": theme.version_id})
        assert response.status_code == 302, response.get_data(as_text=True)
    challenge = db.session.scalar(select(CatalogueItem).where(
        CatalogueItem.theme_id == themes[0].id))
    theme_version = db.session.scalar(select(CatalogueTheme.version_id).where(
        CatalogueTheme.id == themes[0].id))
    for n, words in enumerate(["Meget tæt samarbejde", "Begrænset samarbejde"]):
        response = client.post(
            f"/temadage/{day.id}/temaer/{themes[0].id}/punkter/ny?udfordring={challenge.id}",
            data={"title": f"Løsning {n}", "cooperation": words,
                  "version": theme_version + n})
        assert response.status_code == 302, response.get_data(as_text=True)
    # A stale item form (the theme changed since) is a conflict with the input kept.
    stale = client.post(
        f"/temadage/{day.id}/temaer/{themes[0].id}/punkter/ny?udfordring={challenge.id}",
        data={"title": "Gammel formular", "version": theme_version})
    assert stale.status_code == 422 and "Gammel formular" in stale.get_data(as_text=True)
    last = db.session.scalar(select(CatalogueItem).where(CatalogueItem.title == "Løsning 1"))
    assert client.post(f"/temadage/{day.id}/punkter/{last.id}/flyt",
                       data={"direction": "up"}).status_code == 302
    titles = db.session.scalars(select(CatalogueItem.title).where(
        CatalogueItem.parent_id == challenge.id).order_by(CatalogueItem.position)).all()
    assert titles == ["Løsning 1", "Løsning 0"]
    assert client.post(f"/temadage/{day.id}/send").status_code == 302
    sent = db.session.scalar(select(func.count()).select_from(OutboundEmail).where(
        OutboundEmail.template == "theme_day_catalogue"))
    assert sent == 2  # the region's politician and steering member
    # each with the catalogue as a Word file
    attached = db.session.execute(select(EmailAttachment.filename, EmailAttachment.data).join(
        OutboundEmail, OutboundEmail.id == EmailAttachment.email_id).where(
        OutboundEmail.template == "theme_day_catalogue")).all()
    assert len(attached) == 2 and all(name.endswith(".docx") and data[:2] == b"PK"
                                      for name, data in attached)
    day_version = db.session.scalar(select(ThemeDay.version_id).where(ThemeDay.id == day.id))
    assert client.post(f"/temadage/{day.id}/aabn",
                       data={"version": day_version}).status_code == 302
    assert client.post(f"/temadage/{day.id}/afslut").status_code == 302
    state = db.session.scalar(select(ThemeDay.state).where(ThemeDay.id == day.id))
    assert state == ThemeDayState.ENDED
    page = client.get(f"/temadage/{day.id}/optaelling").get_data(as_text=True)
    assert "Afstemningen er afsluttet" in page and 'id="tally-ended" role="status" hidden' \
        not in page
    docx = client.get(f"/temadage/{day.id}/katalog.docx")
    assert docx.status_code == 200
    document = zipfile.ZipFile(io.BytesIO(docx.data)).read("word/document.xml").decode()
    assert "Løsning 1" in document and "Meget tæt samarbejde" in document


def test_the_tally_counts_and_its_json(client, world, login_as, db):
    day = bf.theme_day(world["north"]["cycle"], picks=2)
    people = bf.politicians(world["north"]["municipality"], 3)
    _vote_everyone(day, people)
    db.session.commit()
    data = tally(day)
    assert data.total_voters == 3
    first = data.themes[0]
    challenge, options = first.groups[0]
    assert challenge.count == 3 and challenge.percent == 100
    assert options[0].count == 3 and options[1].count == 0
    login_as(Role.POLITICIAN)
    answer = client.get(f"/temadage/{day.id}/optaelling.json").get_json()
    assert answer["ended"] is False and answer["total_voters"] == 3
    assert answer["items"][str(challenge.id)] == 3
    page = client.get(f"/temadage/{day.id}/optaelling").get_data(as_text=True)
    assert 'src="/static/tally.js"' in page and f'data-item="{challenge.id}"' in page


def _count(client, queries, path):
    with queries() as q:
        assert client.get(path).status_code == 200
    return q.count


def test_the_tally_costs_a_fixed_number_of_queries(client, world, login_as, db, queries):
    small = bf.theme_day(world["north"]["cycle"])
    _vote_everyone(small, bf.politicians(world["north"]["municipality"], 12))
    other = factories.cycle(world["north"]["region"], title="Rammeaftale 2019")
    large = bf.theme_day(other, themes=50, challenges=2, solutions=3)
    _vote_everyone(large, bf.politicians(world["north"]["municipality"], 100))
    db.session.commit()
    login_as(Role.POLITICIAN)
    for path in ("optaelling", "optaelling.json", "", "stem"):
        counts = [_count(client, queries, f"/temadage/{d.id}/{path}".rstrip("/"))
                  for d in (small, large)]
        assert counts[0] == counts[1], (path, counts)
    # Kept: the person's one query.
    client.get(f"/temadage/{large.id}/optaelling.json")
    with queries(kept=True) as q:
        client.get(f"/temadage/{large.id}/optaelling.json")
    assert q.count == 1


def test_mine_opgaver_shows_an_open_vote(client, world, login_as, db):
    day = bf.theme_day(world["north"]["cycle"])
    db.session.commit()
    login_as(Role.POLITICIAN)
    page = client.get("/oversigt").get_data(as_text=True)
    assert f"/temadage/{day.id}/stem" in page


def test_seed_theme_day_builds_the_story_once(db, world):
    from webapp.demo.theme_day import seed_theme_day
    cycle = world["north"]["cycle"]
    factories.milestone(cycle, factories.at(2017, 4, 28, 15), kind=MilestoneKind.THEME_DAY,
                        title="Politisk temadag", starts_at=factories.at(2017, 4, 28, 9, 30))
    day = seed_theme_day(cycle, None, factories.at(2017, 4, 20, 10))
    assert day is not None and day.state == ThemeDayState.OPEN
    themes = themes_with_items(day)
    assert [t.title for t in themes] == ["Borgerens mestring af eget liv",
                                         "Hvordan ønsker vi at samarbejde?",
                                         "Samarbejde mellem kommunerne og behandlingspsykiatrien"]
    assert all(any(i.kind == CatalogueItemKind.SOLUTION for i in t.items) for t in themes)
    assert day.catalogue_sent_at is not None
    assert seed_theme_day(cycle, None, factories.at(2017, 4, 20, 10)).id == day.id
