"""The state machines (webapp/workflows/states.py): every table walked move by move, the workflows
that move through them, and the template helpers that ask them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from tests import factories as f
from webapp import mail
from webapp.extensions import db as _db
from webapp.models import (
    AuditEvent,
    Cycle,
    CycleState,
    DeliveryState,
    EmailState,
    OutboundEmail,
    Questionnaire,
    QuestionnaireResponse,
    ReminderDelivery,
    ReminderRule,
    ResponseState,
    Role,
    RuleKind,
    TargetGroup,
)
from webapp.queries.reminders import LogRow
from webapp.workflows import WorkflowError, states
from webapp.workflows import cycles as cycle_flow
from webapp.workflows.questionnaires import responses as response_flow
from webapp.workflows.states import (
    CYCLES,
    DELIVERIES,
    EMAILS,
    RESPONSES,
    StateMachine,
)

# The workflows audit response and cycle moves; e-mail and delivery moves never were audited
# by the move itself (an e-mail's outcome keeps its own audit event, unchanged).
AUDITED = {"responses": True, "cycles": True, "reminder deliveries": False, "e-mails": False}


def audit_count() -> int:
    return _db.session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def last_audit() -> AuditEvent:
    event = _db.session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event is not None
    return event


def last_audit_of(action: str) -> AuditEvent:
    event = _db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)
                                .order_by(AuditEvent.id.desc())).first()
    assert event is not None
    return event


def _response(world: dict[str, Any]) -> QuestionnaireResponse:
    q, _groups = f.capacity_questionnaire(world["north"]["cycle"])
    obj = QuestionnaireResponse(questionnaire_id=q.id,
                                organisation_id=world["north"]["municipality"].id,
                                state=ResponseState.DRAFT, answers={}, prefilled=[],
                                created_at=f.at(2017, 3, 1), updated_at=f.at(2017, 3, 1))
    _db.session.add(obj)
    return obj


def _cycle(world: dict[str, Any]) -> Cycle:
    return world["north"]["cycle"]


def _delivery(world: dict[str, Any]) -> ReminderDelivery:
    milestone = f.milestone(world["north"]["cycle"], f.at(2017, 3, 1))
    rule = ReminderRule(milestone_id=milestone.id, kind=RuleKind.BEFORE, offset_days=1,
                        repeat_days=None, send_at="08:00", paused=False,
                        created_at=f.at(2017, 1, 1))
    _db.session.add(rule)
    _db.session.flush()
    obj = ReminderDelivery(rule_id=rule.id, milestone_id=milestone.id,
                           recipient="a@kommune.example", occurrence=0,
                           due_at=f.at(2017, 2, 1), state=DeliveryState.CLAIMED,
                           created_at=f.at(2017, 2, 1))
    _db.session.add(obj)
    return obj


def _email(world: dict[str, Any]) -> OutboundEmail:
    obj = OutboundEmail(region_id=world["north"]["region"].id, template="password_reset",
                        to_address="a@kommune.example", subject="Emne", body_text="",
                        body_html="", state=EmailState.QUEUED, urgent=True, attempts=0,
                        created_at=f.at(2017, 1, 1), next_attempt_at=f.at(2017, 1, 1))
    _db.session.add(obj)
    return obj


MACHINES = [
    pytest.param(RESPONSES, _response, id="responses"),
    pytest.param(CYCLES, _cycle, id="cycles"),
    pytest.param(DELIVERIES, _delivery, id="deliveries"),
    pytest.param(EMAILS, _email, id="emails"),
]


@pytest.mark.parametrize(("machine", "make"), MACHINES)
def test_every_move_of_the_table(db: Any, world: dict[str, Any], app: Any,
                                 machine: StateMachine[Any],
                                 make: Callable[[dict[str, Any]], Any]) -> None:
    """From every state to every state: an allowed move sets the state (and, where the
    workflows audit it, records the state really held before); any other is refused with the
    person's words and changes nothing."""
    with app.test_request_context():
        obj = make(world)
        actor = world["north"]["users"][Role.SECRETARIAT]
        region_id = world["north"]["region"].id
        allowed = refused = 0
        for current in machine.states:
            for target in machine.states:
                setattr(obj, machine.field, current)  # arrange, not a move
                _db.session.flush()
                events = audit_count()
                case = f"{machine.name}: {current.value} → {target.value}"
                if target in machine.transitions[current]:
                    allowed += 1
                    assert machine.can_move(obj, target) and machine.can_move(obj, target.value)
                    if AUDITED[machine.name]:
                        machine.move(obj, target, actor=actor, now=f.at(2017, 3, 2),
                                     action="response.submitted", region_id=region_id)
                        assert audit_count() == events + 1, case
                        event = last_audit()
                        assert event.action == "response.submitted" and event.object_id == obj.id
                        assert event.before == {"state": current.value}, case
                        assert event.after == {"state": target.value}, case
                    else:
                        assert machine.set_state(obj, target) == current, case
                        assert audit_count() == events, case
                    assert getattr(obj, machine.field) == target, case
                else:
                    refused += 1
                    assert not machine.can_move(obj, target), case
                    message = (f"Det er ikke muligt at gå fra “{machine.label(current)}” "
                               f"til “{machine.label(target)}”.")
                    with pytest.raises(WorkflowError) as error:
                        machine.move(obj, target, actor=actor, now=f.at(2017, 3, 2),
                                     action="response.submitted", region_id=region_id)
                    assert error.value.message == message, case
                    with pytest.raises(WorkflowError):
                        machine.set_state(obj, target)
                    assert getattr(obj, machine.field) == current, case
                    assert not _db.session.is_modified(obj), case
                    assert audit_count() == events, case
        assert allowed == sum(len(t) for t in machine.transitions.values())
        assert allowed + refused == len(machine.transitions) ** 2  # a row per state


