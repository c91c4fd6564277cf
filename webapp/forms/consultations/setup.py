"""The secretariat's consultation forms: the consultation itself, the list of parties, the
opening and a party's extension."""

from __future__ import annotations

from datetime import time

from flask_wtf.file import FileField
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ...i18n import lazy_gettext as _l
from ...models import OrgKind, Publication
from ...workflows.consultations.setup import PUBLICATION_LABELS
from ..base import BaseForm, EmailAddress, OnceField, VersionField, strip
from ..times import LocalTimeField

KIND_LABELS = {
    OrgKind.MUNICIPALITY: _l("Alle kommuner"),
    OrgKind.REGION: _l("Regionen"),
    OrgKind.USER_ORGANISATION: _l("Alle brugerorganisationer"),
    OrgKind.STEERING_BODY: _l("Alle styringsorganer"),
    OrgKind.SECRETARIAT: _l("Sekretariatet"),
}


class ConsultationForm(BaseForm):
    title = StringField(_l("Titel"), filters=[strip],
                        description=_l("Fx “Høring over udkast til Rammeaftale 2018”."),
                        validators=[DataRequired(_l("Skriv en titel.")), Length(max=200)])
    text_version_id = SelectField(
        _l("Tekstversion i høring"), coerce=int,
        description=_l("Kun låste versioner kan sendes i høring: teksten ændrer sig ikke "
                       "under høringen."),
        validators=[DataRequired(_l("Vælg en tekstversion."))])
    milestone_id = SelectField(
        _l("Milepæl"), coerce=int,
        description=_l("Høringens start og frist er milepælens; de flyttes med datoerne "
                       "herunder."),
        validators=[DataRequired(_l("Vælg en milepæl."))])
    starts_date = DateField(_l("Høringen begynder (dato)"),
                            validators=[InputRequired(_l("Angiv startdatoen."))])
    starts_time = LocalTimeField(_l("Klokkeslæt for start"), description=_l("Tom betyder "
                                 "kl. 00.00."), validators=[Optional()],
                                 date_field="starts_date", empty=time(0, 0))
    ends_date = DateField(_l("Høringsfrist (dato)"),
                          validators=[InputRequired(_l("Angiv fristen."))])
    ends_time = LocalTimeField(_l("Klokkeslæt for fristen"),
                               description=_l("Tom betyder kl. 23.59."),
                               validators=[Optional()], date_field="ends_date",
                               empty=time(23, 59))
    short_deadline_reason = TextAreaField(
        _l("Begrundelse for en frist på under fire uger"),
        description=_l("Skal udfyldes, hvis fristen ligger mindre end fire uger efter starten. "
                       "Høringsparterne ser begrundelsen."),
        validators=[Optional(), Length(max=2000)])
    letter = TextAreaField(
        _l("Høringsbrev"),
        description=_l("Vises på høringens side og kan formateres med Markdown."),
        validators=[Optional(), Length(max=20000)])
    # Nothing that widens access is preselected: the responses are shown to the invited.
    publication = RadioField(
        _l("Hvem kan se høringssvarene efter fristen?"),
        choices=[(p.value, PUBLICATION_LABELS[p]) for p in Publication],
        default=Publication.INVITED.value,
        validators=[DataRequired(_l("Vælg, hvem der kan se høringssvarene."))])
    version = VersionField()
    once = OnceField()


class KindPartiesForm(BaseForm):
    """One button per organisation kind: every active organisation of that kind."""

    kind = SelectField(_l("Slags organisation"),
                       choices=[(k.value, KIND_LABELS[k]) for k in OrgKind],
                       validators=[DataRequired(_l("Vælg en slags organisation."))])


class OrganisationPartyForm(BaseForm):
    organisation_id = SelectField(_l("Organisation"), coerce=int,
                                  validators=[DataRequired(_l("Vælg en organisation."))])
    once = OnceField()


class ExternalPartyForm(BaseForm):
    name = StringField(_l("Navn"), filters=[strip],
                       description=_l("Fx “Danske Handicaporganisationer, Aalborg”."),
                       validators=[DataRequired(_l("Skriv partens navn.")), Length(max=200)])
    email = StringField(_l("E-mailadresse"), filters=[strip],
                        description=_l("Parten får et personligt link til høringen her."),
                        validators=[DataRequired(_l("Skriv partens e-mailadresse.")),
                                    Length(max=254), EmailAddress()])
    once = OnceField()


class DocumentForm(BaseForm):
    """An extra document for the consultation (a cover letter, an appendix)."""

    title = StringField(_l("Titel (valgfri)"), filters=[strip],
                        description=_l("Uden titel vises filens navn."),
                        validators=[Optional(), Length(max=200)])
    file = FileField(_l("Fil (PDF, DOCX eller ODT)"))
    once = OnceField()


class OpenConsultationForm(BaseForm):
    """Sending the consultation: the version shows that the list did not change meanwhile."""

    version = VersionField()


class PartyExtensionForm(BaseForm):
    until_date = DateField(_l("Ny frist (dato)"),
                           validators=[InputRequired(_l("Angiv en dato."))])
    until_time = LocalTimeField(_l("Klokkeslæt"), description=_l("Tom betyder kl. 23.59."),
                                validators=[Optional()], date_field="until_date",
                                empty=time(23, 59))
    reason = TextAreaField(_l("Begrundelse"),
                           validators=[DataRequired(_l("Skriv en begrundelse.")),
                                       Length(max=2000)])
    version = VersionField()  # the party's
