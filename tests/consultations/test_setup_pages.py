"""The consultation's pages: the list, the form (422 at the field, input kept; a stale edit),
the list of parties, opening with its confirmation, the page for the secretariat, an invited
party and an external party through its personal link; another region's is a 404."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from tests import factories as f
from tests.consultations import setup_helpers as h
from webapp.extensions import db
from webapp.models import (
    Consultation,
    ConsultationParty,
    ConsultationState,
    OrgKind,
    OutboundEmail,
    Role,
)
from webapp.security import make_link_token, new_nonce
from webapp.workflows.consultations import parties as pflow
from webapp.workflows.consultations import setup as flow

NOW = f.at(2017, 1, 10)


def _version(page: str) -> str:
    found = re.search(r'name="version"[^>]*value="(\d+)"', page) or re.search(
        r'value="(\d+)"[^>]*name="version"', page)
    assert found, "no version field"
    return found.group(1)


def _once(page: str, after: str = "") -> str:
    page = page[page.index(after):] if after else page
    found = re.search(r'name="once"[^>]*value="([^"]+)"', page) or re.search(
        r'value="([^"]+)"[^>]*name="once"', page)
    assert found, "no once field"
    return found.group(1)


def _form(version_id: int, milestone_id: int, **extra: str) -> dict[str, str]:
    data = {"title": "Høring over udkast", "text_version_id": str(version_id),
            "milestone_id": str(milestone_id), "starts_date": "2017-08-01", "starts_time": "",
            "ends_date": "2017-09-29", "ends_time": "", "short_deadline_reason": "",
            "letter": "**Vigtigt** <script>alert(1)</script>", "publication": "invited"}
    data.update(extra)
    return data


@pytest.fixture
def ready(app, world) -> dict[str, Any]:
    cycle = world["north"]["cycle"]
    out = {"version": h.text_version(cycle), "milestone": h.consultation_milestone(cycle),
           "cycle": cycle}
    db.session.commit()
    return out


def _opened(app: Any, world: dict[str, Any], *, external: bool = True,
            title: str = "Høring over udkast") -> Consultation:
    north = world["north"]
    secretariat = north["users"][Role.SECRETARIAT]
    c = h.draft(secretariat, north["cycle"], letter="**Vigtigt** <script>alert(1)</script>",
                title=title)
    pflow.add_by_kind(secretariat, c, OrgKind.MUNICIPALITY, now=NOW)
    if external:
        pflow.add_external(secretariat, c, name="DH Aalborg", email="dh@dh.example", now=NOW)
    db.session.commit()
    with app.test_request_context():
        flow.open_consultation(secretariat, c, now=NOW)
        db.session.commit()
    return c


def test_create_refuses_a_short_deadline_at_the_field_and_keeps_the_input(client, login_as,
                                                                          ready):
    login_as(Role.SECRETARIAT)
    url = f"/cykler/{ready['cycle'].id}/hoeringer/ny"
    page = client.get(url).get_data(as_text=True)
    # Nothing that widens access is preselected.
    assert re.search(r'<input checked[^>]*value="invited"', page)
    assert not re.search(r'<input checked[^>]*value="public"', page)
    data = _form(ready["version"].id, ready["milestone"].id, ends_date="2017-08-20",
                 title="Min hastehøring", once=_once(page))
    response = client.post(url, data=data)
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "skal begrundes" in body and 'id="short_deadline_reason-error"' in body
    assert 'value="Min hastehøring"' in body
    assert db.session.scalar(select(Consultation.id)) is None  # nothing stored half-way
    data["short_deadline_reason"] = "Byrådenes mødeplan"
    response = client.post(url, data=data)
    assert response.status_code == 302
    c = db.session.scalar(select(Consultation))
    assert c is not None and response.headers["Location"].endswith(f"/hoeringer/{c.id}/parter")


def test_edit_with_a_stale_version_shows_the_conflict(client, login_as, world):
    secretariat = login_as(Role.SECRETARIAT)
    c = h.draft(secretariat, world["north"]["cycle"])
    url = f"/hoeringer/{c.id}/rediger"
    page = client.get(url).get_data(as_text=True)
    old = _version(page)
    data = _form(c.text_version_id, c.milestone_id, title="Første", version=old)
    assert client.post(url, data=data).status_code == 302
    data["title"] = "Anden"
    response = client.post(url, data=data)
    assert response.status_code in (409, 422)
    body = response.get_data(as_text=True)
    assert "Det, der nu er gemt" in body and 'value="Anden"' in body
    db.session.expire_all()
    assert db.session.get(Consultation, c.id).title == "Første"


def test_parties_page_by_kind_external_and_remove(client, login_as, world):
    secretariat = login_as(Role.SECRETARIAT)
    c = h.draft(secretariat, world["north"]["cycle"])
    base = f"/hoeringer/{c.id}/parter"
    assert client.get(base).status_code == 200
    assert client.post(f"{base}/art", data={"kind": "municipality"}).status_code == 302
    page = client.get(base).get_data(as_text=True)
    response = client.post(f"{base}/ekstern", data={"name": "DH", "email": "dh@aalborg",
                                                     "once": _once(page, "parter/ekstern")})
    assert response.status_code == 422
    body = response.get_data(as_text=True)
    assert "gyldig e-mailadresse" in body and 'value="dh@aalborg"' in body
    page = client.get(base).get_data(as_text=True)
    response = client.post(f"{base}/ekstern", data={"name": "DH", "email": "dh@dh.example",
                                                     "once": _once(page, "parter/ekstern")})
    assert response.status_code == 302
    names = set(db.session.scalars(select(ConsultationParty.name).where(
        ConsultationParty.consultation_id == c.id)))
    assert names == {world["north"]["municipality"].name, "DH"}
    # An unoffered kind is refused, nothing added.
    assert client.post(f"{base}/art", data={"kind": "planet"}).status_code == 302
    party = db.session.scalar(select(ConsultationParty).where(ConsultationParty.name == "DH"))
    assert client.post(f"{base}/{party.id}/fjern").status_code == 302
    assert db.session.scalar(select(ConsultationParty.id).where(
        ConsultationParty.name == "DH")) is None


def test_open_confirms_the_count_then_sends(client, login_as, world):
    secretariat = login_as(Role.SECRETARIAT)
    c = h.draft(secretariat, world["north"]["cycle"])
    pflow.add_by_kind(secretariat, c, OrgKind.MUNICIPALITY, now=NOW)
    pflow.add_external(secretariat, c, name="DH", email="dh@dh.example", now=NOW)
    db.session.commit()
    page = client.get(f"/hoeringer/{c.id}/send").get_data(as_text=True)
    assert "sendes til 2 høringsparter" in page and "Der sendes 2 e-mails" in page
    response = client.post(f"/hoeringer/{c.id}/send", data={"version": _version(page)})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Consultation, c.id).state == ConsultationState.OPENED
    assert len(db.session.scalars(select(OutboundEmail).where(
        OutboundEmail.template == "consultation_invitation")).all()) == 2
    # The same confirmation posted again sends nothing more.
    client.post(f"/hoeringer/{c.id}/send", data={"version": _version(page)})
    assert len(db.session.scalars(select(OutboundEmail).where(
        OutboundEmail.template == "consultation_invitation")).all()) == 2


def test_the_consultation_page_for_the_secretariat(client, login_as, app, world):
    c = _opened(app, world)
    login_as(Role.SECRETARIAT)
    body = client.get(f"/hoeringer/{c.id}").get_data(as_text=True)
    assert "fra den 1. august 2017 til den 29. september 2017 (59 dage)" in body
    assert "<strong>Vigtigt</strong>" in body and "<script>alert" not in body
    assert "0 af 2 har svaret" in body and "<progress" in body
    assert "ikke påbegyndt" in body and ": Udkast 1" in body
    assert "Forlæng frist" in body


def test_an_invited_party_sees_the_names_not_the_states(client, login_as, app, world):
    c = _opened(app, world)
    login_as(Role.RESPONDENT)
    body = client.get(f"/hoeringer/{c.id}").get_data(as_text=True)
    assert "DH Aalborg" in body and "ikke påbegyndt" not in body
    assert "Rediger høringen" not in body
    assert client.get(f"/hoeringer/{c.id}/rediger").status_code == 403
    # The cycle's list shows it to the party, and "Mine opgaver" with the days left.
    assert c.title in client.get(f"/cykler/{c.cycle_id}/hoeringer").get_data(as_text=True)
    dashboard = client.get("/oversigt").get_data(as_text=True)
    assert f"/hoeringer/{c.id}" in dashboard and "Giv høringssvar" in dashboard


def test_who_does_not_see_the_consultation(client, login_as, app, world):
    c = _opened(app, world)
    # Not signed in, no link: the login page.
    response = client.get(f"/hoeringer/{c.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    # Another region's secretariat: a 404, on every page of it.
    login_as(Role.SECRETARIAT, region="mid")
    for url in (f"/hoeringer/{c.id}", f"/hoeringer/{c.id}/rediger", f"/hoeringer/{c.id}/parter",
                f"/hoeringer/{c.id}/send"):
        assert client.get(url).status_code == 404, url
    client.post("/logout")
    # A user organisation not on the list: 404.
    login_as(Role.USER_ORG_REP)
    assert client.get(f"/hoeringer/{c.id}").status_code == 404


def test_a_draft_is_hidden_from_the_parties(client, login_as, world):
    secretariat = world["north"]["users"][Role.SECRETARIAT]
    c = h.draft(secretariat, world["north"]["cycle"])
    pflow.add_by_kind(secretariat, c, OrgKind.MUNICIPALITY, now=NOW)
    db.session.commit()
    login_as(Role.RESPONDENT)
    assert client.get(f"/hoeringer/{c.id}").status_code == 404


def _external(c: Consultation) -> ConsultationParty:
    party = db.session.scalar(select(ConsultationParty).where(
        ConsultationParty.consultation_id == c.id, ConsultationParty.email.is_not(None)))
    assert party is not None
    return party


def test_an_external_party_reads_the_page_through_its_link(client, app, world):
    c = _opened(app, world)
    party = _external(c)
    with app.app_context():
        token = make_link_token(pflow.LINK_PURPOSE, party.id, party.access_nonce or "")
    response = client.get(f"/hoeringer/{c.id}?adgang={token}")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/hoeringer/{c.id}")  # token out of sight
    with client.session_transaction() as session:
        assert session["consultation_parties"] == [party.id]
    body = client.get(f"/hoeringer/{c.id}").get_data(as_text=True)
    assert "Du ser høringen som DH Aalborg" in body
    assert "<strong>Vigtigt</strong>" in body and "ikke påbegyndt" not in body


def test_a_forged_or_revoked_link_is_a_404(client, app, world):
    c = _opened(app, world)
    party = _external(c)
    with app.app_context():
        token = make_link_token(pflow.LINK_PURPOSE, party.id, party.access_nonce or "")
        other = make_link_token(pflow.LINK_PURPOSE, party.id, new_nonce())
        wrong_purpose = make_link_token("invitation", party.id, party.access_nonce or "")
    for bad in (token[:-2] + "xx", other, wrong_purpose, "", "a" * 5000):
        assert client.get(f"/hoeringer/{c.id}?adgang={bad}").status_code == 404, bad[:20]
    # A link is for its own consultation only.
    second = _opened(app, world, external=False, title="Anden høring")
    assert client.get(f"/hoeringer/{second.id}?adgang={token}").status_code == 404
    with client.session_transaction() as session:
        assert "consultation_parties" not in session
    # A party whose nonce changed (its link withdrawn) no longer opens the page.
    party.access_nonce = new_nonce()
    db.session.commit()
    assert client.get(f"/hoeringer/{c.id}?adgang={token}").status_code == 404


def test_extension_page(client, login_as, app, world):
    c = _opened(app, world)
    party = _external(c)
    login_as(Role.SECRETARIAT)
    url = f"/hoeringer/{c.id}/parter/{party.id}/frist"
    page = client.get(url).get_data(as_text=True)
    data = {"until_date": "2017-09-01", "until_time": "", "reason": "Møde",
            "version": _version(page)}
    response = client.post(url, data=data)
    assert response.status_code == 422 and "efter høringsfristen" in response.get_data(
        as_text=True)
    data["until_date"] = "2017-10-06"
    assert client.post(url, data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(ConsultationParty, party.id).extended_until == f.at(2017, 10, 6, 23,
                                                                               59)
    assert client.get(f"/hoeringer/{c.id}/parter/999999/frist").status_code == 404


def test_the_dashboards_during_the_consultation(client, login_as, app, world, clock):
    c = _opened(app, world)
    clock.set(f.at(2017, 9, 19, 10, 0))  # ten days before the deadline 29.09
    login_as(Role.SECRETARIAT)
    body = client.get("/oversigt").get_data(as_text=True)
    assert "Høringer, der kører" in body and "0 af 2 har svaret" in body
    assert f"/hoeringer/{c.id}" in body and "10 dage" in body
    assert "(10 dage)" in client.get(f"/hoeringer/{c.id}").get_data(as_text=True)
    client.post("/logout")
    login_as(Role.RESPONDENT)
    body = client.get("/oversigt").get_data(as_text=True)
    assert "Giv høringssvar: Høring over udkast" in body and "10 dage" in body


def test_an_opened_consultation_has_no_edit_form(client, login_as, app, world):
    c = _opened(app, world)
    login_as(Role.SECRETARIAT)
    body = client.get(f"/hoeringer/{c.id}/rediger").get_data(as_text=True)
    assert "kan ikke længere ændres" in body and 'name="title"' not in body
    page = client.get(f"/hoeringer/{c.id}/parter").get_data(as_text=True)
    assert "parter/ekstern" not in page and "Fjern" not in page


def test_the_audit_log_says_it_in_danish(client, login_as, app, world):
    _opened(app, world)
    login_as(Role.SECRETARIAT)
    body = client.get("/admin/log").get_data(as_text=True)
    for words in ("Høring oprettet", "Høringspart tilføjet", "Høring sendt ud",
                  "Invitation til høring", "Sendt i høring"):
        assert words in body, words
    shown = re.sub(r"<[^>]+>", " ", body.split("<main", 1)[1])
    assert "consultation" not in shown and "Consultation" not in shown


def test_script_in_titles_names_and_reasons_is_shown_as_text(client, login_as, world):
    secretariat = login_as(Role.SECRETARIAT)
    c = h.draft(secretariat, world["north"]["cycle"], title="<script>alert('t')</script>",
                ends=f.at(2017, 8, 10, 12, 0), reason="<img src=x onerror=alert(1)>")
    pflow.add_external(secretariat, c, name="<b onmouseover=alert(2)>DH</b>",
                       email="dh@dh.example", now=NOW)
    db.session.commit()
    for url in (f"/hoeringer/{c.id}", f"/hoeringer/{c.id}/parter",
                f"/cykler/{c.cycle_id}/hoeringer"):
        body = client.get(url).get_data(as_text=True)
        assert "<script>alert('t')" not in body and "&lt;script&gt;" in body, url
        assert "<b onmouseover" not in body and "<img src=x" not in body, url
    assert "&lt;img src=x onerror=alert(1)&gt;" in client.get(f"/hoeringer/{c.id}").get_data(
        as_text=True)  # the short deadline's reason, shown as typed


def test_a_members_page_is_answered_before_the_person_is_loaded(client, app, world, login_as,
                                                               queries):
    """The route keeps a member's page only (`kept_when`): its second view is the revision's
    one query; once the session holds a personal link, the page is drawn afresh."""
    c = _opened(app, world)
    login_as(Role.SECRETARIAT)
    client.get("/oversigt")  # the session's CSRF token
    first = client.get(f"/hoeringer/{c.id}")
    with queries(kept=True) as counted:
        second = client.get(f"/hoeringer/{c.id}")
    def without_values(page: Any) -> str:  # the create forms' one-time tokens are fresh
        return re.sub(r'value="[^"]*"', "", page.get_data(as_text=True))

    assert second.status_code == 200 and without_values(second) == without_values(first)
    assert len(counted.statements) == 1 and "data_revisions" in counted.statements[0]
    assert "users" not in counted.statements[0]  # the person was not loaded
    # The same signed-in session proves an external party's link: not the member's copy.
    with app.app_context():
        token = make_link_token(pflow.LINK_PURPOSE, _external(c).id,
                                _external(c).access_nonce or "")
    assert client.get(f"/hoeringer/{c.id}?adgang={token}").status_code == 302
    with queries(kept=True) as counted:
        assert client.get(f"/hoeringer/{c.id}").status_code == 200
    assert any("users" in statement for statement in counted.statements)  # drawn afresh
