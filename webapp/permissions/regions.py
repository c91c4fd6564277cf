"""Regions on the platform and the secretariat's import of its parties and people."""

from __future__ import annotations

from ..models import Role
from . import Rule, rule

RULES: dict[str, Rule] = {
    # The operator's commands (create, rename, deactivate, the first secretariat person): the
    # command line acts as the system; no person holds this anywhere.
    "region.operate": rule("Oprette, omdøbe og (de)aktivere regioner (kommandolinjen)",
                           system=True),
    "region.import": rule("Importere organisationer og personer fra en fil", Role.SECRETARIAT,
                          system=True),
}
