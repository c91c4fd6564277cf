"""The base form: WTForms ships no Danish catalogue, so its built-in messages are given here."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_wtf import FlaskForm


def _messages() -> dict[str, str]:
    return {
        "This field is required.": _("Feltet skal udfyldes."),
        "Not a valid integer value.": _("Skriv et helt tal."),
        "Not a valid decimal value.": _("Skriv et tal, fx 1,5."),
        "Not a valid float value.": _("Skriv et tal, fx 1,5."),
        "Not a valid date value.": _("Skriv en gyldig dato."),
        "Not a valid datetime value.": _("Skriv en gyldig dato og et gyldigt tidspunkt."),
        "Not a valid time value.": _("Skriv et gyldigt tidspunkt, fx 14:30."),
        "Not a valid choice.": _("Vælg en af de viste muligheder."),
        "Invalid Choice: could not coerce.": _("Vælg en af de viste muligheder."),
        "Invalid email address.": _("Skriv en gyldig e-mailadresse."),
        "Invalid input.": _("Ugyldigt input."),
    }


class DanishTranslations:
    def gettext(self, string: str) -> str:
        return _messages().get(string, string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return singular if n == 1 else plural


class BaseForm(FlaskForm):
    class Meta:
        def get_translations(self, form: Any) -> DanishTranslations:
            return DanishTranslations()

    def csrf_failed(self) -> bool:
        return bool(getattr(self, "csrf_token", None) is not None and self.csrf_token.errors)


def strip(value: object) -> object:
    """A WTForms filter: surrounding spaces are never meant (a pasted e-mail address)."""
    return value.strip() if isinstance(value, str) else value
