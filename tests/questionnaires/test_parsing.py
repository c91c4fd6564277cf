"""Turning typed answers into values: Danish numbers and dates, bounds, choices, conditions."""

from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from tests import factories as f
from webapp.formatting import join_or
from webapp.workflows.questionnaires.fields import (
    Invalid,
    completeness_errors,
    display,
    labelled_errors,
    parse_answers,
    parse_date,
    parse_decimal,
    parse_integer,
    raw_from_values,
)


@pytest.mark.parametrize("text,value", [
    ("12", 12), ("2.643", 2643), ("1.234.567", 1234567), (" 7 ", 7), ("-3", -3), ("2 643", 2643)])
def test_integers_danish_style(app, text, value):
    with app.test_request_context():
        assert parse_integer(text) == value


@pytest.mark.parametrize("text", ["1,5", "12.5", "abc", "1.23", "", "1e3", "١٢"])
def test_not_integers(app, text):
    with app.test_request_context(), pytest.raises(Invalid):
        parse_integer(text)


@pytest.mark.parametrize("text,value", [
    ("1,8", 1.8), ("2.643,5", 2643.5), ("1.5", 1.5), ("2.643", 2643.0), ("0", 0.0)])
def test_decimals_danish_style(app, text, value):
    with app.test_request_context():
        assert parse_decimal(text) == value


@pytest.mark.parametrize("text,value", [
    ("24.10.2016", "2016-10-24"), ("1.3.2017", "2017-03-01"), ("2017-03-01", "2017-03-01")])
def test_dates(app, text, value):
    with app.test_request_context():
        assert parse_date(text) == value


@pytest.mark.parametrize("text", ["31.02.2017", "2017-13-01", "i morgen", "01/01/17"])
def test_impossible_dates(app, text):
    with app.test_request_context(), pytest.raises(Invalid):
        parse_date(text)


@pytest.fixture
def questions(db, world):
    q, groups = f.capacity_questionnaire(world["north"]["cycle"])
    return q, list(groups.values())


def test_round_trip_through_the_form(app, questions):
    q, groups = questions
    adults = next(g for g in groups if g.name == "Udviklingshæmning")
    form = MultiDict([
        ("q_kontaktperson", "Anne"), ("q_pladser", "2.643"), ("q_budget", "1,8"),
        ("q_opgjort", "01.03.2017"), ("q_nye_tilbud", "nej"), ("q_tendens", "Uændret"),
        ("q_omraader", ""), ("q_omraader", "Dag"), ("q_omraader", "Bolig"),
        ("q_samlet", "dont_know"),
        (f"q_voksne__{adults.id}__doegn", "12"),
        (f"q_voksne__{adults.id}__sammenhaeng", "3"),
    ])
    with app.test_request_context():
        sheet = parse_answers(q.questions(), groups, form)
        assert sheet.errors == {}
        assert sheet.values["nye_tilbud"] is False
        assert sheet.values["omraader"] == ["Bolig", "Dag"]  # in the offered order
        assert sheet.values["voksne"] == {str(adults.id): {"doegn": 12, "sammenhaeng": 3}}
        raw = raw_from_values(q.questions(), groups, sheet.values)
        assert raw["q_budget"] == "1,8" and raw["q_opgjort"] == "01.03.2017"
        assert parse_answers(q.questions(), groups, MultiDict(
            [(k, v) for k, vs in raw.items() for v in (vs if isinstance(vs, list) else [vs])]
        )).values == sheet.values
        assert display(2643, "integer") == "2.643" and display("dont_know", "scale") == "Ved ikke"


