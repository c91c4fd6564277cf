"""The scheduler process: `flask --app webapp scheduler`. Never started inside web workers
(several gunicorn workers would each run every job). Its one job calls the reminder pass."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from flask import Flask

if TYPE_CHECKING:
    from .workflows.reminders import RunReport

log = logging.getLogger(__name__)


def run_once(app: Flask) -> RunReport:
    """One pass: reminders that are due, then other e-mail waiting for a retry."""
    from . import mail
    from .clock import get_clock
    from .extensions import db
    from .workflows import reminders

    with app.app_context():
        try:
            now = get_clock().now()
            report = reminders.run_due(now)
            mail.send_due(now)
            mail.send_daily_digests(now)
            log.info("reminder pass: %s", report.lines()[-1])
            return report
        finally:
            db.session.remove()


def start(app: Flask, minutes: int) -> None:
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.interval import IntervalTrigger

    scheduler = BlockingScheduler(timezone="Europe/Copenhagen")
    # One job; a slow pass is never overlapped by the next, and missed runs collapse into one
    # (the pass itself catches up on everything within the grace window).
    scheduler.add_job(run_once, IntervalTrigger(minutes=minutes), args=[app], id="reminders",
                      max_instances=1, coalesce=True, misfire_grace_time=None)
    scheduler.add_job(run_once, args=[app], id="reminders-now")  # once at start: catch up
    log.info("scheduler started: a reminder pass every %d minutes", minutes)
    scheduler.start()
