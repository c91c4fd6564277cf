"""Council approvals' forms: opening the round, a council's meeting, its decision (and the
secretariat's correction), a postponement, and a new final text version."""

from __future__ import annotations

from flask_babel.speaklater import LazyString  # type: ignore[import-untyped]
from flask_wtf.file import FileField
from wtforms import DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from ..i18n import lazy_gettext as _l
from ..models import ApprovalState
from ..uploads import Upload
from ..workflows.approvals.decisions import MAX_BODY, MAX_TEXT, MAX_URL, Decision, Meeting
from ..workflows.states import APPROVALS
from .base import BaseForm, OnceField, VersionField, strip
from .cycles import MultiCheckboxField

OUTCOMES = (ApprovalState.APPROVED, ApprovalState.APPROVED_WITH_REMARKS,
            ApprovalState.REJECTED)


def _option(state: ApprovalState) -> LazyString:
    """The state's word as a choice of its own ("Godkendt"), not mid-sentence ("godkendt");
    lazy, so it is translated when the form is shown."""
    return LazyString(lambda: str(APPROVALS.labels[state]).capitalize())


class OpenRoundForm(BaseForm):
    text_version_id = SelectField(
        _l("Endelig tekstversion"), coerce=int,
        description=_l("Kun endelige, låste versioner kan sendes til politisk godkendelse."),
        validators=[DataRequired(_l("Vælg den endelige tekstversion."))])
    milestone_id = SelectField(
        _l("Milepæl"), coerce=int,
        description=_l("Milepælens slutning er fristen for rådenes godkendelse."),
        validators=[DataRequired(_l("Vælg milepælen for den politiske godkendelse."))])
    # All parties with a council are the default: the agreement needs every council, and a
    # party on the list is given no access it did not have.
    organisations = MultiCheckboxField(
        _l("Parter"), coerce=int,
        description=_l("Aftalen skal godkendes af alle kommunalbestyrelser og regionsrådet. "
                       "Fjern kun en part, der ikke er med i aftalen."),
        validators=[DataRequired(_l("Vælg mindst én part."))])
    once = OnceField()


class MeetingForm(BaseForm):
    meeting_date = DateField(_l("Mødedato"),
                             validators=[InputRequired(_l("Angiv mødedatoen."))])
    meeting_body = StringField(
        _l("Udvalg eller råd"), filters=[strip],
        description=_l("Fx “Byrådet” eller “Social- og Sundhedsudvalget”."),
        validators=[Optional(), Length(max=MAX_BODY)])
    agenda_url = StringField(_l("Link til dagsordenen (valgfrit)"), filters=[strip],
                             description=_l("En webadresse, der begynder med https://."),
                             validators=[Optional(), Length(max=MAX_URL)])
    version = VersionField()

    def meeting(self) -> Meeting:
        return Meeting(meeting_date=self.meeting_date.data,
                       meeting_body=self.meeting_body.data or "",
                       agenda_url=self.agenda_url.data or "")


class PostponeForm(MeetingForm):
    meeting_date = DateField(_l("Ny mødedato"),
                             validators=[InputRequired(_l("Angiv den nye mødedato."))])


class DecisionForm(BaseForm):
    outcome = RadioField(
        _l("Rådets beslutning"),
        choices=[(s.value, _option(s)) for s in OUTCOMES],
        validators=[DataRequired(_l("Vælg rådets beslutning."))])
    decided_on = DateField(_l("Dato for beslutningen"),
                           validators=[InputRequired(_l("Angiv datoen for beslutningen."))])
    remarks = TextAreaField(
        _l("Rådets bemærkninger"), filters=[strip], render_kw={"rows": 4},
        description=_l("Skal udfyldes ved “godkendt med bemærkninger”."),
        validators=[Optional(), Length(max=MAX_TEXT)])
    rejection_reason = TextAreaField(
        _l("Begrundelse"), filters=[strip], render_kw={"rows": 4},
        description=_l("Skal udfyldes ved “ikke godkendt”."),
        validators=[Optional(), Length(max=MAX_TEXT)])
    minutes_url = StringField(
        _l("Link til beslutningsprotokollen"), filters=[strip],
        description=_l("En webadresse, der begynder med https://. Eller upload protokollen "
                       "som PDF herunder."),
        validators=[Optional(), Length(max=MAX_URL)])
    minutes_file = FileField(_l("Beslutningsprotokol (PDF)"))
    version = VersionField()

    def decision(self, minutes: Upload | None = None) -> Decision:
        return Decision(
            state=ApprovalState(self.outcome.data) if self.outcome.data else None,
            decided_on=self.decided_on.data, remarks=self.remarks.data or "",
            rejection_reason=self.rejection_reason.data or "",
            minutes_url=self.minutes_url.data or "",
            minutes=minutes)


class CorrectionForm(DecisionForm):
    correction_reason = TextAreaField(
        _l("Hvorfor rettes beslutningen?"), filters=[strip], render_kw={"rows": 3},
        description=_l("Begrundelsen og de gamle værdier gemmes i loggen."),
        validators=[DataRequired(_l("Skriv, hvorfor beslutningen rettes.")),
                    Length(max=2000)])


class NoteForm(BaseForm):
    internal_note = TextAreaField(
        _l("Intern note"), filters=[strip], render_kw={"rows": 3},
        description=_l("Kun for sekretariatet: vises aldrig på den offentlige side eller i "
                       "det offentlige API."),
        validators=[Length(max=MAX_TEXT)])
    version = VersionField()


STAND_CHOICES = [("stand", _l("Beslutningerne står ved magt")),
                 ("retake", _l("Beslutningerne skal træffes igen"))]


class VersionChangeForm(BaseForm):
    text_version_id = SelectField(
        _l("Ny endelig tekstversion"), coerce=int,
        validators=[DataRequired(_l("Vælg den nye endelige version."))])
    # Nothing preselected: the choice sends councils back to their agenda, or not.
    approvals_stand = RadioField(
        _l("De beslutninger, rådene allerede har truffet"), choices=STAND_CHOICES,
        description=_l("Skal de træffes igen, sættes de besluttede parter tilbage til "
                       "“afventer”; de gamle beslutninger gemmes i loggen."),
        validators=[Optional()])
    reason = TextAreaField(
        _l("Begrundelse"), filters=[strip], render_kw={"rows": 4},
        description=_l("Hvad er ændret i den nye version, og hvorfor står beslutningerne "
                       "ved magt eller ej? Vises på oversigten."),
        validators=[DataRequired(_l("Skriv en begrundelse.")), Length(max=2000)])
    version = VersionField()

    def stand(self) -> bool | None:
        value = self.approvals_stand.data
        return None if not value else value == "stand"


class PartiesForm(BaseForm):
    """The round's parties: add one (a choice) or remove one (a button per party, `remove`)."""

    organisation_id = SelectField(_l("Tilføj part"), coerce=int, validators=[Optional()])
    version = VersionField()
