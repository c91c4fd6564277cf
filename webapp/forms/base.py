"""The base form: WTForms ships no Danish catalogue, so its built-in messages are given here."""

from __future__ import annotations

import secrets
from typing import Any, Literal, Self, overload

from flask import abort, current_app
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from itsdangerous import BadSignature, URLSafeSerializer
from markupsafe import Markup
from wtforms import HiddenField

from ..workflows.base import Versioned


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
    return _serializer(form_name).dumps(secrets.token_urlsafe(24))


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
    class Meta:
        def get_translations(self, form: Any) -> DanishTranslations:
            return DanishTranslations()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        once = self._fields.get("once")
        # A page made (or made again after an error) carries a token: the posted one if any.
        if isinstance(once, OnceField) and not once.data:
            once.data = issue_token(type(self).__name__)

    def validate(self, extra_validators: Any = None) -> bool:
        # A posted edit form without a readable version, or a create form with a forged
        # token, is refused before anything else.
        for field in self:
            if isinstance(field, VersionField):
                field.number()
            if isinstance(field, OnceField):
                posted = field.raw_data[0] if field.raw_data else ""
                field.nonce = read_token(posted if isinstance(posted, str) else "",
                                         type(self).__name__)
        return bool(super().validate(extra_validators))

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


def strip(value: object) -> object:
    """A WTForms filter: surrounding spaces are never meant (a pasted e-mail address)."""
    return value.strip() if isinstance(value, str) else value
