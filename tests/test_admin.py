"""The secretariat's pages: access, organisations, people, invitations, the audit log."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import select

from tests import factories
from webapp.models import (
    AuditEvent,
    Organisation,
    OrgKind,
    OutboundEmail,
    Role,
    RoleGrant,
    User,
)

NON_SECRETARIAT = [r for r in Role if r is not Role.SECRETARIAT]


def html(response):
    return response.get_data(as_text=True)


def login(client, person, password=factories.PASSWORD):
    response = client.post("/login", data={"email": person.email, "password": password})
    assert response.status_code == 302, html(response)
    return person


def events(db, action, **filters):
    db.session.expire_all()
    query = select(AuditEvent).where(AuditEvent.action == action)
    for name, value in filters.items():
        query = query.where(getattr(AuditEvent, name) == value)
    return db.session.scalars(query.order_by(AuditEvent.id)).all()


def roles_of(db, user_id):
    db.session.expire_all()
    return set(db.session.scalars(select(RoleGrant.role).where(RoleGrant.user_id == user_id)))


def error_summary(page):
    match = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert match, "no error summary on the page"
    return match.group(0)


def field_error(page, field_id):
    match = re.search(rf'<p class="error-message" id="{field_id}-error">(.*?)</p>', page, re.S)
    assert match, f"no error message at the field {field_id!r}"
    return match.group(1)


def input_value(page, name):
    match = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    assert match, f"no input named {name!r}"
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""


def selected(page, name):
    select_html = re.search(rf'<select[^>]*name="{name}".*?</select>', page, re.S)
    assert select_html, f"no select named {name!r}"
    option = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected',
                       select_html.group(0))
    return (option.group(1) or option.group(2)) if option else None


def row_count(page):
    return len(re.findall(r'<th scope="row">', page))


@pytest.fixture
def secretariat(world):
    return world["north"]["users"][Role.SECRETARIAT]


@pytest.fixture
def admin(client, secretariat):
    """A client logged in as the north secretariat."""
    login(client, secretariat)
    return client


def org_data(**overrides):
    data = {"kind": "municipality", "name": "Hjørring Kommune",
            "council_name": "Hjørring Byråd", "email": "post@hjoerring.example",
            "active": "y"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- Access ------------------------------------------------------------------------------------


def admin_paths(world):
    person = world["north"]["users"][Role.RESPONDENT]
    org = world["north"]["municipality"]
    return ["/admin/organisationer", "/admin/organisationer/ny",
            f"/admin/organisationer/{org.id}", "/admin/personer",
            "/admin/personer/inviter", "/admin/log", f"/admin/personer/{person.id}"]


@pytest.mark.parametrize("role", NON_SECRETARIAT, ids=lambda r: r.value)
def test_admin_pages_are_forbidden_for_other_roles(app, world, role):
    client = app.test_client()
    login(client, world["north"]["users"][role])
    for path in admin_paths(world):
        response = client.get(path)
        assert response.status_code == 403, f"{role.value} got {response.status_code} on {path}"
        assert "Ingen adgang" in html(response)
    # Nor may they change anything.
    response = client.post("/admin/organisationer/ny", data=org_data())
    assert response.status_code == 403
    target = world["north"]["users"][Role.OBSERVER]
    response = client.post(f"/admin/personer/{target.id}",
                           data={"roles": ["secretariat"], "active": "y"})
    assert response.status_code == 403


def test_admin_pages_open_for_the_secretariat(admin, world):
    for path in admin_paths(world):
        response = admin.get(path)
        assert response.status_code == 200, f"{path}: {response.status_code}"


def test_admin_pages_need_login(client, world):
    for path in admin_paths(world):
        response = client.get(path)
        assert response.status_code == 302
        assert urlsplit(response.headers["Location"]).path == "/login"


def test_secretariat_nav_only_for_secretariat(app, world):
    client = app.test_client()
    login(client, world["north"]["users"][Role.RESPONDENT])
    assert 'href="/admin/personer"' not in html(client.get("/oversigt"))
    client = app.test_client()
    login(client, world["north"]["users"][Role.SECRETARIAT])
    assert 'href="/admin/personer"' in html(client.get("/oversigt"))


def test_another_regions_objects_are_404(admin, world):
    mid = world["mid"]
    for path in (f"/admin/organisationer/{mid['municipality'].id}",
                 f"/admin/personer/{mid['users'][Role.RESPONDENT].id}",
                 "/admin/organisationer/999999", "/admin/personer/999999"):
        assert admin.get(path).status_code == 404, path
    response = admin.post(f"/admin/personer/{mid['users'][Role.RESPONDENT].id}",
                          data={"roles": ["secretariat"], "active": "y"})
    assert response.status_code == 404
    response = admin.post(f"/admin/organisationer/{mid['municipality'].id}",
                          data=org_data(name="Overtaget"))
    assert response.status_code == 404


def test_lists_show_only_own_region(admin, world):
    page = html(admin.get("/admin/organisationer"))
    assert "Kommune north" in page
    assert "Kommune mid" not in page
    page = html(admin.get("/admin/personer"))
    assert world["north"]["users"][Role.RESPONDENT].email in page
    assert world["mid"]["users"][Role.RESPONDENT].email not in page


# --- Organisations -----------------------------------------------------------------------------


def test_municipality_without_council_name_is_refused(db, admin):
    data = org_data(council_name="")
    response = admin.post("/admin/organisationer/ny", data=data)
    assert response.status_code == 422
    page = html(response)
    message = "Angiv navnet på kommunalbestyrelsen eller regionsrådet"
    assert message in field_error(page, "council_name")
    summary = error_summary(page)
    assert 'href="#council_name"' in summary
    assert message in summary
    # Everything typed is still there.
    assert input_value(page, "name") == "Hjørring Kommune"
    assert input_value(page, "email") == "post@hjoerring.example"
    assert selected(page, "kind") == "municipality"
    db.session.expire_all()
    assert db.session.scalar(
        select(Organisation).where(Organisation.name == "Hjørring Kommune")) is None
    assert events(db, "organisation.created") == []


def test_user_organisation_needs_no_council_name(db, admin):
    response = admin.post("/admin/organisationer/ny",
                          data=org_data(kind="user_organisation", name="Bedre Psykiatri",
                                        council_name=""))
    assert response.status_code == 302


def test_duplicate_organisation_name_is_refused(db, admin, world):
    response = admin.post("/admin/organisationer/ny", data=org_data(name="Kommune north"))
    assert response.status_code == 422
    page = html(response)
    assert "Der findes allerede en organisation med dette navn." in field_error(page, "name")
    assert 'href="#name"' in error_summary(page)
    assert input_value(page, "council_name") == "Hjørring Byråd"


def test_same_name_is_fine_in_another_region(db, admin, world):
    response = admin.post("/admin/organisationer/ny", data=org_data(name="Kommune mid"))
    assert response.status_code == 302


def test_missing_name_and_bad_email_are_shown(admin):
    response = admin.post("/admin/organisationer/ny",
                          data=org_data(name="", email="ikke-en-adresse"))
    assert response.status_code == 422
    page = html(response)
    assert "Skriv et navn." in field_error(page, "name")
    assert "Skriv en gyldig e-mailadresse" in field_error(page, "email")
    summary = error_summary(page)
    assert 'href="#name"' in summary and 'href="#email"' in summary


def test_create_organisation(db, admin, world, secretariat):
    response = admin.post("/admin/organisationer/ny", data=org_data())
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/admin/organisationer"
    page = html(admin.get("/admin/organisationer"))
    assert "Organisationen “Hjørring Kommune” er gemt." in page
    assert "Hjørring Kommune" in page and "Hjørring Byråd" in page

    db.session.expire_all()
    org = db.session.scalar(select(Organisation).where(Organisation.name == "Hjørring Kommune"))
    assert org is not None
    assert org.region_id == world["north"]["region"].id
    assert org.kind == OrgKind.MUNICIPALITY
    [event] = events(db, "organisation.created")
    assert event.object_id == org.id
    assert event.actor_id == secretariat.id
    assert event.region_id == world["north"]["region"].id
    assert event.after["name"] == "Hjørring Kommune"


def test_edit_organisation_with_stale_version(db, admin, world):
    org = world["north"]["municipality"]
    page = html(admin.get(f"/admin/organisationer/{org.id}"))
    old_version = input_value(page, "version")
    assert old_version.isdigit()

    # Meanwhile someone else saves a change.
    db.session.expire_all()
    fresh = db.session.get(Organisation, org.id)
    fresh.email = "andet@kommune.example"
    db.session.commit()

    typed = org_data(name="Kommune north (ny)", council_name="Nyt Byråd",
                     email="min@kommune.example", version=old_version)
    response = admin.post(f"/admin/organisationer/{org.id}", data=typed)
    assert response.status_code == 422
    page = html(response)
    assert "Nogen har ændret dette" in error_summary(page)
    assert input_value(page, "name") == "Kommune north (ny)"
    assert input_value(page, "council_name") == "Nyt Byråd"
    assert input_value(page, "email") == "min@kommune.example"
    new_version = input_value(page, "version")
    assert new_version != old_version

    db.session.expire_all()
    assert db.session.get(Organisation, org.id).name == "Kommune north", "nothing saved yet"

    response = admin.post(f"/admin/organisationer/{org.id}",
                          data={**typed, "version": new_version})
    assert response.status_code == 302
    db.session.expire_all()
    saved = db.session.get(Organisation, org.id)
    assert saved.name == "Kommune north (ny)"
    assert saved.council_name == "Nyt Byråd"
    assert saved.email == "min@kommune.example"
    [event] = events(db, "organisation.updated")
    assert event.after["name"] == "Kommune north (ny)"


def test_edit_form_shows_current_values(admin, world):
    org = world["north"]["municipality"]
    page = html(admin.get(f"/admin/organisationer/{org.id}"))
    assert input_value(page, "name") == "Kommune north"
    assert input_value(page, "council_name") == "Kommune north Byråd"
    assert selected(page, "kind") == "municipality"


# --- People ------------------------------------------------------------------------------------


def person_form(roles, active=True):
    data = {"roles": [r.value for r in roles]}
    if active:
        data["active"] = "y"
    return data


def test_grant_and_revoke_roles_are_audited(db, admin, world):
    target = world["north"]["users"][Role.RESPONDENT]
    page = html(admin.get(f"/admin/personer/{target.id}"))
    assert re.search(r'<input checked[^>]*value="respondent"|<input[^>]*value="respondent"'
                     r'[^>]*checked', page), "the held role must be ticked"

    response = admin.post(f"/admin/personer/{target.id}",
                          data=person_form([Role.RESPONDENT, Role.OBSERVER]))
    assert response.status_code == 302
    [granted] = events(db, "role.granted", object_id=target.id)
    assert granted.after == {"role": "observer"}
    assert roles_of(db, target.id) == {Role.RESPONDENT, Role.OBSERVER}

    response = admin.post(f"/admin/personer/{target.id}", data=person_form([Role.OBSERVER]))
    assert response.status_code == 302
    [revoked] = events(db, "role.revoked", object_id=target.id)
    assert revoked.before == {"role": "respondent"}
    assert roles_of(db, target.id) == {Role.OBSERVER}


def test_deactivating_a_person_is_audited_and_ends_their_session(app, db, admin, world):
    target = world["north"]["users"][Role.RESPONDENT]
    theirs = app.test_client()
    login(theirs, target)
    assert theirs.get("/oversigt").status_code == 200

    response = admin.post(f"/admin/personer/{target.id}",
                          data=person_form([Role.RESPONDENT], active=False))
    assert response.status_code == 302
    [event] = events(db, "user.deactivated", object_id=target.id)
    assert event.after == {"active": False}
    assert "Deaktiveret" in html(admin.get("/admin/personer"))

    response = theirs.get("/oversigt")
    assert response.status_code == 302, "a deactivated person must be logged out"
    response = app.test_client().post("/login", data={"email": target.email,
                                                      "password": factories.PASSWORD})
    assert response.status_code == 422

    response = admin.post(f"/admin/personer/{target.id}", data=person_form([Role.RESPONDENT]))
    assert response.status_code == 302
    assert events(db, "user.activated", object_id=target.id)
    login(app.test_client(), target)


def test_secretariat_cannot_remove_own_secretariat_role(db, admin, secretariat):
    response = admin.post(f"/admin/personer/{secretariat.id}", data=person_form([Role.OBSERVER]))
    assert response.status_code == 422
    assert "Du kan ikke fjerne din egen sekretariatsrolle." in error_summary(html(response))
    assert roles_of(db, secretariat.id) == {Role.SECRETARIAT}, (
        "nothing of the refused change may be saved")
    assert events(db, "role.granted") == []
    assert admin.get("/admin/personer").status_code == 200


def test_secretariat_cannot_deactivate_themselves(db, admin, secretariat):
    response = admin.post(f"/admin/personer/{secretariat.id}",
                          data=person_form([Role.SECRETARIAT], active=False))
    assert response.status_code == 422
    assert "Du kan ikke deaktivere dig selv." in error_summary(html(response))
    db.session.expire_all()
    assert db.session.get(User, secretariat.id).active
    assert events(db, "user.deactivated") == []
    assert admin.get("/admin/personer").status_code == 200


def test_another_secretariat_can_be_demoted(db, admin, world):
    colleague = factories.user(world["north"]["secretariat_org"], [Role.SECRETARIAT])
    db.session.commit()
    response = admin.post(f"/admin/personer/{colleague.id}", data=person_form([Role.OBSERVER]))
    assert response.status_code == 302
    assert events(db, "role.revoked", object_id=colleague.id)


# --- Invitations -------------------------------------------------------------------------------


def invite_data(world, **overrides):
    data = {"name": "Ny Person", "email": "ny.person@kommune.example",
            "organisation_id": str(world["north"]["municipality"].id), "role": "respondent"}
    data.update(overrides)
    return data


def test_invite_creates_person_and_audit(db, admin, world):
    response = admin.post("/admin/personer/inviter", data=invite_data(world))
    assert response.status_code == 302
    page = html(admin.get("/admin/personer"))
    assert "Invitationen er sendt til ny.person@kommune.example." in page
    assert "ny.person@kommune.example" in page
    assert "Inviteret" in page
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == "ny.person@kommune.example"))
    assert user.password_hash is None
    assert roles_of(db, user.id) == {Role.RESPONDENT}
    assert events(db, "user.invited", object_id=user.id)


def test_invite_with_email_of_active_person_is_refused(db, admin, world):
    taken = world["north"]["users"][Role.OBSERVER].email
    response = admin.post("/admin/personer/inviter", data=invite_data(world, email=taken))
    assert response.status_code == 422
    page = html(response)
    assert "Der findes allerede en bruger med denne e-mailadresse." in field_error(page, "email")
    assert 'href="#email"' in error_summary(page)
    assert input_value(page, "name") == "Ny Person"
    assert events(db, "user.invited") == []


def test_invite_with_email_of_person_in_another_region_is_refused(admin, world):
    taken = world["mid"]["users"][Role.OBSERVER].email
    response = admin.post("/admin/personer/inviter", data=invite_data(world, email=taken))
    assert response.status_code == 422
    # It says only that the address cannot be invited here, not that a person exists.
    assert "Adressen kan ikke inviteres her." in field_error(html(response), "email")


def test_invite_into_another_regions_organisation_is_refused(db, admin, world):
    response = admin.post("/admin/personer/inviter", data=invite_data(
        world, organisation_id=str(world["mid"]["municipality"].id)))
    assert response.status_code == 422
    db.session.expire_all()
    assert db.session.scalar(
        select(User).where(User.email == "ny.person@kommune.example")) is None


def test_invite_form_shows_only_own_active_organisations(db, admin, world):
    closed = factories.organisation(world["north"]["region"], OrgKind.MUNICIPALITY,
                                    "Nedlagt Kommune")
    closed.active = False
    db.session.commit()
    page = html(admin.get("/admin/personer/inviter"))
    assert "Kommune north" in page
    assert "Kommune mid" not in page
    assert "Nedlagt Kommune" not in page


# --- People list and audit log -----------------------------------------------------------------


def test_people_list_paginates_and_searches(db, admin, world):
    org = world["north"]["municipality"]
    for n in range(50):
        factories.user(org, [Role.RESPONDENT], name=f"Ansat {n:02d}",
                       email=f"ansat{n:02d}@kommune.example")
    factories.user(org, [Role.OBSERVER], name="Birthe Særlig", email="bs@kommune.example")
    db.session.commit()
    total = 6 + 51

    first = html(admin.get("/admin/personer"))
    assert row_count(first) == 50
    assert f"{total} personer" in first
    assert "Side 1 af 2" in first
    assert "side=2" in first

    second = html(admin.get("/admin/personer?side=2"))
    assert row_count(second) == total - 50
    assert "Side 2 af 2" in second

    # Search by name (any case) and by e-mail.
    found = html(admin.get("/admin/personer?q=særlig"))
    assert row_count(found) == 1
    assert "Birthe Særlig" in found
    found = html(admin.get("/admin/personer?q=ansat0"))
    assert row_count(found) == 10
    found = html(admin.get("/admin/personer?q=BS@KOMMUNE"))
    assert "Birthe Særlig" in found, "searching an e-mail must ignore case"
    nothing = html(admin.get("/admin/personer?q=findesikke"))
    assert row_count(nothing) == 0
    assert 'value="findesikke"' in nothing, "the search box keeps the query"


def test_audit_log_lists_and_filters_by_action_choice(db, admin, world):
    admin.post("/admin/organisationer/ny", data=org_data())
    admin.post("/admin/personer/inviter", data=invite_data(world))

    page = html(admin.get("/admin/log"))
    for label in ("Organisation oprettet", "Person inviteret", "Rolle givet", "E-mail lagt i kø",
                  "E-mail sendt"):
        assert f"<td>{label}</td>" in page, label

    page = html(admin.get("/admin/log?handling=group:e-mails"))
    assert "<td>E-mail lagt i kø</td>" in page
    assert "<td>E-mail sendt</td>" in page
    assert "<td>Organisation oprettet</td>" not in page
    assert "<td>Person inviteret</td>" not in page
    assert '<option value="group:e-mails" selected>' in page

    page = html(admin.get("/admin/log?handling=user.invited"))
    assert "<td>Person inviteret</td>" in page
    assert "<td>E-mail lagt i kø</td>" not in page
    assert '<option value="user.invited" selected>Person inviteret</option>' in page

    page = html(admin.get("/admin/log?handling=ingenting"))
    assert "Den valgte handling findes ikke" in page
    assert "<td>Organisation oprettet</td>" in page, "an unknown choice filters nothing"


def test_audit_log_pages_keep_the_filter(db, admin, world, clock):
    region_id = world["north"]["region"].id
    for n in range(55):
        db.session.add(AuditEvent(region_id=region_id, actor_name="system",
                                  action="email.sent", object_type="OutboundEmail",
                                  object_label=f"hændelse {n:02d}", created_at=clock.now()))
    db.session.add(AuditEvent(region_id=region_id, actor_name="system", action="cycle.created",
                              object_type="Cycle", created_at=clock.now()))
    db.session.commit()

    first = html(admin.get("/admin/log?handling=email.sent"))
    assert first.count("<td>E-mail sendt</td>") == 50
    assert "<td>hændelse 54</td>" in first, "newest first"
    assert "Cyklus oprettet</td>" not in first
    older = re.search(r'href="([^"]*side=2[^"]*)"', first)
    assert older, "a link to older events"
    assert "handling=email.sent" in older.group(1).replace("&amp;", "&")
    second = html(admin.get(older.group(1).replace("&amp;", "&")))
    assert second.count("<td>E-mail sendt</td>") == 5
    assert "<td>hændelse 00</td>" in second
    assert "Cyklus oprettet</td>" not in second


def test_audit_log_is_scoped_to_region(app, db, admin, world):
    admin.post("/admin/organisationer/ny", data=org_data())
    other = app.test_client()
    login(other, world["mid"]["users"][Role.SECRETARIAT])
    page = html(other.get("/admin/log"))
    assert "<td>Organisation oprettet</td>" not in page
    assert "Ingen hændelser." in page


# --- Query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/admin/personer", "/admin/organisationer"])
def test_admin_list_queries_do_not_grow_with_data(db, admin, world, queries, path):
    assert admin.get(path).status_code == 200  # warm up
    with queries() as before:
        assert admin.get(path).status_code == 200

    region = world["north"]["region"]
    for n in range(10):
        org = factories.organisation(region, OrgKind.MUNICIPALITY, f"Ekstra Kommune {n}")
        for _ in range(3):
            factories.user(org, [Role.RESPONDENT, Role.OBSERVER])
    db.session.commit()

    with queries() as after:
        response = admin.get(path)
    assert response.status_code == 200
    assert "Ekstra Kommune 9" in html(response)
    assert after.count == before.count, (
        f"{path}: {before.count} queries before, {after.count} after adding 30 people in 10 "
        "organisations:\n" + "\n".join(after.statements))


@pytest.mark.parametrize("q", ["Østergaard", "østergaard"])
def test_people_search_ignores_case_of_danish_letters(db, admin, world, q):
    factories.user(world["north"]["municipality"], [Role.RESPONDENT], name="Søren Østergaard",
                   email="soeren@kommune.example")
    db.session.commit()
    page = html(admin.get("/admin/personer", query_string={"q": q}))
    assert "Søren Østergaard" in page, (
        f"searching {q!r} must find “Søren Østergaard” whatever the case of æ/ø/å")
    assert row_count(page) == 1


def test_reinviting_a_deactivated_invitee_sends_a_working_link_or_is_refused(app, db, admin,
                                                                             world):
    """The secretariat invites someone, deactivates them, then invites them again. If the page
    says the invitation was sent, the link in that e-mail must work."""
    address = "ny.person@kommune.example"
    assert admin.post("/admin/personer/inviter", data=invite_data(world)).status_code == 302
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == address))
    response = admin.post(f"/admin/personer/{user.id}",
                          data=person_form([Role.RESPONDENT], active=False))
    assert response.status_code == 302

    response = admin.post("/admin/personer/inviter", data=invite_data(world))
    if response.status_code == 422:  # refusing is fine, with a reason at the e-mail field
        assert field_error(html(response), "email")
        return
    assert response.status_code == 302
    assert "Invitationen er sendt" in html(admin.get("/admin/personer"))
    db.session.expire_all()
    latest = db.session.scalars(select(OutboundEmail).where(OutboundEmail.to_address == address)
                                .order_by(OutboundEmail.id.desc())).first()
    link = re.search(r"/invitation/[A-Za-z0-9_\-.]+", latest.body_text).group(0)
    page = app.test_client().get(link)
    assert page.status_code == 200, (
        "the secretariat was told the invitation was sent, but its link answers "
        f"{page.status_code} (“Linket virker ikke længere”): the person is still deactivated")
