"""Operator commands for regions (`flask regions …`) and imports from a file
(`flask import organisations|people FILE --region …`).

Every refusal is a Danish message on stderr and exit code 2; nothing is written then. The trail
names the operator given by `--by`, else "system".
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn, TypeVar

import click
from flask import Flask

from . import mail
from .clock import get_clock
from .extensions import db
from .models import ImportKind, Region
from .queries.regions import region_counts
from .workflows import WorkflowError
from .workflows import regions as flow
from .workflows.imports import apply as imports
from .workflows.imports.plan import ACTION_LABELS, Plan, make_plan

T = TypeVar("T")

BY = click.option("--by", "by", default=None,
                  help="Operatørens navn i loggen (standard: system).")
REGION = click.option("--region", "code", required=True, help="Regionens kode, fx syddanmark.")


def _fail(message: str) -> NoReturn:
    click.echo(f"Fejl: {message}", err=True)
    raise click.exceptions.Exit(2)


def _run(operation: Callable[[], T]) -> T:
    """One operation, committed, its e-mail sent; a refusal rolls back and exits with 2."""
    try:
        result = operation()
    except WorkflowError as error:
        db.session.rollback()
        _fail(error.message)
    db.session.commit()
    mail.send_queued(get_clock().now())
    return result


def _region(code: str) -> Region:
    try:
        return flow.region_by_code(code)
    except WorkflowError as error:
        _fail(error.message)


def register(app: Flask) -> None:
    regions = click.Group("regions", help="Regioner på platformen.")
    app.cli.add_command(regions)

    @regions.command("create")
    @click.option("--code", required=True, help="Kort kode med a–z, tal og bindestreg.")
    @click.option("--name", required=True, help="Regionens navn, fx “Region Syddanmark”.")
    @BY
    def create_command(code: str, name: str, by: str | None) -> None:
        """Opret en region."""
        region = _run(lambda: flow.create_region(flow.operator(by), code=code, name=name,
                                                 now=get_clock().now()))
        click.echo(f"Oprettet: {region.name} ({region.code})")

    @regions.command("list")
    def list_command() -> None:
        """Vis regionerne med antal organisationer, personer og cyklusser."""
        rows = region_counts()
        if not rows:
            click.echo("Ingen regioner endnu. Opret en med “regions create”.")
            return
        click.echo(f"{'Kode':16} {'Navn':28} {'Status':12} {'Org.':>5} {'Pers.':>6} "
                   f"{'Cykl.':>6}")
        for region, orgs, people, cycles in rows:
            state = "aktiv" if region.active else "deaktiveret"
            click.echo(f"{region.code:16} {region.name:28} {state:12} {orgs:>5} {people:>6} "
                       f"{cycles:>6}")

    @regions.command("rename")
    @REGION
    @click.option("--name", required=True, help="Regionens nye navn.")
    @BY
    def rename_command(code: str, name: str, by: str | None) -> None:
        """Giv en region et nyt navn (koden er den samme)."""
        region = _region(code)
        _run(lambda: flow.rename_region(flow.operator(by), region, name=name,
                                        now=get_clock().now()))
        click.echo(f"Omdøbt: {region.code} hedder nu {name.strip()}")

    def _set_active(code: str, by: str | None, active: bool) -> None:
        region = _region(code)
        _run(lambda: flow.set_region_active(flow.operator(by), region, active,
                                            now=get_clock().now()))
        click.echo(f"{region.name} er {'aktiveret' if active else 'deaktiveret'}."
                   + ("" if active else " Regionens personer kan ikke logge ind."))

    @regions.command("deactivate")
    @REGION
    @BY
    def deactivate_command(code: str, by: str | None) -> None:
        """Deaktivér en region: intet slettes, men dens personer kan ikke logge ind."""
        _set_active(code, by, False)

    @regions.command("activate")
    @REGION
    @BY
    def activate_command(code: str, by: str | None) -> None:
        """Aktivér en deaktiveret region igen."""
        _set_active(code, by, True)

    @regions.command("invite-secretariat")
    @REGION
    @click.option("--email", required=True, help="Sekretariatsmedarbejderens e-mailadresse.")
    @click.option("--name", required=True, help="Sekretariatsmedarbejderens navn.")
    @BY
    def invite_command(code: str, email: str, name: str, by: str | None) -> None:
        """Invitér en regions (første) sekretariatsmedarbejder; opretter sekretariatet."""
        region = _region(code)
        user = _run(lambda: flow.invite_secretariat(flow.operator(by), region, email=email,
                                                    name=name, now=get_clock().now()))
        click.echo(f"Invitation sendt til {user.email} ({region.name}).")

    imports_group = click.Group("import", help="Importér organisationer eller personer fra "
                                               "en CSV- eller XLSX-fil.")
    app.cli.add_command(imports_group)

    def _import(kind: ImportKind, path: Path, code: str, by: str | None, dry_run: bool,
                skip_refused: bool) -> None:
        region = _region(code)
        try:
            data = path.read_bytes()
        except OSError:
            _fail(f"Filen {path} kan ikke læses.")
        try:
            table = imports.read_file(kind, data, path.name)
            actor = flow.operator(by)
            now = get_clock().now()
            if dry_run:
                plan = make_plan(kind, region, table.rows)
                _print_plan(plan)
                click.echo("Prøvekørsel: intet er gemt.")
                return
            plan, result = imports.run(actor, region, kind, table,
                                       sha256=hashlib.sha256(data).hexdigest(), now=now,
                                       skip_refused=skip_refused)
        except WorkflowError as error:
            db.session.rollback()
            _fail(error.message)
        _print_plan(plan)
        if result is None:
            db.session.rollback()
            _fail(f"{plan.counts['refuse']} række(r) afvises; intet er gemt. Ret filen, eller "
                  "kør igen med --skip-refused for at springe dem over.")
        db.session.commit()
        mail.send_queued(get_clock().now())
        click.echo(f"Importeret: {result.created} oprettet, {result.changed} ændret, "
                   f"{result.unchanged} uændret, {result.refused} afvist, "
                   f"{result.invited} inviteret.")

    def _import_command(kind: ImportKind, help_text: str) -> None:
        @imports_group.command(kind.value, help=help_text)
        @click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
        @REGION
        @BY
        @click.option("--dry-run", is_flag=True, help="Vis kun, hvad der ville ske.")
        @click.option("--skip-refused", is_flag=True,
                      help="Gem de gyldige rækker og spring de afviste over.")
        def command(path: Path, code: str, by: str | None, dry_run: bool,
                    skip_refused: bool) -> None:
            _import(kind, path, code, by, dry_run, skip_refused)

    _import_command(ImportKind.ORGANISATIONS, "Importér organisationer (skabelonens kolonner: "
                                              "Navn, Type, Byråd eller regionsråd, Fælles "
                                              "e-mailadresse).")
    _import_command(ImportKind.PEOPLE, "Importér og invitér personer (skabelonens kolonner: "
                                       "Navn, E-mailadresse, Organisation, Roller).")


def _print_plan(plan: Plan) -> None:
    for row in plan.rows:
        detail = "; ".join(row.reasons or row.changes)
        click.echo(f"  række {row.line}: {ACTION_LABELS[row.action]} – {row.name}"
                   + (f" ({detail})" if detail else ""))