def test_the_tables() -> None:
    assert RESPONSES.transitions == {
        ResponseState.DRAFT: {ResponseState.SUBMITTED},
        ResponseState.SUBMITTED: {ResponseState.REOPENED},
        ResponseState.REOPENED: {ResponseState.SUBMITTED},
    }
    assert CYCLES.transitions == {
        CycleState.DRAFT: {CycleState.OPEN},
        CycleState.OPEN: {CycleState.CLOSED},
        CycleState.CLOSED: {CycleState.OPEN},
    }
    # What a sender may claim comes from the table, and is what the claim's UPDATE always took.
    assert set(mail.SENDABLE) == set(EMAILS.sources(EmailState.SENDING)) == {
        EmailState.QUEUED, EmailState.FAILED, EmailState.SENDING}
    assert EMAILS.sources(EmailState.SENT)[0] == EmailState.QUEUED  # the enum's order
    assert set(DELIVERIES.sources(DeliveryState.SENT)) == {DeliveryState.CLAIMED,
                                                           DeliveryState.CANCELLED}
    assert not DELIVERIES.transitions[DeliveryState.SKIPPED]
    assert not EMAILS.transitions[EmailState.SENT]
    assert not EMAILS.transitions[EmailState.SKIPPED]


def test_a_machine_refuses_states_it_does_not_know(app: Any) -> None:
    with app.test_request_context():
        with pytest.raises(ValueError):
            RESPONSES.coerce("sendt")
        with pytest.raises(TypeError):
            RESPONSES.coerce(CycleState.OPEN)
        # StrEnum members compare equal to their values: another enum's "sent" is no e-mail's.
        with pytest.raises(TypeError):
            EMAILS.coerce(DeliveryState.SENT)
        with pytest.raises(TypeError, match="no label"):
            StateMachine("incomplete", {}, {ResponseState.DRAFT: "Kladde"})
        with pytest.raises(TypeError, match="no editable states"):
            EMAILS.is_editable(OutboundEmail(state=EmailState.SENT))


