"""The forms of the workshop's input and its prioritisation list."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wtforms import FieldList, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from ..i18n import gettext as _
from ..i18n import lazy_gettext as _l
from ..models import InputItem, InputKind, RecommendationLabel
from ..workflows.workshops.input import KIND_LABELS, MAX_BODY, MAX_COMMENT, MAX_HEADING
from ..workflows.workshops.theme_list import (
    MAX_GROUP,
    MAX_LABEL,
    MAX_PARTS,
    MAX_RATIONALE,
    MAX_TITLE,
    Placement,
)
from .base import BaseForm, OnceField, VersionField, strip
from .cycles import MultiCheckboxField


class ItemForm(BaseForm):
    """A challenge or a proposed action: new (`creating`) or changed (`editing`)."""

    kind = RadioField(_l("Slags input"), default=InputKind.CHALLENGE.value,
                      choices=[(k.value, KIND_LABELS[k]) for k in InputKind],
                      validators=[DataRequired(_l("Vælg udfordring eller tiltag."))])
    heading = StringField(_l("Underoverskrift"), filters=[strip],
                          description=_l("Kan være tom. Input med samme underoverskrift "
                                         "vises samlet."),
                          validators=[Optional(), Length(max=MAX_HEADING)])
    body = TextAreaField(_l("Tekst"), filters=[strip], render_kw={"rows": 4},
                         description=_l("Almindelig tekst; *kursiv*, **fed** og lister med "
                                        "- virker."),
                         validators=[DataRequired(_l("Skriv teksten.")),
                                     Length(max=MAX_BODY)])
    version = VersionField()
    once = OnceField()

    @staticmethod
    def initial(item: InputItem) -> dict[str, Any]:
        return {"kind": item.kind.value, "heading": item.heading, "body": item.body}

    def input_kind(self) -> InputKind:
        return InputKind(self.kind.data)


class CommentForm(BaseForm):
    body = TextAreaField(_l("Kommentar"), filters=[strip], render_kw={"rows": 2},
                         validators=[DataRequired(_l("Skriv kommentaren.")),
                                     Length(max=MAX_COMMENT)])
    once = OnceField()


def _label_choices(labels: Sequence[RecommendationLabel]) -> list[tuple[str, str]]:
    return [("", _("Ingen anbefaling endnu")), *((str(lb.id), lb.name) for lb in labels)]


class ListThemeForm(BaseForm):
    """Rename a list theme; its group, recommendation and rationale."""

    title = StringField(_l("Titel"), filters=[strip],
                        validators=[DataRequired(_l("Skriv temaets titel.")),
                                    Length(max=MAX_TITLE)])
    group_name = StringField(_l("Gruppe"), filters=[strip],
                             description=_l("Fx “Borgerens mestring af eget liv” eller "
                                            "“Tværgående temaer”."),
                             validators=[Optional(), Length(max=MAX_GROUP)])
    label_id = SelectField(_l("Arbejdsgruppens anbefaling"))
    rationale = TextAreaField(_l("Begrundelse"), filters=[strip], render_kw={"rows": 4},
                              validators=[Optional(), Length(max=MAX_RATIONALE)])
    version = VersionField()

    def setup(self, labels: Sequence[RecommendationLabel]) -> ListThemeForm:
        self.label_id.choices = _label_choices(labels)
        return self

    def placement(self) -> Placement:
        label = self.label_id.data
        return Placement(title=self.title.data or "", group_name=self.group_name.data or "",
                         label_id=int(label) if label else None,
                         rationale=self.rationale.data or "")


class MergeForm(BaseForm):
    theme_ids = MultiCheckboxField(_l("Temaer der lægges sammen"), coerce=int,
                                   description=_l("Vælg mindst to. Deres input følger med."))
    title = StringField(_l("Det samlede temas titel"), filters=[strip],
                        validators=[DataRequired(_l("Skriv temaets titel.")),
                                    Length(max=MAX_TITLE)])
    group_name = StringField(_l("Gruppe"), filters=[strip],
                             validators=[Optional(), Length(max=MAX_GROUP)])

    def setup(self, choices: Sequence[tuple[int, str]]) -> MergeForm:
        self.theme_ids.choices = list(choices)
        return self


class SplitForm(BaseForm):
    """A list theme in several: the new titles, and for each item the part it goes to."""

    titles = TextAreaField(_l("De nye temaers titler"), render_kw={"rows": 4},
                           description=_l("Én titel pr. linje, mellem 2 og %(max)d.",
                                          max=MAX_PARTS),
                           validators=[DataRequired(_l("Skriv de nye titler, én pr. linje."))])
    parts = FieldList(SelectField(_l("Tema")))
    version = VersionField()

    def setup(self, items: Sequence[InputItem]) -> SplitForm:
        """One choice per item, in `items`' order: the number of the new theme it goes to."""
        self.items = list(items)
        del self.parts.entries[len(self.items):]
        while len(self.parts.entries) < len(self.items):
            self.parts.append_entry()
        for entry in self.parts:
            entry.choices = [(str(n), _("Nyt tema %(n)d", n=n)) for n in range(1, MAX_PARTS + 1)]
        return self

    def title_list(self) -> list[str]:
        return [line.strip() for line in (self.titles.data or "").splitlines() if line.strip()]

    def assignment(self) -> list[tuple[str, list[int]]]:
        titles = self.title_list()
        out: list[tuple[str, list[int]]] = [(t, []) for t in titles]
        for item, entry in zip(self.items, self.parts, strict=True):
            number = int(entry.data or 1)
            if number > len(titles):
                # Not a part that exists: the workflow refuses the assignment as incomplete.
                continue
            out[number - 1][1].append(item.id)
        return out


class PlenaryForm(BaseForm):
    title = StringField(_l("Titel"), filters=[strip],
                        validators=[DataRequired(_l("Skriv temaets titel.")),
                                    Length(max=MAX_TITLE)])
    group_name = StringField(_l("Gruppe"), filters=[strip],
                             validators=[Optional(), Length(max=MAX_GROUP)])
    once = OnceField()


class LabelForm(BaseForm):
    name = StringField(_l("Ny anbefaling"), filters=[strip],
                       description=_l("Fx “Anbefales med forbehold”."),
                       validators=[DataRequired(_l("Skriv anbefalingens navn.")),
                                   Length(max=MAX_LABEL)])
    once = OnceField()
