"""The question types one by one: parse, raw, display, export, summary and condition values,
for every QuestionType, and the scale used on its own without a Question row."""

from __future__ import annotations

from typing import Any

import pytest

from webapp.models import Organisation, Question, QuestionType, TargetAudience, TargetGroup
from webapp.workflows import WorkflowError
from webapp.workflows.questionnaires.fields import (
    COLUMN_FIELD_TYPES,
    DONT_KNOW,
    FIELD_TYPES,
    GridField,
    GridSummary,
    Heatmap,
    Invalid,
    NumberSummary,
    NumericTable,
    OptionSummary,
    ScaleField,
    ScaleSummary,
    TextSummary,
    column_type,
    field_type,
    form_cells,
)

ADULTS = TargetGroup(id=7, name="Udviklingshæmning", audience=TargetAudience.ADULTS,
                     active=True)
HOMELESS = TargetGroup(id=8, name="Hjemløshed", audience=TargetAudience.ADULTS, active=True)
OLD = TargetGroup(id=9, name="Nedlagt", audience=TargetAudience.ADULTS, active=False)
CHILDREN = TargetGroup(id=10, name="Børn med handicap", audience=TargetAudience.CHILDREN_YOUTH,
                       active=True)
GROUPS = [ADULTS, HOMELESS, OLD, CHILDREN]

GRID_CONFIG = {"audience": "adults", "columns": [
    {"key": "doegn", "label": "Døgn", "type": "integer", "min": 0},
    {"key": "budget", "label": "Budget", "type": "decimal"},
    {"key": "sammenhaeng", "label": "Sammenhæng", "type": "scale", "allow_dont_know": True},
    {"key": "bemaerkning", "label": "Bemærkning", "type": "text",
     "required_when": {"column": "sammenhaeng", "in": [1, 2]}},
]}
CHOICES = {"choices": ["Stigende", "Uændret", "Faldende"]}

# (type, config, what is typed, stored value, what the input shows, display, export,
#  condition values)
CASES: list[tuple[QuestionType, dict[str, Any], Any, Any, Any, str, Any, list[Any] | None]] = [
    (QuestionType.SHORT_TEXT, {}, " Anne ", "Anne", "Anne", "Anne", "Anne", None),
    (QuestionType.LONG_TEXT, {}, "To\nlinjer ", "To\nlinjer", "To\nlinjer", "To\nlinjer",
     "To\nlinjer", None),
    (QuestionType.INTEGER, {"min": 0, "max": 10000}, "2.643", 2643, "2643", "2.643", 2643, None),
    (QuestionType.DECIMAL, {"min": 0}, "2.643,5", 2643.5, "2643,5", "2.643,5", 2643.5, None),
    (QuestionType.DATE, {}, "1.3.2017", "2017-03-01", "01.03.2017", "01.03.2017", "01.03.2017",
     None),
    (QuestionType.YES_NO, {}, "nej", False, "nej", "Nej", "Nej", [True, False]),
    (QuestionType.SINGLE_CHOICE, CHOICES, "Uændret", "Uændret", "Uændret", "Uændret", "Uændret",
     ["Stigende", "Uændret", "Faldende"]),
    (QuestionType.MULTIPLE_CHOICE, CHOICES, ["", "Faldende", "Stigende"],
     ["Stigende", "Faldende"], ["Stigende", "Faldende"], "Stigende; Faldende",
     "Stigende; Faldende", None),
    (QuestionType.SCALE, {"allow_dont_know": True}, "4", 4, "4", "4", 4, [1, 2, 3, 4, 5]),
    (QuestionType.GRID, GRID_CONFIG,
     {"7": {"doegn": "12", "budget": "1,5", "sammenhaeng": "dont_know", "bemaerkning": ""}},
     {"7": {"doegn": 12, "budget": 1.5, "sammenhaeng": DONT_KNOW}},
     {"7": {"doegn": "12", "budget": "1,5", "sammenhaeng": "dont_know", "bemaerkning": ""}},
     "Døgn: 12, Budget: 1,5, Sammenhæng: Ved ikke",
     "Døgn: 12, Budget: 1,5, Sammenhæng: Ved ikke", None),
]

