"""Kept HTML (`fragment` in webapp/templating.py): drawn once per data revision, never stale."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from webapp.models import Milestone, Role
from webapp.queries import cycles as cycles_read


def test_the_timeline_is_drawn_once_and_redrawn_after_a_change(app, client, login_as, world,
                                                               monkeypatch, db):
    login_as(Role.SECRETARIAT)
    cycle = world["north"]["cycle"]
    drawn: list[int] = []
    original = cycles_read.timeline

    def counting(*args: Any, **kwargs: Any) -> Any:
        drawn.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(cycles_read, "timeline", counting)
    first = client.get(f"/cykler/{cycle.id}").get_data(as_text=True)
    assert "Workshop" in first and len(drawn) == 1
    client.get(f"/cykler/{cycle.id}")
    assert len(drawn) == 1  # kept
    # Another process renames the milestone: the next view shows the new name at once.
    with app.app_context():
        db.session.execute(update(Milestone).where(Milestone.title == "Workshop",
                                                   Milestone.cycle_id == cycle.id)
                           .values(title="Fælles workshop"))
        db.session.commit()
    after = client.get(f"/cykler/{cycle.id}").get_data(as_text=True)
    assert "Fælles workshop" in after and len(drawn) == 2


def test_each_person_has_their_own_copy(client, login_as, world):
    """The secretariat's timeline has the edit buttons; a respondent never gets that copy."""
    cycle = world["north"]["cycle"]
    login_as(Role.SECRETARIAT)
    assert "Handlinger" in client.get(f"/cykler/{cycle.id}").get_data(as_text=True)
    client.post("/logout")
    login_as(Role.RESPONDENT)
    page = client.get(f"/cykler/{cycle.id}")
    assert page.status_code in (200, 404)
    assert "Handlinger" not in page.get_data(as_text=True)


def test_two_sessions_of_one_person_never_share_a_copy(app, world):
    """The kept frame holds the logout form's CSRF token: each browser gets its own."""
    import re

    from tests import factories

    person = world["north"]["users"][Role.SECRETARIAT]
    browsers = [app.test_client(), app.test_client()]
    for browser in browsers:  # both log in first: a login writes, which renews the revision
        browser.post("/login", data={"email": person.email, "password": factories.PASSWORD})
        browser.get("/oversigt")  # the first page gives the new session its CSRF token
    tokens = []
    for browser in browsers:
        page = browser.get("/oversigt").get_data(as_text=True)
        with browser.session_transaction() as stored:
            raw = stored["csrf_token"]
        found = re.search(r'name="csrf_token" value="([^"]+)"', page)
        assert found
        tokens.append((raw, found.group(1)))
    (raw_a, form_a), (raw_b, form_b) = tokens
    assert raw_a != raw_b and form_a != form_b
    from itsdangerous import URLSafeTimedSerializer

    # Each page's token belongs to its own session (Flask-WTF signs the session's raw token).
    signer = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt="wtf-csrf-token")
    assert signer.loads(form_a) == raw_a and signer.loads(form_b) == raw_b
