"""The secretariat's questionnaire builder forms.

The question form is one form for every type. What a type does not use is ignored, so switching
the type never loses what was typed. `QuestionForm.question_data` turns the posted fields into
the `config` and `condition` a Question stores (see its docstring), or leaves a Danish message at
each field that cannot be read; `validate_question` in the workflow checks the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from ...formatting import format_number
from ...i18n import gettext as _
from ...i18n import lazy_gettext as _l
from ...models import Question, QuestionType, TargetAudience
from ...text import text_problem
from ...workflows.questionnaires.builder import AUDIENCE_LABELS, COLUMN_TYPES, TYPE_LABELS, slug
from ...workflows.questionnaires.fields import (
    EMAIL_FORMAT,
    FIELD_TYPES,
    FieldType,
    Invalid,
    ScaleField,
    ShortTextField,
    column_type,
    field_type,
)
from ..base import BaseForm, DanishMeta, OnceField, VersionField, strip
from ..cycles import MultiCheckboxField

COLUMN_TYPE_LABELS = {
    "integer": _l("Helt tal"),
    "decimal": _l("Decimaltal"),
    "scale": _l("Skala 1–5"),
    "text": _l("Tekst"),
}
COLUMN_ROWS = 6


class QuestionnaireForm(BaseForm):
    title = StringField(_l("Titel"), filters=[strip],
                        description=_l("Fx “Kapacitetsspørgeskema 2018”."),
                        validators=[DataRequired(_l("Skriv en titel.")), Length(max=200)])
    intro = TextAreaField(_l("Indledning"),
                          description=_l("Vises øverst i skemaet for dem, der svarer."),
                          validators=[Optional(), Length(max=5000)])
    milestone_id = SelectField(
        _l("Milepæl"), coerce=int,
        description=_l("Skemaet åbner ved milepælens start og lukker ved dens frist."),
        validators=[DataRequired(_l("Vælg en milepæl."))])
    version = VersionField()
    once = OnceField()


class SectionForm(BaseForm):
    title = StringField(_l("Overskrift"), filters=[strip],
                        validators=[DataRequired(_l("Skriv en overskrift.")), Length(max=200)])
    description = TextAreaField(_l("Beskrivelse"), description=_l("Vises under overskriften."),
                                validators=[Optional(), Length(max=5000)])
    version = VersionField()
    once = OnceField()


class RecipientsForm(BaseForm):
    recipients = MultiCheckboxField(_l("Modtagere"), coerce=int, validate_choice=False)
    version = VersionField()  # the questionnaire's: the recipients are part of it


class CloneQuestionnaireForm(BaseForm):
    source_id = SelectField(_l("Skema, der kopieres"), coerce=int,
                            validators=[DataRequired(_l("Vælg et skema."))])
    milestone_id = SelectField(
        _l("Milepæl i denne cyklus"), coerce=int,
        description=_l("Skemaet åbner ved milepælens start og lukker ved dens frist."),
        validators=[DataRequired(_l("Vælg en milepæl."))])
    title = StringField(_l("Titel på kopien"), filters=[strip],
                        description=_l("Tom: samme titel som skemaet, der kopieres."),
                        validators=[Optional(), Length(max=200)])
    once = OnceField()


class TargetGroupForm(BaseForm):
    name = StringField(_l("Navn"), filters=[strip],
                       description=_l("Fx “Udviklingshæmning”."),
                       validators=[DataRequired(_l("Skriv målgruppens navn.")),
                                   Length(max=200)])
    audience = SelectField(_l("Gælder"),
                           choices=[(a.value, AUDIENCE_LABELS[a]) for a in TargetAudience],
                           validators=[DataRequired(_l("Vælg børn og unge eller voksne."))])
    once = OnceField()


class TargetGroupEditForm(BaseForm):
    name = StringField(_l("Navn"), filters=[strip],
                       validators=[DataRequired(_l("Skriv målgruppens navn.")),
                                   Length(max=200)])
    active = BooleanField(
        _l("Aktiv"),
        description=_l("Kun aktive målgrupper står i skemaernes målgruppeskemaer. Svar, der "
                       "allerede er givet for målgruppen, bevares."))
    version = VersionField()


# -- the question form ---------------------------------------------------------------------

class ColumnForm(Form):
    """One column of a target-group grid. A row left empty is no column."""

    class Meta(DanishMeta):
        pass

    heading = StringField(_l("Overskrift"), filters=[strip], validators=[Length(max=200)])
    kind = SelectField(_l("Type"), choices=[(c, COLUMN_TYPE_LABELS[c]) for c in COLUMN_TYPES],
                       default="integer")
    min = StringField(_l("Mindst"), filters=[strip])
    max = StringField(_l("Højst"), filters=[strip])
    dont_know = BooleanField(_l("Tillad “Ved ikke”"))
    required = BooleanField(_l("Påkrævet"))
    when_scale = BooleanField(_l("Påkrævet når skalaen i samme række er 1 eller 2"))

    def is_blank(self) -> bool:
        return not (self.heading.data or self.min.data or self.max.data or self.dont_know.data
                    or self.required.data or self.when_scale.data)


def _add(field: Any, message: str) -> None:
    field.errors = [*field.errors, message]


def _parse_number(field: Any, kind: FieldType[Any]) -> int | float | None:
    """A bound typed as the number type `kind` reads it; a whole decimal is kept as an int."""
    try:
        value = kind.parse(field.data or "")
    except Invalid as error:
        _add(field, str(error))
        return None
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _show_number(value: Any) -> str:
    return "" if value is None else format_number(value)


def value_token(value: Any) -> str:
    """A condition value as the form posts it: scale 1–5, yes/no as ja/nej, a choice's text."""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return str(value)


