"""A person's own settings: how notices are e-mailed; the calendar address buttons."""

from __future__ import annotations

from wtforms import RadioField
from wtforms.validators import InputRequired

from ..i18n import lazy_gettext as _l
from .base import BaseForm

IMMEDIATE = "immediate"
DIGEST = "digest"


class NoticesForm(BaseForm):
    notices = RadioField(
        _l("E-mails om beskeder"),
        choices=[
            (IMMEDIATE, _l("Send hver besked med det samme")),
            (DIGEST, _l("Saml ikke-hastende beskeder i én e-mail om dagen")),
        ],
        description=_l("Påmindelser om frister, invitationer og links til at vælge adgangskode "
                       "sendes altid med det samme."),
        validators=[InputRequired(_l("Vælg, hvordan du vil have beskeder."))],
    )


class CalendarForm(BaseForm):
    """Only the CSRF token: the buttons that make or delete the calendar address."""
