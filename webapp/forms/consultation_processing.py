"""The secretariat's processing of one consultation response: summary, comment, the outcome of
its general text and of each of its points."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wtforms import FieldList, Form, FormField, SelectField, TextAreaField
from wtforms.validators import Length, Optional

from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..models import ConsultationResponse, Outcome
from ..workflows.consultations.processing import (
    MAX_TEXT,
    OUTCOME_LABELS,
    Decision,
    PointDecision,
    needs_reason,
    reason_message,
)
from .base import BaseForm, DanishMeta, VersionField, strip


def _outcome_choices() -> list[tuple[str, Any]]:
    return [("", _l("Vælg …"))] + [(o.value, OUTCOME_LABELS[o]) for o in Outcome]


def _outcome(value: str | None) -> Outcome | None:
    return Outcome(value) if value else None


class PointForm(Form):
    """One point of the response: its outcome, the reason, the section it changed."""

    class Meta(DanishMeta):
        pass

    outcome = SelectField(_l("Vurdering"), choices=_outcome_choices())
    reason = TextAreaField(_l("Begrundelse"), filters=[strip], render_kw={"rows": 3},
                           description=_l("Skal udfyldes ved “Delvist indarbejdet” og “Ikke "
                                          "indarbejdet”."),
                           validators=[Optional(), Length(max=MAX_TEXT)])
    changed_section = SelectField(
        _l("Ændrede afsnit i næste version"),
        description=_l("Det afsnit i tekstens næste version, som punktet førte til en ændring "
                       "af. Kan være tomt."))


class ProcessingForm(BaseForm):
    summary = TextAreaField(_l("Resumé af høringssvaret"), filters=[strip],
                            render_kw={"rows": 4},
                            description=_l("Et kort resumé til høringsnotatet."),
                            validators=[Optional(), Length(max=MAX_TEXT)])
    secretariat_comment = TextAreaField(
        _l("Sekretariatets bemærkning"), filters=[strip], render_kw={"rows": 4},
        description=_l("Hvad der er og ikke er taget med, og hvorfor."),
        validators=[Optional(), Length(max=MAX_TEXT)])
    outcome = SelectField(_l("Vurdering af de generelle bemærkninger"),
                          choices=_outcome_choices())
    outcome_reason = TextAreaField(
        _l("Begrundelse for vurderingen"), filters=[strip], render_kw={"rows": 3},
        description=_l("Skal udfyldes ved “Delvist indarbejdet” og “Ikke indarbejdet”."),
        validators=[Optional(), Length(max=MAX_TEXT)])
    points = FieldList(FormField(PointForm))
    version = VersionField()

    def setup(self, response: ConsultationResponse,
              sections: Sequence[tuple[str, str]]) -> ProcessingForm:
        """One entry per point of `response`, in its order, each offered `sections` (the
        next version's key and label) to point at. A post with more entries than the
        response has points keeps only as many; one with fewer gets empty ones (then refused)."""
        self.response = response
        count = len(response.comments)
        del self.points.entries[count:]
        while len(self.points.entries) < count:
            self.points.append_entry()
        section_choices = [("", _("Intet afsnit")), *sections]
        for entry in self.points:
            entry.form.changed_section.choices = section_choices
        return self

    @staticmethod
    def initial(response: ConsultationResponse) -> dict[str, Any]:
        return {
            "summary": response.summary, "secretariat_comment": response.secretariat_comment,
            "outcome": response.outcome.value if response.outcome else "",
            "outcome_reason": response.outcome_reason,
            "points": [{"outcome": c.outcome.value if c.outcome else "",
                        "reason": c.outcome_reason,
                        "changed_section": c.changed_section_key or ""}
                       for c in response.comments],
        }

    def validate(self, extra_validators: Mapping[str, Any] | None = None) -> bool:
        valid = super().validate(extra_validators)
        response: ConsultationResponse = self.response
        if not response.no_comments and not self.summary.data:
            self.summary.errors = [*self.summary.errors,
                                   _("Skriv et kort resumé af høringssvaret.")]
        if response.general_text.strip() and not self.outcome.data and not self.outcome.errors:
            self.outcome.errors = [*self.outcome.errors,
                                   _("Vælg en vurdering af svarets generelle bemærkninger.")]
        outcome = _outcome(self.outcome.data) if not self.outcome.errors else None
        if needs_reason(outcome) and not self.outcome_reason.data and outcome is not None:
            self.outcome_reason.errors = [*self.outcome_reason.errors, reason_message(outcome)]
        for entry in self.points:
            point = entry.form
            if point.outcome.errors or point.changed_section.errors:
                continue
            if not point.outcome.data:
                point.outcome.errors = [_("Vælg en vurdering af punktet.")]
                continue
            chosen = Outcome(point.outcome.data)
            if needs_reason(chosen) and not point.reason.data:
                point.reason.errors = [*point.reason.errors, reason_message(chosen)]
            if chosen == Outcome.NOT_INCORPORATED and point.changed_section.data:
                point.changed_section.errors = [_(
                    "Et punkt, der ikke er indarbejdet, kan ikke have ændret et afsnit. Vælg "
                    "“Intet afsnit”, eller skift vurderingen.")]
        return valid and not self.error_items()

    def error_items(self) -> list[tuple[str, str, str]]:
        """(anchor, label, message) of every error, a point's as "Punkt 2 – Begrundelse": the
        page's summary links to each (the general summary macro knows no sub-forms)."""
        items = [(f.id, str(f.label.text), message) for f in self
                 if f.name != "points" for message in f.errors if f.type != "CSRFTokenField"]
        for number, entry in enumerate(self.points, start=1):
            for sub in entry.form:
                items += [(sub.id, _("Punkt %(n)d – %(label)s", n=number, label=sub.label.text),
                           message) for message in sub.errors]
        return items

    def decision(self) -> Decision:
        return Decision(
            summary=self.summary.data or "", comment=self.secretariat_comment.data or "",
            outcome=_outcome(self.outcome.data), reason=self.outcome_reason.data or "",
            points=[PointDecision(comment.id, _outcome(entry.form.outcome.data),
                                  entry.form.reason.data or "",
                                  entry.form.changed_section.data or None)
                    for comment, entry in zip(self.response.comments, self.points, strict=True)])
