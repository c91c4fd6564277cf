"""The base form: WTForms ships no Danish catalogue, so its built-in messages are given here.

Every form also gets three guarantees from here, whatever its fields say: typed text is cleaned
(`text_filter`), a date lies in the app's window (`date_filter`), and a choice that is not
offered is a message at its field (`BaseForm.validate`).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any, AnyStr, Literal, Self, overload

from flask import abort, current_app, g, has_app_context
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import Markup
from wtforms import DateTimeField, Field, HiddenField, PasswordField, StringField, TextAreaField
from wtforms.fields.choices import SelectFieldBase, SelectMultipleField
from wtforms.validators import ValidationError

from ..i18n import gettext as _
from ..i18n import translations as get_translations
from ..routing import MAX_ID
from ..text import clean_text, email_problem, text_problem
from ..workflows.base import Versioned, date_window_message, in_date_window


def wtforms_messages() -> dict[str, str | tuple[str, str]]:
    """Every message in WTForms' source, in Danish (a unit test reads that source and holds
    this list to it). A pair is a message WTForms counts (`ngettext`): singular and plural.
    The placeholders are WTForms' own, which it fills after translating."""
    choose_shown = _("Vælg kun blandt de viste muligheder.")
    form_expired = _("Formularen er udløbet eller ugyldig. Genindlæs siden, og prøv igen.")
    return {
        "This field is required.": _("Feltet skal udfyldes."),
        "Not a valid integer value.": _("Skriv et helt tal."),
        "Not a valid decimal value.": _("Skriv et tal, fx 1,5."),
        "Not a valid float value.": _("Skriv et tal, fx 1,5."),
        "Not a valid date value.": _("Skriv en gyldig dato."),
        "Not a valid datetime value.": _("Skriv en gyldig dato og et gyldigt tidspunkt."),
        "Not a valid time value.": _("Skriv et gyldigt tidspunkt, fx 14:30."),
        "Not a valid week value.": _("Skriv en gyldig uge."),
        "Not a valid choice.": _("Vælg en af de viste muligheder."),
        "Invalid Choice: could not coerce.": _("Vælg en af de viste muligheder."),
        "Choices cannot be None.": _("Feltet har ingen muligheder at vælge imellem."),
        "Invalid email address.": _("Skriv en gyldig e-mailadresse."),
        "Invalid input.": _("Indholdet er ikke gyldigt. Ret feltet, og prøv igen."),
        "Invalid IP address.": _("Skriv en gyldig IP-adresse."),
        "Invalid Mac address.": _("Skriv en gyldig MAC-adresse."),
        "Invalid URL.": _("Skriv en gyldig webadresse, fx https://eksempel.dk."),
        "Invalid UUID.": _("Skriv en gyldig entydig nøgle (et UUID)."),
        "Invalid field name '%s'.": _("Feltet '%s' findes ikke i formularen."),
        "Field must be equal to %(other_name)s.": _("Feltet skal være det samme som "
                                                    "%(other_name)s."),
        "Field must be at least %(min)d character long.": (
            ngettext_pair("Skriv mindst %(min)d tegn.", "Skriv mindst %(min)d tegn.")),
        "Field cannot be longer than %(max)d character.": (
            ngettext_pair("Teksten må højst være %(max)d tegn lang. Forkort den.",
                          "Teksten må højst være %(max)d tegn lang. Forkort den.")),
        "Field must be exactly %(max)d character long.": (
            ngettext_pair("Skriv præcis %(max)d tegn.", "Skriv præcis %(max)d tegn.")),
        "Field must be between %(min)d and %(max)d characters long.":
            _("Skriv mellem %(min)d og %(max)d tegn."),
        "Number must be at least %(min)s.": _("Tallet skal være mindst %(min)s."),
        "Number must be at most %(max)s.": _("Tallet må højst være %(max)s."),
        "Number must be between %(min)s and %(max)s.":
            _("Tallet skal være mellem %(min)s og %(max)s."),
        "Date must be at least %(min)s.": _("Datoen skal være %(min)s eller senere."),
        "Date must be at most %(max)s.": _("Datoen skal være %(max)s eller tidligere."),
        "Date must be between %(min)s and %(max)s.":
            _("Datoen skal ligge mellem %(min)s og %(max)s."),
        "Invalid value, must be one of: %(values)s.": _("Vælg en af disse: %(values)s."),
        "Invalid value, can't be any of: %(values)s.":
            _("Værdien må ikke være en af disse: %(values)s."),
        "This field cannot be edited.": _("Feltet kan ikke ændres."),
        "This field is disabled and cannot have a value.":
            _("Feltet er slået fra og kan ikke have en værdi. Lad det være tomt."),
        "Invalid CSRF Token.": form_expired,
        "CSRF token missing.": form_expired,
        "CSRF failed.": form_expired,
        "CSRF token expired.": form_expired,
        # Not echoed: the offered choices are on the page, a forged value may be any text.
        "'%(value)s' is not a valid choice for this field.": (choose_shown, choose_shown),
        "Invalid choice(s): one or more data inputs could not be coerced.": choose_shown,
    }


