from __future__ import annotations

from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from ..i18n import lazy_gettext as _l
from ..security import MIN_PASSWORD_LENGTH
from .base import BaseForm, EmailAddress, strip


class LoginForm(BaseForm):
    email = EmailField(
        _l("E-mailadresse"),
        filters=[strip],
        validators=[DataRequired(_l("Skriv din e-mailadresse.")),
                    EmailAddress()],
        render_kw={"autocomplete": "username"},
    )
    password = PasswordField(
        _l("Adgangskode"),
        validators=[DataRequired(_l("Skriv din adgangskode."))],
        render_kw={"autocomplete": "current-password"},
    )
    next = StringField(render_kw={"hidden": True})


class ForgotPasswordForm(BaseForm):
    email = EmailField(
        _l("E-mailadresse"),
        filters=[strip],
        validators=[DataRequired(_l("Skriv din e-mailadresse.")),
                    EmailAddress()],
        render_kw={"autocomplete": "username"},
    )


class SetPasswordForm(BaseForm):
    password = PasswordField(
        _l("Ny adgangskode"),
        description=_l("Mindst %(n)d tegn. Brug gerne en sætning, du kan huske.",
                       n=MIN_PASSWORD_LENGTH),
        validators=[
            DataRequired(_l("Skriv en adgangskode.")),
            Length(min=MIN_PASSWORD_LENGTH,
                   message=_l("Adgangskoden skal være på mindst %(n)d tegn.",
                              n=MIN_PASSWORD_LENGTH)),
        ],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("Gentag adgangskoden"),
        validators=[DataRequired(_l("Gentag adgangskoden.")),
                    EqualTo("password", _l("De to adgangskoder er ikke ens."))],
        render_kw={"autocomplete": "new-password"},
    )
