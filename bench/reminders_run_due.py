"""Benchmark: does a reminder pass cost what is due, or what is logged?

Builds a throwaway SQLite database (Alembic migrations, rows written directly): one region with
100 municipalities (a respondent each) and two secretariat people; an open cycle with 50
milestones, five of them questionnaires with their default reminder rules, sent to all 100
municipalities. One real pass (`run_due` at 10.04.2017 08.05) claims, sends and skips what its
moment brings: that is the live state. Then reminder deliveries of earlier, closed cycles are
bulk-inserted (mostly sent with their e-mail, some skipped, some cancelled; older due times) until
the log holds 1,000, 10,000 and 100,000 deliveries, and at each size a pass is timed at
10.04.2017 10.00, when nothing is due (median of several runs). A pass should cost in
proportion to what is due, not to the log: the ratio 100k/1k should be about 1.

It prints a table, the ratio, the slowest statements of a pass at the largest size with their
growth, and SQLite's query plan for the statements that grew. A benchmark measures; it never
fails on time.

    .venv/bin/python bench/reminders_run_due.py [--sizes 1000,10000,100000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CPH = ZoneInfo("Europe/Copenhagen")
FIRST_PASS = datetime(2017, 4, 10, 8, 5, tzinfo=CPH).astimezone(UTC)
QUIET = datetime(2017, 4, 10, 10, 0, tzinfo=CPH).astimezone(UTC)
ORGS = 100
MILESTONES = 50
# Questionnaire deadlines, days from 10.04.2017 (12.00): one overdue, one whose "14 days
# before" is exactly the first pass (sent), the rest with reminders past (skipped) and ahead.
QUESTIONNAIRE_DAYS = [-5, 3, 10, 14, 35]
FAILED_EMAILS = 20


def at(day: datetime, hour: int = 12) -> datetime:
    return day.astimezone(CPH).replace(hour=hour, minute=0).astimezone(UTC)


def build() -> dict[str, Any]:
    """The region, its people and the open cycle. Returns what the history generator needs."""
    from webapp.extensions import db
    from webapp.models import (
        Cycle,
        CycleState,
        EmailState,
        Milestone,
        MilestoneKind,
        Organisation,
        OrgKind,
        OutboundEmail,
        Questionnaire,
        QuestionnaireRecipient,
        Region,
        Role,
        RoleGrant,
        User,
    )
    from webapp.workflows import reminders

    now = FIRST_PASS - timedelta(days=90)
    region = Region(code="bench", name="Benchmark-regionen", created_at=now)
    db.session.add(region)
    db.session.flush()
    secretariat_org = Organisation(region_id=region.id, kind=OrgKind.SECRETARIAT,
                                   name="Sekretariatet", created_at=now)
    db.session.add(secretariat_org)
    db.session.flush()
    secretariat = []
    for n in range(2):
        person = User(email=f"sekretariat{n}@bench.example", name=f"Sekretær {n}",
                      password_hash="x", organisation_id=secretariat_org.id,
                      session_nonce="x", created_at=now, grants=[])
        person.grants.append(RoleGrant(region_id=region.id, role=Role.SECRETARIAT,
                                       granted_at=now))
        secretariat.append(person)
    db.session.add_all(secretariat)
    orgs, respondents = [], []
    for o in range(ORGS):
        org = Organisation(region_id=region.id, kind=OrgKind.MUNICIPALITY,
                           name=f"Kommune {o + 1:03d}", council_name=f"Byråd {o + 1}",
                           created_at=now)
        db.session.add(org)
        db.session.flush()
        person = User(email=f"besvarer@kommune{o + 1:03d}.example", name=f"Besvarer {o + 1}",
                      password_hash="x", organisation_id=org.id, session_nonce="x",
                      created_at=now, grants=[])
        person.grants.append(RoleGrant(region_id=region.id, role=Role.RESPONDENT,
                                       granted_at=now))
        db.session.add(person)
        orgs.append(org)
        respondents.append(person)
    cycle = Cycle(region_id=region.id, title="Rammeaftale 2018", first_year=2018,
                  last_year=2018, state=CycleState.OPEN, description="", created_at=now,
                  milestones=[])
    db.session.add(cycle)
    db.session.flush()
    others = [MilestoneKind.WORKSHOP, MilestoneKind.THEME_DAY, MilestoneKind.CONSULTATION,
              MilestoneKind.DRAFT, MilestoneKind.APPROVAL, MilestoneKind.OTHER]
    for n in range(MILESTONES):
        if n < len(QUESTIONNAIRE_DAYS):
            ends = at(FIRST_PASS + timedelta(days=QUESTIONNAIRE_DAYS[n]))
            kind = MilestoneKind.QUESTIONNAIRE
        else:
            ends = at(FIRST_PASS + timedelta(days=(n * 7) % 180 - 90))
            kind = others[n % len(others)]
        milestone = Milestone(cycle_id=cycle.id, kind=kind, title=f"Milepæl {n + 1}",
                              starts_at=ends - timedelta(days=40), ends_at=ends, place="",
                              description="", audience=[], is_public=True)
        db.session.add(milestone)
        db.session.flush()
        reminders.create_default_rules(milestone, now)
        if kind == MilestoneKind.QUESTIONNAIRE:
            questionnaire = Questionnaire(cycle_id=cycle.id, milestone_id=milestone.id,
                                          title=f"Skema {n + 1}", intro="", created_at=now)
            db.session.add(questionnaire)
            db.session.flush()
            db.session.add_all(QuestionnaireRecipient(questionnaire_id=questionnaire.id,
                                                      organisation_id=org.id) for org in orgs)
    # The scheduler's other half, mail.send_due, retries ordinary e-mails: a few failed ones.
    db.session.add_all(OutboundEmail(
        region_id=region.id, template="password_reset", to_address=f"person{n}@bench.example",
        subject="Ny adgangskode til Aftalehjul", body_text="…", body_html="<p>…</p>",
        state=EmailState.FAILED, urgent=True, attempts=1, last_error="SMTPServerDisconnected",
        created_at=QUIET - timedelta(hours=1), next_attempt_at=QUIET - timedelta(minutes=5))
        for n in range(FAILED_EMAILS))
    db.session.commit()
    return {"region_id": region.id, "orgs": [o.id for o in orgs],
            "respondents": [(p.id, p.email) for p in respondents],
            "secretariat": [(p.id, p.email) for p in secretariat], "old_cycles": 0}


def history_rows(state: dict[str, Any]):  # type: ignore[no-untyped-def]
    """Deliveries of earlier cycles, without end: a closed cycle of ten questionnaire
    milestones with the default rules at a time, every respondent reminded by every rule."""
    from webapp.extensions import db
    from webapp.models import (
        Cycle,
        CycleState,
        DeliveryState,
        Milestone,
        MilestoneKind,
        RuleKind,
    )
    from webapp.workflows import reminders

    while True:
        state["old_cycles"] += 1
        year = 2017 - state["old_cycles"]
        cycle = Cycle(region_id=state["region_id"], title=f"Rammeaftale {year}",
                      first_year=year, last_year=year, state=CycleState.CLOSED,
                      description="", created_at=FIRST_PASS, milestones=[])
        db.session.add(cycle)
        db.session.flush()
        cycle_id = cycle.id
        for m in range(10):
            ends = datetime(year - 1, 3 + m // 2, 1 + 10 * (m % 2), 10, tzinfo=UTC)
            milestone = Milestone(cycle_id=cycle_id, kind=MilestoneKind.QUESTIONNAIRE,
                                  title=f"Skema {m + 1} ({year})", ends_at=ends, place="",
                                  description="", audience=[], is_public=True)
            db.session.add(milestone)
            db.session.flush()
            rules = reminders.create_default_rules(milestone, FIRST_PASS)
            db.session.flush()
            # Plain values only: the session is committed and replaced between yields.
            plans = [(rule.id, rule.kind, reminders.occurrences(rule, ends)) for rule in rules]
            milestone_id = milestone.id
            for rule_id, kind, occurrences in plans:
                people = state["secretariat"] if kind == RuleKind.DIGEST else state["respondents"]
                for number, due in occurrences:
                    for i, (user_id, email) in enumerate(people):
                        roll = (i * 7 + number * 3 + rule_id) % 20
                        if roll < 2:
                            delivery_state, reason, mail_state = (
                                DeliveryState.SKIPPED, "Ikke sendt: forfaldstidspunktet ligger "
                                "mere end 24 timer tilbage (nedetid).", None)
                        elif roll < 3:
                            delivery_state, reason, mail_state = (
                                DeliveryState.CANCELLED,
                                "Ikke sendt: organisationen har leveret.", "skipped")
                        else:
                            delivery_state, reason, mail_state = DeliveryState.SENT, "", "sent"
                        org_id = (None if kind == RuleKind.DIGEST
                                  else state["orgs"][i % len(state["orgs"])])
                        yield ({"rule_id": rule_id, "milestone_id": milestone_id,
                                "recipient": email, "user_id": user_id,
                                "organisation_id": org_id, "occurrence": number, "due_at": due,
                                "state": delivery_state, "reason": reason,
                                "created_at": due + timedelta(minutes=5)}, mail_state)


def grow_log_to(target: int, state: dict[str, Any], rows) -> int:  # type: ignore[no-untyped-def]
    """Bulk-insert history until the log holds `target` deliveries. Returns the count."""
    from sqlalchemy import func, insert, select

    from webapp.extensions import db
    from webapp.models import EmailState, OutboundEmail, ReminderDelivery

    have = db.session.scalar(select(func.count(ReminderDelivery.id))) or 0
    next_email = (db.session.scalar(select(func.max(OutboundEmail.id))) or 0) + 1
    while have < target:
        deliveries, emails = [], []
        for delivery, mail_state in rows:
            if mail_state is not None:
                sent = delivery["created_at"]
                emails.append({
                    "id": next_email, "region_id": state["region_id"],
                    "template": "reminder", "to_address": delivery["recipient"],
                    "subject": "Påmindelse: Skema – frist 01.03", "body_text": "Kære …",
                    "body_html": "<p>Kære …</p>", "state": EmailState(mail_state),
                    "urgent": True, "attempts": 1, "last_error": delivery["reason"],
                    "created_at": sent, "next_attempt_at": sent,
                    "sent_at": sent if mail_state == "sent" else None})
                delivery["email_id"] = next_email
                next_email += 1
            else:
                delivery["email_id"] = None
            deliveries.append(delivery)
            if have + len(deliveries) >= target or len(deliveries) >= 20_000:
                break
        if emails:
            db.session.execute(insert(OutboundEmail), emails)
        db.session.execute(insert(ReminderDelivery), deliveries)
        db.session.commit()
        have += len(deliveries)
    return have


class Recorder:
    """Every statement of a pass, with its parameters as sent to the driver."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}
        self.count = 0

    def __call__(self, conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        self.params.setdefault(statement, parameters)
        self.count += 1

    def replay(self) -> dict[str, float]:
        """Each SELECT again on a raw connection, execute and fetch (SQLite does most of its
        work while fetching), best of three; in ms."""
        from webapp.extensions import db

        times: dict[str, float] = {}
        raw = db.engine.raw_connection()
        try:
            cursor = raw.cursor()
            for sql, params in self.params.items():
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                best = float("inf")
                for _ in range(3):
                    t0 = time.perf_counter()
                    cursor.execute(sql, params)
                    cursor.fetchall()
                    best = min(best, time.perf_counter() - t0)
                times[sql] = best * 1000
        finally:
            raw.close()
        return times


def timed_pass(repeat: int) -> tuple[float, float, int, Recorder]:
    """Median and best time of `repeat` passes at QUIET, the statements of one pass, and the
    recorder that replays them."""
    from sqlalchemy import event

    from webapp.extensions import db
    from webapp.workflows import reminders

    times = []
    recorder = Recorder()
    for n in range(repeat + 1):
        db.session.remove()  # a fresh session, as the scheduler's job has
        if n == repeat:  # one more pass, with every statement timed
            event.listen(db.engine, "before_cursor_execute", recorder)
        t0 = time.perf_counter()
        report = reminders.run_due(QUIET)
        elapsed = time.perf_counter() - t0
        if n == repeat:
            event.remove(db.engine, "before_cursor_execute", recorder)
        elif n:  # the first pass warms caches
            times.append(elapsed)
        assert not report.claimed and not report.skipped, "something was due at the quiet time"
    return statistics.median(times), min(times), recorder.count, recorder


def probe_send_due() -> tuple[float, str, Any]:
    """The selection `mail.send_due` makes (ordinary e-mails due for a retry, reminders left
    out), executed without sending: best of five in ms, and its SQL and parameters."""
    from sqlalchemy import event, select

    from webapp import mail
    from webapp.extensions import db
    from webapp.models import OutboundEmail, ReminderDelivery

    query = (  # a copy of the query in webapp/mail.py:send_due
        select(OutboundEmail)
        .where(OutboundEmail.state.in_(mail.SENDABLE), OutboundEmail.next_attempt_at <= QUIET,
               ~select(ReminderDelivery.id).where(
                   ReminderDelivery.email_id == OutboundEmail.id).exists())
        .order_by(OutboundEmail.next_attempt_at).limit(100))
    recorder = Recorder()
    best = float("inf")
    for n in range(6):
        db.session.remove()
        if n == 5:
            event.listen(db.engine, "before_cursor_execute", recorder)
        t0 = time.perf_counter()
        found = db.session.scalars(query).all()
        if n == 5:
            event.remove(db.engine, "before_cursor_execute", recorder)
        elif n:
            best = min(best, time.perf_counter() - t0)
        assert len(found) == FAILED_EMAILS
    db.session.remove()
    sql = next(s for s in recorder.params if "outbound_emails" in s and "EXISTS" in s)
    return best * 1000, sql, recorder.params[sql]


def short(sql: str, width: int = 110) -> str:
    flat = " ".join(sql.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def on_data_sets(urls: list[str], repeat: int) -> None:
    """A dry-run pass (planned and checked against the claims, nothing written) on each data
    set at the benchmarks' clock: its time, its SQL statements, the parties it weighed."""
    from datetime import UTC, datetime

    from sqlalchemy import event, func, select

    from webapp import create_app
    from webapp.extensions import db
    from webapp.models import Organisation, ReminderDelivery
    from webapp.workflows import audiences, reminders

    at = datetime(2017, 4, 20, 8, 2, tzinfo=UTC)  # bench/pages.py's 20.04.2017 10.02
    print("| data set | organisations | reminder log | pending in the window | SQL | "
          "pass median | best |\n|---|---:|---:|---:|---:|---:|---:|")
    statements = [0]

    def count(*_: object) -> None:
        statements[0] += 1

    for url in urls:
        app = create_app("production", SQLALCHEMY_DATABASE_URI=url, SECRET_KEY="bench")
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", count)
            pairs = reminders._rules_in_window(at)
            pending = len(audiences.pending(list({m.id: m for _, m in pairs}.values()), at))
            orgs = db.session.scalar(select(func.count(Organisation.id)))
            log = db.session.scalar(select(func.count(ReminderDelivery.id)))
            db.session.rollback()
            times = []
            for _ in range(repeat):
                statements[0] = 0
                started = time.perf_counter()
                reminders.run_due(at, dry_run=True)
                times.append(time.perf_counter() - started)
            print(f"| {url.rsplit('/', 1)[-1]} | {orgs:,} | {log:,} | {pending:,} | "
                  f"{statements[0]} | {statistics.median(times) * 1000:.0f} ms | "
                  f"{min(times) * 1000:.0f} ms |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="1000,10000,100000",
                        help="log sizes (reminder deliveries), comma-separated")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--on", default="",
                        help="instead: databases (URLs, comma-separated) to time a dry-run pass "
                             "on, e.g. bench/pages.py's bench_demo and bench_national")
    args = parser.parse_args()
    if args.on:
        on_data_sets(args.on.split(","), args.repeat)
        return
    sizes = sorted(int(s) for s in args.sizes.split(","))

    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from webapp import create_app
    from webapp.extensions import db
    from webapp.models import DeliveryState, OutboundEmail, ReminderDelivery
    from webapp.workflows import reminders

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{Path(tmp) / 'bench.db'}",
                         MAIL_SUPPRESS_SEND=True)
        with app.app_context():
            upgrade()
            started = time.perf_counter()
            state = build()
            first = reminders.run_due(FIRST_PASS)
            live = db.session.scalar(select(func.count(ReminderDelivery.id))) or 0
            print(f"Built {ORGS} organisations, {MILESTONES} milestones "
                  f"({len(QUESTIONNAIRE_DAYS)} questionnaires) with the default rules in "
                  f"{time.perf_counter() - started:.1f} s.")
            print(f"First pass at 10.04.2017 08.05: {len(first.claimed)} claimed, "
                  f"{first.sent} sent, {len(first.skipped)} skipped (downtime) → {live} "
                  "deliveries: the live state.")
            if sizes[0] < live:
                sys.exit(f"The smallest size must be at least {live}.")
            print("Each size: history of closed cycles bulk-inserted, then passes at "
                  f"10.04.2017 10.00 (nothing due), median of {args.repeat}.\n")
            rows = history_rows(state)
            results = []
            for size in sizes:
                t0 = time.perf_counter()
                have = grow_log_to(size, state, rows)
                grown = time.perf_counter() - t0
                emails = db.session.scalar(select(func.count(OutboundEmail.id))) or 0
                sent = db.session.scalar(select(func.count(ReminderDelivery.id)).where(
                    ReminderDelivery.state == DeliveryState.SENT)) or 0
                median, best, count, recorder = timed_pass(args.repeat)
                send_due_ms, send_due_sql, send_due_params = probe_send_due()
                results.append((have, emails, sent, median, best, count, recorder.replay(),
                                recorder.params, send_due_ms))
                print(f"  {have:>7,} deliveries ready ({grown:.1f} s to insert)")

            print()
            print(f"{'deliveries':>10}  {'e-mails':>8}  {'sent':>8}  {'run_due median ms':>17}  "
                  f"{'best ms':>8}  {'statements':>10}  {'send_due select ms':>18}")
            for have, emails, sent, median, best, count, _t, _p, sd in results:
                print(f"{have:>10,}  {emails:>8,}  {sent:>8,}  {median * 1000:>17.2f}  "
                      f"{best * 1000:>8.2f}  {count:>10}  {sd:>18.2f}")
            small, large = results[0], results[-1]
            print(f"\nRatio {large[0]:,} / {small[0]:,} deliveries, run_due (median): "
                  f"{large[3] / small[3]:.2f}  (≈1 is flat: the pass costs what is due, not "
                  "the log)")
            print(f"Ratio {large[0]:,} / {small[0]:,} deliveries, send_due's selection with "
                  f"{FAILED_EMAILS} failed e-mails: {large[8] / small[8]:.1f}")

            print("\nThe SELECTs of one run_due pass, replayed (execute + fetch, best of 3), "
                  "slowest first:\n  ms at largest / ms at smallest")
            grew = []
            for sql, ms in sorted(large[6].items(), key=lambda kv: -kv[1])[:8]:
                before = small[6].get(sql)
                factor = ms / before if before else float("inf")
                print(f"  {ms:8.2f} / {before or 0:6.2f}  ×{factor:6.1f}  {short(sql)}")
                if factor > 3 and ms > 0.2:
                    grew.append(sql)
            probes = {sql: large[7][sql] for sql in grew}
            probes[send_due_sql] = send_due_params
            print("\nSQLite's plans (largest log) for the run_due statements that grew and for "
                  "send_due's selection:")
            raw = db.engine.raw_connection()
            try:
                cursor = raw.cursor()
                for sql, params in probes.items():
                    print(f"  {short(sql, 300)}")
                    cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                    for row in cursor.fetchall():
                        print(f"      {row[-1]}")
            finally:
                raw.close()
            what_if(probes)


