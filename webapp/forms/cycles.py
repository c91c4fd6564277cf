from __future__ import annotations

from datetime import time

from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, ListWidget

from ..i18n import lazy_gettext as _l
from ..models import MilestoneKind, Role
from ..workflows.accounts import ROLE_LABELS
from ..workflows.cycles import KIND_LABELS
from .base import BaseForm, OnceField, VersionField
from .times import LocalTimeField

END_OF_DAY = time(23, 59)  # what an empty end time means
YEAR_RANGE = NumberRange(2000, 2100, _l("Angiv et årstal mellem 2000 og 2100."))


class CycleForm(BaseForm):
    title = StringField(
        _l("Titel"), description=_l("Fx “Rammeaftale 2021–2022”."),
        validators=[DataRequired(_l("Skriv en titel.")), Length(max=160)],
    )
    first_year = IntegerField(
        _l("Første år"), validators=[InputRequired(_l("Skriv første år.")), YEAR_RANGE],
    )
    last_year = IntegerField(
        _l("Sidste år"), description=_l("En rammeaftale dækker et til tre år."),
        validators=[InputRequired(_l("Skriv sidste år.")), YEAR_RANGE],
    )
    description = TextAreaField(_l("Beskrivelse"), validators=[Optional(), Length(max=5000)])
    version = VersionField()
    once = OnceField()


class CloneCycleForm(BaseForm):
    title = StringField(_l("Titel på den nye cyklus"),
                        validators=[DataRequired(_l("Skriv en titel.")), Length(max=160)])
    first_year = IntegerField(_l("Første år"),
                              validators=[InputRequired(_l("Skriv første år.")), YEAR_RANGE])
    last_year = IntegerField(_l("Sidste år"),
                             validators=[InputRequired(_l("Skriv sidste år.")), YEAR_RANGE])
    shift_years = IntegerField(
        _l("Flyt milepælene antal år"),
        description=_l("Tomt: forskellen mellem de to cyklussers første år."),
        validators=[Optional(), NumberRange(-10, 10, _l("Angiv et tal mellem -10 og 10."))],
    )
    once = OnceField()


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class MilestoneForm(BaseForm):
    kind = SelectField(
        _l("Type"),
        choices=[(k.value, KIND_LABELS[k]) for k in MilestoneKind],
        validators=[DataRequired(_l("Vælg en type."))],
    )
    title = StringField(_l("Titel"), validators=[DataRequired(_l("Skriv en titel.")),
                                                 Length(max=200)])
    starts_date = DateField(
        _l("Startdato"), description=_l("Tom for en ren frist."), validators=[Optional()],
    )
    starts_time = LocalTimeField(_l("Starttidspunkt"), validators=[Optional()],
                                 date_field="starts_date", empty=time(0, 0))
    ends_date = DateField(_l("Slutdato eller frist"),
                          validators=[InputRequired(_l("Angiv en slutdato eller frist."))])
    ends_time = LocalTimeField(
        _l("Sluttidspunkt"), description=_l("Tom betyder kl. 23.59."), validators=[Optional()],
        date_field="ends_date", empty=END_OF_DAY,
    )
    place = StringField(_l("Sted"), validators=[Optional(), Length(max=200)])
    description = TextAreaField(_l("Beskrivelse"), validators=[Optional(), Length(max=5000)])
    audience = MultiCheckboxField(
        _l("Hvem skal gøre noget?"),
        description=_l("Vises under “Mine opgaver” for disse roller. Ingen valgt: alle."),
        choices=[(r.value, ROLE_LABELS[r]) for r in Role],
        validators=[Optional()],
    )
    is_public = BooleanField(_l("Offentlig milepæl"), default=True)
    # Only on the edit page of a public milestone; the view words it with who is told.
    notify = BooleanField(_l("Send besked om den nye dato"), default=False)
    version = VersionField()
    once = OnceField()

    def validate_starts_time(self, field: LocalTimeField) -> None:
        if field.data is not None and self.starts_date.data is None:
            raise ValidationError(_l("Angiv også en startdato, eller fjern tidspunktet."))


class MoveMilestoneForm(BaseForm):
    days = IntegerField(
        _l("Flyt antal dage"), description=_l("Positivt tal: senere. Negativt tal: tidligere."),
        validators=[InputRequired(_l("Skriv et antal dage.")),
                    NumberRange(-730, 730, _l("Angiv et tal mellem -730 og 730."))],
    )
    include_later = BooleanField(_l("Flyt også alle senere milepæle"))
    # A double submit must not move twice: the second post carries an old version.
    version = VersionField()


class WorkingDaysForm(BaseForm):
    """The milestones of a (cloned) cycle that fall on a day off: which to move."""

    milestones = MultiCheckboxField(_l("Milepæle på en weekend- eller helligdag"), coerce=int,
                                    validators=[Optional()])


class ConfirmForm(BaseForm):
    """A form with only the CSRF token, for buttons that change state."""
