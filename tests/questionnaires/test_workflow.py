"""The questionnaire workflows called directly: prefill, extensions, reopening, permissions."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests import factories as f
from webapp.models import CycleState, MilestoneKind, QuestionnaireResponse, ResponseState, Role
from webapp.workflows import PermissionDenied, WorkflowError
from webapp.workflows.questionnaires import builder as build
from webapp.workflows.questionnaires import responses as flow


@pytest.fixture
def setup(db, world, app):
    with app.test_request_context():
        q, groups = f.capacity_questionnaire(world["north"]["cycle"])
        yield q, list(groups.values()), world["north"]


def test_prefill_fills_only_empty_answers_and_marks_them(db, world, setup, app):
    q, groups, north = setup
    person = north["users"][Role.RESPONDENT]
    org = north["municipality"]
    with app.test_request_context():
        flow.submit(person, q, org, None, {"kontaktperson": "Anne", "pladser": 10,
                                           "tendens": "Stigende"}, groups,
                    version=None, now=f.at(2017, 3, 10))
        next_cycle = f.cycle(north["region"], title="Rammeaftale 2019", first_year=2019,
                             state=CycleState.OPEN)
        ms = f.milestone(next_cycle, f.at(2018, 5, 1), kind=MilestoneKind.QUESTIONNAIRE,
                         starts_at=f.at(2018, 3, 1))
        secretariat = north["users"][Role.SECRETARIAT]
        clone = build.clone_questionnaire(secretariat, q, next_cycle, milestone=ms,
                                          title="Kapacitet 2019", now=f.at(2018, 2, 1))
        draft = flow.save_draft(person, clone, org, None, {"pladser": 12}, version=None,
                                now=f.at(2018, 3, 2))
        response, filled = flow.prefill(person, clone, org, draft, groups,
                                        version=draft.version_id, now=f.at(2018, 3, 2))
    assert filled == 2
    assert response.answers == {"pladser": 12, "kontaktperson": "Anne", "tendens": "Stigende"}
    assert sorted(response.prefilled) == ["kontaktperson", "tendens"]
    with app.test_request_context():
        flow.save_draft(person, clone, org, response,
                        {**response.answers, "tendens": "Faldende"},
                        version=response.version_id, now=f.at(2018, 3, 3))
    assert response.prefilled == ["kontaktperson"]  # touched answers lose the mark


def test_prefill_needs_a_previous_submission(db, setup, app):
    q, groups, north = setup
    with app.test_request_context(), pytest.raises(WorkflowError, match="ikke kopieret"):
        flow.prefill(north["users"][Role.RESPONDENT], q, north["municipality"], None, groups,
                     version=None, now=f.at(2017, 3, 10))


def test_only_own_organisation_and_respondents_answer(db, world, setup, app):
    q, _groups, north = setup
    with app.test_request_context():
        for role in (Role.SECRETARIAT, Role.STEERING_MEMBER, Role.OBSERVER):
            with pytest.raises(PermissionDenied):
                flow.save_draft(north["users"][role], q, north["municipality"], None, {},
                                version=None, now=f.at(2017, 3, 10))
        with pytest.raises(PermissionDenied):
            flow.save_draft(world["mid"]["users"][Role.RESPONDENT], q, north["municipality"],
                            None, {}, version=None, now=f.at(2017, 3, 10))


def test_not_before_it_opens(db, setup, app):
    q, _groups, north = setup
    with app.test_request_context(), pytest.raises(WorkflowError, match=r"åbner 01\.03\.2017"):
        flow.save_draft(north["users"][Role.RESPONDENT], q, north["municipality"], None, {},
                        version=None, now=f.at(2017, 2, 28))


def test_extension_rules(db, setup, app):
    q, _groups, north = setup
    secretariat = north["users"][Role.SECRETARIAT]
    org = north["municipality"]
    with app.test_request_context():
        with pytest.raises(WorkflowError, match="efter den almindelige frist"):
            flow.grant_extension(secretariat, q, org, f.at(2017, 4, 30), "", now=f.at(2017, 4, 1))
        with pytest.raises(PermissionDenied):
            flow.grant_extension(north["users"][Role.RESPONDENT], q, org, f.at(2017, 5, 10), "",
                                 now=f.at(2017, 4, 1))
        extension = flow.grant_extension(secretariat, q, org, f.at(2017, 5, 10), "Ferie",
                                         now=f.at(2017, 4, 1))
        again = flow.grant_extension(secretariat, q, org, f.at(2017, 5, 20), "Mere ferie",
                                     now=f.at(2017, 4, 2))
    assert again.id == extension.id and flow.deadline_for(q, again).extended


def test_reopen_only_submitted(db, setup, app):
    q, groups, north = setup
    person = north["users"][Role.RESPONDENT]
    secretariat = north["users"][Role.SECRETARIAT]
    org = north["municipality"]
    with app.test_request_context():
        draft = flow.save_draft(person, q, org, None, {"kontaktperson": "A"}, version=None,
                                now=f.at(2017, 3, 10))
        with pytest.raises(WorkflowError, match="ikke muligt"):
            flow.reopen(secretariat, q, draft, org, "fordi", now=f.at(2017, 3, 11))
        submitted = flow.submit(person, q, org, draft, {"kontaktperson": "A"}, groups,
                                version=draft.version_id, now=f.at(2017, 3, 12))
        with pytest.raises(WorkflowError, match="kan ikke ændres"):
            flow.save_draft(person, q, org, submitted, {}, version=submitted.version_id,
                            now=f.at(2017, 3, 13))
        flow.reopen(secretariat, q, submitted, org, "Ret tallene", now=f.at(2017, 3, 14))
    response = db.session.scalar(select(QuestionnaireResponse).where(
        QuestionnaireResponse.questionnaire_id == q.id))
    assert response.state == ResponseState.REOPENED and response.reopen_reason == "Ret tallene"


def test_builder_guards(db, setup, app, world):
    q, groups, north = setup
    secretariat = north["users"][Role.SECRETARIAT]
    with app.test_request_context():
        by_key = {x.key: x for x in q.questions()}
        section = q.sections[0]
        # A condition on a free-text question, or with an answer the question does not have.
        with pytest.raises(WorkflowError, match="skala-, ja/nej- eller valgspørgsmål"):
            build.add_question(secretariat, q, section, type=by_key["kontaktperson"].type,
                               label="X", condition={"question": "kontaktperson", "in": ["a"]},
                               now=f.at(2017, 2, 1))
        with pytest.raises(WorkflowError, match="svar, som spørgsmålet ikke har"):
            build.add_question(secretariat, q, section, type=by_key["kontaktperson"].type,
                               label="X", condition={"question": "samlet", "in": [7]},
                               now=f.at(2017, 2, 1))
        # "samlet" carries a condition of another question: it must keep fixed answers.
        target = by_key["samlet"]
        with pytest.raises(WorkflowError, match="typen skal give faste svar"):
            build.update_question(secretariat, q, target, type=by_key["kontaktperson"].type,
                                  label=target.label, help_text="", required=False, config={},
                                  condition=None, now=f.at(2017, 2, 1))
        # Renaming a target group onto another's name is refused, not a crash at commit.
        a, b = groups[0], groups[1]
        with pytest.raises(WorkflowError, match="findes allerede"):
            build.update_target_group(secretariat, a, name=b.name, active=True,
                                      now=f.at(2017, 2, 1))
        # A closed cycle locks the questionnaire for every change.
        q.cycle.state = CycleState.CLOSED
        with pytest.raises(WorkflowError, match="afsluttet"):
            build.add_section(secretariat, q, title="Nyt", now=f.at(2017, 2, 1))
