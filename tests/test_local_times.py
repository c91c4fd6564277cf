"""Issue 9, item 6: a typed local time the Copenhagen clock skips (28.03.2027 kl. 02.30) is
refused with the time to choose instead; one it shows twice (31.10.2027 kl. 02.30) asks, summer
or winter time, with two radio buttons that work without JavaScript. Every form with a date and
a time gets it from the one field (`forms.times.LocalTimeField`)."""

from __future__ import annotations

import inspect
import re
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy import select

from tests import factories
from webapp.formatting import repeated_time, skipped_time, utc_offset
from webapp.forms.base import BaseForm
from webapp.forms.times import LocalTimeField
from webapp.models import DeadlineExtension, Milestone, Role

GAP_MESSAGE = ("Klokken 02.30 findes ikke den 28.03.2027, fordi uret stilles frem til sommertid. "
               "Vælg fx 03.30.")
FOLD_MESSAGE = ("Klokken 02.30 findes to gange den 31.10.2027, fordi uret stilles tilbage til "
                "vintertid.")


def field_error(page: str, field_id: str) -> str:
    match = re.search(rf'<p class="error-message" id="{field_id}-error">(.*?)</p>', page, re.S)
    assert match, f"no error message at the field {field_id!r}"
    return re.sub(r"<[^>]+>", "", match.group(1)).replace("Fejl: ", "")


def test_the_clock_skips_and_repeats_half_past_two():
    assert skipped_time(date(2027, 3, 28), time(2, 30)) == time(3, 30)
    assert skipped_time(date(2027, 3, 28), time(3, 30)) is None
    assert skipped_time(date(2027, 10, 31), time(2, 30)) is None
    assert repeated_time(date(2027, 10, 31), time(2, 30))
    assert not repeated_time(date(2027, 10, 31), time(3, 0))
    assert not repeated_time(date(2027, 3, 28), time(2, 30))
    assert utc_offset(date(2027, 10, 31), time(2, 30)) == "+02:00"
    assert utc_offset(date(2027, 10, 31), time(2, 30, fold=1)) == "+01:00"


def _milestone_post(client, cycle, **extra):
    return client.post(f"/cykler/{cycle.id}/milepaele/ny", data={
        "kind": "other", "title": "Møde i styregruppen", **extra})


@pytest.mark.parametrize("which", ["starts", "ends"])
def test_a_skipped_time_is_refused_at_its_field(client, world, login_as, which):
    login_as(Role.SECRETARIAT)
    cycle = world["north"]["cycle"]
    data = {"ends_date": "2027-03-28", "ends_time": "05:00"}
    data.update({f"{which}_date": "2027-03-28", f"{which}_time": "02:30"})
    response = _milestone_post(client, cycle, **data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, f"{which}_time") == GAP_MESSAGE
    assert 'value="02:30"' in page  # the input comes back


def test_a_repeated_time_asks_summer_or_winter_and_keeps_the_answer(client, db, world,
                                                                     login_as):
    login_as(Role.SECRETARIAT)
    cycle = world["north"]["cycle"]
    data = {"ends_date": "2027-10-31", "ends_time": "02:30"}
    response = _milestone_post(client, cycle, **data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert field_error(page, "ends_time").startswith(FOLD_MESSAGE)
    # The question is on the page itself: two radio buttons, neither chosen for the person.
    radios = re.findall(r'<input type="radio" id="ends_time-(summer|winter)" '
                        r'name="ends_time-dst" value="\1"( checked)?>', page)
    assert radios == [("summer", ""), ("winter", "")]
    assert "Sommertid: kl. 02.30 (+02:00)" in page
    assert "Vintertid: kl. 02.30 (+01:00)" in page

    response = _milestone_post(client, cycle, **data, **{"ends_time-dst": "winter"})
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.scalar(select(Milestone).where(Milestone.title == "Møde i styregruppen"))
    assert stored.ends_at == datetime(2027, 10, 31, 1, 30, tzinfo=UTC)

    # The edit page shows the stored choice.
    page = client.get(f"/cykler/{cycle.id}/milepaele/{stored.id}/rediger").get_data(as_text=True)
    assert 'id="ends_time-winter" name="ends_time-dst" value="winter" checked' in page
    assert 'value="summer">' in page


def test_summer_time_is_the_first_half_past_two(client, db, world, login_as):
    login_as(Role.SECRETARIAT)
    response = _milestone_post(client, world["north"]["cycle"], ends_date="2027-10-31",
                               ends_time="02:30", **{"ends_time-dst": "summer"})
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.scalar(select(Milestone).where(Milestone.title == "Møde i styregruppen"))
    assert stored.ends_at == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_an_ordinary_time_asks_nothing(client, world, login_as):
    login_as(Role.SECRETARIAT)
    page = client.get(f"/cykler/{world['north']['cycle'].id}/milepaele/ny").get_data(
        as_text=True)
    assert "-dst" not in page
    response = _milestone_post(client, world["north"]["cycle"], ends_date="2027-10-31",
                               ends_time="03:30", **{"ends_time-dst": "nonsense"})
    assert response.status_code == 302


def test_an_extension_to_a_skipped_time_is_refused(client, db, world, login_as):
    questionnaire, _groups = factories.capacity_questionnaire(world["north"]["cycle"])
    db.session.commit()
    login_as(Role.SECRETARIAT)
    org = world["north"]["municipality"]
    response = client.post(f"/skemaer/{questionnaire.id}/frist/{org.id}", data={
        "until_date": "2027-03-28", "until_time": "02:30", "reason": "Sygdom"})
    assert response.status_code == 422
    assert field_error(response.get_data(as_text=True), "until_time") == GAP_MESSAGE
    assert db.session.scalar(select(DeadlineExtension.id)) is None


def _form_classes():
    import webapp.forms.admin
    import webapp.forms.cycles
    import webapp.forms.questionnaires.builder
    import webapp.forms.questionnaires.follow_up
    import webapp.forms.reminders  # noqa: F401

    seen, todo = set(), [BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return sorted(seen, key=lambda c: c.__qualname__)


def test_every_form_with_a_date_and_a_time_reads_the_time_on_the_local_clock():
    from wtforms import DateField, TimeField

    checked = 0
    for form_class in _form_classes():
        fields = {name: f for name, f in inspect.getmembers(form_class)
                  if hasattr(f, "field_class")}
        if not any(issubclass(f.field_class, DateField) for f in fields.values()):
            continue
        for name, f in fields.items():
            if issubclass(f.field_class, TimeField):
                checked += 1
                assert issubclass(f.field_class, LocalTimeField), (form_class, name)
                assert f.kwargs["date_field"] in fields, (form_class, name)
    assert checked >= 3


def test_an_empty_time_as_a_browser_posts_it_means_the_fields_empty_time(client, world,
                                                                          login_as):
    """A browser sends an empty time input as "": that is the field's empty time (23.59 for an
    end), not an unreadable time that left the save without a moment (it failed with a 500)."""
    login_as(Role.SECRETARIAT)
    cycle = world["north"]["cycle"]
    response = _milestone_post(client, cycle, starts_date="", starts_time="",
                               ends_date="2017-05-01", ends_time="")
    assert response.status_code == 302
    saved = factories.db.session.scalar(select(Milestone).where(
        Milestone.title == "Møde i styregruppen"))
    assert saved is not None and saved.starts_at is None
    assert saved.ends_at == factories.at(2017, 5, 1, 23, 59)
