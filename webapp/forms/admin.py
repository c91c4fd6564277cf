from __future__ import annotations

from wtforms import BooleanField, EmailField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..i18n import lazy_gettext as _l
from ..models import OrgKind, Role
from ..workflows.organisations import KIND_LABELS
from .base import BaseForm, EmailAddress, OnceField, VersionField, strip
from .cycles import ROLE_LABELS, MultiCheckboxField


class OrganisationForm(BaseForm):
    kind = SelectField(_l("Type"), choices=[(k.value, KIND_LABELS[k]) for k in OrgKind],
                       validators=[DataRequired(_l("Vælg en type."))])
    name = StringField(_l("Navn"), description=_l("Fx “Aalborg Kommune”."),
                       validators=[DataRequired(_l("Skriv et navn.")), Length(max=160)])
    council_name = StringField(
        _l("Byråd eller regionsråd"),
        description=_l("Kun for kommuner og regionen, fx “Aalborg Byråd” eller “Regionsrådet”."),
        validators=[Optional(), Length(max=160)],
    )
    email = EmailField(_l("Fælles e-mailadresse"), filters=[strip],
                       validators=[Optional(), EmailAddress()])
    active = BooleanField(_l("Aktiv"), default=True)
    version = VersionField()
    once = OnceField()


class InviteForm(BaseForm):
    name = StringField(_l("Navn"), validators=[DataRequired(_l("Skriv personens navn.")),
                                               Length(max=160)])
    email = EmailField(_l("E-mailadresse"), filters=[strip],
                       validators=[DataRequired(_l("Skriv personens e-mailadresse.")),
                                   EmailAddress()])
    organisation_id = SelectField(_l("Organisation"), coerce=int,
                                  validators=[DataRequired(_l("Vælg en organisation."))])
    # No role preselected: the first choice grants nothing, so an untouched field is an error.
    role = SelectField(_l("Rolle"),
                       choices=[("", _l("Vælg …"))] + [(r.value, ROLE_LABELS[r]) for r in Role],
                       validators=[DataRequired(_l("Vælg en rolle."))])
    confirm_role = BooleanField(_l("Ja, giv rollen alligevel"))
    once = OnceField()


class PersonRolesForm(BaseForm):
    roles = MultiCheckboxField(_l("Roller"), choices=[(r.value, ROLE_LABELS[r]) for r in Role],
                               validators=[Optional()])
    active = BooleanField(_l("Aktiv (kan logge ind)"))
    confirm_role = BooleanField(_l("Ja, giv rollen alligevel"))
