"""Kept answers (`kept_page` in webapp/views/common.py): a view's whole answer kept under the
data revision, per person and session, so its loading and checks run only after a change —
and never at the cost of a permission, a region's boundary or a message."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, update

from tests import factories as f
from tests.test_api import bearer, make_token
from webapp.clock import now
from webapp.models import Milestone, Role, RoleGrant
from webapp.views import cycles as cycle_views


def _count_loads(monkeypatch: Any) -> list[int]:
    loads: list[int] = []
    original = cycle_views.scoped_cycle_or_404

    def counting(*args: Any, **kwargs: Any) -> Any:
        loads.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(cycle_views, "scoped_cycle_or_404", counting)
    return loads


def test_the_view_runs_again_only_after_a_change(app, client, login_as, world, monkeypatch, db):
    login_as(Role.SECRETARIAT)
    cycle = world["north"]["cycle"]
    client.get("/oversigt")  # the session's first page gives it its CSRF token
    loads = _count_loads(monkeypatch)
    first = client.get(f"/cykler/{cycle.id}")
    second = client.get(f"/cykler/{cycle.id}")
    assert first.status_code == second.status_code == 200
    assert second.get_data() == first.get_data() and len(loads) == 1
    with app.app_context():  # another process renames a milestone
        db.session.execute(update(Milestone).where(Milestone.cycle_id == cycle.id,
                                                   Milestone.title == "Workshop")
                           .values(title="Fælles workshop"))
        db.session.commit()
    assert "Fælles workshop" in client.get(f"/cykler/{cycle.id}").get_data(as_text=True)
    assert len(loads) == 2


def test_a_withdrawn_role_is_refused_at_once(app, client, login_as, world, db):
    questionnaire, _groups = f.capacity_questionnaire(world["north"]["cycle"])
    db.session.commit()
    person = login_as(Role.SECRETARIAT)
    for _ in range(2):  # the second is kept
        assert client.get(f"/skemaer/{questionnaire.id}/status").status_code == 200
    with app.app_context():
        db.session.execute(delete(RoleGrant).where(RoleGrant.user_id == person.id,
                                                   RoleGrant.role == Role.SECRETARIAT))
        db.session.commit()
    assert client.get(f"/skemaer/{questionnaire.id}/status").status_code == 403


def test_another_regions_object_stays_a_404(client, login_as, world):
    login_as(Role.SECRETARIAT)
    south_cycle = world["mid"]["cycle"]
    for _ in range(2):
        assert client.get(f"/cykler/{south_cycle.id}").status_code == 404


def test_waiting_messages_are_shown_once(client, login_as, world):
    login_as(Role.SECRETARIAT)
    cycle = world["north"]["cycle"]
    client.get(f"/cykler/{cycle.id}")
    client.get(f"/cykler/{cycle.id}")  # kept
    with client.session_transaction() as stored:
        stored["_flashes"] = [("success", "Milepælen er gemt.")]
    assert "Milepælen er gemt." in client.get(f"/cykler/{cycle.id}").get_data(as_text=True)
    assert "Milepælen er gemt." not in client.get(f"/cykler/{cycle.id}").get_data(as_text=True)


def test_an_api_token_is_answered_as_its_own_person(client, login_as, world, db):
    """A session of the north region's secretariat has the cycle kept; a request carrying that
    session's cookie and another region's token is answered for the token's person (404)."""
    token = make_token(db, world["mid"]["users"][Role.SECRETARIAT], now())  # a write: first
    login_as(Role.SECRETARIAT)
    cycle = world["north"]["cycle"]
    client.get("/oversigt")
    assert client.get(f"/api/v1/cycles/{cycle.id}").status_code == 200
    assert client.get(f"/api/v1/cycles/{cycle.id}").status_code == 200  # kept
    assert client.get(f"/api/v1/cycles/{cycle.id}", headers=bearer(token)).status_code == 404


def test_a_kept_download_is_the_same_file(client, login_as, world, db):
    questionnaire, _groups = f.capacity_questionnaire(world["north"]["cycle"])
    db.session.commit()
    login_as(Role.SECRETARIAT)
    client.get("/oversigt")
    first = client.get(f"/skemaer/{questionnaire.id}/eksport.csv")
    second = client.get(f"/skemaer/{questionnaire.id}/eksport.csv")
    assert first.status_code == second.status_code == 200
    assert second.get_data() == first.get_data()
    for header in ("Content-Type", "Content-Disposition", "Content-Length"):
        assert second.headers[header] == first.headers[header]


def test_a_kept_page_is_answered_before_the_person_is_loaded(client, login_as, world, queries,
                                                            monkeypatch):
    """The second view of a page is found by the session's sign-in and CSRF token: its one
    query is the revision's token, neither the person nor the view is asked."""
    login_as(Role.SECRETARIAT)
    cycle = world["north"]["cycle"]
    client.get("/oversigt")
    first = client.get(f"/cykler/{cycle.id}")
    loads = _count_loads(monkeypatch)
    with queries(kept=True) as counted:
        second = client.get(f"/cykler/{cycle.id}")
    assert second.status_code == 200 and second.get_data() == first.get_data()
    assert loads == [] and len(counted.statements) == 1
    assert "data_revisions" in counted.statements[0] and "users" not in counted.statements[0]


def test_a_session_carried_to_another_browser_is_not_answered_from_what_is_kept(client,
                                                                              login_as, world):
    """Flask-Login's strong session protection still decides: the same cookie from another
    browser (another user agent) is signed out, not given the kept page."""
    login_as(Role.SECRETARIAT)
    cycle = world["north"]["cycle"]
    client.get("/oversigt")
    assert client.get(f"/cykler/{cycle.id}").status_code == 200
    assert client.get(f"/cykler/{cycle.id}").status_code == 200  # kept
    elsewhere = client.get(f"/cykler/{cycle.id}", headers={"User-Agent": "Andet/1.0"})
    assert elsewhere.status_code == 302 and "/login" in elsewhere.headers["Location"]


def test_a_deactivated_person_is_signed_out_at_once(app, client, login_as, world, db):
    person = login_as(Role.SECRETARIAT)
    cycle = world["north"]["cycle"]
    client.get("/oversigt")
    for _ in range(2):  # the second is kept
        assert client.get(f"/cykler/{cycle.id}").status_code == 200
    with app.app_context():
        db.session.execute(update(type(person)).where(type(person).id == person.id)
                           .values(active=False))
        db.session.commit()
    answer = client.get(f"/cykler/{cycle.id}")
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]
