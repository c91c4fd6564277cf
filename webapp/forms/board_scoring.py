"""A board member's form for one theme: per criterion a score 1–5 (radio buttons, or "no score
yet"), a comment, and "Jeg er inhabil" with a note. Built per board: one field per criterion.
The form carries the member's ballot counter (`BoardMember.version_id`) as its version."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wtforms import BooleanField, RadioField, TextAreaField
from wtforms.validators import Length, Optional, ValidationError

from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..models import BoardCriterion
from ..workflows.boards.scoring import COMMENT_MAX, NOTE_MAX, SCORES, criterion_field
from .base import BaseForm, VersionField

# What the ends of the scale mean, beside the numbers.
SCORE_LABELS = {1: _l("1 – lav"), 5: _l("5 – høj")}
NO_SCORE = ""


class ScoreField(RadioField):
    """A score 1–5, or nothing yet. Anything else (6, "abc", 5,000 digits) is refused at the
    field in Danish, whatever was posted."""

    def pre_validate(self, form: Any) -> None:
        if self.data not in (None, NO_SCORE) and self.data not in {str(n) for n in SCORES}:
            raise ValidationError(_("Vælg en score fra 1 til 5."))

    def number(self) -> int | None:
        return int(self.data) if self.data not in (None, NO_SCORE) else None


class ThemeScoreBase(BaseForm):
    comment = TextAreaField(
        _l("Kommentar (valgfri)"),
        description=_l("Kun sekretariatet ser kommentaren, og først når tavlen er lukket."),
        validators=[Optional(), Length(max=COMMENT_MAX)])
    abstain = BooleanField(
        _l("Jeg er inhabil i dette tema"),
        description=_l("Fx fordi du eller din organisation har en særlig interesse i temaet. "
                       "Dine scorer af temaet slettes, og temaet tæller som færdigt."))
    abstain_note = TextAreaField(
        _l("Hvorfor er du inhabil?"),
        description=_l("Skal udfyldes, hvis du er inhabil. Sekretariatet ser noten."),
        validators=[Optional(), Length(max=NOTE_MAX)])
    version = VersionField()

    criteria: Sequence[BoardCriterion] = ()

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        if self.abstain.data and not (self.abstain_note.data or "").strip():
            self.abstain_note.errors = [*self.abstain_note.errors, _(
                "Skriv kort, hvorfor du er inhabil. Sekretariatet ser noten.")]
            valid = False
        return valid

    def score_fields(self) -> list[tuple[BoardCriterion, ScoreField]]:
        return [(c, self[criterion_field(c.id)]) for c in self.criteria]

    def scores(self) -> dict[int, int | None]:
        return {c.id: field.number() for c, field in self.score_fields()}


def theme_score_form(criteria: Sequence[BoardCriterion], **kwargs: Any) -> ThemeScoreBase:
    """The form of one theme on this board: a score field per criterion."""

    class ThemeScoreForm(ThemeScoreBase):
        pass

    for criterion in criteria:
        setattr(ThemeScoreForm, criterion_field(criterion.id), ScoreField(
            criterion.title, description=criterion.description,
            choices=[(str(n), SCORE_LABELS.get(n, str(n))) for n in SCORES]
            + [(NO_SCORE, _l("Ingen score endnu"))],
            validators=[Optional()]))
    ThemeScoreForm.criteria = tuple(criteria)
    return ThemeScoreForm(**kwargs)
