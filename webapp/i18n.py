"""Translations, loaded once per process.

Aftalehjul speaks one language (the locale selector always answers "da", and the message ids
are the Danish texts themselves), so the catalogue cannot change between requests. Flask-Babel
looks the translations up again on every call, through the request context; a page with a few
hundred texts paid milliseconds for that. The functions here answer from the catalogue loaded at
start-up, with Flask-Babel's semantics (`%(name)s` variables; `num` set for plurals).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from babel.support import NullTranslations, Translations
from flask import Flask
from flask_babel.speaklater import LazyString  # type: ignore[import-untyped]

LOCALE = "da"
_catalogue: NullTranslations = NullTranslations()


def load(app: Flask) -> None:
    """Load the catalogue (if the app has one) and give it to Jinja's i18n extension."""
    global _catalogue
    _catalogue = Translations.load(str(Path(app.root_path) / "translations"), [LOCALE])
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_catalogue.ugettext, ngettext=_catalogue.ungettext, newstyle=True,
        pgettext=_catalogue.upgettext, npgettext=_catalogue.unpgettext)


def gettext(string: str, **variables: Any) -> str:
    text = _catalogue.ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables: Any) -> str:
    variables.setdefault("num", num)
    return _catalogue.ungettext(singular, plural, num) % variables


def lazy_gettext(string: str, **variables: Any) -> LazyString:
    """A text translated when it is shown (form labels, module-level tables)."""
    return LazyString(gettext, string, **variables)


def translations() -> NullTranslations:
    return _catalogue