def ngettext_pair(singular: str, plural: str) -> tuple[str, str]:
    """A counted message's two Danish forms, marked for extraction; the count picks one."""
    return singular, plural


class DanishTranslations:
    def gettext(self, string: str) -> str:
        text = wtforms_messages().get(string, string)
        return text[0] if isinstance(text, tuple) else text

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        text = wtforms_messages().get(singular)
        if text is None:  # not WTForms' own: English rules, as WTForms would
            return singular if n == 1 else plural
        if not isinstance(text, tuple):
            return text
        # The Danish catalogue's plural rule picks the form; WTForms fills the number after.
        picked: str = get_translations().ngettext(text[0], text[1], n)
        return picked


def text_filter(multiline: bool, blank_is_empty: bool = True) -> Callable[[object], object]:
    """The filter every text field gets first: control characters go (a NUL byte would fail on
    PostgreSQL), only spaces (no-break spaces too) is nothing typed (so "required" refuses it
    and an optional field stays empty), and a text that is only invisible characters or turns
    the writing direction is refused at its field (a filter's ValueError becomes the field's
    message). Hidden fields keep their blanks: a version or token is read as posted."""

    def _filter(value: object) -> object:
        if not isinstance(value, str):
            return value
        cleaned = clean_text(value, multiline=multiline)
        if blank_is_empty and not cleaned.strip():
            return ""
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
                       "filters": [text_filter(issubclass(kind, TextAreaField),
                                               not issubclass(kind, HiddenField)), *own]}
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


MAX_VERSION_DIGITS = 11  # far beyond any counter; no 5,000-digit number is ever parsed


@overload
def read_version(raw: object) -> int: ...
@overload
def read_version(raw: object, *, may_be_new: Literal[True]) -> int | None: ...
def read_version(raw: object, *, may_be_new: bool = False) -> int | None:
    """The version counter a posted form was made from: the one place that reads it.

    A missing or unreadable counter (letters, thousands of digits, empty) is a broken or forged
    request and answers 400: it must never mean "skip the check", or a stale tab overwrites.
    Only where the record may not exist yet (`may_be_new`: an answer page before the first
    save) does an empty field mean "no record yet", which the workflow then checks itself.
    """
    text = raw if isinstance(raw, str) else ""
    if may_be_new and text == "":
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= MAX_VERSION_DIGITS):
        abort(400, _("Formularen mangler sin versionsangivelse. Genindlæs siden, og prøv igen."))
    return int(text)


class VersionField(HiddenField):
    """An edit form's version counter (the record's `version_id` when the page was made)."""

    def number(self) -> int:
        return read_version(self.data)


class OnceField(HiddenField):
    """A create form's one-time token: signed, issued when the page is made, claimed in the
    transaction that creates (`views.common.perform`). A second post of the same page finds it
    claimed and creates nothing, as a second "Flyt" finds its version gone."""

    nonce: str | None = None  # the token's own part, once a posted token has been read


def _serializer(form_name: str) -> URLSafeSerializer:
    # Salted per form: a token made for one form is no token for another.
    return URLSafeSerializer(current_app.secret_key or "", salt=f"create-once:{form_name}")


