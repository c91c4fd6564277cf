"""Forms for agreement texts: a new text, a Word import, a new version, a version's name and
its sections, and the buttons that change a version (move, delete, freeze)."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..i18n import lazy_gettext as _l
from .base import BaseForm, OnceField, VersionField

LEVEL_CHOICES = [(1, _l("Afsnit (fx “2”)")), (2, _l("Underafsnit (fx “2.1”)"))]


class TextForm(BaseForm):
    title = StringField(_l("Titel"), description=_l("Fx “Udviklingsstrategi” eller "
                                                    "“Styringsaftale”."),
                        validators=[DataRequired(_l("Skriv en titel.")), Length(max=200)])
    once = OnceField()


def _file_field() -> FileField:
    return FileField(
        _l("Word-dokument (DOCX)"),
        description=_l("Overskrifter med typografien “Overskrift 1” bliver afsnit, "
                       "“Overskrift 2” underafsnit. Højst 10 MB."),
        validators=[FileRequired(_l("Vælg en DOCX-fil."))])


class ImportTextForm(BaseForm):
    file = _file_field()
    title = StringField(_l("Titel"), description=_l("Tom: dokumentets egen titel bruges."),
                        validators=[Optional(), Length(max=200)])
    once = OnceField()


class ImportVersionForm(BaseForm):
    file = _file_field()
    label = StringField(_l("Versionens navn"), description=_l("Fx “Udkast 2” eller “Endelig”."),
                        validators=[DataRequired(_l("Skriv versionens navn.")),
                                    Length(max=80)])
    once = OnceField()


class NewVersionForm(BaseForm):
    label = StringField(_l("Versionens navn"), description=_l("Fx “Udkast 2” eller “Endelig”."),
                        validators=[DataRequired(_l("Skriv versionens navn.")),
                                    Length(max=80)])
    is_final = BooleanField(_l("Dette er den endelige version"))
    once = OnceField()


class VersionForm(BaseForm):
    label = StringField(_l("Versionens navn"),
                        validators=[DataRequired(_l("Skriv versionens navn.")),
                                    Length(max=80)])
    is_final = BooleanField(_l("Dette er den endelige version"))
    version = VersionField()


class SectionForm(BaseForm):
    heading = StringField(_l("Overskrift"),
                          validators=[DataRequired(_l("Skriv en overskrift.")), Length(max=300)])
    level = SelectField(_l("Niveau"), coerce=int, choices=LEVEL_CHOICES, default=1)
    body = TextAreaField(
        _l("Tekst"), description=_l("Markdown: en tom linje skiller afsnit, “- ” giver en "
                                    "punktopstilling og **fed** giver fed skrift."),
        validators=[Optional(), Length(max=100_000)])
    version = VersionField()


class VersionActionForm(BaseForm):
    """A button that changes a version (freeze, delete a section): only its counter."""

    version = VersionField()


class MoveForm(BaseForm):
    step = SelectField(coerce=int, choices=[(-1, _l("Op")), (1, _l("Ned"))])
    version = VersionField()
