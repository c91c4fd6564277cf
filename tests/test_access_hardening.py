"""Access and accounts: roles that fit the organisation, invitations that leak nothing across
regions, a throttled "Glemt adgangskode", a fresh session at login and logout, HSTS, revocable
API tokens, the status API for the secretariat only, and drafts for the secretariat only."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from tests import factories
from tests.test_api import assert_json_error, bearer, make_token
from webapp import create_app
from webapp.models import (
    ApiToken,
    AuditEvent,
    CycleState,
    OrgKind,
    OutboundEmail,
    Role,
    RoleGrant,
    User,
)
from webapp.workflows import WorkflowError, accounts

NON_SECRETARIAT = [r for r in Role if r is not Role.SECRETARIAT]


def html(response):
    return response.get_data(as_text=True)


def login(client, person, **kwargs):
    response = client.post("/login", data={"email": person.email,
                                           "password": factories.PASSWORD, **kwargs})
    assert response.status_code == 302, html(response)
    return response


def events(db, action):
    db.session.expire_all()
    return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def roles_of(db, user_id):
    db.session.expire_all()
    return set(db.session.scalars(select(RoleGrant.role).where(RoleGrant.user_id == user_id)))


def user_by_email(db, email):
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


@pytest.fixture
def admin(client, world):
    login(client, world["north"]["users"][Role.SECRETARIAT])
    return client


def invite_data(world, **overrides):
    data = {"name": "Ny Person", "email": "ny.person@kommune.example",
            "organisation_id": str(world["north"]["municipality"].id), "role": "respondent"}
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- 14. No role preselected; a role that does not fit the organisation is confirmed ----------


def test_invite_form_preselects_no_role(db, admin, world):
    page = html(admin.get("/admin/personer/inviter"))
    select_html = re.search(r'<select[^>]*name="role".*?</select>', page, re.S).group(0)
    first = re.search(r"<option[^>]*>", select_html).group(0)
    assert 'value=""' in first, "the first (shown) choice must be no role"
    assert "selected" not in select_html
    # Sent without touching the field: refused at the field, nobody invited.
    response = admin.post("/admin/personer/inviter", data=invite_data(world, role=""))
    assert response.status_code == 422
    assert "Vælg en rolle." in html(response)
    assert user_by_email(db, "ny.person@kommune.example") is None


def test_secretariat_role_in_a_municipality_needs_confirmation(db, admin, world):
    response = admin.post("/admin/personer/inviter",
                          data=invite_data(world, role="secretariat"))
    assert response.status_code == 422
    page = html(response)
    assert "Ja, giv rollen alligevel" in page
    assert "Kommune north" in page and "sekretariat" in page.lower()
    assert user_by_email(db, "ny.person@kommune.example") is None
    response = admin.post("/admin/personer/inviter",
                          data=invite_data(world, role="secretariat", confirm_role="y"))
    assert response.status_code == 302, html(response)
    user = user_by_email(db, "ny.person@kommune.example")
    assert roles_of(db, user.id) == {Role.SECRETARIAT}


def test_fitting_role_needs_no_confirmation(db, admin, world):
    response = admin.post("/admin/personer/inviter", data=invite_data(
        world, role="secretariat", organisation_id=str(world["north"]["secretariat_org"].id)))
    assert response.status_code == 302, html(response)


def test_the_workflow_refuses_an_unfitting_role_without_confirmation(app, db, world, clock):
    actor = world["north"]["users"][Role.SECRETARIAT]
    user_org = factories.organisation(world["north"]["region"], OrgKind.USER_ORGANISATION,
                                      "Brugerforeningen")
    db.session.commit()
    with app.test_request_context():
        for org, role in ((world["north"]["municipality"], Role.SECRETARIAT),
                          (user_org, Role.RESPONDENT)):
            with pytest.raises(WorkflowError) as refused:
                accounts.invite(actor, email="x@y.example", name="X", organisation=org,
                                role=role, now=clock.now())
            assert refused.value.field == "role"
        user = accounts.invite(actor, email="x@y.example", name="X", organisation=user_org,
                               role=Role.RESPONDENT, now=clock.now(), confirmed=True)
        assert Role.RESPONDENT in user.roles_in(world["north"]["region"].id)


def test_person_page_checks_the_fit_too(db, admin, world):
    target = world["north"]["users"][Role.OBSERVER]  # in the municipality
    data = {"roles": ["observer", "secretariat"], "active": "y"}
    response = admin.post(f"/admin/personer/{target.id}", data=data)
    assert response.status_code == 422
    assert "Ja, giv rollen alligevel" in html(response)
    assert roles_of(db, target.id) == {Role.OBSERVER}
    response = admin.post(f"/admin/personer/{target.id}", data={**data, "confirm_role": "y"})
    assert response.status_code == 302
    assert roles_of(db, target.id) == {Role.OBSERVER, Role.SECRETARIAT}


def test_keeping_an_unfitting_role_already_held_needs_no_confirmation(db, admin, world):
    target = world["north"]["users"][Role.OBSERVER]
    db.session.add(RoleGrant(user_id=target.id, region_id=world["north"]["region"].id,
                             role=Role.SECRETARIAT, granted_at=factories.at(2017, 1, 1)))
    db.session.commit()
    response = admin.post(f"/admin/personer/{target.id}",
                          data={"roles": ["observer", "secretariat"], "active": "y"})
    assert response.status_code == 302, html(response)


# --- 15. An address in another region leaks nothing ----------------------------------------

NOT_HERE = "Adressen kan ikke inviteres her."


def test_inviting_another_regions_address_says_only_it_cannot_be_invited_here(db, admin, world):
    taken = world["mid"]["users"][Role.OBSERVER].email
    response = admin.post("/admin/personer/inviter", data=invite_data(world, email=taken))
    assert response.status_code == 422
    page = html(response)
    assert NOT_HERE in page and "Kontakt Aftalehjuls drift" in page
    assert "Der findes allerede en bruger" not in page
    # An invited-only person of another region reads the same.
    factories.user(world["mid"]["municipality"], [Role.RESPONDENT],
                   email="inviteret@mid.example", password=None)
    db.session.commit()
    response = admin.post("/admin/personer/inviter",
                          data=invite_data(world, email="inviteret@mid.example"))
    assert response.status_code == 422
    assert NOT_HERE in html(response)


# --- 16. "Glemt adgangskode" is throttled per address and per client ------------------------


def reset_mails(db, address):
    db.session.expire_all()
    return db.session.scalars(select(OutboundEmail).where(
        OutboundEmail.to_address == address, OutboundEmail.template == "password_reset")).all()


def test_forgot_password_is_throttled_per_account_without_telling(app, db, client, world):
    person = world["north"]["users"][Role.RESPONDENT]
    limit = app.config["RESET_MAX_PER_ACCOUNT"]
    answers = []
    for n in range(limit + 3):
        response = client.post("/glemt-adgangskode", data={"email": person.email},
                               environ_base={"REMOTE_ADDR": f"10.0.0.{n}"})
        assert response.status_code == 302
        page = html(client.get("/login"))
        answers.append(re.sub(r'name="csrf_token" value="[^"]*"', "", page))
    assert len(reset_mails(db, person.email)) == limit
    assert len(set(answers)) == 1, "a throttled answer must read like any other"


def test_forgot_password_is_throttled_per_client_address(app, db, client, world):
    limit = app.config["RESET_MAX_PER_ADDRESS"]
    people = [factories.user(world["north"]["municipality"], [Role.RESPONDENT],
                             email=f"p{n}@kommune.example") for n in range(limit + 2)]
    db.session.commit()
    for person in people:
        client.post("/glemt-adgangskode", data={"email": person.email},
                    environ_base={"REMOTE_ADDR": "10.9.9.9"})
    sent = sum(len(reset_mails(db, p.email)) for p in people)
    assert sent == limit


def test_reset_requests_do_not_count_as_failed_logins(app, db, client, world):
    person = world["north"]["users"][Role.RESPONDENT]
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] + 1):
        client.post("/glemt-adgangskode", data={"email": person.email})
    login(client, person)


# --- 17. A new session at login and at logout -----------------------------------------------


def csrf_token_from(page):
    match = re.search(r'name="csrf_token"(?: type="hidden")? value="([^"]+)"', page)
    assert match, "no csrf_token in the page"
    return match.group(1)


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_the_token_from_before_login_is_not_accepted_after(client, world, csrf_on):
    person = world["north"]["users"][Role.RESPONDENT]
    before = csrf_token_from(html(client.get("/login")))
    login(client, person, csrf_token=before)
    assert client.post("/logout", data={"csrf_token": before}).status_code == 400
    after = csrf_token_from(html(client.get("/oversigt")))
    assert client.post("/logout", data={"csrf_token": after}).status_code == 302


def test_the_previous_persons_token_is_not_accepted_for_the_next(client, world, csrf_on):
    first, second = world["north"]["users"][Role.RESPONDENT], world["north"]["users"][Role.OBSERVER]
    login(client, first, csrf_token=csrf_token_from(html(client.get("/login"))))
    old = csrf_token_from(html(client.get("/oversigt")))
    assert client.post("/logout", data={"csrf_token": old}).status_code == 302
    assert "Du er logget ud." in html(client.get("/login"))
    login(client, second, csrf_token=csrf_token_from(html(client.get("/login"))))
    assert client.post("/logout", data={"csrf_token": old}).status_code == 400


def test_login_keeps_next(client, world):
    person = world["north"]["users"][Role.RESPONDENT]
    response = login(client, person, next="/min-profil")
    assert response.headers["Location"].endswith("/min-profil")


# --- 18. HSTS in production; API tokens can be revoked --------------------------------------


def test_hsts_only_with_secure_cookies(client):
    assert "Strict-Transport-Security" not in client.get("/tilgaengelighed").headers
    production = create_app("production", SQLALCHEMY_DATABASE_URI="sqlite://",
                            SECRET_KEY="x" * 40)
    header = production.test_client().get("/tilgaengelighed").headers[
        "Strict-Transport-Security"]
    assert "max-age=31536000" in header


def test_own_token_listed_and_revoked_from_the_profile(db, client, world, clock):
    person = world["north"]["users"][Role.RESPONDENT]
    token = make_token(db, person, clock.now())
    assert client.get("/api/v1/cycles", headers=bearer(token)).status_code == 200
    login(client, person)
    page = html(client.get("/min-profil"))
    assert "…" + token[-4:] in page and "Tilbagekald" in page
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == person.id))
    response = client.post(f"/min-profil/api-tokens/{row.id}/tilbagekald")
    assert response.status_code == 302
    assert_json_error(client.__class__(client.application).get(
        "/api/v1/cycles", headers=bearer(token)), 401)
    assert len(events(db, "api_token.revoked")) == 1
    assert "Tilbagekaldt" in html(client.get("/min-profil"))


def test_old_token_without_last_four_shows_an_ellipsis(db, client, world, clock):
    person = world["north"]["users"][Role.RESPONDENT]
    make_token(db, person, clock.now())
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == person.id))
    row.last_four = None
    db.session.commit()
    login(client, person)
    assert "…</" in html(client.get("/min-profil"))


def test_the_secretariat_revokes_a_persons_token(db, admin, world, clock):
    person = world["north"]["users"][Role.OBSERVER]
    token = make_token(db, person, clock.now())
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == person.id))
    page = html(admin.get(f"/admin/personer/{person.id}"))
    assert "…" + token[-4:] in page
    response = admin.post(f"/admin/personer/{person.id}/api-tokens/{row.id}/tilbagekald")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(ApiToken, row.id).revoked_at is not None
    assert len(events(db, "api_token.revoked")) == 1


def test_nobody_else_revokes_a_token(db, client, world, clock):
    owner = world["north"]["users"][Role.OBSERVER]
    make_token(db, owner, clock.now())
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == owner.id))
    login(client, world["north"]["users"][Role.RESPONDENT])
    # Someone else's token through one's own profile: not found.
    assert client.post(f"/min-profil/api-tokens/{row.id}/tilbagekald").status_code == 404
    assert client.post(
        f"/admin/personer/{owner.id}/api-tokens/{row.id}/tilbagekald").status_code == 403
    db.session.expire_all()
    assert db.session.get(ApiToken, row.id).revoked_at is None


# --- 19. The status API follows the status page ---------------------------------------------


@pytest.mark.parametrize("role", NON_SECRETARIAT, ids=lambda r: r.value)
def test_status_api_is_the_secretariats_like_the_page(db, client, world, clock, role):
    q, _ = factories.capacity_questionnaire(world["north"]["cycle"])
    db.session.commit()
    token = make_token(db, world["north"]["users"][role], clock.now())
    body = assert_json_error(client.get(f"/api/v1/questionnaires/{q.id}/status",
                                        headers=bearer(token)), 403)
    assert "sekretariatet" in body["error"]
    token = make_token(db, world["north"]["users"][Role.SECRETARIAT], clock.now())
    assert client.get(f"/api/v1/questionnaires/{q.id}/status",
                      headers=bearer(token)).status_code == 200


# --- 20. A draft cycle is the secretariat's -------------------------------------------------


@pytest.fixture
def draft(db, world):
    cycle = factories.cycle(world["north"]["region"], title="Hemmelig kladde 2019",
                            first_year=2019, last_year=2020, state=CycleState.DRAFT)
    db.session.commit()
    return cycle


@pytest.mark.parametrize("role", NON_SECRETARIAT, ids=lambda r: r.value)
def test_a_draft_is_hidden_from_everyone_but_the_secretariat(app, db, world, draft, clock,
                                                             role):
    client = app.test_client()
    login(client, world["north"]["users"][role])
    assert "Hemmelig kladde" not in html(client.get("/cykler/"))
    assert client.get(f"/cykler/{draft.id}").status_code == 404
    assert client.get(f"/cykler/{draft.id}/skemaer").status_code == 404
    assert "Hemmelig kladde" not in html(client.get("/oversigt"))
    token = make_token(db, world["north"]["users"][role], clock.now())
    assert draft.id not in {c["id"] for c in client.get(
        "/api/v1/cycles", headers=bearer(token)).get_json()}
    assert_json_error(client.get(f"/api/v1/cycles/{draft.id}", headers=bearer(token)), 404)
    assert_json_error(client.get(f"/api/v1/cycles/{draft.id}/questionnaires",
                                 headers=bearer(token)), 404)


def test_a_questionnaire_in_a_draft_is_hidden_too(app, db, world, draft):
    q, _ = factories.capacity_questionnaire(draft)
    db.session.commit()
    client = app.test_client()
    login(client, world["north"]["users"][Role.RESPONDENT])
    assert client.get(f"/skemaer/{q.id}/besvar").status_code == 404


def test_the_secretariat_sees_its_drafts(app, db, world, draft, clock):
    client = app.test_client()
    login(client, world["north"]["users"][Role.SECRETARIAT])
    assert "Hemmelig kladde" in html(client.get("/cykler/"))
    assert client.get(f"/cykler/{draft.id}").status_code == 200
    token = make_token(db, world["north"]["users"][Role.SECRETARIAT], clock.now())
    assert client.get(f"/api/v1/cycles/{draft.id}", headers=bearer(token)).status_code == 200