def test_template_helpers_dispatch_on_the_object(app: Any) -> None:
    with app.test_request_context():
        response = QuestionnaireResponse(state=ResponseState.SUBMITTED)
        cycle = Cycle(state=CycleState.CLOSED)
        email = OutboundEmail(state=EmailState.FAILED)
        delivery = ReminderDelivery(state=DeliveryState.CANCELLED)
        assert states.state_label(response) == "Indsendt"
        assert states.state_label(ResponseState.REOPENED) == "Genåbnet"
        assert states.state_label(cycle) == "Afsluttet"
        assert states.state_label(CycleState.OPEN) == "Åben"
        assert states.state_label(email) == "fejlet"
        assert states.state_label(delivery) == "annulleret"
        assert states.can_move(response, "reopened") and not states.can_move(response, "draft")
        assert states.can_move(cycle, CycleState.OPEN)
        assert not states.is_editable(response) and not states.is_editable(cycle)
        assert states.is_editable(QuestionnaireResponse(state=ResponseState.REOPENED))
        assert states.in_state(email, "failed") and not states.in_state(email, "sent")
        with pytest.raises(ValueError):
            states.in_state(email, "fejlet")  # a typo in a template fails loudly
        # The e-mail log's rows carry an e-mail's state as a string.
        row = LogRow(source="email", id=1, at=f.at(2017, 1, 1), recipient="a@b.example",
                     subject="", state="sent", attempts=1, last_error="", sent_at=None,
                     reason="", rule_kind=None, milestone_id=None, milestone_title=None,
                     cycle_id=None, organisation_name=None)
        assert states.machine_for(row) is EMAILS
        assert states.in_state(row, "sent") and row.state_label == "sendt"
        with pytest.raises(LookupError):
            states.state_label(object())


# -- through the workflows ------------------------------------------------------------------

def test_set_cycle_state_walks_the_table(db: Any, world: dict[str, Any], app: Any) -> None:
    secretariat = world["north"]["users"][Role.SECRETARIAT]
    # With its milestones (the views load them so too): an empty cycle may not open.
    cycle = db.session.scalar(select(Cycle).where(Cycle.id == world["north"]["cycle"].id)
                              .options(selectinload(Cycle.milestones))
                              .execution_options(populate_existing=True))
    assert cycle.milestones
    with app.test_request_context():
        for current in CycleState:
            for target in CycleState:
                cycle.state = current
                db.session.flush()
                events = audit_count()
                if target in CYCLES.transitions[current]:
                    cycle_flow.set_cycle_state(secretariat, cycle, target, now=f.at(2017, 1, 5))
                    event = last_audit()
                    assert (event.action, event.before, event.after) == (
                        f"cycle.{target.value}", {"state": current.value},
                        {"state": target.value})
                else:
                    with pytest.raises(WorkflowError, match="ikke muligt"):
                        cycle_flow.set_cycle_state(secretariat, cycle, target,
                                                   now=f.at(2017, 1, 5))
                    assert cycle.state == current and audit_count() == events


@pytest.fixture
def answering(db: Any, world: dict[str, Any], app: Any) -> Iterator[tuple[Any, Any, Any]]:
    with app.test_request_context():
        q, groups = f.capacity_questionnaire(world["north"]["cycle"])
        yield q, list(groups.values()), world["north"]


def _submit(north: dict[str, Any], q: Questionnaire, groups: list[TargetGroup],
            response: QuestionnaireResponse | None, when: datetime) -> QuestionnaireResponse:
    return response_flow.submit(
        north["users"][Role.RESPONDENT], q, north["municipality"], response,
        {"kontaktperson": "Anne"}, groups,
        version=response.version_id if response else None, now=when)


