"""Forms for the import of organisations and people: the upload, and the confirmation."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SelectField
from wtforms.validators import DataRequired, Length

from ..i18n import lazy_gettext as _l
from .base import BaseForm

# The kinds as they read in addresses and forms.
KIND_SLUGS = {"organisationer": "organisations", "personer": "people"}


class ImportUploadForm(BaseForm):
    kind = SelectField(_l("Hvad indeholder filen?"),
                       choices=[("", _l("Vælg …")), ("organisationer", _l("Organisationer")),
                                ("personer", _l("Personer (de inviteres pr. e-mail)"))],
                       validators=[DataRequired(_l("Vælg, hvad filen indeholder."))])
    file = FileField(_l("Fil (CSV eller XLSX)"),
                     description=_l("Brug skabelonens kolonner. Højst 10.000 rækker og 10 MB."),
                     validators=[FileRequired(_l("Vælg en CSV- eller XLSX-fil."))])


class ConfirmImportForm(BaseForm):
    # The plan's digest as the preview showed it: the confirmation writes only that plan.
    digest = HiddenField(validators=[DataRequired(), Length(min=64, max=64)])
