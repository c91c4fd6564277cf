"""Min profil: the person's facts, the e-mail preference and the private calendar address."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from webapp.models import AuditEvent, CycleState, Role, User
from webapp.workflows import PermissionDenied
from webapp.workflows import profile as flow


def html(response):
    return response.get_data(as_text=True)


def reload(db, user):
    db.session.expire_all()
    return db.session.get(User, user.id)


def audit(db, user, prefix):
    db.session.expire_all()
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.object_type == "User",
                                 AuditEvent.object_id == user.id,
                                 AuditEvent.action.startswith(prefix))
        .order_by(AuditEvent.id)
    ).all()


def feed_url_on(page):
    match = re.search(r'id="kalenderadresse"[^>]*value="([^"]+)"', page)
    return match.group(1) if match else None


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.mark.parametrize("role", list(Role))
def test_the_page_for_each_role(client, world, login_as, role):
    person = login_as(role)
    response = client.get("/min-profil")
    assert response.status_code == 200
    page = html(response)
    assert "<h1>Min profil</h1>" in page
    assert person.name in page
    assert person.email in page
    labels = {Role.SECRETARIAT: "Sekretariat", Role.RESPONDENT: "Besvarer for organisation",
              Role.STEERING_MEMBER: "Medlem af styregruppe",
              Role.USER_ORG_REP: "Repræsentant for brugerorganisation",
              Role.POLITICIAN: "Politiker", Role.OBSERVER: "Observatør"}
    assert f"<dd>{labels[role]}</dd>" in page
    organisation = {Role.SECRETARIAT: "Sekretariat north",
                    Role.USER_ORG_REP: "Brugerorg north"}.get(role, "Kommune north")
    assert f"<dd>{organisation}</dd>" in page
    # The preference, with the current choice checked, and the note on what always comes at once.
    assert re.search(r'<input checked id="notices-0"[^>]*value="immediate"', page)
    assert "Send hver besked med det samme" in page
    assert "Saml ikke-hastende beskeder i én e-mail om dagen" in page
    assert "Påmindelser om frister, invitationer og links til at vælge adgangskode" in page
    # No calendar address yet: one button to make it.
    assert "Opret kalenderadresse" in page
    assert feed_url_on(page) is None
    # The public feed of the region's open cycle is offered, and the header links here.
    cycle = world["north"]["cycle"]
    assert f"/kalender/cyklus/{cycle.id}.ics" in page
    assert f"/kalender/cyklus/{world['mid']['cycle'].id}.ics" not in page
    assert 'href="/min-profil" aria-current="page">Min profil</a>' in page


def test_the_header_links_to_the_profile_everywhere(client, login_as):
    login_as(Role.RESPONDENT)
    assert 'href="/min-profil"' in html(client.get("/oversigt"))


def test_login_is_required(client, db, world):
    response = client.get("/min-profil")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    person = world["north"]["users"][Role.RESPONDENT]
    assert client.post("/min-profil/kalender/ny").status_code == 302
    assert client.post("/min-profil", data={"notices": "digest"}).status_code == 302
    stored = reload(db, person)
    assert stored.calendar_token is None and stored.digest_notices is False


def test_the_preference_is_saved_with_an_audit_event(client, db, login_as):
    person = login_as(Role.RESPONDENT)
    response = client.post("/min-profil", data={"notices": "digest"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/min-profil")
    assert reload(db, person).digest_notices is True
    [event] = audit(db, person, "user.notices_changed")
    assert (event.before, event.after) == ({"digest_notices": False}, {"digest_notices": True})
    assert event.actor_id == person.id
    page = html(client.get("/min-profil"))
    assert "Dit valg om e-mails er gemt." in page
    assert re.search(r'<input checked id="notices-1"[^>]*value="digest"', page)
    # The same choice again changes nothing and writes nothing.
    assert client.post("/min-profil", data={"notices": "digest"}).status_code == 302
    assert len(audit(db, person, "user.notices_changed")) == 1
    # And back.
    client.post("/min-profil", data={"notices": "immediate"})
    assert reload(db, person).digest_notices is False
    assert len(audit(db, person, "user.notices_changed")) == 2


@pytest.mark.parametrize("value", [None, "weekly"])
def test_a_missing_or_unknown_choice_is_shown_at_the_field(client, db, login_as, value):
    person = login_as(Role.POLITICIAN)
    response = client.post("/min-profil", data={} if value is None else {"notices": value})
    assert response.status_code == 422
    page = html(response)
    assert 'class="error-summary"' in page
    assert 'href="#notices-0"' in page
    assert 'id="notices-error"' in page
    assert reload(db, person).digest_notices is False
    assert audit(db, person, "user.notices_changed") == []


def test_calendar_address_create_rotate_revoke(client, db, login_as):
    person = login_as(Role.RESPONDENT)
    # Create.
    response = client.post("/min-profil/kalender/ny")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/min-profil#kalender")
    page = html(client.get("/min-profil"))
    assert "Din kalenderadresse er oprettet." in page
    first = feed_url_on(page)
    assert first and re.search(r'id="kalenderadresse"[^>]*readonly', page)
    assert first.startswith("http") and first.endswith(".ics")
    token = reload(db, person).calendar_token
    assert first.endswith(f"/kalender/{token}.ics") and len(token) >= 43
    assert "Tilføj kalender fra internettet" in page
    assert "Lav en ny adresse" in page and "Slet adressen" in page
    assert "Opret kalenderadresse" not in page
    assert client.get(path_of(first)).status_code == 200
    # Rotate: the old address stops, the new one works.
    client.post("/min-profil/kalender/ny")
    page = html(client.get("/min-profil"))
    assert "Den gamle virker ikke længere." in page
    second = feed_url_on(page)
    assert second and second != first
    assert client.get(path_of(first)).status_code == 404
    assert client.get(path_of(second)).status_code == 200
    # Revoke.
    client.post("/min-profil/kalender/slet")
    page = html(client.get("/min-profil"))
    assert "Kalenderadressen er slettet." in page
    assert feed_url_on(page) is None and "Opret kalenderadresse" in page
    assert client.get(path_of(second)).status_code == 404
    assert reload(db, person).calendar_token is None
    # Revoking again changes nothing.
    assert client.post("/min-profil/kalender/slet").status_code == 302
    events = audit(db, person, "calendar_feed.")
    assert [e.action for e in events] == [
        "calendar_feed.created", "calendar_feed.rotated", "calendar_feed.revoked"]
    assert all(e.actor_id == person.id for e in events)
    # The secret never goes into the trail.
    for event in events:
        trail = repr((event.before, event.after, event.object_label))
        assert path_of(first).split("/")[-1][:-4] not in trail
        assert path_of(second).split("/")[-1][:-4] not in trail


def test_only_oneself_makes_a_calendar_address(db, world):
    north = world["north"]["users"]
    now = datetime.now(UTC)
    with pytest.raises(PermissionDenied):
        flow.new_calendar_token(north[Role.SECRETARIAT], north[Role.RESPONDENT], now=now)
    with pytest.raises(PermissionDenied):
        flow.set_digest_notices(north[Role.SECRETARIAT], north[Role.RESPONDENT], True, now=now)
    flow.new_calendar_token(north[Role.RESPONDENT], north[Role.RESPONDENT], now=now)
    # A leaked address: the region's secretariat may delete it, nobody else.
    with pytest.raises(PermissionDenied):
        flow.revoke_calendar_token(north[Role.POLITICIAN], north[Role.RESPONDENT], now=now)
    with pytest.raises(PermissionDenied):
        flow.revoke_calendar_token(world["mid"]["users"][Role.SECRETARIAT],
                                   north[Role.RESPONDENT], now=now)
    assert flow.revoke_calendar_token(north[Role.SECRETARIAT], north[Role.RESPONDENT], now=now)
    assert north[Role.RESPONDENT].calendar_token is None


def csrf_token_from(page):
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "no csrf_token in the page"
    return match.group(1)


def test_csrf_is_enforced(app, client, db, login_as):
    person = login_as(Role.RESPONDENT)  # logging in before CSRF is switched on
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        for url, data in [("/min-profil", {"notices": "digest"}),
                          ("/min-profil/kalender/ny", {}),
                          ("/min-profil/kalender/slet", {})]:
            response = client.post(url, data=data)
            assert response.status_code == 400, url
            assert "Formularen er udløbet" in html(response)
        stored = reload(db, person)
        assert stored.digest_notices is False and stored.calendar_token is None
        assert audit(db, person, "calendar_feed.") == []
        assert audit(db, person, "user.notices") == []
        token = csrf_token_from(html(client.get("/min-profil")))
        assert client.post("/min-profil", data={"notices": "digest",
                                                "csrf_token": token}).status_code == 302
        assert client.post("/min-profil/kalender/ny",
                           data={"csrf_token": token}).status_code == 302
        stored = reload(db, person)
        assert stored.digest_notices is True and stored.calendar_token is not None
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_page_query_count_is_flat(client, db, world, login_as, queries):
    from tests import factories

    login_as(Role.RESPONDENT)
    with queries() as q:
        assert client.get("/min-profil").status_code == 200
    before = q.count
    for i in range(10):
        factories.cycle(world["north"]["region"], title=f"Ekstra {i}", first_year=2019)
    db.session.commit()
    with queries() as q:
        page = html(client.get("/min-profil"))
    assert page.count('.ics">') == 11
    assert q.count == before


def test_feed_addresses_keep_base_urls_path_behind_a_prefix(app, client, db, world, login_as):
    """Mounted under /aftalehjul (SCRIPT_NAME) with BASE_URL carrying the same path, the feed
    addresses on the page name the path once, as the e-mails do."""
    world["north"]["cycle"].state = CycleState.OPEN
    db.session.commit()
    login_as(Role.RESPONDENT)
    saved = app.config["BASE_URL"]
    app.config["BASE_URL"] = "https://example.dk/aftalehjul"
    try:
        page = client.get("/min-profil", environ_overrides={"SCRIPT_NAME": "/aftalehjul"})
    finally:
        app.config["BASE_URL"] = saved
    text = page.get_data(as_text=True)
    assert f"https://example.dk/aftalehjul/kalender/cyklus/{world['north']['cycle'].id}.ics" in text
    assert "aftalehjul/aftalehjul" not in text