def test_submit_and_reopen_audit_the_state_held(db: Any, answering: Any, app: Any) -> None:
    q, groups, north = answering
    secretariat = north["users"][Role.SECRETARIAT]
    org = north["municipality"]
    with app.test_request_context():
        draft = response_flow.save_draft(north["users"][Role.RESPONDENT], q, org, None,
                                         {"kontaktperson": "A"}, version=None,
                                         now=f.at(2017, 3, 10))
        _submit(north, q, groups, draft, f.at(2017, 3, 11))
        submitted = last_audit_of("response.submitted")
        assert (submitted.before, submitted.after) == ({"state": "draft"},
                                                       {"state": "submitted"})
        held = draft.state
        response_flow.reopen(secretariat, q, draft, org, "Ret tallene", now=f.at(2017, 3, 12))
        reopened = last_audit_of("response.reopened")
        assert reopened.before == {"state": held.value} == {"state": "submitted"}
        assert reopened.after == {"state": "reopened", "reason": "Ret tallene"}
        _submit(north, q, groups, draft, f.at(2017, 3, 13))
        assert last_audit_of("response.submitted").before == {"state": "reopened"}


def test_reopen_audits_the_real_before_state_not_a_fixed_one(
        db: Any, answering: Any, app: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Regression: `reopen` wrote before={"state": "submitted"} whatever the response held.
    Under a table that also lets a draft be reopened, the trail must say it was a draft."""
    q, _groups, north = answering
    org = north["municipality"]
    wider = StateMachine(
        "responses",
        {**RESPONSES.transitions,
         ResponseState.DRAFT: {ResponseState.SUBMITTED, ResponseState.REOPENED}},
        RESPONSES.labels, editable=RESPONSES.editable)
    monkeypatch.setattr(response_flow, "RESPONSES", wider)
    with app.test_request_context():
        draft = response_flow.save_draft(north["users"][Role.RESPONDENT], q, org, None,
                                         {"kontaktperson": "A"}, version=None,
                                         now=f.at(2017, 3, 10))
        response_flow.reopen(north["users"][Role.SECRETARIAT], q, draft, org, "Tjek",
                             now=f.at(2017, 3, 11))
    event = last_audit_of("response.reopened")
    assert event.before == {"state": "draft"}
    assert event.after == {"state": "reopened", "reason": "Tjek"}


def test_read_only_is_decided_by_the_machine_alone(
        client: Any, db: Any, world: dict[str, Any], login_as: Any, clock: Any,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The workflow, the answer page and the status board all ask RESPONSES: widen its
    editable states and a submitted response is editable everywhere at once."""
    q, groups = f.capacity_questionnaire(world["north"]["cycle"])
    north = world["north"]
    org = north["municipality"]
    clock.set(f.at(2017, 3, 10, 9))
    with client.application.test_request_context():
        response = _submit(north, q, list(groups.values()), None, f.at(2017, 3, 10, 9))
    db.session.commit()

    def pages() -> tuple[str, str]:
        login_as(Role.RESPONDENT)
        answer = client.get(f"/skemaer/{q.id}/besvar").get_data(as_text=True)
        client.post("/logout")
        login_as(Role.SECRETARIAT)
        board = client.get(f"/skemaer/{q.id}/status").get_data(as_text=True)
        client.post("/logout")
        return answer, board

    extend = f"/skemaer/{q.id}/frist/{org.id}"
    answer, board = pages()
    assert "kan ikke ændres" in answer and extend not in board
    with client.application.test_request_context(), pytest.raises(WorkflowError):
        response_flow.save_draft(north["users"][Role.RESPONDENT], q, org, response, {},
                                 version=response.version_id, now=f.at(2017, 3, 11))

    monkeypatch.setattr(RESPONSES, "editable", frozenset(ResponseState))
    answer, board = pages()
    assert "kan ikke ændres" not in answer and extend in board
    with client.application.test_request_context():
        response_flow.save_draft(north["users"][Role.RESPONDENT], q, org, response,
                                 {"kontaktperson": "B"}, version=response.version_id,
                                 now=f.at(2017, 3, 11))
