"""Typed text as the app keeps it: no control characters, nothing only invisible, no bidi tricks.

PostgreSQL refuses a NUL byte in text outright (a 500 if it reaches the database); other control
characters and direction overrides are never meant and can disguise a name ("gnirts" shown as
"string"). Used by every form field (forms/base.py) and by the questionnaire answers
(workflows/questionnaires/fields.py). `email_problem` is the one check of an e-mail address.
Pure functions: no app, no request.
"""

from __future__ import annotations

import re
import unicodedata

from email_validator import EmailNotValidError, validate_email

from .i18n import gettext as _

# C0, DEL and C1 control characters; a multi-line text keeps tab, newline and carriage return.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_CONTROL_MULTILINE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# Unicode's bidi controls (property Bidi_Control): the marks, embeddings, overrides and
# isolates. They turn the text around them ("gnirts" shown as "string") and are never typed.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
# Shown as nothing although not whitespace to Python.
_BLANKS = frozenset("\u115f\u1160\u2800\u3164\uffa0")
# Default-ignorable code points not yet assigned: a browser draws them as nothing too.
_IGNORABLE_UNASSIGNED = re.compile("[\u2065\ufff0-\ufff8\U000e0000-\U000e0fff]")


def email_problem(address: str) -> str | None:
    """A Danish message if `address` is not an e-mail address one can write to, else None: the
    one e-mail check of the app (forms, invitations, reminder recipients, questionnaire answers).
    The domain must have a dot ("hanne@hjoerring" is refused). Empty is left to the field."""
    if not address:
        return None
    try:
        # Letters beyond ASCII before the @ need SMTPUTF8, which a mail server need not
        # speak (and Flask-Mail cannot send): such an address could never be written to.
        validate_email(address, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        if not address.partition("@")[0].isascii():
            return _("Skriv adressen uden æ, ø, å og andre særlige bogstaver før @, "
                     "fx soeren@kommune.dk.")
        return _("Skriv en gyldig e-mailadresse, fx navn@kommune.dk.")
    return None


def clean_text(value: str, multiline: bool = False) -> str:
    """`value` without control characters (a single line also loses tabs and line breaks)."""
    return (_CONTROL_MULTILINE if multiline else _CONTROL).sub("", value)


def _invisible(ch: str) -> bool:
    return (ch.isspace() or ch in _BLANKS or _IGNORABLE_UNASSIGNED.match(ch) is not None
            or unicodedata.category(ch) in ("Cf", "Cc", "Zs", "Zl", "Zp", "Mn"))


def text_problem(value: str) -> str | None:
    """A Danish message if a (cleaned) text cannot be kept, else None. Empty is left to the
    field's own rules (required or not)."""
    if _BIDI.search(value):
        return _("Teksten indeholder usynlige tegn, der vender skriveretningen. Skriv teksten "
                 "igen uden at kopiere den fra et andet sted.")
    if value.strip() and all(_invisible(ch) for ch in value):
        return _("Teksten består kun af usynlige tegn. Skriv en tekst, der kan læses, eller "
                 "lad feltet være tomt.")
    return None
