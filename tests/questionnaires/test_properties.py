"""Property-based: whatever a browser (or anything else) posts to the answer form, the server
never fails, a refused post changes nothing, an accepted one stores exactly what the parser
read, and a draft is never lost.

Every example starts from a state it sets up itself (no response, a draft, a submitted or a
reopened response) at a moment it picks (before opening, while open, after the deadline), then
posts one random payload as the municipality's respondent. The examples share one rolled-back
transaction, so each example first clears what the previous one left.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, select
from werkzeug.datastructures import MultiDict

from tests import factories as f
from webapp.models import QuestionnaireResponse, ResponseState, Role, Submission
from webapp.views.questionnaires.answers import target_groups
from webapp.workflows.questionnaires.fields import completeness_errors, parse_answers

# Hypothesis leans towards the first of a list: the interesting cases come first.
MOMENTS = {
    "open": f.at(2017, 3, 10, 9),
    "after_deadline": f.at(2017, 5, 2, 9),
    "before_opening": f.at(2017, 2, 20, 9),
}
STATES = [ResponseState.DRAFT, ResponseState.REOPENED, "none", ResponseState.SUBMITTED]


@pytest.fixture
def setup(db, world):
    q, groups = f.capacity_questionnaire(world["north"]["cycle"])
    db.session.commit()
    questions = q.questions()
    region_groups = target_groups(world["north"]["region"].id)
    adults = [groups["Udviklingshæmning"].id, groups["Hjemløshed"].id]
    child = groups["Børn og unge med handicap"].id
    return {"q": q, "questions": questions, "groups": region_groups, "adults": adults,
            "child": child, "org": world["north"]["municipality"],
            "person": world["north"]["users"][Role.RESPONDENT]}


# -- strategies -----------------------------------------------------------------------------------

ODD_TEXT = st.sampled_from([
    "", " ", "\x00", "null", "None", "-", "0", "-0", "007", " 12 ", "1e5", "NaN", "inf", "-inf",
    "2.643", "2.643,5", "1,5", "1.5", "12.34.56", "٣", "²", "½", "9" * 30, "9" * 5000, "x" * 501,
    "y" * 10_001, "ja", "nej", "Ja", "true", "dont_know", "Stigende", "Bolig", "31.02.2017",
    "2017-02-31", "01.03.2017", "2017-03-01", "0001-01-01", "1.1.0000", "<script>", "'; --",
    "æøå ÆØÅ", "\u202e", "\ud7ff",
])
NUMBERS = st.one_of(
    st.integers(min_value=-10**6, max_value=10**15).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.decimals(allow_nan=False, allow_infinity=False, places=2).map(
        lambda d: str(d).replace(".", ",")),
    st.integers(min_value=0, max_value=10**7).map(lambda n: f"{n:,}".replace(",", ".")),
)
DATES = st.dates(min_value=date(1000, 1, 1)).flatmap(lambda d: st.sampled_from([
    d.strftime("%d.%m.%Y"), d.isoformat(), f"{d.day}/{d.month}/{d.year}"]))
SCALE = st.sampled_from(["1", "2", "3", "4", "5", "0", "6", "dont_know", "Ved ikke", ""])
CHOICES = st.sampled_from(["Stigende", "Uændret", "Faldende", "Bolig", "Dag", "Døgn", "ja",
                           "nej", ""])
SCALAR = st.one_of(ODD_TEXT, st.text(max_size=40), NUMBERS, DATES, SCALE, CHOICES)
# A field is absent, posted once, or posted several times (as checkboxes are).
FIELD = st.one_of(st.none(), SCALAR, st.lists(SCALAR, max_size=3))


def _fields(s: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    """Every field of the form: name -> (type, config)."""
    fields = {}
    for q in s["questions"]:
        if q.type.value == "grid":
            for group_id in s["adults"]:
                for column in q.config["columns"]:
                    fields[f"q_{q.key}__{group_id}__{column['key']}"] = (column["type"], column)
        else:
            fields[f"q_{q.key}"] = (q.type.value, q.config)
    return fields


def _grouped(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def valid_value(kind: str, config: dict[str, Any]) -> st.SearchStrategy[Any]:
    """What a person using the form could send for a field of this type."""
    if kind in ("short_text", "text"):
        return st.text(max_size=30)
    if kind == "long_text":
        return st.text(max_size=200)
    if kind == "integer":
        numbers = st.integers(min_value=config.get("min", -10**6),
                              max_value=config.get("max", 10**9))
        return st.one_of(numbers.map(str), numbers.filter(lambda n: n >= 0).map(_grouped))
    if kind == "decimal":
        return st.decimals(min_value=0, max_value=10**6, places=2).map(
            lambda d: str(d).replace(".", ","))
    if kind == "date":
        return DATES
    if kind == "yes_no":
        return st.sampled_from(["ja", "nej", ""])
    if kind == "scale":
        return st.sampled_from(["1", "2", "3", "4", "5", "dont_know", ""])
    if kind == "single_choice":
        return st.sampled_from([*config["choices"], ""])
    if kind == "multiple_choice":
        # The form posts a hidden empty value and one value per ticked box.
        return st.lists(st.sampled_from(config["choices"]), unique=True).map(lambda c: ["", *c])
    raise AssertionError(kind)


def _unknown_names(s: dict[str, Any]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from([
            f"q_voksne__{s['child']}__doegn",  # a group the grid does not ask about
            f"q_voksne__{s['adults'][0]}__findes_ikke", "q_voksne__999999__doegn",
            "q_voksne", "q_", "q_findes_ikke", "Q_kontaktperson", "q_kontaktperson ",
            "csrf_token", "foo", "",
        ]),
        st.text(max_size=20).map(lambda t: "q_" + t),
        st.text(max_size=20),
    )


# The version field: mostly the one the form was made from, sometimes anything else.
VERSIONS = st.one_of(
    st.sampled_from(["current"] * 4 + [None, "next", "", "0", "-1", "abc", " 1", "٣", "²",
                                       "9" * 11, "9" * 30, "9" * 5000]),
    st.text(max_size=6),
)


@dataclass
class Case:
    state: Any
    moment: str
    fields: dict[str, Any]
    extra: list[tuple[str, Any]]
    action: Any
    version: Any  # None: not posted; "current"/"next": the stored version (+1); else as is


@st.composite
def cases(draw: Any, s: dict[str, Any]) -> Case:
    """A complete answer with a few changes, what a browser could send, or anything at all."""
    mode = draw(st.sampled_from(["complete", "sane", "wild"]))
    known = _fields(s)
    if mode == "complete":
        fields = dict(valid_case(s).fields)
        for name in draw(st.sets(st.sampled_from(sorted(known)), max_size=3)):
            kind, config = known[name]
            fields[name] = draw(st.one_of(st.none(), valid_value(kind, config)))
    else:
        fields = {}
        for name, (kind, config) in known.items():
            sane = st.one_of(st.none(), valid_value(kind, config))
            fields[name] = draw(st.one_of(sane, FIELD) if mode == "wild" else sane)
    extra = draw(st.lists(st.tuples(_unknown_names(s), SCALAR), max_size=2)) \
        if mode == "wild" else []
    return Case(
        state=draw(st.sampled_from(STATES)),
        moment=draw(st.sampled_from(["open", "open", "after_deadline", "before_opening"])),
        fields=fields,
        extra=extra,
        action=draw(st.one_of(st.sampled_from(["submit", "save", None, "", "slet"]),
                              st.text(max_size=8))),
        version=draw(VERSIONS),
    )


def valid_case(s: dict[str, Any], **changes: Any) -> Case:
    """A complete, valid answer: the happy path, and where random changes start from."""
    g, h = s["adults"]
    fields = {
        "q_kontaktperson": "Anne Andersen", "q_pladser": "2.643", "q_budget": "1,8",
        "q_opgjort": "01.03.2017", "q_nye_tilbud": "ja", "q_tendens": "Stigende",
        "q_omraader": ["Bolig", "Døgn"], "q_samlet": "2", "q_samlet_forklaring": "For få",
        f"q_voksne__{g}__doegn": "12", f"q_voksne__{g}__behov": "14",
        f"q_voksne__{g}__sammenhaeng": "1", f"q_voksne__{g}__bemaerkning": "Mangler 2 pladser",
        f"q_voksne__{h}__sammenhaeng": "dont_know",
    }
    case = Case(state="none", moment="open", fields=fields, extra=[], action="submit",
                version=None)
    for key, value in changes.items():
        setattr(case, key, value)
    return case


# -- the starting state ---------------------------------------------------------------------------

STARTING_ANSWERS = {"kontaktperson": "Før", "pladser": 7, "tendens": "Uændret",
                    "omraader": ["Dag"]}


def _start(db: Any, s: dict[str, Any], state: Any) -> None:
    """Clear what the last example left and create the response this example starts from."""
    q = s["q"]
    db.session.execute(delete(Submission).where(Submission.questionnaire_id == q.id))
    db.session.execute(delete(QuestionnaireResponse).where(
        QuestionnaireResponse.questionnaire_id == q.id))
    if state != "none":
        at = MOMENTS["open"]
        response = QuestionnaireResponse(questionnaire_id=q.id, organisation_id=s["org"].id,
                                         state=state,
                            answers=dict(STARTING_ANSWERS), prefilled=["pladser"],
                            created_at=at, updated_at=at, updated_by_id=s["person"].id,
                            updated_by_name=s["person"].name)
        if state != ResponseState.DRAFT:
            response.submitted_at = at
            response.submitted_by_name = s["person"].name
        db.session.add(response)
        db.session.flush()
        if state != ResponseState.DRAFT:
            db.session.add(Submission(response_id=response.id, questionnaire_id=q.id,
                                      organisation_id=s["org"].id, submitted_at=at,
                                      submitted_by_name=s["person"].name,
                                      answers=dict(STARTING_ANSWERS)))
    db.session.commit()


def _stored(db: Any, s: dict[str, Any]) -> dict[str, Any] | None:
    """Everything a post could change, read afresh from the database."""
    response = db.session.scalar(
        select(QuestionnaireResponse).where(QuestionnaireResponse.questionnaire_id == s["q"].id)
        .execution_options(populate_existing=True))
    submissions = db.session.scalar(select(func.count(Submission.id)).where(
        Submission.questionnaire_id == s["q"].id))
    if response is None:
        return None if not submissions else {"orphan_submissions": submissions}
    return {"id": response.id, "state": response.state, "answers": response.answers,
            "prefilled": response.prefilled, "version": response.version_id,
            "updated_at": response.updated_at, "submitted_at": response.submitted_at,
            "reopen_reason": response.reopen_reason, "submissions": submissions}


def _payload(case: Case, before: dict[str, Any] | None) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    for name, value in [*case.fields.items(), *case.extra]:
        if value is None:
            continue
        for one in value if isinstance(value, list) else [value]:
            items.append((name, one))
    if case.action is not None:
        items.append(("action", case.action))
    if case.version is not None:
        current = before["version"] if before else 1
        version = {"current": str(current), "next": str(current + 1)}.get(
            case.version, case.version)
        items.append(("version", version))
    return items


def _expected_status(case: Case, s: dict[str, Any], before: dict[str, Any] | None,
                     form: MultiDict[str, str]) -> int:
    """The order the view and the workflows check things in."""
    sheet = parse_answers(s["questions"], s["groups"], form)
    submit = form.get("action", "save") == "submit"
    # A version is plain ASCII digits, fewer than 12; empty is "no response yet"; anything
    # else is a broken form: 400.
    raw = form.get("version", "")
    version = int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 12 else None
    if sheet.errors:
        return 422
    if raw != "" and version is None:
        return 400
    if case.moment == "before_opening":
        return 422
    if before is not None and before["state"] == ResponseState.SUBMITTED:
        return 422
    if submit and case.moment == "after_deadline":
        return 422
    if submit and completeness_errors(s["questions"], s["groups"], sheet.values):
        return 422
    if before is None:
        return 422 if version is not None else 302
    if version != before["version"]:
        return 409
    return 302


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
@example(data="happy path")  # first, so a broken setup fails loudly
@example(data="NUL characters")  # PostgreSQL's jsonb would refuse them; json takes them
def test_random_posts_never_fail_or_corrupt(client, db, setup, clock, data):
    s = setup
    if data == "happy path":
        case = valid_case(s)
    elif data == "NUL characters":
        g = s["adults"][0]
        case = valid_case(s, action="save")
        case.fields |= {"q_kontaktperson": "Anne\x00Andersen",
                        f"q_voksne__{g}__bemaerkning": "\x00"}
    else:
        case = data.draw(cases(s))
    _start(db, s, case.state)
    clock.set(MOMENTS[case.moment])
    before = _stored(db, s)
    items = _payload(case, before)
    form = MultiDict(items)
    expected = _expected_status(case, s, before, form)

    assert client.post("/login", data={"email": s["person"].email,
                                       "password": f.PASSWORD}).status_code == 302
    result = client.post(f"/skemaer/{s['q'].id}/besvar", data=form)
    after = _stored(db, s)

    assert result.status_code < 500
    kind = "submit" if form.get("action") == "submit" else "save"
    event(f"{case.state} at {case.moment}, {kind}: {result.status_code}")
    assert result.status_code == expected, (result.status_code, expected, items)
    if isinstance(data, str):
        assert result.status_code == 302
    if result.status_code != 302:
        # Refused: the stored response is exactly what it was; nothing is half-saved.
        assert after == before
        return
    sheet = parse_answers(s["questions"], s["groups"], form)
    assert after is not None and after["answers"] == sheet.values
    if form.get("action", "save") == "submit":
        assert after["state"] == ResponseState.SUBMITTED
        assert after["submissions"] == (before["submissions"] if before else 0) + 1
        assert after["submitted_at"] == MOMENTS[case.moment]
    else:
        # A save keeps the state: a draft stays a draft, a reopened response stays reopened.
        assert after["state"] == (before["state"] if before else ResponseState.DRAFT)
        assert after["submissions"] == (before["submissions"] if before else 0)
    if before is not None:
        assert after["id"] == before["id"]  # the same draft, never a replacement
        assert after["version"] > before["version"]  # an older form is now stale
    assert after["updated_at"] == MOMENTS[case.moment]


def test_a_refused_post_keeps_the_draft(client, db, setup, clock):
    """A concrete case of the property: a draft survives a bad post and a stale post."""
    s = setup
    _start(db, s, ResponseState.DRAFT)
    clock.set(MOMENTS["open"])
    client.post("/login", data={"email": s["person"].email, "password": f.PASSWORD})
    before = _stored(db, s)
    bad = valid_case(s).fields | {"q_pladser": "mange", "action": "save", "version": "1"}
    assert client.post(f"/skemaer/{s['q'].id}/besvar", data=bad).status_code == 422
    stale = valid_case(s).fields | {"action": "save", "version": "0"}
    assert client.post(f"/skemaer/{s['q'].id}/besvar", data=stale).status_code == 409
    assert _stored(db, s) == before
    assert before["answers"] == STARTING_ANSWERS


def _post_complete(client: Any, s: dict[str, Any], **fields: str) -> Any:
    client.post("/login", data={"email": s["person"].email, "password": f.PASSWORD})
    return client.post(f"/skemaer/{s['q'].id}/besvar",
                       data=valid_case(s).fields | {"action": "save", **fields})


def test_an_integer_with_thousands_of_digits_is_a_typing_error(client, db, setup, clock):
    """Found by the property above: int() refuses more than 4,300 digits with a ValueError,
    which was a 500 until parse_integer checked the length first."""
    s = setup
    _start(db, s, "none")
    clock.set(MOMENTS["open"])
    result = _post_complete(client, s, q_pladser="9" * 5000)
    assert result.status_code == 422
    assert "Tallet er for langt." in result.get_data(as_text=True)
    assert _stored(db, s) is None


def test_a_version_of_superscript_digits_is_not_a_crash(client, db, setup, clock):
    """Found by the property above: "²" passes str.isdigit() but not int(); the view read the
    version with `int(raw) if raw.isdigit()`, a 500, until it took plain ASCII digits only.
    A version that is not one is now a bad request (400), no longer "a form from before"."""
    s = setup
    _start(db, s, ResponseState.DRAFT)
    clock.set(MOMENTS["open"])
    before = _stored(db, s)
    result = _post_complete(client, s, version="²")
    assert result.status_code == 400  # no readable version: a broken form, never "no check"
    assert _stored(db, s) == before