# Candidate indexes, tried one at a time on the largest log (and dropped again).
CANDIDATES = [
    "CREATE INDEX bench_candidate ON reminder_deliveries (state) WHERE state = 'claimed'",
    "CREATE INDEX bench_candidate ON reminder_deliveries (state)",
    "CREATE INDEX bench_candidate ON reminder_deliveries (email_id)",
]


def what_if(probes: dict[str, Any]) -> None:
    """The probed statements replayed with each candidate index: time and plan."""
    from webapp.extensions import db

    print("\nWhat if (largest log), each candidate index on its own:")
    db.session.remove()  # no transaction of ours may hold the lock
    raw = db.engine.raw_connection()
    try:
        cursor = raw.cursor()
        for ddl in CANDIDATES:
            cursor.execute(ddl)
            print(f"  {ddl}")
            for sql, params in probes.items():
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                plan = "; ".join(row[-1] for row in cursor.fetchall())
                best = float("inf")
                for _ in range(3):
                    t0 = time.perf_counter()
                    cursor.execute(sql, params)
                    cursor.fetchall()
                    best = min(best, time.perf_counter() - t0)
                print(f"      {best * 1000:7.2f} ms  {short(sql, 40)}  →  {plan}")
            cursor.execute("DROP INDEX bench_candidate")
    finally:
        raw.close()


if __name__ == "__main__":
    main()