def issue_token(form_name: str) -> str:
    token = _serializer(form_name).dumps(secrets.token_urlsafe(24))
    # Noted for the request: a kept page keeps the tokens it carries with it, and each answer
    # gets fresh ones in their place (`fresh_tokens`). A kept copy with its old tokens would
    # give two tabs the same token, and the second tab's post would be taken for a repeat.
    if has_app_context():
        g.setdefault("once_tokens", []).append((form_name, token))
    return token


def issued_tokens() -> list[tuple[str, str]]:
    """The one-time tokens this request has issued so far, as (form name, token)."""
    return list(g.get("once_tokens", [])) if has_app_context() else []


def fresh_tokens(html: AnyStr, tokens: Sequence[tuple[str, str]]) -> AnyStr:
    """A kept page's or fragment's `html` (text, or a page kept encoded) with each one-time
    token it carries replaced by a new one for the same form (tokens are ASCII)."""
    for form_name, token in tokens:
        new = issue_token(form_name)
        if isinstance(html, bytes):
            html = html.replace(token.encode(), new.encode())
        else:
            html = html.replace(token, new)
    return html


def read_token(raw: str, form_name: str) -> str | None:
    """The nonce of a posted token; None when none was posted and the app does not require one
    (tests post forms by hand, as with CSRF). A forged or garbled token is a 400."""
    if not raw:
        if current_app.config.get("CREATE_TOKEN_REQUIRED", True):
            abort(400, _("Formularen mangler sit engangsmærke. Genindlæs siden, og prøv igen."))
        return None
    try:
        nonce = _serializer(form_name).loads(raw)
    except BadSignature:
        nonce = None
    if not isinstance(nonce, str) or len(nonce) > 64:
        abort(400, _("Formularens engangsmærke er ugyldigt. Genindlæs siden, og prøv igen."))
    return nonce


class BaseForm(FlaskForm):
    class Meta(DanishMeta):
        pass

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        once = self._fields.get("once")
        # A page made (or made again after an error) carries a token: the posted one if any.
        if isinstance(once, OnceField) and not once.data:
            once.data = issue_token(type(self).__name__)

    def validate(self, extra_validators: Mapping[str, Any] | None = None) -> bool:
        # A posted edit form without a readable version, or a create form with a forged
        # token, is refused before anything else.
        for field in self:
            if isinstance(field, VersionField):
                field.number()
            if isinstance(field, OnceField):
                posted = field.raw_data[0] if field.raw_data else ""
                field.nonce = read_token(posted if isinstance(posted, str) else "",
                                         type(self).__name__)
        valid = bool(super().validate(extra_validators))
        # Choices are checked again after every validator: Optional() may have wiped the
        # field's own "not a valid choice" error.
        for field in self:
            _check_choice(self, field)
        return valid and not any(f.errors for f in self if isinstance(f, SelectFieldBase))

    def once_nonce(self) -> str | None:
        """The posted one-time token's nonce of a create form (after validation), else None."""
        once = self._fields.get("once")
        return once.nonce if isinstance(once, OnceField) else None

    def editing(self, record: Versioned) -> Self:
        """A form that changes `record`: it carries the record's version, filled when the page
        is made and read back (required) when it is posted."""
        if not self.is_submitted():
            self.version.data = str(record.version_id)
        if "once" in self._fields:
            del self.once
        return self

    def creating(self) -> Self:
        """A form shared with the edit page, used to create: there is no version to carry."""
        if "version" in self._fields:
            del self.version
        return self

    def hidden_state(self) -> Markup:
        """The version or one-time token the page carries, for the template."""
        return Markup("".join(str(f()) for f in self if isinstance(f, VersionField | OnceField)))

    def csrf_failed(self) -> bool:
        return bool(getattr(self, "csrf_token", None) is not None and self.csrf_token.errors)


class EmailAddress:
    """A WTForms validator: the app's one e-mail check (`text.email_problem`), for every e-mail
    field. Empty is left to DataRequired/Optional."""

    field_flags = {"email": True}

    def __call__(self, form: Any, field: Field) -> None:
        problem = email_problem(field.data or "")
        if problem is not None:
            raise ValidationError(problem)


def strip(value: object) -> object:
    """A WTForms filter: surrounding spaces are never meant (a pasted e-mail address)."""
    return value.strip() if isinstance(value, str) else value
