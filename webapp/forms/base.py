"""The base form: WTForms ships no Danish catalogue, so its built-in messages are given here.

Every form also gets three guarantees from here, whatever its fields say: typed text is cleaned
(`text_filter`), a date lies in the app's window (`date_filter`), and a choice that is not
offered is a message at its field (`BaseForm.validate`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_wtf import FlaskForm
from wtforms import DateTimeField, Field, PasswordField, StringField, TextAreaField
from wtforms.fields.choices import SelectFieldBase, SelectMultipleField

from ..routing import MAX_ID
from ..text import clean_text, text_problem
from ..workflows.base import date_window_message, in_date_window


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
        "'%(value)s' is not a valid choice for this field.":
            _("Vælg kun blandt de viste muligheder."),
        "Invalid choice(s): one or more data inputs could not be coerced.":
            _("Vælg kun blandt de viste muligheder."),
    }


class DanishTranslations:
    def gettext(self, string: str) -> str:
        return _messages().get(string, string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular)


def text_filter(multiline: bool) -> Callable[[object], object]:
    """The filter every text field gets first: control characters go (a NUL byte would fail on
    PostgreSQL), and a text that is only invisible characters or turns the writing direction is
    refused at its field (a filter's ValueError becomes the field's message)."""

    def _filter(value: object) -> object:
        if not isinstance(value, str):
            return value
        cleaned = clean_text(value, multiline=multiline)
        problem = text_problem(cleaned)
        if problem is not None:
            raise ValueError(problem)
        return cleaned

    return _filter


def date_filter(value: object) -> object:
    """The filter every date field gets: only dates in the app's window (2000–2100); a year like
    0001 or 9999 would overflow when turned into UTC, moved or drawn."""
    if isinstance(value, date) and not in_date_window(value):
        raise ValueError(date_window_message())
    return value


def coerce_id(value: object) -> int:
    """`coerce=int` of every choice field: an id a table can hold, else not a choice (a huge
    number would otherwise fail in the database, for fields that do not check their choices)."""
    number = int(str(value))
    if abs(number) > MAX_ID:
        raise ValueError(_("Vælg kun blandt de viste muligheder."))
    return number


class DanishMeta:
    """The Meta of every form here (BaseForm's and the sub-forms'): Danish messages and the text
    filter in front of each text field's own filters."""

    def get_translations(self, form: Any) -> DanishTranslations:
        return DanishTranslations()

    def bind_field(self, form: Any, unbound_field: Any, options: Mapping[str, Any]) -> Field:
        kind = unbound_field.field_class
        own = unbound_field.kwargs.get("filters") or ()
        if issubclass(kind, StringField) and not issubclass(kind, PasswordField):
            options = {**options,
                       "filters": [text_filter(issubclass(kind, TextAreaField)), *own]}
        elif issubclass(kind, DateTimeField):  # DateField too
            options = {**options, "filters": [date_filter, *own]}
        elif issubclass(kind, SelectFieldBase) and unbound_field.kwargs.get("coerce") is int:
            options = {**options, "coerce": coerce_id}
        field: Field = unbound_field.bind(form=form, **options)  # as WTForms' DefaultMeta does
        return field


def _check_choice(form: Any, field: Field) -> None:
    """A choice that was not offered, also where `Optional()` cleared WTForms' own check."""
    if not isinstance(field, SelectFieldBase) or field.errors:
        return
    raw = field.raw_data or []
    multiple = isinstance(field, SelectMultipleField)
    if not raw or (not multiple and raw[0] in ("", None)):
        return  # nothing chosen: the field's validators decide
    if field.process_errors:
        field.errors = [*field.process_errors]
        return
    try:
        field.pre_validate(form)
    except ValueError as error:  # ValidationError is a ValueError
        field.errors = [str(error.args[0]) if error.args else _("Vælg en af de viste muligheder.")]


class BaseForm(FlaskForm):
    class Meta(DanishMeta):
        pass

    def validate(self, extra_validators: Mapping[str, Any] | None = None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            _check_choice(self, field)
        return valid and not any(f.errors for f in self if isinstance(f, SelectFieldBase))

    def csrf_failed(self) -> bool:
        return bool(getattr(self, "csrf_token", None) is not None and self.csrf_token.errors)


def strip(value: object) -> object:
    """A WTForms filter: surrounding spaces are never meant (a pasted e-mail address)."""
    return value.strip() if isinstance(value, str) else value
