"""Theme-day voting: the limits at the form (Danish, input kept) and in the database, the end
of the vote, who may vote."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests.boards import factories as bf
from webapp.extensions import db as _db
from webapp.models import Role, ThemeDayState, ThemeDayVote
from webapp.permissions import SYSTEM
from webapp.workflows import WorkflowError
from webapp.workflows.theme_days import setup, themes_with_items, voting


def _day(world, **kw):
    day = bf.theme_day(world["north"]["cycle"], **kw)
    _db.session.commit()
    return day


def _post(client, day, theme, items):
    return client.post(f"/temadage/{day.id}/stem", data={
        "theme_id": theme.id, f"tema-{theme.id}-items": [str(i) for i in items]})


def test_politician_votes_and_changes_picks(client, world, login_as, db):
    day = _day(world)
    themes = themes_with_items(day)
    items = [i.id for i in themes[0].items]
    login_as(Role.POLITICIAN)
    assert client.get(f"/temadage/{day.id}/stem").status_code == 200
    response = _post(client, day, themes[0], items[:3])
    assert response.status_code == 302
    politician = world["north"]["users"][Role.POLITICIAN]
    votes = db.session.scalars(select(ThemeDayVote).where(
        ThemeDayVote.user_id == politician.id)).all()
    assert sorted(v.slot for v in votes) == [1, 2, 3]
    # Changing the picks keeps the slots of those that stay.
    assert _post(client, day, themes[0], [items[0], items[4]]).status_code == 302
    votes = dict(db.session.execute(select(ThemeDayVote.item_id, ThemeDayVote.slot).where(
        ThemeDayVote.user_id == politician.id)).all())
    assert set(votes) == {items[0], items[4]} and votes[items[0]] == 1
    page = client.get(f"/temadage/{day.id}/stem").get_data(as_text=True)
    assert f'value="{items[4]}" checked' in page or f'checked id="tema-{themes[0].id}-items' in page


def test_over_the_limit_is_refused_in_danish_with_input_kept(client, world, login_as):
    day = _day(world, picks=2)
    theme = themes_with_items(day)[0]
    items = [i.id for i in theme.items]
    login_as(Role.POLITICIAN)
    response = _post(client, day, theme, items[:3])
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Vælg højst 2 punkter" in page and "du har valgt 3" in page
    assert page.count("checked") == 3  # the input is kept


def test_a_second_vote_on_the_same_option_is_refused(client, world, login_as):
    day = _day(world)
    theme = themes_with_items(day)[0]
    item = theme.items[0].id
    login_as(Role.POLITICIAN)
    response = _post(client, day, theme, [item, item])
    assert response.status_code == 422
    assert "Du kan kun stemme én gang på hver mulighed." in response.get_data(as_text=True)


def test_an_item_of_another_theme_is_refused(client, world, login_as):
    day = _day(world)
    first, second = themes_with_items(day)[:2]
    login_as(Role.POLITICIAN)
    response = _post(client, day, first, [second.items[0].id])
    assert response.status_code == 422
    assert "Vælg kun blandt de viste muligheder." in response.get_data(as_text=True)
    with pytest.raises(WorkflowError, match="Vælg kun punkter fra temaet"):
        voting.save_picks(world["north"]["users"][Role.POLITICIAN], day, first,
                          [second.items[0].id], now=bf.factories.at(2017, 4, 28, 10))


def test_a_vote_after_the_end_is_refused_with_input_kept(client, world, login_as, db):
    day = _day(world)
    theme = themes_with_items(day)[0]
    login_as(Role.POLITICIAN)
    form_page = client.get(f"/temadage/{day.id}/stem")
    assert form_page.status_code == 200
    setup.end_vote(SYSTEM, day, now=bf.factories.at(2017, 4, 28, 15))
    db.session.commit()
    response = _post(client, day, theme, [theme.items[0].id])
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Afstemningen er afsluttet. Din stemme er ikke gemt." in page
    assert "checked" in page
    assert db.session.scalar(select(func.count()).select_from(ThemeDayVote)) == 0


def test_someone_who_may_not_vote_gets_a_message(client, world, login_as, db):
    day = _day(world)
    theme = themes_with_items(day)[0]
    login_as(Role.STEERING_MEMBER)
    page = client.get(f"/temadage/{day.id}/stem").get_data(as_text=True)
    assert "Du kan ikke stemme på denne temadag." in page
    response = _post(client, day, theme, [theme.items[0].id])
    assert response.status_code == 422
    assert "Du kan ikke stemme på denne temadag." in response.get_data(as_text=True)
    # Added by the secretariat, the same person may vote.
    setup.add_voter(SYSTEM, day, world["north"]["users"][Role.STEERING_MEMBER].id,
                    now=bf.factories.at(2017, 4, 20, 10))
    db.session.commit()
    assert _post(client, day, theme, [theme.items[0].id]).status_code == 302


def test_another_regions_day_is_not_found(client, world, login_as):
    day = _day(world)
    login_as(Role.POLITICIAN, region="mid")
    assert client.get(f"/temadage/{day.id}/stem").status_code == 404
    assert client.get(f"/temadage/{day.id}/optaelling.json").status_code == 404


def test_a_draft_day_is_hidden_until_the_catalogue_is_sent(client, world, login_as):
    day = _day(world, state=ThemeDayState.DRAFT)
    login_as(Role.POLITICIAN)
    assert client.get(f"/temadage/{day.id}").status_code == 404


def test_the_database_holds_the_limits(world, db):
    day = _day(world, picks=2)
    theme = themes_with_items(day)[0]
    person = world["north"]["users"][Role.POLITICIAN]
    bf.vote(day, theme.items[0], person, 1)
    with pytest.raises(IntegrityError), db.session.begin_nested():
        bf.vote(day, theme.items[0], person, 2)  # the same option again
    with pytest.raises(IntegrityError), db.session.begin_nested():
        bf.vote(day, theme.items[1], person, 3)  # a slot over the limit


def test_end_takes_the_lock_and_is_final(world, db):
    day = _day(world)
    setup.end_vote(SYSTEM, day, now=bf.factories.at(2017, 4, 28, 15))
    with pytest.raises(WorkflowError, match="allerede afsluttet"):
        setup.end_vote(SYSTEM, day, now=bf.factories.at(2017, 4, 28, 15))
    theme = themes_with_items(day)[0]
    with pytest.raises(WorkflowError, match="Afstemningen er afsluttet"):
        voting.save_picks(world["north"]["users"][Role.POLITICIAN], day, theme,
                          [theme.items[0].id], now=bf.factories.at(2017, 4, 28, 16))
