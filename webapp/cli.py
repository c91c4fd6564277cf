"""Operator commands: demo, seed-demo, seed-national, create-user, api-token."""

from __future__ import annotations

import os

import click
from flask import Flask, current_app
from flask_migrate import upgrade
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from .clock import get_clock, parse_fixed_now
from .extensions import db
from .models import Organisation, Region, Role, User
from .permissions import SYSTEM
from .workflows import WorkflowError, accounts


def _print_logins() -> None:
    from .demo import nordjylland
    from .demo.seed import demo_logins

    click.echo(f"\nDemo-logins (adgangskode for alle: {nordjylland.DEMO_PASSWORD}):")
    for email, roles, org in demo_logins():
        click.echo(f"  {email:36} {roles:18} {org}")


def _seed() -> bool:
    from .demo.seed import seed_demo

    result = seed_demo(get_clock().now())
    db.session.commit()
    for line in result.created:
        click.echo(f"  oprettet: {line}")
    return result.changed


def register(app: Flask) -> None:
    from . import cli_regions

    cli_regions.register(app)

    @app.cli.command("seed-demo")
    def seed_demo_command() -> None:
        """Indlæs demo-data for Region Nordjylland (kan køres flere gange)."""
        changed = _seed()
        click.echo("Demo-data indlæst." if changed else "Demo-data fandtes allerede; intet ændret.")
        _print_logins()

    @app.cli.command("seed-national")
    def seed_national_command() -> None:
        """Indlæs et landsdækkende datasæt til målinger (kræver en tom database)."""
        from .demo.national import seed_national

        upgrade()
        try:
            result = seed_national(click.echo)
        except ValueError as error:
            raise click.ClickException(str(error)) from None
        for line in result.lines():
            click.echo(line)

    @app.cli.command("demo")
    @click.option("--host", default="127.0.0.1", show_default=True)
    @click.option("--port", default=5000, show_default=True, type=int)
    @click.option("--now", "fixed_now", default=None,
                  help="Demo-uret (ISO 8601, København). Standard: 20.04.2017 kl. 10.00.")
    def demo_command(host: str, port: int, fixed_now: str | None) -> None:
        """Opgrader databasen, indlæs demoen (én gang) og start på http://127.0.0.1:5000."""
        from .demo import nordjylland

        value = fixed_now or current_app.config.get("FIXED_NOW") or nordjylland.DEMO_NOW
        if "BASE_URL" not in os.environ:  # links in e-mails and feeds point at this server
            current_app.config["BASE_URL"] = f"http://{host}:{port}"
        get_clock().set(parse_fixed_now(value))
        upgrade()
        _seed()
        _print_logins()
        click.echo(f"\nDemo-uret står på {value}. Aftalehjul kører på http://{host}:{port}/")
        # app.run() refuses to start inside the flask CLI; run_simple is what it would call.
        from werkzeug.serving import run_simple

        run_simple(host, port, app, use_reloader=False, threaded=True)

    @app.cli.command("create-user")
    @click.option("--email", required=True)
    @click.option("--name", required=True)
    @click.option("--region", "region_code", required=True, help="Regionens kode, fx nordjylland")
    @click.option("--organisation", required=True, help="Organisationens navn")
    @click.option("--role", "roles", multiple=True, required=True,
                  type=click.Choice([r.value for r in Role]))
    @click.password_option(help="Adgangskode (spørges om, hvis den ikke angives)")
    def create_user_command(email: str, name: str, region_code: str, organisation: str,
                            roles: tuple[str, ...], password: str) -> None:
        """Opret en person med adgangskode og roller."""
        org = db.session.scalar(
            select(Organisation).join(Region, Organisation.region_id == Region.id)
            .where(Region.code == region_code, Organisation.name == organisation))
        if org is None:
            raise click.ClickException(
                f"Organisationen {organisation!r} findes ikke i regionen {region_code!r}.")
        try:
            accounts.create_user(SYSTEM, email=email, name=name, organisation=org,
                                 roles=[Role(r) for r in roles], password=password,
                                 now=get_clock().now())
        except WorkflowError as error:
            raise click.ClickException(error.message) from None
        db.session.commit()
        click.echo(f"Oprettet: {email}")

    @app.cli.command("scheduler")
    @click.option("--minutes", default=5, show_default=True, type=int,
                  help="Minutter mellem hver gennemgang af påmindelser.")
    def scheduler_command(minutes: int) -> None:
        """Kør planlæggeren (påmindelser og genforsøg af e-mails) som sin egen proces."""
        from . import scheduler

        scheduler.start(app, minutes)

    reminders_group = click.Group("reminders", help="Påmindelser om frister.")
    app.cli.add_command(reminders_group)

    @reminders_group.command("run-due")
    @click.option("--now", "at", default=None,
                  help="Kør som om klokken var dette (ISO 8601; uden zone: København).")
    @click.option("--dry-run", is_flag=True, help="Vis hvad der ville ske, uden at sende.")
    def run_due_command(at: str | None, dry_run: bool) -> None:
        """Kør én gennemgang af påmindelser i hånden og skriv, hvad der skete."""
        from .workflows import reminders

        when = parse_fixed_now(at or "") or get_clock().now()
        report = reminders.run_due(when, dry_run=dry_run)
        if dry_run:
            click.echo("Prøvekørsel: intet er sendt eller gemt.")
        for line in report.lines():
            click.echo(line)

    @app.cli.command("api-token")
    @click.argument("email")
    def api_token_command(email: str) -> None:
        """Udskriv en ny personlig API-token for EMAIL (vises kun én gang)."""
        user = db.session.scalar(
            select(User).where(User.email == accounts.normalise_email(email))
            .options(joinedload(User.organisation), selectinload(User.grants)))
        if user is None or not user.is_active:
            raise click.ClickException(f"Ingen aktiv person med e-mailadressen {email}.")
        token = accounts.create_api_token(user, now=get_clock().now())
        db.session.commit()
        click.echo(token)