def test_errors_are_per_field_and_raw_is_kept(app, questions):
    q, groups = questions
    form = MultiDict([("q_pladser", "20000"), ("q_samlet", "6"), ("q_tendens", "Vild"),
                      ("q_omraader", "Hav"), ("q_nye_tilbud", "måske"), ("q_fantasi", "x"),
                      ("q_kontaktperson", "a" * 501)])
    with app.test_request_context():
        sheet = parse_answers(q.questions(), groups, form)
    assert set(sheet.errors) == {"q_pladser", "q_samlet", "q_tendens", "q_omraader",
                                 "q_nye_tilbud", "q_kontaktperson", "_unknown"}
    assert "mellem 0 og 10.000" in sheet.errors["q_pladser"]
    assert sheet.raw["q_pladser"] == "20000"


def test_conditions(app, questions):
    q, groups = questions
    adults = next(g for g in groups if g.name == "Hjemløshed")
    with app.test_request_context():
        base = {"kontaktperson": "Anne"}
        assert completeness_errors(q.questions(), groups, base) == {}
        errors = completeness_errors(q.questions(), groups, {**base, "samlet": 2})
        assert set(errors) == {"q_samlet_forklaring"}
        assert completeness_errors(q.questions(), groups, {**base, "samlet": 4}) == {}
        grid = {"voksne": {str(adults.id): {"sammenhaeng": 1}}}
        errors = completeness_errors(q.questions(), groups, {**base, **grid})
        assert list(errors) == [f"q_voksne__{adults.id}__bemaerkning"]
        assert "q_kontaktperson" in completeness_errors(q.questions(), groups, {})


def test_every_message_names_its_question_and_cell(app, questions):
    """Issue 9, item 3: the summary carries the question (a grid cell: grid, target group and
    column) with each message; a condition names the question and answer it builds on; a grid
    left empty names the grid; alternatives read "1 eller 2"."""
    q, groups = questions
    adults = next(g for g in groups if g.name == "Hjemløshed")
    first = groups[0]  # the grid's first row, where its own message links
    with app.test_request_context():
        values = {"samlet": 2, "voksne": {str(adults.id): {"sammenhaeng": 1}}}
        errors = completeness_errors(q.questions(), groups, values)
        assert errors["q_samlet_forklaring"] == (
            "Besvar spørgsmålet. Det er påkrævet, fordi svaret på “Samlet sammenhæng” er “2”.")
        cell = f"q_voksne__{adults.id}__bemaerkning"
        assert errors[cell] == ("Udfyld feltet. Det er påkrævet, når “Sammenhæng mellem behov "
                                "og udbud” er 1 eller 2.")
        sheet = parse_answers(q.questions(), groups, MultiDict([
            (f"q_voksne__{adults.id}__doegn", "tolv")]))
        items = labelled_errors(q.questions(), groups, {**errors, **sheet.errors})
        shown = {e.name: (e.anchor, e.label, e.message) for e in items}
        assert shown[f"q_voksne__{adults.id}__doegn"] == (
            f"q_voksne__{adults.id}__doegn", "Behov og udbud for voksne – Hjemløshed – "
            "Pladser i dag – døgn", "Skriv et helt tal, fx 12.")
        assert shown[cell][1] == "Behov og udbud for voksne – Hjemløshed – Bemærkning"
        assert shown["q_samlet_forklaring"][1] == "Forklaring"
        # In the form's order: the questions of section one, then the grid's cells.
        assert [e.name for e in items] == ["q_kontaktperson", "q_samlet_forklaring",
                                           f"q_voksne__{adults.id}__doegn", cell]

        # A required grid left empty: the grid's own message, labelled with the grid.
        q.questions()[-1].required = True
        errors = completeness_errors(q.questions(), groups, {"kontaktperson": "Anne"})
        assert errors == {"q_voksne": "Udfyld skemaet for mindst én målgruppe."}
        [item] = labelled_errors(q.questions(), groups, errors)
        assert item.label == "Behov og udbud for voksne"
        assert item.anchor == f"q_voksne__{first.id}__doegn"


@pytest.mark.parametrize("items,text", [
    ([], ""), (["1"], "1"), ([1, 2], "1 eller 2"), (["1", "2", "3"], "1, 2 eller 3")])
def test_danish_alternatives(app, items, text):
    with app.test_request_context():
        assert join_or(items) == text
