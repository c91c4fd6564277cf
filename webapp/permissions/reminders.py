"""Deadline reminders and the e-mail log: the secretariat's tools."""

from __future__ import annotations

from ..models import Role
from . import Rule, rule

RULES: dict[str, Rule] = {
    "reminders.manage": rule("Se, ændre og sætte påmindelser på pause", Role.SECRETARIAT),
    "email_log.view": rule("Se e-mail-loggen", Role.SECRETARIAT),
}