# (type, config, what is typed, the message)
REFUSED: list[tuple[QuestionType, dict[str, Any], Any, str]] = [
    (QuestionType.SHORT_TEXT, {}, "a" * 501, "Svaret må højst være 500 tegn."),
    (QuestionType.LONG_TEXT, {}, "a" * 10_001, "Svaret må højst være 10000 tegn."),
    (QuestionType.INTEGER, {}, "1,5", "Skriv et helt tal, fx 12."),
    (QuestionType.INTEGER, {"min": 0, "max": 10000}, "20000",
     "Skriv et tal mellem 0 og 10.000."),
    (QuestionType.DECIMAL, {"min": 0}, "-1", "Tallet må ikke være mindre end 0."),
    (QuestionType.DECIMAL, {}, "en halv", "Skriv et tal, fx 1,5."),
    (QuestionType.DATE, {}, "31.02.2017", "Skriv en gyldig dato, fx 24.10.2016."),
    (QuestionType.YES_NO, {}, "måske", "Vælg ja eller nej."),
    (QuestionType.YES_NO, {}, ["ja", "nej"], "Giv kun ét svar."),
    (QuestionType.SINGLE_CHOICE, CHOICES, "Vild", "Vælg en af de viste muligheder."),
    (QuestionType.MULTIPLE_CHOICE, CHOICES, ["Stigende", "Hav"],
     "Vælg kun blandt de viste muligheder."),
    (QuestionType.SCALE, {}, "6", "Vælg et tal fra 1 til 5."),
    (QuestionType.SCALE, {}, DONT_KNOW, "Vælg et tal fra 1 til 5."),
    (QuestionType.GRID, GRID_CONFIG, {"7": {"doegn": "-2"}},
     "Tallet må ikke være mindre end 0."),
]


def question(kind: QuestionType, config: dict[str, Any], required: bool = False) -> Question:
    """A question that is never saved: the types need no database."""
    return Question(key="spm", type=kind, label="Spørgsmål", config=config, required=required,
                    condition=None)


@pytest.fixture
def request_context(app):
    with app.test_request_context():
        yield


def test_every_type_has_a_class_and_a_case():
    assert set(FIELD_TYPES) == set(QuestionType)
    assert {kind for kind, *_rest in CASES} == set(QuestionType)
    assert all(FIELD_TYPES[kind].name == kind.value for kind in QuestionType)
    assert list(COLUMN_FIELD_TYPES) == ["integer", "decimal", "scale", "text"]


@pytest.mark.parametrize("kind,config,typed,value,raw,shown,exported,conditions", CASES,
                         ids=[c[0].value for c in CASES])
def test_each_type_round_trips_and_shows_its_value(request_context, kind, config, typed, value,
                                                   raw, shown, exported, conditions):
    field = field_type(question(kind, config))
    assert isinstance(field, FIELD_TYPES[kind])
    assert field.parse(typed) == value
    assert field.raw(value) == raw
    assert field.parse(field.raw(value)) == value
    assert field.display(value) == shown
    assert field.export(value) == exported
    assert field.exporter()(value) == exported
    assert field.condition_values() == conditions
    # No answer: nothing stored, an empty input, nothing shown, an empty export cell.
    assert field.parse([] if field.many else {} if field.compound else "  ") is None
    assert field.raw(None) in ("", [], {})
    assert field.display(None) == ""
    assert field.export(None) is None


@pytest.mark.parametrize("kind,config,typed,message", REFUSED,
                         ids=[f"{c[0].value}-{i}" for i, c in enumerate(REFUSED)])
def test_each_type_refuses_with_the_danish_message(request_context, kind, config, typed,
                                                   message):
    with pytest.raises(Invalid) as refused:
        FIELD_TYPES[kind](config).parse(typed)
    assert str(refused.value) == message


def test_dont_know_and_numbers_in_exports(request_context):
    assert FIELD_TYPES[QuestionType.SCALE]({}).export(DONT_KNOW) == "Ved ikke"
    assert FIELD_TYPES[QuestionType.INTEGER]({}).export("12") == "12"  # stored text stays text
    assert FIELD_TYPES[QuestionType.YES_NO]({}).export(True) == "Ja"
    assert FIELD_TYPES[QuestionType.DECIMAL]({}).raw(2.0) == "2"


def test_summaries_per_type(request_context):
    aalborg, laesoe = Organisation(id=1, name="Aalborg"), Organisation(id=2, name="Læsø")
    who = [aalborg, laesoe]

    def summary(kind: QuestionType, config: dict[str, Any], values: list[Any]) -> Any:
        return FIELD_TYPES[kind](config).summary(values, who, GROUPS)

    assert summary(QuestionType.INTEGER, {}, [3, None]) == NumberSummary(count=1, total=3,
                                                                         mean=3.0)
    assert summary(QuestionType.SHORT_TEXT, {}, ["Anne", ""]) == TextSummary(
        count=1, answers=[("Aalborg", "Anne")])
    assert summary(QuestionType.YES_NO, {}, [True, False]).rows == [("Ja", 1), ("Nej", 1)]
    assert summary(QuestionType.MULTIPLE_CHOICE, CHOICES,
                   [["Stigende", "Faldende"], ["Faldende"]]) == OptionSummary(
        rows=[("Stigende", 1), ("Uændret", 0), ("Faldende", 2)], answered=2, multiple=True)
    assert summary(QuestionType.DATE, {}, ["2017-03-01", "2017-02-01"]).count == 2
    grid = summary(QuestionType.GRID, GRID_CONFIG, [
        {"7": {"doegn": 12, "sammenhaeng": 2, "bemaerkning": "Mangler"}, "9": {"doegn": 1}},
        {"8": {"doegn": 3, "sammenhaeng": DONT_KNOW}}])
    assert isinstance(grid, GridSummary)
    # The inactive group stays because it was answered; children's groups are another audience.
    assert grid.groups == [ADULTS, HOMELESS, OLD]
    assert [type(t) for t in grid.numeric] == [NumericTable, NumericTable]
    assert grid.numeric[0].group_totals == [12, 3, 1] and grid.numeric[0].total == 16
    assert grid.heatmaps == [Heatmap(column=GRID_CONFIG["columns"][2],
                                     rows=[(aalborg, [2, None, None]),
                                           (laesoe, [None, DONT_KNOW, None])],
                                     group_means=[2.0, None, None], dont_know=1, missing=4)]
    assert grid.texts[0].answers == [("Aalborg", "Udviklingshæmning", "Mangler")]


