"""Forms for reminder rules and the e-mail log's filters.

The ranges are the workflow's: a validator asks `workflows.reminders` so that every problem is
shown at its field at once (the workflow itself stops at the first), with the workflow's words.
"""

from __future__ import annotations

from typing import Any

from wtforms import BooleanField, IntegerField, SelectField, TimeField
from wtforms.validators import InputRequired, Optional, ValidationError
from wtforms.widgets import TextInput

from ..i18n import lazy_gettext as _l
from ..models import EmailState, RuleKind
from ..workflows import WorkflowError
from ..workflows import reminders as flow
from .base import BaseForm, OnceField, VersionField

TIME_FORMATS = ["%H:%M", "%H.%M", "%H:%M:%S"]

OFFSET_LABELS = {
    RuleKind.BEFORE: _l("Antal dage før fristen"),
    RuleKind.OVERDUE: _l("Antal dage efter fristen"),
    RuleKind.DIGEST: _l("Antal dage før fristen"),
}
OFFSET_HINTS = {
    RuleKind.BEFORE: _l("0 betyder på dagen for fristen. Højst 60."),
    RuleKind.OVERDUE: _l("0 betyder på dagen for fristen. Højst 30."),
    RuleKind.DIGEST: _l("Et negativt tal betyder dage efter fristen, fx -1."),
}


def _workflow_check(kind: RuleKind, offset: int, repeat: int | None, field_name: str) -> None:
    try:
        flow.check_rule(kind, offset, repeat)
    except WorkflowError as error:
        if error.field == field_name:
            raise ValidationError(error.message) from None


class RuleForm(BaseForm):
    """Add (with `kind`) or edit (without `kind`, with `paused` and `version`) a rule."""

    kind = SelectField(
        _l("Type"), choices=[(k.value, flow.KIND_LABELS[k]) for k in RuleKind],
        validators=[InputRequired(_l("Vælg en type."))],
    )
    offset_days = IntegerField(
        _l("Antal dage"),
        description=_l("Før fristen og oversigt: dage før fristen (oversigt: et negativt tal er "
                       "dage efter). Efter fristen: dage efter."),
        validators=[InputRequired(_l("Skriv et antal dage."))],
    )
    repeat_days = IntegerField(
        _l("Gentag hver … dag"),
        description=_l("Kun efter fristen. Tom: ingen gentagelse. Højst %(n)d gentagelser.",
                       n=flow.MAX_REPEATS),
        validators=[Optional()],
    )
    # The one ignore: WTForms 3.3 added invalid_value_message; types-WTForms still describes 3.2.
    send_at = TimeField(  # type: ignore[call-arg]
        _l("Klokkeslæt"), format=TIME_FORMATS, description=_l("Dansk tid, fx 08:00."),
        invalid_value_message=_l("Skriv et klokkeslæt mellem 00:00 og 23:59, fx 08:00."),
        # A text field: a browser's time picker shows "08:00 AM" to an English browser, and
        # drops what it cannot parse instead of keeping it for the person to correct.
        widget=TextInput(),
        validators=[InputRequired(_l("Skriv et klokkeslæt, fx 08:00."))],
    )
    paused = BooleanField(_l("Sat på pause"),
                          description=_l("Der sendes ingen påmindelser efter reglen."))
    version = VersionField()
    once = OnceField()

    def __init__(self, *args: Any, rule_kind: RuleKind | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rule_kind = rule_kind
        if rule_kind is not None:  # editing: the kind of a rule does not change
            del self.kind
            self.offset_days.label.text = OFFSET_LABELS[rule_kind]
            self.offset_days.description = OFFSET_HINTS[rule_kind]
            if rule_kind != RuleKind.OVERDUE:
                del self.repeat_days
            del self.once
        else:
            del self.paused
            del self.version

    def chosen_kind(self) -> RuleKind | None:
        if self.rule_kind is not None:
            return self.rule_kind
        try:
            return RuleKind(self.kind.data)
        except ValueError:
            return None

    def validate_offset_days(self, field: IntegerField) -> None:
        kind = self.chosen_kind()
        if kind is not None and field.data is not None:
            _workflow_check(kind, field.data, None, "offset_days")

    def validate_repeat_days(self, field: IntegerField) -> None:
        if field.data is not None and self.chosen_kind() == RuleKind.OVERDUE:
            _workflow_check(RuleKind.OVERDUE, 0, field.data, "repeat_days")

    def send_at_text(self) -> str:
        return self.send_at.data.strftime("%H:%M") if self.send_at.data else ""

    def repeat_value(self) -> int | None:
        field = getattr(self, "repeat_days", None)
        return field.data if field is not None else None


EMAIL_STATE_CHOICES = [
    ("", _l("Alle")),
    (EmailState.QUEUED.value, _l("I kø")),
    (EmailState.HELD.value, _l("Tilbageholdt")),
    (EmailState.SENDING.value, _l("Sendes")),
    (EmailState.SENT.value, _l("Sendt")),
    (EmailState.FAILED.value, _l("Fejlet")),
    (EmailState.SKIPPED.value, _l("Sprunget over")),
]


def _int_or_none(value: Any) -> int | None:
    if value in (None, ""):
        return None
    return int(value)


class EmailLogFilterForm(BaseForm):
    """The log's filters, read from the query string (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    state = SelectField(_l("Status"), choices=EMAIL_STATE_CHOICES, validators=[Optional()])
    milestone = SelectField(_l("Milepæl"), coerce=_int_or_none, validators=[Optional()])
    organisation = SelectField(_l("Organisation"), coerce=_int_or_none, validators=[Optional()])
