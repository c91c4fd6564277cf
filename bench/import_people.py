"""Benchmark: importing 1,000 people (one transaction) as the secretariat's confirmation does.

Builds a throwaway SQLite database (or uses `--database-url`) with one region, its secretariat
and one municipality, reads a CSV of N people, plans it (the preview's work) and writes it in
one transaction with every invitation queued in the outbox, then commits. Prints the time of
each step. A benchmark measures; it never fails on time.

    .venv/bin/python bench/import_people.py [--people 1000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from webapp import create_app
    from webapp.extensions import db
    from webapp.models import ImportKind, OrgKind, OutboundEmail, User
    from webapp.permissions import SYSTEM
    from webapp.workflows import organisations
    from webapp.workflows import regions as region_flow
    from webapp.workflows.imports import apply
    from webapp.workflows.imports.plan import make_plan

    folder = tempfile.mkdtemp()
    url = args.database_url or f"sqlite:///{folder}/bench.db"
    app = create_app("production", SQLALCHEMY_DATABASE_URI=url, SECRET_KEY="bench",
                     MAIL_SUPPRESS_SEND=True)
    now = datetime(2017, 3, 1, 9, tzinfo=UTC)
    with app.test_request_context():
        upgrade()
        region = region_flow.create_region(SYSTEM, code="bench", name="Region Bench", now=now)
        organisations.create_organisation(SYSTEM, region_id=region.id,
                                          kind=OrgKind.MUNICIPALITY, name="Bench Kommune",
                                          council_name="Bench Byråd", now=now)
        db.session.commit()
        lines = ["Navn;E-mailadresse;Organisation;Roller"] + [
            f"Person {n};person{n}@bench.example;Bench Kommune;Besvarer"
            for n in range(args.people)]
        data = "\r\n".join(lines).encode("utf-8")

        started = time.perf_counter()
        table = apply.read_file(ImportKind.PEOPLE, data, "personer.csv")
        read_at = time.perf_counter()
        plan = make_plan(ImportKind.PEOPLE, region, table.rows)
        planned_at = time.perf_counter()
        result = apply.write(SYSTEM, region, plan, file_name="personer.csv",
                             sha256=hashlib.sha256(data).hexdigest(), now=now)
        db.session.commit()
        done = time.perf_counter()
        people = db.session.scalar(select(func.count(User.id)))
        mails = db.session.scalar(select(func.count(OutboundEmail.id)))
    print(f"{args.people} personer, {url.split(':')[0]}")
    print(f"  læs filen:              {read_at - started:6.2f} s")
    print(f"  forhåndsvisning (plan): {planned_at - read_at:6.2f} s")
    print(f"  skriv + invitationer:   {done - planned_at:6.2f} s  (én transaktion)")
    print(f"  i alt:                  {done - started:6.2f} s")
    print(f"  oprettet {result.created}, inviteret {result.invited}; personer i databasen "
          f"{people}, e-mails i udbakken {mails}")


if __name__ == "__main__":
    main()