def condition_options(question: Question) -> list[tuple[Any, str]]:
    """The answers a condition on `question` can name: (stored value, shown text)."""
    kind = field_type(question)
    return [(v, kind.display(v)) for v in kind.condition_values() or []]


class QuestionForm(BaseForm):
    type = SelectField(_l("Type"), choices=[(t.value, TYPE_LABELS[t]) for t in QuestionType],
                       default=ShortTextField.name,
                       description=_l("Udfyld derefter kun de felter nedenfor, der hører til "
                                      "typen; resten ses der bort fra."),
                       validators=[DataRequired(_l("Vælg en type."))])
    label = TextAreaField(_l("Spørgsmål"), filters=[strip],
                          render_kw={"rows": 2},
                          validators=[DataRequired(_l("Skriv spørgsmålet.")), Length(max=500)])
    help_text = TextAreaField(_l("Hjælpetekst"), filters=[strip],
                              description=_l("Vises under spørgsmålet. Kan være tom."),
                              render_kw={"rows": 2},
                              validators=[Optional(), Length(max=5000)])
    required = BooleanField(_l("Skal besvares"),
                            description=_l("For et målgruppeskema: mindst én målgruppe skal "
                                           "udfyldes."))
    # Short text
    email_format = BooleanField(_l("Svaret skal være en e-mailadresse"),
                                description=_l("Fx kontaktpersonens e-mail: en adresse som "
                                               "navn@kommune.dk tjekkes, når der svares."))
    # Integer and decimal
    min = StringField(_l("Mindsteværdi"), filters=[strip], description=_l("Tom: ingen grænse."))
    max = StringField(_l("Højesteværdi"), filters=[strip], description=_l("Tom: ingen grænse."))
    # Single and multiple choice
    choices = TextAreaField(_l("Svarmuligheder"), description=_l("Én pr. linje."),
                            render_kw={"rows": 4})
    # Scale
    allow_dont_know = BooleanField(_l("Tillad “Ved ikke”"))
    # Target-group grid
    audience = SelectField(_l("Målgrupper"),
                           choices=[("", _l("Vælg …"))]
                           + [(a.value, AUDIENCE_LABELS[a]) for a in TargetAudience],
                           description=_l("Skemaet får én række for hver aktiv målgruppe."))
    columns = FieldList(FormField(ColumnForm), min_entries=COLUMN_ROWS)
    # Condition
    # Checked in question_data: a questionnaire without candidates shows no select at all.
    condition_question = SelectField(
        _l("Påkrævet når spørgsmålet"), validate_choice=False,
        description=_l("Spørgsmålet skal besvares, når et andet spørgsmål har fået et af de "
                       "valgte svar."))
    condition_values = MultiCheckboxField(_l("har et af svarene"), validate_choice=False)
    version = VersionField()
    once = OnceField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Workflow messages about the grid as a whole ("at least one column").
        self.columns_errors: list[str] = []

    # -- set-up -----------------------------------------------------------------------------

    def set_candidates(self, candidates: Sequence[Question]) -> None:
        """The questions a condition can point at, and their answers as checkboxes."""
        self.condition_question.choices = [("", _("Ingen betingelse"))] + [
            (q.key, q.label) for q in candidates]
        self.condition_values.choices = [
            (f"{q.key}:{value_token(v)}", text) for q in candidates
            for v, text in condition_options(q)]

    @staticmethod
    def initial(question: Question) -> dict[str, Any]:
        """The form's data for a stored question."""
        config = question.config or {}
        condition = question.condition or {}
        columns = [{
            "heading": c.get("label", ""), "kind": c.get("type", "integer"),
            "min": _show_number(c.get("min")), "max": _show_number(c.get("max")),
            "dont_know": bool(c.get("allow_dont_know")), "required": bool(c.get("required")),
            "when_scale": bool(c.get("required_when")),
        } for c in config.get("columns", [])] if "columns" in field_type(question).settings else []
        return {
            "type": question.type.value, "label": question.label,
            "help_text": question.help_text, "required": question.required,
            "min": _show_number(config.get("min")), "max": _show_number(config.get("max")),
            "choices": "\n".join(config.get("choices", [])),
            "allow_dont_know": bool(config.get("allow_dont_know")),
            "email_format": config.get("format") == EMAIL_FORMAT,
            "audience": config.get("audience", ""), "columns": columns,
            "condition_question": condition.get("question", ""),
            "condition_values": [f"{condition.get('question')}:{value_token(v)}"
                                 for v in condition.get("in", [])],
        }

    # -- reading ----------------------------------------------------------------------------

    def question_data(self, candidates: Iterable[Question],
                      existing_columns: Sequence[Mapping[str, Any]] = ()) -> dict[str, Any] | None:
        """Keyword arguments for add_question/update_question, or None with field errors."""
        try:
            kind = QuestionType(self.type.data)
        except ValueError:
            return None  # the type field already says so
        # Only the settings the type reads; the rest of the form is ignored.
        field_kind = FIELD_TYPES[kind]()
        config: dict[str, Any] = {}
        if "min" in field_kind.settings:
            for name in ("min", "max"):
                value = _parse_number(getattr(self, name), field_kind)
                if value is not None:
                    config[name] = value
        if "choices" in field_kind.settings:
            lines = [line.strip() for line in (self.choices.data or "").splitlines()]
            config["choices"] = [line for line in lines if line]
            for number, line in enumerate(config["choices"], start=1):
                if text_problem(line) is not None:  # a choice is a name: none only invisible
                    _add(self.choices, _("Svarmulighed %(n)d består kun af usynlige tegn. "
                                         "Skriv en tekst, der kan læses, eller slet linjen.",
                                         n=number))
        if "allow_dont_know" in field_kind.settings:
            config["allow_dont_know"] = bool(self.allow_dont_know.data)
        if "format" in field_kind.settings and self.email_format.data:
            config["format"] = EMAIL_FORMAT
        if "columns" in field_kind.settings:
            config["audience"] = self.audience.data or ""
            config["columns"] = self._columns(existing_columns)
        condition = self._condition(candidates)
        if self._has_errors():
            return None
        return {"type": kind, "label": self.label.data or "",
                "help_text": self.help_text.data or "", "required": bool(self.required.data),
                "config": config, "condition": condition}

    def _has_errors(self) -> bool:
        if any(f.errors for name, f in self._fields.items() if name != "columns"):
            return True
        return self.columns_errors != [] or any(
            sub.errors for entry in self.columns.entries for sub in entry.form)

    def _columns(self, existing: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        rows = []
        for index, entry in enumerate(self.columns.entries):
            sub: ColumnForm = entry.form
            if sub.is_blank():
                continue
            if not sub.heading.data:
                _add(sub.heading, _("Skriv kolonnens overskrift."))
            ctype = sub.kind.data
            kind = column_type({"type": ctype})
            column: dict[str, Any] = {"label": sub.heading.data or "", "type": ctype}
            if "min" in kind.settings:
                low, high = _parse_number(sub.min, kind), _parse_number(sub.max, kind)
                if low is not None:
                    column["min"] = low
                if high is not None:
                    column["max"] = high
                if low is not None and high is not None and low > high:
                    _add(sub.max, _("Mindsteværdien er større end højesteværdien."))
            elif sub.min.data or sub.max.data:
                _add(sub.min, _("Mindst og højst gælder kun kolonner med tal."))
            if sub.dont_know.data:
                if "allow_dont_know" in kind.settings:
                    column["allow_dont_know"] = True
                else:
                    _add(sub.dont_know, _("“Ved ikke” gælder kun skala-kolonner."))
            if sub.required.data:
                column["required"] = True
            rows.append((index, sub, column))
        # A column that keeps its row keeps its key: answers and last year's data match on it.
        used = {c.get("key") for c in existing}
        for index, _sub, column in rows:
            if index < len(existing) and existing[index].get("key"):
                column["key"] = existing[index]["key"]
        for _index, _sub, column in rows:
            if "key" not in column:
                base, n = slug(column["label"] or "kolonne"), 1
                key = base
                while key in used:
                    n += 1
                    key = f"{base}_{n}"
                used.add(key)
                column["key"] = key
        scale_keys = [c["key"] for _i, _s, c in rows if isinstance(column_type(c), ScaleField)]
        for _index, sub, column in rows:
            if not sub.when_scale.data:
                continue
            if not scale_keys:
                _add(sub.when_scale, _("Der er ingen kolonne af typen “Skala 1–5” at knytte "
                                       "betingelsen til."))
            elif scale_keys[0] == column["key"]:
                _add(sub.when_scale, _("Kolonnen er selv skalaen; sæt betingelsen på den "
                                       "kolonne, der skal udfyldes."))
            else:
                column["required_when"] = {"column": scale_keys[0], "in": [1, 2]}
        return [column for _i, _s, column in rows]

    def _condition(self, candidates: Iterable[Question]) -> dict[str, Any] | None:
        by_key = {q.key: q for q in candidates}
        chosen = self.condition_question.data or ""
        tokens = list(self.condition_values.data or [])
        if not chosen:
            if tokens:
                _add(self.condition_question, _("Vælg det spørgsmål, som de valgte svar "
                                                "hører til, eller fjern fluebenene."))
            return None
        target = by_key.get(chosen)
        if target is None:
            _add(self.condition_question, _("Vælg en af de viste muligheder."))
            return None
        options = {f"{chosen}:{value_token(v)}": v for v, _text in condition_options(target)}
        if any(t not in options for t in tokens):
            _add(self.condition_values, _("Vælg kun svar på “%(label)s”: der er sat flueben "
                                          "ved svar på et andet spørgsmål.",
                                          label=target.label))
            return None
        # An empty list is left to the workflow, which says what is missing.
        return {"question": chosen, "in": [v for t, v in options.items() if t in tokens]}

    # -- showing ----------------------------------------------------------------------------

    def _values_anchor(self) -> str:
        """The first checkbox of the chosen question's answers."""
        prefix = f"{self.condition_question.data}:"
        # choice[0], not unpacking: WTForms also allows (value, label, render_kw) choices.
        for index, choice in enumerate(self.condition_values.choices or []):
            if str(choice[0]).startswith(prefix):
                return f"{self.condition_values.id}-{index}"
        return f"{self.condition_values.id}-0"

    def summary(self) -> list[tuple[str, str, str]]:
        """Every message as (anchor, field label, message), in the order of the page."""
        rows: list[tuple[str, str, str]] = [("", "", m) for m in self.form_errors]
        for name, f in self._fields.items():
            if name == "columns":
                first = self.columns.entries[0].form.heading.id if self.columns.entries else ""
                rows += [(first, _("Kolonner"), m) for m in self.columns_errors]
                for number, entry in enumerate(self.columns.entries, start=1):
                    for sub in entry.form:
                        rows += [(sub.id, _("Kolonne %(n)d: %(label)s", n=number,
                                            label=sub.label.text), m) for m in sub.errors]
                continue
            if name == "csrf_token":
                continue
            anchor = self._values_anchor() if name == "condition_values" else f.id
            rows += [(anchor, str(f.label.text), m) for m in f.errors]
        return rows
