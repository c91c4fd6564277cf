"""Processing a consultation's responses and writing the note: the secretariat's work."""

from __future__ import annotations

from ..models import Role
from . import Rule, rule

RULES: dict[str, Rule] = {
    "consultation.process": rule(
        "Behandle høringssvar og udarbejde høringsnotatet", Role.SECRETARIAT),
}
