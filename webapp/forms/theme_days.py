"""The theme day's forms: the day, the catalogue's themes and items, voters, the buttons that
change its state, and the vote (one form per catalogue theme, built per theme)."""

from __future__ import annotations

from typing import Any

from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..i18n import lazy_gettext as _l
from ..workflows.theme_days.setup import MAX_PICKS
from .base import BaseForm, OnceField, VersionField, strip
from .cycles import MultiCheckboxField


class ThemeDayForm(BaseForm):
    title = StringField(_l("Titel"), filters=[strip],
                        description=_l("Fx “Politisk temadag 2017”."),
                        validators=[DataRequired(_l("Skriv en titel.")), Length(max=200)])
    milestone_id = SelectField(_l("Milepæl"), coerce=int,
                               description=_l("Temadagens sted og tid er milepælens."),
                               validators=[DataRequired(_l("Vælg en milepæl."))])
    board_id = SelectField(_l("Temaer fra prioriteringstavle"), coerce=int,
                           description=_l("Temaerne, der er udvalgt til temadagen på tavlens "
                                          "resultat, bliver katalogets temaer. Vælg “Ingen” "
                                          "for at skrive temaerne selv."),
                           validators=[Optional()])
    theme_titles = TextAreaField(_l("Temaer (ét pr. linje)"),
                           description=_l("Kun når temaerne ikke kommer fra en tavle."),
                           validators=[Optional(), Length(max=10000)])
    picks_per_theme = IntegerField(
        _l("Antal valg pr. deltager pr. tema"), default=3,
        validators=[InputRequired(_l("Angiv antallet af valg.")),
                    NumberRange(1, MAX_PICKS, _l("Skriv et tal fra 1 til %(max)d.",
                                                 max=MAX_PICKS))])
    intro = TextAreaField(_l("Indledning"), description=_l("Står øverst i kataloget; kan "
                                                           "formateres med Markdown."),
                          validators=[Optional(), Length(max=20000)])
    version = VersionField()
    once = OnceField()

    def editing_day(self, day: Any) -> ThemeDayForm:
        """The edit form: the themes are edited one by one in the catalogue."""
        del self.board_id
        del self.theme_titles
        return self.editing(day)


class CatalogueThemeForm(BaseForm):
    title = StringField(_l("Titel"), filters=[strip],
                        validators=[DataRequired(_l("Skriv temaets titel.")), Length(max=200)])
    intro = TextAreaField(_l("Indledning"), description=_l("Kan formateres med Markdown."),
                          validators=[Optional(), Length(max=20000)])
    version = VersionField()
    once = OnceField()


class ItemForm(BaseForm):
    title = StringField(_l("Titel"), filters=[strip],
                        validators=[DataRequired(_l("Skriv en titel.")), Length(max=300)])
    description = TextAreaField(_l("Beskrivelse"), description=_l("Kan formateres med "
                                                                  "Markdown."),
                                validators=[Optional(), Length(max=20000)])
    cooperation = StringField(_l("Samarbejdets grad"), filters=[strip],
                              description=_l("Fx “Meget tæt samarbejde: fælles regionalt "
                                             "tilbud” eller “Begrænset samarbejde: "
                                             "erfaringsudveksling”."),
                              validators=[Optional(), Length(max=200)])
    version = VersionField()  # the theme's counter
    once = OnceField()


class VoterForm(BaseForm):
    user_id = SelectField(_l("Person"), coerce=int,
                          validators=[DataRequired(_l("Vælg en person."))])


class MoveForm(BaseForm):
    direction = SelectField(_l("Retning"), choices=[("up", _l("Op")), ("down", _l("Ned"))],
                            validators=[DataRequired(_l("Vælg op eller ned."))])


class OpenForm(BaseForm):
    version = VersionField()


class VoteForm(BaseForm):
    items = MultiCheckboxField(_l("Dine valg"), coerce=int, validators=[Optional()])


def vote_form(theme_id: int, choices: list[tuple[int, str]], **kwargs: Any) -> VoteForm:
    """The vote form of one catalogue theme; its fields carry the theme in their names, so
    every theme's form on the page has ids of its own."""
    form = VoteForm(prefix=f"tema-{theme_id}", **kwargs)
    form.items.choices = choices
    return form
