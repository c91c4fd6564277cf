"""Issue 15, part 1: regions from the command line, audited, refusing bad input with exit 2."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests import factories
from webapp.models import (
    AuditEvent,
    Organisation,
    OrgKind,
    OutboundEmail,
    Region,
    Role,
    RoleGrant,
    User,
)


def _run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def _events(db, action):
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_create_list_rename_and_audit_with_the_operator(app, db):
    result = _run(app, "regions", "create", "--code", "syddanmark", "--name",
                  "Region Syddanmark", "--by", "Ole Operatør")
    assert result.exit_code == 0, result.output
    region = db.session.scalar(select(Region).where(Region.code == "syddanmark"))
    assert region.active and region.name == "Region Syddanmark"
    [event] = _events(db, "region.created")
    assert event.actor_name == "Ole Operatør" and event.region_id == region.id
    result = _run(app, "regions", "rename", "--region", "syddanmark", "--name", "Region Syd")
    assert result.exit_code == 0, result.output
    [renamed] = _events(db, "region.renamed")
    assert renamed.actor_name == "system"
    assert renamed.before == {"name": "Region Syddanmark"} and renamed.after == {
        "name": "Region Syd"}
    listing = _run(app, "regions", "list")
    assert "syddanmark" in listing.output and "Region Syd" in listing.output


@pytest.mark.parametrize("args, message", [
    (["--code", "Syd Danmark", "--name", "X"], "små bogstaver"),
    (["--code", "sød", "--name", "X"], "små bogstaver"),
    (["--code", "s", "--name", "X"], "2–40 tegn"),
    (["--code", "syddanmark", "--name", "   "], "Skriv regionens navn"),
    (["--code", "syddanmark", "--name", "a\u202eb"], "skriveretningen"),
    (["--code", "syddanmark", "--name", "Region Syddanmark", "--by", " "], "--by"),
])
def test_bad_input_exits_2_in_danish(app, db, args, message):
    result = _run(app, "regions", "create", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert db.session.scalar(select(Region).where(Region.code == "syddanmark")) is None


def test_an_existing_code_or_name_is_refused(app, db):
    factories.region(code="syddanmark", name="Region Syddanmark")
    db.session.commit()
    result = _run(app, "regions", "create", "--code", "syddanmark", "--name", "Ny")
    assert result.exit_code == 2 and "koden “syddanmark”" in result.output
    result = _run(app, "regions", "create", "--code", "syd2", "--name", "region syddanmark")
    assert result.exit_code == 2 and "navnet" in result.output


def test_unknown_region_exits_2(app, db):
    for command in (["deactivate"], ["activate"], ["rename", "--name", "X"],
                    ["invite-secretariat", "--email", "a@b.dk", "--name", "A"]):
        result = _run(app, "regions", *command, "--region", "findes-ikke")
        assert result.exit_code == 2 and "ingen region med koden" in result.output, command


def test_deactivating_stops_logins_and_twice_is_refused(app, db, client, world):
    person = world["north"]["users"][Role.RESPONDENT]
    code = world["north"]["region"].code
    assert client.post("/login", data={"email": person.email,
                                       "password": factories.PASSWORD}).status_code == 302
    assert client.get("/min-profil").status_code == 200
    result = _run(app, "regions", "deactivate", "--region", code, "--by", "Ole")
    assert result.exit_code == 0, result.output
    # The open session ends at the next request, and a new login is refused.
    assert client.get("/min-profil").status_code == 302
    page = client.post("/login", data={"email": person.email, "password": factories.PASSWORD})
    assert page.status_code == 422 and "region er ikke aktiv" in page.get_data(as_text=True)
    again = _run(app, "regions", "deactivate", "--region", code)
    assert again.exit_code == 2 and "allerede deaktiveret" in again.output
    # Another region is untouched, and nothing was deleted.
    other = world["mid"]["users"][Role.RESPONDENT]
    assert client.post("/login", data={"email": other.email,
                                       "password": factories.PASSWORD}).status_code == 302
    client.post("/logout")
    assert db.session.scalar(select(User).where(User.id == person.id)) is not None
    assert _run(app, "regions", "activate", "--region", code).exit_code == 0
    assert client.post("/login", data={"email": person.email,
                                       "password": factories.PASSWORD}).status_code == 302
    assert [e.action for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.action.like("region.%")).order_by(AuditEvent.id))] == [
        "region.deactivated", "region.activated"]


def test_a_deactivated_regions_api_token_stops_working(app, db, client, world):
    from webapp.models import ApiToken
    from webapp.security import new_api_token

    person = world["north"]["users"][Role.SECRETARIAT]
    token, digest = new_api_token()
    db.session.add(ApiToken(user_id=person.id, token_hash=digest, last_four=token[-4:],
                            created_at=factories.at(2017, 1, 10)))
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/cycles", headers=headers).status_code == 200
    assert _run(app, "regions", "deactivate", "--region",
                world["north"]["region"].code).exit_code == 0
    assert client.get("/api/v1/cycles", headers=headers).status_code == 401


def test_invite_secretariat_creates_the_organisation_and_sends_the_invitation(app, db):
    assert _run(app, "regions", "create", "--code", "syddanmark", "--name",
                "Region Syddanmark").exit_code == 0
    result = _run(app, "regions", "invite-secretariat", "--region", "syddanmark", "--email",
                  "Sanne@Syd.example", "--name", "Sanne Syd", "--by", "Ole Operatør")
    assert result.exit_code == 0, result.output
    person = db.session.scalar(select(User).where(User.email == "sanne@syd.example"))
    org = db.session.get(Organisation, person.organisation_id)
    assert org.kind == OrgKind.SECRETARIAT and person.password_hash is None
    assert set(db.session.scalars(select(RoleGrant.role).where(
        RoleGrant.user_id == person.id))) == {Role.SECRETARIAT}
    mail = db.session.scalar(select(OutboundEmail).where(
        OutboundEmail.to_address == "sanne@syd.example"))
    assert mail.template == "invitation" and "Ole Operatør" in mail.body_text
    assert {e.actor_name for e in _events(db, "user.invited")} == {"Ole Operatør"}
    # A second person joins the same secretariat; an address in use is refused, not located.
    assert _run(app, "regions", "invite-secretariat", "--region", "syddanmark", "--email",
                "anden@syd.example", "--name", "Anden").exit_code == 0
    assert db.session.scalar(select(Organisation.id).where(
        Organisation.kind == OrgKind.SECRETARIAT).where(Organisation.id != org.id)) is None
    again = _run(app, "regions", "invite-secretariat", "--region", "syddanmark", "--email",
                 "sanne@syd.example", "--name", "Sanne")
    assert again.exit_code == 2 and "allerede i brug" in again.output
    assert "Syddanmark" not in again.output.split("Fejl:")[1]
