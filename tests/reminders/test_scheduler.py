"""The scheduler as its own process, and the issue's "done when" on the demo data."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from email.header import decode_header, make_header

from sqlalchemy import select

from tests.mailserver import SMTPServer
from webapp.demo.seed import seed_demo
from webapp.models import DeliveryState, Organisation, ReminderDelivery


def test_demo_fourteen_days_before_reminds_exactly_the_pending(app, db, clock):
    with app.test_request_context():
        seed_demo(clock.now())
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["reminders", "run-due", "--now", "2017-04-17T08:05"])
    assert result.exit_code == 0, result.output
    reminded = set(db.session.scalars(
        select(Organisation.name).join(ReminderDelivery,
                                       ReminderDelivery.organisation_id == Organisation.id)
        .where(ReminderDelivery.state == DeliveryState.SENT)))
    # Not submitted on the demo: two drafts, one reopened, two not started. Morsø has an
    # extension to 15 May, so its own 14-day reminder comes on 1 May.
    assert reminded == {"Jammerbugt Kommune", "Vesthimmerlands Kommune",
                        "Mariagerfjord Kommune", "Hjørring Kommune", "Region Nordjylland"}
    assert "5 påmindelser, 5 sendt" in result.output
    again = runner.invoke(args=["reminders", "run-due", "--now", "2017-04-17T08:10"])
    assert "0 påmindelser" in again.output


def test_scheduler_process_sends_on_start(scratch_url: str):
    """`flask --app webapp scheduler` as a real process: its first pass catches up at once."""
    smtp = SMTPServer()
    smtp.start()
    env = {
        **os.environ,
        "DATABASE_URL": scratch_url,
        "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": str(smtp.port), "MAIL_SUPPRESS_SEND": "0",
        "AFTALEHJUL_NOW": "2017-04-24T08:05",
    }
    flask = [sys.executable, "-m", "flask", "--app", "webapp"]
    try:
        subprocess.run([*flask, "db", "upgrade"], env=env, check=True, capture_output=True)
        subprocess.run([*flask, "seed-demo"], env=env, check=True, capture_output=True)
        process = subprocess.Popen([*flask, "scheduler", "--minutes", "60"], env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and len(smtp.inbox.messages) < 6:
                time.sleep(0.2)
        finally:
            process.terminate()
            output = process.communicate(timeout=30)[0].decode()
        subjects = [str(make_header(decode_header(m["Subject"]))) for m in smtp.inbox.messages]
        # 24 April is 7 days before: the five pending organisations' respondents and the
        # secretariat's digest of who is missing (six: Morsø too, whose own date is later).
        assert sum(s.startswith("Påmindelse:") for s in subjects) == 5, (subjects, output)
        assert [s for s in subjects if s.startswith("Mangler stadig:")] == [
            "Mangler stadig: Kommunale redegørelser (kapacitetsspørgeskema) (6)"], output
    finally:
        smtp.stop()
