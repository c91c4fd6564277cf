"""Demo data, the CLI, settings and error pages."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from webapp import create_app
from webapp.demo import nordjylland
from webapp.demo.seed import seed_demo
from webapp.formatting import to_local
from webapp.models import (
    AuditEvent,
    Cycle,
    CycleState,
    Milestone,
    Organisation,
    OrgKind,
    Region,
    RoleGrant,
    User,
)

TABLES = (Region, Organisation, User, RoleGrant, Cycle, Milestone, AuditEvent)


def _counts(db):
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in TABLES}


def test_seed_demo_is_complete_and_idempotent(db, clock):
    first = seed_demo(clock.now())
    db.session.commit()
    assert first.changed
    counts = _counts(db)
    second = seed_demo(clock.now())
    db.session.commit()
    assert not second.changed
    assert _counts(db) == counts

    region = db.session.scalar(select(Region).where(Region.code == "nordjylland"))
    municipalities = db.session.scalars(select(Organisation).where(
        Organisation.region_id == region.id, Organisation.kind == OrgKind.MUNICIPALITY)).all()
    assert len(municipalities) == 11
    assert {o.council_name for o in municipalities} >= {"Aalborg Byråd"}
    councils = db.session.scalar(select(func.count(Organisation.id)).where(
        Organisation.council_name.is_not(None)))
    assert councils == 12  # 11 municipal councils and the regional council approve
    cycles = {c.title: c for c in db.session.scalars(select(Cycle))}
    assert cycles["Rammeaftale 2018"].state == CycleState.OPEN
    clone = cycles["Rammeaftale 2019–2020"]
    assert clone.state == CycleState.DRAFT and clone.cloned_from_id == cycles["Rammeaftale 2018"].id
    approval = db.session.scalar(select(Milestone).where(
        Milestone.cycle_id == clone.id, Milestone.kind == "approval"))
    assert to_local(approval.ends_at).strftime("%d.%m.%Y %H.%M") == "15.10.2018 23.59"
    assert len(db.session.scalars(select(User)).all()) == len(nordjylland.PEOPLE)


def test_cli_seed_demo_prints_logins_and_is_idempotent(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "sekretariat@nordjylland.example" in result.output
    assert nordjylland.DEMO_PASSWORD in result.output
    result = runner.invoke(args=["seed-demo"])
    assert "intet ændret" in result.output


def test_cli_create_user(app, db, world):
    runner = app.test_cli_runner()
    result = runner.invoke(args=[
        "create-user", "--email", "Ny@Kommune.example", "--name", "Ny", "--region",
        "north-region", "--organisation", "Kommune north", "--role", "respondent",
        "--password", "en-lang-adgangskode"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == "ny@kommune.example"))
    assert user is not None and user.password_hash.startswith("$argon2id$")
    result = runner.invoke(args=[
        "create-user", "--email", "x@kommune.example", "--name", "X", "--region",
        "north-region", "--organisation", "Findes ikke", "--role", "respondent",
        "--password", "en-lang-adgangskode"])
    assert result.exit_code != 0 and "findes ikke" in result.output


def test_production_refuses_default_secret(monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app("production", SQLALCHEMY_DATABASE_URI="sqlite://")
    app = create_app("production", SQLALCHEMY_DATABASE_URI="sqlite://", SECRET_KEY="x" * 40)
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_danish_404_and_security_headers(client):
    response = client.get("/findes-ikke")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "Siden findes ikke" in page and '<html lang="da">' in page
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]


def test_danish_500_page():
    app = create_app("test", SQLALCHEMY_DATABASE_URI="sqlite://", PROPAGATE_EXCEPTIONS=False)

    @app.route("/_boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/_boom")
    assert response.status_code == 500
    assert "Der skete en fejl" in response.get_data(as_text=True)


def test_healthz_reports_unreachable_database():
    app = create_app("test", SQLALCHEMY_DATABASE_URI="postgresql+psycopg://nobody@127.0.0.1:1/x")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "error" and body["database"] == "unreachable" and body["reason"]


def test_accessibility_statement_linked_from_footer(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/tilgaengelighed"' in page
    statement = client.get("/tilgaengelighed").get_data(as_text=True)
    assert "Tilgængelighedserklæring" in statement and "WCAG 2.1" in statement


def test_static_assets_are_served_locally(client):
    page = client.get("/login").get_data(as_text=True)
    assert "http://" not in page.split("<body")[0] and "https://" not in page.split("<body")[0]
    assert client.get("/static/app.css").status_code == 200
