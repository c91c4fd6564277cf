"""Login, throttling, safe redirects, logout, CSRF, invitations and password reset."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import select

from tests import factories
from webapp.models import OrgKind, OutboundEmail, Role, User

WRONG = "forkert-adgangskode-1"
NEW_PASSWORD = "en-helt-ny-lang-adgangskode"
GENERIC_ERROR = "E-mailadressen eller adgangskoden er forkert."
THROTTLED = "For mange mislykkede loginforsøg"


def login(client, email, password=factories.PASSWORD, **kwargs):
    return client.post("/login", data={"email": email, "password": password}, **kwargs)


def location(response):
    """The redirect target as a path (with query), whatever form the header takes."""
    parts = urlsplit(response.headers["Location"])
    return parts.path + (f"?{parts.query}" if parts.query else "")


def html(response):
    return response.get_data(as_text=True)


def is_logged_in(client):
    response = client.get("/oversigt")
    return response.status_code == 200


def emails_to(db, address):
    db.session.expire_all()
    return db.session.scalars(
        select(OutboundEmail).where(OutboundEmail.to_address == address)
        .order_by(OutboundEmail.id)
    ).all()


def link_path(message, kind):
    match = re.search(rf"/{kind}/([A-Za-z0-9_\-.]+)", message.body_text)
    assert match, f"no /{kind}/<token> link in the e-mail body:\n{message.body_text}"
    return f"/{kind}/{match.group(1)}"


def reload(db, user):
    db.session.expire_all()
    return db.session.get(User, user.id)


@pytest.fixture
def person(world):
    return world["north"]["users"][Role.RESPONDENT]


# --- Login -------------------------------------------------------------------------------------


def test_login_success_redirects_to_dashboard(client, person):
    response = login(client, person.email)
    assert response.status_code == 302
    assert location(response) == "/oversigt"
    assert is_logged_in(client)


def test_login_ignores_case_of_email(client, person):
    response = login(client, person.email.upper())
    assert response.status_code == 302
    assert is_logged_in(client)


def test_wrong_password_shows_danish_error_and_keeps_email(client, person):
    response = login(client, person.email, WRONG)
    assert response.status_code == 422
    page = html(response)
    assert GENERIC_ERROR in page
    assert f'value="{person.email}"' in page, "the typed e-mail must stay in the form"
    assert WRONG not in page, "the password must never be echoed back"
    assert not is_logged_in(client)


def test_unknown_email_gives_the_same_message(client, world):
    response = login(client, "ingen@test.example", WRONG)
    assert response.status_code == 422
    page = html(response)
    assert GENERIC_ERROR in page
    assert 'value="ingen@test.example"' in page


def test_empty_form_shows_field_errors(client, world):
    response = client.post("/login", data={"email": "", "password": ""})
    assert response.status_code == 422
    page = html(response)
    assert "Skriv din e-mailadresse." in page
    assert "Skriv din adgangskode." in page


def test_passwords_are_stored_as_argon2id(db, client, person):
    assert person.password_hash.startswith("$argon2id$")
    assert factories.PASSWORD not in person.password_hash


def test_unauthenticated_dashboard_redirects_to_login_with_next(client, world):
    response = client.get("/oversigt")
    assert response.status_code == 302
    target = urlsplit(response.headers["Location"])
    assert target.path == "/login"
    assert parse_qs(target.query)["next"] == ["/oversigt"]
    # The next value travels through the login form and back.
    page = html(client.get(location(response)))
    assert 'name="next" value="/oversigt"' in page


def test_deactivated_person_cannot_log_in(db, client, world):
    org = world["north"]["municipality"]
    gone = factories.user(org, [Role.RESPONDENT], active=False)
    db.session.commit()
    response = login(client, gone.email)
    assert response.status_code == 422
    assert "Din konto er deaktiveret" in html(response)
    assert not is_logged_in(client)


def test_invited_person_without_password_cannot_log_in(db, client, world):
    invited = factories.user(world["north"]["municipality"], [Role.RESPONDENT], password=None)
    db.session.commit()
    response = login(client, invited.email, "hvad-som-helst-123")
    assert response.status_code == 422
    assert GENERIC_ERROR in html(response)
    assert not is_logged_in(client)


# --- Throttling --------------------------------------------------------------------------------


def test_account_is_throttled_after_five_failures_then_recovers(app, client, clock, person):
    assert app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"] == 5
    start = clock.now()
    for _ in range(5):
        response = login(client, person.email, WRONG)
        assert response.status_code == 422
        assert GENERIC_ERROR in html(response)

    response = login(client, person.email)  # the right password
    assert response.status_code == 422
    assert THROTTLED in html(response)
    assert not is_logged_in(client)

    clock.set(start + timedelta(minutes=14))
    response = login(client, person.email)
    assert response.status_code == 422, "still inside the 15-minute window"
    assert THROTTLED in html(response)

    clock.set(start + timedelta(minutes=15, seconds=1))
    response = login(client, person.email)
    assert response.status_code == 302
    assert location(response) == "/oversigt"


def test_throttle_of_one_account_does_not_block_another(client, world, person):
    for _ in range(5):
        login(client, person.email, WRONG)
    other = world["north"]["users"][Role.OBSERVER]
    response = login(client, other.email)
    assert response.status_code == 302


def test_address_is_throttled_across_accounts(app, client, world):
    old = app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = 3
    attacker = {"REMOTE_ADDR": "203.0.113.7"}
    try:
        users = world["north"]["users"]
        for role in (Role.RESPONDENT, Role.OBSERVER, Role.POLITICIAN):
            response = login(client, users[role].email, WRONG, environ_base=attacker)
            assert response.status_code == 422
            assert GENERIC_ERROR in html(response)
        # A fourth account, with its right password, from the same address: refused.
        victim = users[Role.STEERING_MEMBER]
        response = login(client, victim.email, environ_base=attacker)
        assert response.status_code == 422
        assert THROTTLED in html(response)
        # The same account from another address is fine (its own failures are zero).
        other = app.test_client()
        response = login(other, victim.email, environ_base={"REMOTE_ADDR": "198.51.100.1"})
        assert response.status_code == 302
    finally:
        app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"] = old


# --- Safe redirect after login -----------------------------------------------------------------


def test_next_path_on_this_site_is_followed(client, person):
    page = html(client.get("/login?next=/cykler/"))
    assert 'name="next" value="/cykler/"' in page
    response = client.post("/login", data={"email": person.email,
                                           "password": factories.PASSWORD, "next": "/cykler/"})
    assert response.status_code == 302
    assert location(response) == "/cykler/"


@pytest.mark.parametrize("evil", [
    "https://evil.example/",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "/\t/evil.example",
    " //evil.example",
])
def test_next_to_another_site_is_ignored(client, person, evil):
    response = client.post("/login", data={"email": person.email,
                                           "password": factories.PASSWORD, "next": evil})
    assert response.status_code == 302
    assert response.headers["Location"] in ("/oversigt", "http://localhost/oversigt"), (
        f"next={evil!r} led to {response.headers['Location']!r}")


def test_logged_in_person_visiting_login_goes_to_dashboard(client, person):
    login(client, person.email)
    response = client.get("/login?next=https://evil.example/")
    assert response.status_code == 302
    assert location(response) == "/oversigt"


# --- Logout ------------------------------------------------------------------------------------


def test_logout_is_post_only_and_logs_out(client, person):
    login(client, person.email)
    assert client.get("/logout").status_code == 405
    assert is_logged_in(client), "a GET must not log the person out"
    response = client.post("/logout")
    assert response.status_code == 302
    assert location(response) == "/login"
    assert "Du er logget ud." in html(client.get("/login"))
    response = client.get("/oversigt")
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"


# --- CSRF --------------------------------------------------------------------------------------


def csrf_token_from(page):
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page)
    assert match, "no csrf_token in the page"
    return match.group(1)


def test_login_without_csrf_token_is_refused(app, client, person):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = login(client, person.email)
        assert response.status_code == 400
        assert "Formularen er udløbet" in html(response)
        assert not is_logged_in(client)

        token = csrf_token_from(html(client.get("/login")))
        response = client.post("/login", data={"email": person.email,
                                               "password": factories.PASSWORD,
                                               "csrf_token": token})
        assert response.status_code == 302
        assert location(response) == "/oversigt"
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


def test_logout_without_csrf_token_is_refused(app, client, person):
    login(client, person.email)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        page = html(client.get("/oversigt"))
        assert client.post("/logout").status_code == 400
        assert is_logged_in(client)
        response = client.post("/logout", data={"csrf_token": csrf_token_from(page)})
        assert response.status_code == 302
        assert not is_logged_in(client)
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


# --- Invitation --------------------------------------------------------------------------------


def invite(client, world, email="ny.person@kommune.example", name="Ny Person",
           role=Role.RESPONDENT):
    return client.post("/admin/personer/inviter", data={
        "name": name, "email": email,
        "organisation_id": str(world["north"]["municipality"].id), "role": role.value})


def test_invitation_flow(app, db, client, login_as, world):
    login_as(Role.SECRETARIAT)
    response = invite(client, world)
    assert response.status_code == 302, html(response)

    [message] = emails_to(db, "ny.person@kommune.example")
    assert message.subject == "Invitation til Aftalehjul"
    path = link_path(message, "invitation")

    guest = app.test_client()
    page = guest.get(path)
    assert page.status_code == 200
    assert "Velkommen til Aftalehjul, Ny Person" in html(page)
    assert 'name="password"' in html(page)

    response = guest.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD + "x"})
    assert response.status_code == 422
    assert "De to adgangskoder er ikke ens." in html(response)

    response = guest.post(path, data={"password": "kort", "confirm": "kort"})
    assert response.status_code == 422
    assert "mindst 12 tegn" in html(response)
    assert not is_logged_in(guest)

    response = guest.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert location(response) == "/oversigt"
    dashboard = guest.get("/oversigt")
    assert dashboard.status_code == 200
    assert "Ny Person" in html(dashboard)

    # Later, from another browser, with the new password.
    later = app.test_client()
    assert login(later, "ny.person@kommune.example", NEW_PASSWORD).status_code == 302
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == "ny.person@kommune.example"))
    assert user.password_hash.startswith("$argon2id$")

    # The link is spent.
    again = app.test_client().get(path)
    assert again.status_code == 410
    assert "Linket virker ikke længere" in html(again)
    again = app.test_client().post(path, data={"password": "en-anden-lang-kode",
                                               "confirm": "en-anden-lang-kode"})
    assert again.status_code == 410


def test_password_equal_to_email_is_refused(app, db, client, login_as, world):
    login_as(Role.SECRETARIAT)
    address = "lang.adresse@kommune.example"
    invite(client, world, email=address)
    path = link_path(emails_to(db, address)[0], "invitation")
    response = app.test_client().post(path, data={"password": address, "confirm": address})
    assert response.status_code == 422
    assert "Adgangskoden må ikke være din e-mailadresse." in html(response)


def test_expired_invitation_link(app, db, client, login_as, world):
    login_as(Role.SECRETARIAT)
    invite(client, world)
    path = link_path(emails_to(db, "ny.person@kommune.example")[0], "invitation")
    old = app.config["INVITATION_MAX_AGE_SECONDS"]
    app.config["INVITATION_MAX_AGE_SECONDS"] = -1
    try:
        response = app.test_client().get(path)
        assert response.status_code == 410
        assert "Linket virker ikke længere" in html(response)
    finally:
        app.config["INVITATION_MAX_AGE_SECONDS"] = old
    assert app.test_client().get(path).status_code == 200


def test_tampered_invitation_link(app, db, client, login_as, world):
    login_as(Role.SECRETARIAT)
    invite(client, world)
    path = link_path(emails_to(db, "ny.person@kommune.example")[0], "invitation")
    assert app.test_client().get(path[:-2] + ("AA" if not path.endswith("AA") else "BB")
                                 ).status_code == 410
    assert app.test_client().get("/invitation/nonsense").status_code == 410


def test_reinvitation_kills_the_earlier_link(app, db, client, login_as, world):
    login_as(Role.SECRETARIAT)
    invite(client, world)
    first = link_path(emails_to(db, "ny.person@kommune.example")[0], "invitation")
    assert invite(client, world).status_code == 302
    messages = emails_to(db, "ny.person@kommune.example")
    assert len(messages) == 2
    second = link_path(messages[1], "invitation")
    assert app.test_client().get(first).status_code == 410
    assert app.test_client().get(second).status_code == 200


# --- Password reset ----------------------------------------------------------------------------

RESET_FLASH = "Hvis adressen findes hos os, har vi sendt et link"


def test_forgot_password_same_answer_for_known_and_unknown(db, client, person):
    answers = []
    for address in (person.email, "ukendt@test.example"):
        response = client.post("/glemt-adgangskode", data={"email": address})
        assert response.status_code == 302
        assert location(response) == "/login"
        page = html(client.get("/login"))
        assert RESET_FLASH in page
        # The CSRF token is signed with the current second: two pages a second apart differ
        # there whatever the address, so it is left out of the comparison.
        page = re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token"', page)
        answers.append(page.replace(address, "X"))
    assert answers[0] == answers[1], "the answer must not reveal whether the address exists"
    assert len(emails_to(db, person.email)) == 1
    assert emails_to(db, "ukendt@test.example") == []


def test_password_reset_flow_logs_out_other_sessions(app, db, client, person):
    # The person is logged in elsewhere, e.g. on a shared computer.
    elsewhere = app.test_client()
    assert login(elsewhere, person.email).status_code == 302
    assert is_logged_in(elsewhere)

    client.post("/glemt-adgangskode", data={"email": person.email})
    [message] = emails_to(db, person.email)
    assert message.subject == "Ny adgangskode til Aftalehjul"
    path = link_path(message, "nulstil")

    assert client.get(path).status_code == 200
    response = client.post(path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert response.status_code == 302
    assert location(response) == "/oversigt"
    assert is_logged_in(client)

    assert not is_logged_in(elsewhere), "the old session must end when the password changes"

    fresh = app.test_client()
    response = login(fresh, person.email, factories.PASSWORD)
    assert response.status_code == 422, "the old password must no longer work"
    assert GENERIC_ERROR in html(response)
    assert login(fresh, person.email, NEW_PASSWORD).status_code == 302

    # The link is spent.
    assert app.test_client().get(path).status_code == 410


def test_reset_link_for_deactivated_person_does_not_work(app, db, client, world, person):
    client.post("/glemt-adgangskode", data={"email": person.email})
    path = link_path(emails_to(db, person.email)[0], "nulstil")
    user = reload(db, person)
    user.active = False
    db.session.commit()
    assert app.test_client().get(path).status_code == 410


def test_no_reset_mail_for_deactivated_person(db, client, world):
    gone = factories.user(world["north"]["municipality"], [Role.RESPONDENT], active=False)
    db.session.commit()
    response = client.post("/glemt-adgangskode", data={"email": gone.email})
    assert response.status_code == 302
    assert emails_to(db, gone.email) == []


@pytest.mark.parametrize("address,ok", [
    ("hanne@hjoerring.dk", True), ("aalborg@nordjylland.example", True),
    ("hanne@hjoerring", False), ("hanne@", False), ("hanne", False), ("a b@c.dk", False),
    # Letters beyond ASCII before the @ need SMTPUTF8, which mail servers need not speak: the
    # e-mail could never be sent, so the address is refused where it is typed.
    ("søren@hjoerring.dk", False), ("åse@kommune.example", False)])
def test_one_email_check_everywhere(app, db, world, address, ok):
    """Issue 9, item 14: one e-mail check (a domain with a dot) for every e-mail field: the
    forms, the invitation and an organisation's shared address in the workflows, and a
    questionnaire's e-mail question."""
    from werkzeug.datastructures import MultiDict

    from webapp.forms.admin import InviteForm, OrganisationForm
    from webapp.forms.auth import ForgotPasswordForm, LoginForm
    from webapp.text import email_problem
    from webapp.workflows import accounts, organisations
    from webapp.workflows.base import WorkflowError
    from webapp.workflows.questionnaires.fields import Invalid, ShortTextField

    with app.test_request_context():
        assert (email_problem(address) is None) == ok
        for form_class in (LoginForm, ForgotPasswordForm, InviteForm, OrganisationForm):
            form = form_class(MultiDict({"email": address}), meta={"csrf": False})
            assert form.email.validate(form) == ok, form_class
        field = ShortTextField({"format": "email"})
        if ok:
            assert field.parse(address) == address
            return
        with pytest.raises(Invalid):
            field.parse(address)
        secretariat = world["north"]["users"][Role.SECRETARIAT]
        now = factories.at(2017, 3, 1)
        with pytest.raises(WorkflowError) as refused:
            accounts.invite(secretariat, email=address, name="Ny",
                            organisation=world["north"]["municipality"],
                            role=Role.RESPONDENT, now=now)
        assert refused.value.field == "email"
        with pytest.raises(WorkflowError) as refused:
            organisations.create_organisation(
                secretariat, region_id=world["north"]["region"].id,
                kind=OrgKind.USER_ORGANISATION, name="Ny forening", email=address, now=now)
        assert refused.value.field == "email"
