"""The workshop's forms: the workshop, its sessions and themes, invitations, the sign-up (built
per workshop: one field per session) and the secretariat's move and closing."""

from __future__ import annotations

from datetime import time
from typing import Any

from wtforms import (
    BooleanField,
    DateField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..i18n import lazy_gettext as _l
from ..models import OrgKind, WorkshopSession
from ..workflows.workshops.setup import MAX_CAPACITY, MAX_PICKS
from ..workflows.workshops.signup import NEEDS_MAX, rule_text, session_field
from .base import BaseForm, EmailAddress, OnceField, VersionField, strip
from .cycles import MultiCheckboxField
from .times import LocalTimeField

KIND_LABELS = {
    OrgKind.MUNICIPALITY: _l("Alle kommuners folk"),
    OrgKind.REGION: _l("Regionens folk"),
    OrgKind.USER_ORGANISATION: _l("Alle brugerorganisationers folk"),
    OrgKind.STEERING_BODY: _l("Styringsorganernes folk"),
    OrgKind.SECRETARIAT: _l("Sekretariatets folk"),
}


class WorkshopForm(BaseForm):
    title = StringField(_l("Titel"), filters=[strip],
                        description=_l("Fx “Workshop om udfordringer og tiltag”."),
                        validators=[DataRequired(_l("Skriv en titel.")), Length(max=200)])
    milestone_id = SelectField(
        _l("Milepæl"), coerce=int,
        description=_l("Workshoppens sted og tid er milepælens."),
        validators=[DataRequired(_l("Vælg en milepæl."))])
    programme = TextAreaField(_l("Program"), description=_l("Står i invitationen og på "
                              "workshoppens side; kan formateres med Markdown."),
                              validators=[Optional(), Length(max=20000)])
    signup_date = DateField(_l("Tilmeldingsfrist (dato)"),
                            validators=[InputRequired(_l("Angiv fristen for tilmelding."))])
    signup_time = LocalTimeField(_l("Klokkeslæt for tilmeldingsfristen"),
                                 description=_l("Tom betyder kl. 23.59."),
                                 validators=[Optional()], date_field="signup_date",
                                 empty=time(23, 59))
    input_date = DateField(_l("Frist for input (dato)"),
                           description=_l("Til den dato kan deltagerne skrive input til deres "
                                          "temaer. Tom: ingen frist."),
                           validators=[Optional()])
    input_time = LocalTimeField(_l("Klokkeslæt for inputfristen"),
                                description=_l("Tom betyder kl. 23.59."),
                                validators=[Optional()], date_field="input_date",
                                empty=time(23, 59))
    version = VersionField()
    once = OnceField()


class SessionForm(BaseForm):
    title = StringField(_l("Titel"), filters=[strip],
                        description=_l("Fx “Session 1: Mestring af eget liv”."),
                        validators=[DataRequired(_l("Skriv sessionens titel.")),
                                    Length(max=200)])
    position = IntegerField(_l("Rækkefølge"), default=0,
                            validators=[Optional(), NumberRange(0, 1000, _l(
                                "Skriv et tal fra 0 til 1000."))])
    day = DateField(_l("Dato"), validators=[Optional()])
    starts_time = LocalTimeField(_l("Begynder kl."), validators=[Optional()], date_field="day",
                                 empty=time(9, 0))
    ends_time = LocalTimeField(_l("Slutter kl."), validators=[Optional()], date_field="day",
                               empty=time(12, 0))
    picks_min = IntegerField(_l("Mindst antal temaer pr. deltager"), default=1,
                             validators=[InputRequired(_l("Angiv det mindste antal.")),
                                         NumberRange(0, MAX_PICKS, _l(
                                             "Skriv et tal fra 0 til %(max)d.", max=MAX_PICKS))])
    picks_max = IntegerField(_l("Højst antal temaer pr. deltager"), default=1,
                             description=_l("Samme tal som det mindste: et fast antal."),
                             validators=[InputRequired(_l("Angiv det højeste antal.")),
                                         NumberRange(1, MAX_PICKS, _l(
                                             "Skriv et tal fra 1 til %(max)d.", max=MAX_PICKS))])
    version = VersionField()
    once = OnceField()


class ThemeForm(BaseForm):
    title = StringField(_l("Titel"), filters=[strip],
                        validators=[DataRequired(_l("Skriv temaets titel.")), Length(max=200)])
    description = TextAreaField(_l("Kort beskrivelse"), validators=[Optional(),
                                                                    Length(max=2000)])
    position = IntegerField(_l("Rækkefølge"), default=0,
                            validators=[Optional(), NumberRange(0, 1000, _l(
                                "Skriv et tal fra 0 til 1000."))])
    capacity = IntegerField(_l("Antal pladser"), description=_l("Tom: ingen grænse."),
                            validators=[Optional(), NumberRange(1, MAX_CAPACITY, _l(
                                "Skriv et tal fra 1 til %(max)d.", max=MAX_CAPACITY))])
    minimum = IntegerField(_l("Mindste antal deltagere"),
                           description=_l("Under det får sekretariatet en advarsel. Tom: "
                                          "ingen."),
                           validators=[Optional(), NumberRange(0, MAX_CAPACITY, _l(
                               "Skriv et tal fra 0 til %(max)d.", max=MAX_CAPACITY))])
    facilitator_id = SelectField(_l("Facilitator"), coerce=int,
                                 description=_l("Skriver temaets input sammen med "
                                                "sekretariatet."), validators=[Optional()])
    version = VersionField()
    once = OnceField()


class InviteKindForm(BaseForm):
    kind = SelectField(_l("Slags organisation"),
                       choices=[(k.value, KIND_LABELS[k]) for k in OrgKind],
                       validators=[DataRequired(_l("Vælg en slags organisation."))])


class InviteOrganisationForm(BaseForm):
    organisation_id = SelectField(_l("Organisation"), coerce=int,
                                  validators=[DataRequired(_l("Vælg en organisation."))])


class InvitePersonForm(BaseForm):
    user_id = SelectField(_l("Person"), coerce=int,
                          validators=[DataRequired(_l("Vælg en person."))])


class InviteAddressForm(BaseForm):
    name = StringField(_l("Navn"), validators=[DataRequired(_l("Skriv personens navn.")),
                                               Length(max=200)])
    email = StringField(_l("E-mail"), filters=[strip],
                        validators=[DataRequired(_l("Skriv personens e-mailadresse.")),
                                    Length(max=254), EmailAddress()])
    # Its own id: the organisation form above it on the same page has an `organisation_id`.
    organisation_id = SelectField(_l("Kommer fra"), coerce=int, validators=[Optional()],
                                  id="address_organisation_id")


class SignupBase(BaseForm):
    attending = RadioField(_l("Deltager du?"), choices=[("yes", _l("Ja, jeg deltager")),
                                                        ("no", _l("Nej, jeg deltager ikke"))],
                           validators=[DataRequired(_l("Svar ja eller nej."))])
    waitlist = BooleanField(_l("Sæt mig på ventelisten, hvis et tema, jeg vælger, er fuldt"))
    needs = TextAreaField(_l("Behov for kost eller tilgængelighed"),
                          description=_l("Fx vegetar, allergi, kørestol eller tolk."),
                          validators=[Optional(), Length(max=NEEDS_MAX)])
    version = VersionField()


def signup_form(sessions: list[WorkshopSession], **kwargs: Any) -> SignupBase:
    """The sign-up form of a workshop: one list of checkboxes per session."""

    class SignupForm(SignupBase):
        pass

    for session in sessions:
        setattr(SignupForm, session_field(session.id), MultiCheckboxField(
            session.title, coerce=int, description=rule_text(session),
            choices=[(t.id, t.title) for t in session.themes], validators=[Optional()]))
    return SignupForm(**kwargs)


class MoveForm(BaseForm):
    invitee_id = HiddenField()
    to_theme_id = SelectField(_l("Flyt til"), coerce=int,
                              validators=[DataRequired(_l("Vælg et tema."))])
    reason = TextAreaField(_l("Begrundelse"), description=_l("Står i e-mailen til personen."),
                           validators=[DataRequired(_l("Skriv en begrundelse.")),
                                       Length(max=2000)])


class CloseThemeForm(BaseForm):
    to_theme_id = SelectField(_l("Flyt deltagerne til"), coerce=int,
                              validators=[DataRequired(_l("Vælg et tema."))])
    reason = TextAreaField(_l("Begrundelse"), description=_l("Står i e-mailen til deltagerne."),
                           validators=[DataRequired(_l("Skriv en begrundelse.")),
                                       Length(max=2000)])
    version = VersionField()
