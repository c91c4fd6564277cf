"""The focus areas' forms: an area, an initiative with its lead organisation, a status report.
The buttons that move or remove one are the agreement texts' (`MoveForm`,
`VersionActionForm`): a step and the record's counter."""

from __future__ import annotations

from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..i18n import lazy_gettext as _l
from ..models import InitiativeStatus
from ..workflows.focus_areas import MAX_REPORT, STATUS_LABELS
from .base import BaseForm, OnceField, VersionField, strip

MAX_TEXT = 10000


class FocusAreaForm(BaseForm):
    title = StringField(_l("Titel"), filters=[strip],
                        description=_l("Fx “Socialfagligt fokus på beskæftigelse”."),
                        validators=[DataRequired(_l("Skriv fokusområdets titel.")),
                                    Length(max=200)])
    vision = TextAreaField(_l("Vision"), render_kw={"rows": 4},
                           description=_l("Hvad vil kommunerne og regionen opnå? Markdown."),
                           validators=[Optional(), Length(max=MAX_TEXT)])
    background = TextAreaField(_l("Baggrund for visionen"), render_kw={"rows": 8},
                               description=_l("Markdown."),
                               validators=[Optional(), Length(max=MAX_TEXT)])
    version = VersionField()
    once = OnceField()


class InitiativeForm(BaseForm):
    title = StringField(_l("Initiativ"), filters=[strip],
                        description=_l("Hvad skal der ske? Fx “Der kortlægges …”."),
                        validators=[DataRequired(_l("Skriv initiativets titel.")),
                                    Length(max=300)])
    description = TextAreaField(_l("Uddybning (valgfri)"), render_kw={"rows": 4},
                                description=_l("Markdown."),
                                validators=[Optional(), Length(max=MAX_TEXT)])
    lead_organisation_id = SelectField(
        _l("Tovholder"), coerce=int,
        description=_l("Organisationen, der driver initiativet og melder dets status."),
        validators=[Optional()])
    version = VersionField()
    once = OnceField()


class StatusForm(BaseForm):
    status = RadioField(_l("Status"),
                        choices=[(s.value, STATUS_LABELS[s]) for s in InitiativeStatus],
                        validators=[DataRequired(_l("Vælg en status."))])
    report = TextAreaField(_l("Kort status"), filters=[strip], render_kw={"rows": 4},
                           description=_l("Hvad er der sket siden sidst? Højst %(n)d tegn.",
                                          n=MAX_REPORT),
                           validators=[DataRequired(_l("Skriv en kort status.")),
                                       Length(max=MAX_REPORT)])
    reported_on = DateField(_l("Dato"), description=_l("Datoen, status gælder fra."),
                            validators=[InputRequired(_l("Angiv datoen for status."))])
    version = VersionField()

