"""The sign-up page and the secretariat's pages read a fixed number of SQL statements for
10 themes × 100 participants and for 30 themes × 1,000 participants."""

from __future__ import annotations

from sqlalchemy import insert, select

from tests.workshops.helpers import NOW, build
from webapp.extensions import db
from webapp.models import Role, User, WorkshopInvitee, WorkshopPick, WorkshopSession, WorkshopTheme


def _fill(world, themes_per_session: int, participants: int, tag: str):
    """Two sessions (2 + 1) of themes without a limit; the participants and their picks are
    written in bulk (the workflow is tested elsewhere; here only the reading is counted). The
    signed-in respondent is invited too."""
    workshop = build(world, capacities=((None,) * themes_per_session,) * 2,
                     title=f"Workshop {tag}")
    org = world["north"]["municipality"]
    person = world["north"]["users"][Role.RESPONDENT]
    db.session.execute(insert(User), [
        {"email": f"p{n}@{tag}.example", "name": f"Deltager {n}", "organisation_id": org.id,
         "active": True, "created_at": NOW, "session_nonce": f"{tag}{n}"}
        for n in range(participants)])
    users = list(db.session.scalars(select(User.id).where(User.email.like(f"%@{tag}.example"))))
    db.session.execute(insert(WorkshopInvitee), [
        {"workshop_id": workshop.id, "user_id": uid, "organisation_id": org.id,
         "name": f"Deltager {uid}", "invited_at": NOW, "attending": True, "needs": "",
         "version_id": 1} for uid in [*users, person.id]])
    invitees = dict(db.session.execute(select(WorkshopInvitee.user_id, WorkshopInvitee.id)
                                       .where(WorkshopInvitee.workshop_id == workshop.id)).all())
    s1, s2 = db.session.scalars(select(WorkshopSession).where(
        WorkshopSession.workshop_id == workshop.id).order_by(WorkshopSession.position))
    themes = {s.id: list(db.session.scalars(select(WorkshopTheme.id).where(
        WorkshopTheme.session_id == s.id))) for s in (s1, s2)}
    k = themes_per_session
    rows = []
    for n, uid in enumerate(users):
        inv = invitees[uid]
        rows += [{"invitee_id": inv, "session_id": s1.id, "theme_id": themes[s1.id][n % k],
                  "slot": 1, "waiting": False, "created_at": NOW},
                 {"invitee_id": inv, "session_id": s1.id,
                  "theme_id": themes[s1.id][(n + 1) % k], "slot": 2, "waiting": False,
                  "created_at": NOW},
                 {"invitee_id": inv, "session_id": s2.id, "theme_id": themes[s2.id][n % k],
                  "slot": 1, "waiting": False, "created_at": NOW}]
    db.session.execute(insert(WorkshopPick), rows)
    db.session.commit()
    return workshop, themes[s1.id][0]


def _count(client, queries, path):
    client.get(path)  # warm: the session, the login
    with queries() as q:
        assert client.get(path).status_code == 200, path
    return q.count


def test_the_pages_read_a_fixed_number_of_statements(client, db, world, login_as, queries):
    sizes = {"small": _fill(world, 5, 100, "small"), "big": _fill(world, 15, 1000, "big")}
    counts = {}
    login_as(Role.RESPONDENT)
    for name, (workshop, _theme) in sizes.items():
        counts[name, "signup"] = _count(client, queries, f"/workshops/{workshop.id}/tilmelding")
    login_as(Role.SECRETARIAT)
    for name, (workshop, theme) in sizes.items():
        counts[name, "overview"] = _count(client, queries, f"/workshops/{workshop.id}")
        counts[name, "theme"] = _count(client, queries,
                                       f"/workshops/{workshop.id}/temaer/{theme}")
        counts[name, "lists"] = _count(client, queries, f"/workshops/{workshop.id}/navnelister")
        counts[name, "api"] = _count(client, queries, f"/api/v1/workshops/{workshop.id}")
    for page in ("signup", "overview", "theme", "lists", "api"):
        assert counts["small", page] == counts["big", page], (page, counts)
