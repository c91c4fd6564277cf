"""The secretariat's forms on a closed board's result page: the themes for the theme day, the
conclusion (and publication to the region's people), and the publication itself. Each carries
the board's version, so a form made before another change of the board is a conflict."""

from __future__ import annotations

from wtforms import BooleanField, TextAreaField
from wtforms.validators import Length, Optional

from ..i18n import lazy_gettext as _l
from ..workflows.boards.results import MAX_CONCLUSION
from .base import BaseForm, VersionField
from .cycles import MultiCheckboxField


class ThemeDayPicksForm(BaseForm):
    theme_ids = MultiCheckboxField(
        _l("Temaer til den politiske temadag"), coerce=int, validators=[Optional()],
        description=_l("Markér de temaer, der går videre til temadagen. Temadagens katalog "
                       "bygges af dem."))
    version = VersionField()


class BoardConclusionForm(BaseForm):
    conclusion = TextAreaField(
        _l("Konklusion"), validators=[Optional(), Length(max=MAX_CONCLUSION)],
        description=_l("Står over resultatet, når det er offentliggjort; kan formateres med "
                       "Markdown."))
    publish_to_region = BooleanField(
        _l("Offentliggør også for regionens øvrige brugere"),
        description=_l("Uden flueben kan kun tavlens medlemmer og sekretariatet se "
                       "resultatet."))
    version = VersionField()


class PublishResultsForm(BaseForm):
    version = VersionField()