def test_the_scale_works_without_a_question(request_context):
    """Other domains (scoring criteria on prioritisation boards) reuse the 1–5 scale."""
    scale = ScaleField({"allow_dont_know": True})
    assert [scale.parse(v) for v in ("1", " 5 ", "", DONT_KNOW)] == [1, 5, None, DONT_KNOW]
    assert scale.display(3) == "3" and scale.display(DONT_KNOW) == "Ved ikke"
    assert scale.raw(3) == "3" and scale.export(3) == 3
    assert scale.summary([1, 5, 5, DONT_KNOW, None, 7]) == ScaleSummary(
        counts={1: 1, 2: 0, 3: 0, 4: 0, 5: 2}, dont_know=1, answered=4, mean=11 / 3,
        allow_dont_know=True)
    assert scale.condition_values() == [1, 2, 3, 4, 5]
    strict = ScaleField()
    with pytest.raises(Invalid):
        strict.parse(DONT_KNOW)
    assert strict.summary([2, 4]).allow_dont_know is False
    assert isinstance(column_type({"type": "scale"}), ScaleField)


def test_grid_cells_walk_target_groups_times_columns(request_context):
    grid = question(QuestionType.GRID, GRID_CONFIG, required=True)
    cells = form_cells(grid, GROUPS)
    # Active groups of the grid's audience, a cell per column, in the form's order.
    assert [c.name for c in cells[:5]] == [
        "q_spm__7__doegn", "q_spm__7__budget", "q_spm__7__sammenhaeng", "q_spm__7__bemaerkning",
        "q_spm__8__doegn"]
    assert len(cells) == 8
    assert cells[0].label == "Spørgsmål – Udviklingshæmning – Døgn"
    answers: dict[str, Any] = {}
    cells[0].put(answers, 12)
    cells[6].put(answers, 1)
    assert answers == {"spm": {"7": {"doegn": 12}, "8": {"sammenhaeng": 1}}}
    assert [c.get(answers) for c in cells] == [12, None, None, None, None, None, 1, None]
    assert cells[6].display(answers) == "1"
    # A plain question is one cell, with its own name.
    plain = question(QuestionType.INTEGER, {})
    [cell] = form_cells(plain, GROUPS)
    assert (cell.name, cell.label, cell.get({"spm": 4})) == ("q_spm", "Spørgsmål", 4)
    # What a submission lacks: the remark the scale's 1 asks for.
    assert list(field_type(grid).missing(grid, GROUPS, answers)) == ["q_spm__8__bemaerkning"]
    # A required grid left empty: the message is the grid's own (its summary entry links to
    # the first cell, see test_parsing).
    assert list(field_type(grid).missing(grid, GROUPS, {})) == ["q_spm"]


@pytest.mark.parametrize("kind,config,field", [
    (QuestionType.INTEGER, {"min": 5, "max": 2}, "max"),
    (QuestionType.SINGLE_CHOICE, {"choices": ["Ja"]}, "choices"),
    (QuestionType.MULTIPLE_CHOICE, {"choices": ["Ja", "Ja"]}, "choices"),
    (QuestionType.GRID, {"audience": "adults", "columns": []}, "columns"),
    (QuestionType.GRID, {"audience": "adults", "columns": [{"key": "a", "type": "farve"}]},
     "columns"),
    (QuestionType.GRID, {"columns": [{"key": "a", "type": "text"}]}, "audience"),
])
def test_config_checks_point_at_the_builder_field(request_context, kind, config, field):
    with pytest.raises(WorkflowError) as refused:
        FIELD_TYPES[kind](config).check_config()
    assert refused.value.field == field


def test_settings_tell_the_builder_what_a_type_reads():
    assert {kind: FIELD_TYPES[kind].settings for kind in QuestionType if
            FIELD_TYPES[kind].settings} == {
        QuestionType.SHORT_TEXT: ("format",),
        QuestionType.INTEGER: ("min", "max"), QuestionType.DECIMAL: ("min", "max"),
        QuestionType.SINGLE_CHOICE: ("choices",), QuestionType.MULTIPLE_CHOICE: ("choices",),
        QuestionType.SCALE: ("allow_dont_know",), QuestionType.GRID: ("audience", "columns")}
    assert [kind for kind in QuestionType if FIELD_TYPES[kind].compound] == [QuestionType.GRID]
    assert GridField.widget == "grid"
