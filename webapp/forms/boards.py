"""The prioritisation board's setup forms: the board, its themes and criteria, its members, and
the buttons that move things (a step up or down)."""

from __future__ import annotations

from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..i18n import lazy_gettext as _l
from ..models import PrioritisationBoard, Recommendation
from ..workflows.boards.setup import (
    LABEL_MAX,
    MAX_WEIGHT,
    MIN_WEIGHT,
    RECOMMENDATION_LABELS,
    TITLE_MAX,
)
from .base import BaseForm, OnceField, VersionField, strip


class BoardForm(BaseForm):
    title = StringField(_l("Titel"), filters=[strip],
                        description=_l("Fx “Prioritering af workshoppens temaer”."),
                        validators=[DataRequired(_l("Skriv en titel.")), Length(max=TITLE_MAX)])
    milestone_id = SelectField(
        _l("Milepæl"), coerce=int,
        description=_l("Scoringens periode og frist er milepælens; påmindelserne om at score "
                       "hænger på den."),
        validators=[DataRequired(_l("Vælg en milepæl."))])
    workshop_id = SelectField(
        _l("Temaer"), coerce=int,
        description=_l("Fra en workshops temaliste kopieres hvert tema med gruppe, anbefaling "
                       "og begrundelse. Du kan rette og tilføje temaer bagefter."),
        validators=[Optional()])
    intro = TextAreaField(_l("Indledning til medlemmerne"),
                          description=_l("Står på tavlens side og i invitationen; kan "
                                         "formateres med Markdown."),
                          validators=[Optional(), Length(max=20000)])
    version = VersionField()
    once = OnceField()

    def editing_board(self, board: PrioritisationBoard) -> BoardForm:
        """The edit page: the themes' source was chosen when the board was made."""
        del self.workshop_id
        return self.editing(board)


class BoardThemeForm(BaseForm):
    title = StringField(_l("Titel"), filters=[strip],
                        validators=[DataRequired(_l("Skriv temaets titel.")),
                                    Length(max=TITLE_MAX)])
    group_name = StringField(_l("Gruppe"), filters=[strip],
                             description=_l("Fx “Borgerens mestring af eget liv”. Tom: ingen "
                                            "gruppe."),
                             validators=[Optional(), Length(max=TITLE_MAX)])
    recommendation = SelectField(
        _l("Arbejdsgruppens anbefaling"),
        choices=[(r.value, label) for r, label in RECOMMENDATION_LABELS.items()],
        default=Recommendation.NONE.value,
        description=_l("Resultatet sætter temaets score ved siden af anbefalingen."),
        validators=[DataRequired(_l("Vælg en anbefaling."))])
    recommendation_label = StringField(
        _l("Anbefalingen som skrevet"), filters=[strip],
        description=_l("Fx “Anbefales (DAS/politisk?)”. Tom: valget ovenfor."),
        validators=[Optional(), Length(max=LABEL_MAX)])
    rationale = TextAreaField(_l("Begrundelse"), validators=[Optional(), Length(max=5000)])
    version = VersionField()
    once = OnceField()


class CriterionForm(BaseForm):
    title = StringField(_l("Kriterium"), filters=[strip],
                        description=_l("Fx “Tværkommunal relevans”. Hvert tema scores 1–5 på "
                                       "hvert kriterium."),
                        validators=[DataRequired(_l("Skriv kriteriets titel.")),
                                    Length(max=TITLE_MAX)])
    description = TextAreaField(_l("Forklaring til medlemmerne"),
                                validators=[Optional(), Length(max=2000)])
    weight = IntegerField(
        _l("Vægt"), default=1,
        description=_l("Fra %(low)d til %(high)d. Et kriterium med vægt 2 tæller dobbelt i "
                       "gennemsnittet. Tom: 1.", low=MIN_WEIGHT, high=MAX_WEIGHT),
        validators=[Optional(), NumberRange(MIN_WEIGHT, MAX_WEIGHT, _l(
            "Skriv et helt tal fra %(low)d til %(high)d.", low=MIN_WEIGHT, high=MAX_WEIGHT))])
    version = VersionField()
    once = OnceField()


class MemberForm(BaseForm):
    user_id = SelectField(_l("Person"), coerce=int,
                          validators=[DataRequired(_l("Vælg en person."))])


class StepForm(BaseForm):
    """A step up or down the list (a theme or a criterion)."""

    step = SelectField(_l("Flyt"), choices=[("up", _l("Op")), ("down", _l("Ned"))],
                       validators=[DataRequired(_l("Vælg op eller ned."))])

    def delta(self) -> int:
        return -1 if self.step.data == "up" else 1
