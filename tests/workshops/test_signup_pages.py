"""The sign-up pages (signed in and by personal link), the secretariat's overview and theme
page, moving and closing, the printable lists, the XLSX, and the invitation e-mail with its
calendar attachment through a real SMTP server."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests import factories as f
from tests.mailserver import text_body
from tests.workshops.helpers import build, invite, people, pick, sessions, sign, theme_ids
from webapp.models import OrgKind, Role, WorkshopInvitee, WorkshopPick
from webapp.workflows.workshops import invitations
from webapp.workflows.workshops.signup import session_field


def _form(workshop, first, second, **extra):
    ids = theme_ids(workshop)
    s1, s2 = (s.id for s in sessions(workshop))
    data = {"attending": "yes", session_field(s1): [ids[0][i] for i in first],
            session_field(s2): [ids[1][i] for i in second], "needs": "", **extra}
    return data


def _version(page: str) -> str:
    return re.search(r'name="version"[^>]*value="(\d+)"', page).group(1)


def test_a_person_picks_two_plus_one_and_is_refused_three(client, db, world, login_as):
    workshop = build(world)
    person = world["north"]["users"][Role.RESPONDENT]
    invite(world, workshop, [person])
    db.session.commit()
    login_as(Role.RESPONDENT)
    url = f"/workshops/{workshop.id}/tilmelding"
    page = client.get(url).get_data(as_text=True)
    assert "Vælg 2 temaer" in page
    data = _form(workshop, [0, 1, 2], [0], version=_version(page), needs="Vegetar")
    refused = client.post(url, data=data)
    assert refused.status_code == 422
    body = refused.get_data(as_text=True)
    assert "Vælg 2 temaer i “Session 1” (du har valgt 3)" in body
    assert body.count("checked") >= 4 and "Vegetar" in body  # the picks and the text kept
    done = client.post(url, data={**data, **_form(workshop, [0, 1], [0])})
    assert done.status_code == 302
    assert "Du har en plads" in client.get(url).get_data(as_text=True)


def test_someone_not_invited_or_of_another_region_gets_404(client, db, world, login_as):
    workshop = build(world)
    db.session.commit()
    login_as(Role.RESPONDENT)
    assert client.get(f"/workshops/{workshop.id}/tilmelding").status_code == 404
    assert client.get(f"/workshops/{workshop.id}").status_code == 404
    login_as(Role.SECRETARIAT, region="mid")
    assert client.get(f"/workshops/{workshop.id}").status_code == 404


def test_a_personal_link_opens_the_sign_up_alone_and_a_bad_one_is_a_danish_404(client, db,
                                                                              world):
    workshop = build(world)
    secretary = world["north"]["users"][Role.SECRETARIAT]
    invitee = invitations.invite_address(secretary, workshop, name="Hanne Ekstern",
                                         email="hanne@ekstern.example", organisation_id=None,
                                         now=f.at(2017, 1, 10))
    db.session.commit()
    token = invitations.personal_token(invitee)
    url = f"/workshops/tilmelding/{token}"
    page = client.get(url)
    assert page.status_code == 200 and "Hanne Ekstern" in page.get_data(as_text=True)
    data = _form(workshop, [0, 1], [1], version=_version(page.get_data(as_text=True)))
    assert client.post(url, data=data).status_code == 302
    assert db.session.scalar(select(WorkshopInvitee.attending).where(
        WorkshopInvitee.id == invitee.id)) is True
    for bad in (token[:-2] + "xx", "ikke-et-link"):
        answer = client.get(f"/workshops/tilmelding/{bad}")
        assert answer.status_code == 404
        assert "Siden findes ikke" in answer.get_data(as_text=True)
    # The link opens nothing else.
    assert client.get(f"/workshops/{workshop.id}").status_code == 302  # to the login


def test_an_expired_link_is_404(client, db, world, monkeypatch):
    workshop = build(world)
    secretary = world["north"]["users"][Role.SECRETARIAT]
    invitee = invitations.invite_address(secretary, workshop, name="Ole", email="ole@x.example",
                                         organisation_id=None, now=f.at(2017, 1, 10))
    db.session.commit()
    token = invitations.personal_token(invitee)
    monkeypatch.setattr(invitations, "LINK_MAX_AGE", -1)
    from webapp.queries.workshops import loaders

    monkeypatch.setattr(loaders, "LINK_MAX_AGE", -1)
    assert client.get(f"/workshops/tilmelding/{token}").status_code == 404


def test_the_secretariats_overview_move_and_close(client, db, world, login_as):
    workshop = build(world, capacities=((3, 3, None), (5, 5)), minimum=2)
    persons = people(world, 3)
    invitees = invite(world, workshop, persons)
    for person, invitee in zip(persons, invitees, strict=True):
        sign(person, invitee, pick(workshop, [0, 1], [0]))
    db.session.commit()
    login_as(Role.SECRETARIAT)
    page = client.get(f"/workshops/{workshop.id}").get_data(as_text=True)
    assert "<svg" in page and "Tilmeldte pr. tema: Session 1" in page
    assert "Under mindste antal (2)" in page  # Tema 1.3 has none
    ids = theme_ids(workshop)
    theme_url = f"/workshops/{workshop.id}/temaer/{ids[0][0]}"
    assert persons[0].name in client.get(theme_url).get_data(as_text=True)
    refused = client.post(theme_url + "/flyt", data={"invitee_id": invitees[0].id,
                                                     "to_theme_id": ids[0][2], "reason": ""})
    assert refused.status_code == 422
    moved = client.post(theme_url + "/flyt", data={"invitee_id": invitees[0].id,
                                                   "to_theme_id": ids[0][2],
                                                   "reason": "Bedre balance"})
    assert moved.status_code == 302
    assert db.session.scalar(select(WorkshopPick.id).where(
        WorkshopPick.invitee_id == invitees[0].id, WorkshopPick.theme_id == ids[0][2]))
    close_page = client.get(theme_url).get_data(as_text=True)
    closed = client.post(theme_url + "/luk", data={"to_theme_id": ids[0][2],
                                                   "reason": "For få tilmeldte",
                                                   "version": _version(close_page)})
    assert closed.status_code == 302
    for path in ("navnelister", "navneskilte"):
        assert client.get(f"/workshops/{workshop.id}/{path}").status_code == 200
    xlsx = client.get(f"/workshops/{workshop.id}/tilmeldinger.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_the_invitation_carries_the_programme_and_a_calendar_entry(client, db, world, smtp,
                                                                  login_as):
    workshop = build(world)
    db.session.commit()
    login_as(Role.SECRETARIAT)
    answer = client.post(f"/workshops/{workshop.id}/invitationer/art",
                         data={"kind": OrgKind.USER_ORGANISATION.value})
    assert answer.status_code == 302
    [message] = smtp.inbox.messages
    assert "Velkomst" in text_body(message)
    [ics] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert ics.get_filename() == "workshop.ics"
    payload = ics.get_payload(decode=True).decode()
    assert "BEGIN:VEVENT" in payload and "Workshop om udfordringer" in payload
    assert "Aalborg Kongres" in payload


def test_mine_opgaver_shows_the_sign_up_with_days_left(client, db, world, login_as):
    from webapp.models import Cycle, CycleState

    workshop = build(world)
    db.session.get(Cycle, workshop.cycle_id).state = CycleState.OPEN
    person = world["north"]["users"][Role.RESPONDENT]
    [invitee] = invite(world, workshop, [person])
    db.session.commit()
    login_as(Role.RESPONDENT)
    page = client.get("/oversigt").get_data(as_text=True)
    assert "Tilmeld dig: Workshop om udfordringer" in page
    assert "20 dage" in page  # 10.01 to the deadline 30.01
    sign(person, invitee, pick(workshop, [0, 1], [0]))
    db.session.commit()
    assert "Se din tilmelding: Workshop om udfordringer" in client.get("/oversigt").get_data(
        as_text=True)
