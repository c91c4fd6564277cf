"""The secretariat's cycle pages: forms keep input, errors sit at fields, scoping, conflicts."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from webapp.formatting import to_local
from webapp.models import AuditEvent, Cycle, CycleState, Milestone, Role


def html(response):
    return response.get_data(as_text=True)


def test_create_cycle_with_errors_keeps_input(client, login_as):
    login_as(Role.SECRETARIAT)
    response = client.post("/cykler/ny", data={
        "title": "Rammeaftale 2021", "first_year": "2021", "last_year": "tyve",
        "description": "Min lange beskrivelse"})
    assert response.status_code == 422
    page = html(response)
    assert 'class="error-summary"' in page and 'href="#last_year"' in page
    assert "Skriv et helt tal." in page
    assert 'value="Rammeaftale 2021"' in page and "Min lange beskrivelse" in page
    assert 'aria-invalid="true"' in page


def test_create_cycle_workflow_error_at_field(client, login_as):
    login_as(Role.SECRETARIAT)
    response = client.post("/cykler/ny", data={
        "title": "Rammeaftale 2021", "first_year": "2021", "last_year": "2025"})
    assert response.status_code == 422
    assert "En rammeaftale dækker et til tre år." in html(response)
    assert 'href="#last_year"' in html(response)


def test_create_and_open_cycle(client, db, login_as):
    login_as(Role.SECRETARIAT)
    response = client.post("/cykler/ny", data={
        "title": "Rammeaftale 2021", "first_year": "2021", "last_year": "2021"})
    assert response.status_code == 302
    db.session.expire_all()
    cycle = db.session.scalar(select(Cycle).where(Cycle.title == "Rammeaftale 2021"))
    response = client.post(f"/cykler/{cycle.id}/milepaele/ny", data={
        "kind": "approval", "title": "Godkendelse", "ends_date": "2020-10-15",
        "ends_time": "23:59"})
    assert response.status_code == 302
    response = client.post(f"/cykler/{cycle.id}/tilstand", data={"state": "open"},
                           follow_redirects=True)
    assert "Cyklussen er nu “Åben”." in html(response)
    db.session.expire_all()
    assert db.session.get(Cycle, cycle.id).state == CycleState.OPEN


def test_milestone_form_errors_keep_every_value(client, world, login_as):
    login_as(Role.SECRETARIAT)
    cycle = world["north"]["cycle"]
    response = client.post(f"/cykler/{cycle.id}/milepaele/ny", data={
        "kind": "workshop", "title": "Workshop 2", "starts_date": "2017-02-10",
        "starts_time": "15:00", "ends_date": "2017-02-10", "ends_time": "09:00",
        "place": "Aalborg Kongres", "description": "Tekst", "audience": ["respondent"]})
    assert response.status_code == 422
    page = html(response)
    assert "Slut/frist ligger før starten." in page
    for kept in ('value="Workshop 2"', 'value="2017-02-10"', 'value="15:00"',
                 'value="Aalborg Kongres"', "Tekst</textarea>"):
        assert kept in page
    checked = '<input checked id="audience-1" name="audience" type="checkbox" value="respondent">'
    assert checked in page


@pytest.mark.parametrize("payload,message", [
    ({"ends_date": "2017-02-31"}, "Skriv en gyldig dato."),
    ({"ends_date": ""}, "Angiv en slutdato eller frist."),
    ({"ends_date": "2017-03-01", "ends_time": "25:00"}, "Skriv et gyldigt tidspunkt"),
    ({"ends_date": "2017-03-01", "kind": "nonsense"}, "Vælg en af de viste muligheder."),
    ({"ends_date": "2017-03-01", "starts_time": "10:00"}, "Angiv også en startdato"),
])
def test_milestone_bad_input(client, world, login_as, payload, message):
    login_as(Role.SECRETARIAT)
    data = {"kind": "other", "title": "X", **payload}
    response = client.post(f"/cykler/{world['north']['cycle'].id}/milepaele/ny", data=data)
    assert response.status_code == 422
    assert message in html(response)


def test_other_region_is_404_and_other_roles_403(client, world, login_as):
    login_as(Role.SECRETARIAT)
    foreign = world["mid"]["cycle"]
    assert client.get(f"/cykler/{foreign.id}").status_code == 404
    assert client.get(f"/cykler/{foreign.id}/rediger").status_code == 404
    response = client.post(f"/cykler/{foreign.id}/tilstand", data={"state": "closed"})
    assert response.status_code == 404
    assert client.get("/cykler/999999").status_code == 404
    client.post("/logout")
    login_as(Role.RESPONDENT)
    own = world["north"]["cycle"]
    assert client.get(f"/cykler/{own.id}").status_code == 200
    for url in (f"/cykler/{own.id}/rediger", "/cykler/ny", f"/cykler/{own.id}/klon",
                f"/cykler/{own.id}/historik", f"/cykler/{own.id}/milepaele/ny"):
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Ingen adgang" in html(response)


def test_milestone_of_another_cycle_is_404(client, db, world, login_as):
    login_as(Role.SECRETARIAT)
    own = world["north"]["cycle"]
    foreign_id = db.session.scalar(select(Milestone.id).where(
        Milestone.cycle_id == world["mid"]["cycle"].id))
    assert client.get(f"/cykler/{own.id}/milepaele/{foreign_id}/rediger").status_code == 404


def test_stale_milestone_edit_shows_conflict_and_keeps_input(client, db, world, login_as):
    login_as(Role.SECRETARIAT)
    cycle = world["north"]["cycle"]
    milestone = db.session.scalar(select(Milestone).where(
        Milestone.cycle_id == cycle.id, Milestone.title == "Workshop"))
    old_version = milestone.version_id
    milestone.place = "Rebild"  # somebody else saves first
    db.session.commit()
    form = {"kind": "other", "title": "Workshop (mit navn)", "starts_date": "2017-02-06",
            "starts_time": "09:00", "ends_date": "2017-02-06", "ends_time": "15:30",
            "place": "Aalborg", "version": str(old_version)}
    response = client.post(f"/cykler/{cycle.id}/milepaele/{milestone.id}/rediger", data=form)
    assert response.status_code == 422
    page = html(response)
    assert "Nogen har ændret dette" in page
    assert 'value="Workshop (mit navn)"' in page and 'value="Aalborg"' in page
    assert "Rebild" in page  # what is stored now is shown too
    # Resubmitting with the version the page now carries saves, knowingly.
    new_version = page.split('name="version" type="hidden" value="')[1].split('"')[0]
    response = client.post(f"/cykler/{cycle.id}/milepaele/{milestone.id}/rediger",
                           data={**form, "version": new_version})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Milestone, milestone.id).title == "Workshop (mit navn)"


def test_clone_move_and_history_in_audit(client, db, world, login_as):
    login_as(Role.SECRETARIAT)
    source = world["north"]["cycle"]
    page = html(client.get(f"/cykler/{source.id}/klon"))
    assert 'value="2019"' in page  # next year proposed
    response = client.post(f"/cykler/{source.id}/klon", data={
        "title": "Rammeaftale 2019", "first_year": "2019", "last_year": "2019"})
    assert response.status_code == 302
    db.session.expire_all()
    clone = db.session.scalar(select(Cycle).where(Cycle.title == "Rammeaftale 2019"))
    milestone = db.session.scalar(select(Milestone).where(
        Milestone.cycle_id == clone.id, Milestone.title == "Workshop"))
    response = client.post(f"/cykler/{clone.id}/milepaele/{milestone.id}/flyt",
                           data={"days": "7", "include_later": "y",
                                 "version": str(milestone.version_id)})
    assert response.status_code == 302
    detail = html(client.get(f"/cykler/{clone.id}"))
    assert "13.02.2018 kl. 15.30" in detail  # 6 Feb 2017 + 1 year + 7 days
    history = html(client.get(f"/cykler/{clone.id}/historik"))
    assert "Cyklus kopieret fra en tidligere" in history and "Milepæl flyttet" in history
    assert "cycle.cloned" not in history and "milestone.moved" not in history, "no codes"
    db.session.expire_all()
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "cycle.cloned"))


def test_closed_cycle_cannot_be_edited(client, db, world, login_as):
    login_as(Role.SECRETARIAT)
    cycle = world["north"]["cycle"]
    client.post(f"/cykler/{cycle.id}/tilstand", data={"state": "closed"})
    response = client.post(f"/cykler/{cycle.id}/milepaele/ny", data={
        "kind": "other", "title": "Sent", "ends_date": "2017-11-01"})
    assert response.status_code == 422
    assert "afsluttet" in html(response)


def test_delete_milestone(client, db, world, login_as):
    login_as(Role.SECRETARIAT)
    cycle = world["north"]["cycle"]
    milestone_id = db.session.scalar(select(Milestone.id).where(Milestone.cycle_id == cycle.id))
    response = client.post(f"/cykler/{cycle.id}/milepaele/{milestone_id}/slet",
                           follow_redirects=True)
    assert "er slettet" in html(response)
    db.session.expire_all()
    assert db.session.get(Milestone, milestone_id) is None
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "milestone.deleted"))


def test_state_change_is_post_only(client, world, login_as):
    login_as(Role.SECRETARIAT)
    assert client.get(f"/cykler/{world['north']['cycle'].id}/tilstand").status_code == 405


def test_double_submitted_move_moves_once(client, db, world, login_as):
    login_as(Role.SECRETARIAT)
    cycle = world["north"]["cycle"]
    milestone = db.session.scalar(select(Milestone).where(
        Milestone.cycle_id == cycle.id, Milestone.title == "Workshop"))
    page = html(client.get(f"/cykler/{cycle.id}/milepaele/{milestone.id}/flyt"))
    version = page.split('name="version" type="hidden" value="')[1].split('"')[0]
    form = {"days": "7", "version": version}
    url = f"/cykler/{cycle.id}/milepaele/{milestone.id}/flyt"
    assert client.post(url, data=form).status_code == 302
    second = client.post(url, data=form)
    assert second.status_code == 422
    assert "allerede flyttet" in html(second)
    assert "13.02.2017 kl. 15.30" in html(second)  # the page shows where it is now
    db.session.expire_all()
    moved = db.session.get(Milestone, milestone.id)
    assert to_local(moved.ends_at).strftime("%d.%m.%Y %H.%M") == "13.02.2017 15.30"
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "milestone.moved", AuditEvent.object_id == milestone.id)).all()
    assert len(events) == 1


def test_moved_milestones_are_counted_in_danish_singular_and_plural(client, db, world,
                                                                    login_as):
    login_as(Role.SECRETARIAT)
    source = world["north"]["cycle"]
    client.post(f"/cykler/{source.id}/klon", data={
        "title": "Rammeaftale 2019", "first_year": "2019", "last_year": "2019"})
    clone = db.session.scalar(select(Cycle).where(Cycle.title == "Rammeaftale 2019"))
    milestone = db.session.scalars(select(Milestone).where(
        Milestone.cycle_id == clone.id).order_by(Milestone.ends_at)).first()
    url = f"/cykler/{clone.id}/milepaele/{milestone.id}/flyt"
    one = client.post(url, data={"days": "1", "version": str(milestone.version_id)},
                      follow_redirects=True)
    assert "1 milepæl er flyttet." in html(one)
    db.session.expire_all()
    many = client.post(url, data={"days": "1", "include_later": "y",
                                  "version": str(milestone.version_id)},
                       follow_redirects=True)
    counted = re.search(r"(\d+) milepæle er flyttet\.", html(many))
    assert counted and int(counted.group(1)) > 1
    assert "(e)" not in html(many)
