"""The secretariat's small forms around responses. The answer form itself is built at run time
in webapp/questionnaire_answers.py."""

from __future__ import annotations

from datetime import time

from wtforms import DateField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ...i18n import lazy_gettext as _l
from ..base import BaseForm
from ..times import LocalTimeField


class ReopenForm(BaseForm):
    reason = TextAreaField(
        _l("Hvorfor genåbnes besvarelsen?"),
        description=_l("Organisationen får begrundelsen på e-mail."),
        validators=[DataRequired(_l("Skriv en begrundelse.")), Length(max=2000)],
    )


class ExtensionForm(BaseForm):
    until_date = DateField(_l("Ny frist (dato)"),
                           validators=[InputRequired(_l("Angiv en dato."))])
    until_time = LocalTimeField(_l("Klokkeslæt"), description=_l("Tom betyder kl. 23.59."),
                                validators=[Optional()], date_field="until_date",
                                empty=time(23, 59))
    reason = TextAreaField(_l("Begrundelse"), validators=[Optional(), Length(max=2000)])
