"""The views' one way to run an operation (`views.common.perform`), `accounts.set_roles`, and
pages whose handling moved onto the helper."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask, get_flashed_messages
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload, selectinload

from tests import factories as f
from webapp.extensions import db as _db
from webapp.forms.cycles import CycleForm
from webapp.models import (
    AuditEvent,
    Cycle,
    CycleState,
    LoginAttempt,
    MilestoneKind,
    OutboundEmail,
    QuestionnaireResponse,
    Role,
    User,
)
from webapp.views.common import perform
from webapp.workflows import WorkflowError, accounts
from webapp.workflows import cycles as cycle_flow
from webapp.workflows.base import StaleEdit
from webapp.workflows.questionnaires import builder as build
from webapp.workflows.questionnaires import responses as answers

World = dict[str, Any]


def events(db: Any, action: str) -> list[AuditEvent]:
    return list(db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def reload(person: User) -> User:
    """A person as a request loads them: a rollback in a request expires every object, and the
    test session's relationships cannot load lazily."""
    return _db.session.scalars(
        select(User).where(User.id == person.id)
        .options(joinedload(User.organisation), selectinload(User.grants))
        .execution_options(populate_existing=True)).one()


def cycle_form(cycle: Cycle, title: str, version: int | str | None) -> CycleForm:
    """A submitted cycle form, as the edit page makes it from a POST."""
    return CycleForm(data={"title": title, "first_year": cycle.first_year,
                           "last_year": cycle.last_year, "description": "",
                           "version": "" if version is None else str(version)})


# -- perform --------------------------------------------------------------------------------

def test_success_commits_and_sends_the_queued_mail(
    app: Flask, db: Any, world: World, smtp: Any, clock: Any,
) -> None:
    north = world["north"]
    with app.test_request_context():
        outcome = perform(lambda: accounts.invite(
            north["users"][Role.SECRETARIAT], email="ny@kommune.example", name="Ny Person",
            organisation=north["municipality"], role=Role.RESPONDENT, now=clock.now()))
        assert outcome.ok and not outcome.conflict and outcome.error is None
        assert isinstance(outcome.value, User) and outcome.value.email == "ny@kommune.example"
        db.session.rollback()  # what was committed stays
    assert [m["To"] for m in smtp.inbox.messages] == ["ny@kommune.example"]
    assert db.session.scalar(select(User).where(User.email == "ny@kommune.example"))
    assert [e.object_label for e in events(db, "user.invited")] == ["ny@kommune.example"]


def test_refusal_rolls_back_and_shows_the_message_at_its_field(
    app: Flask, db: Any, world: World, smtp: Any, clock: Any,
) -> None:
    north = world["north"]
    secretariat = north["users"][Role.SECRETARIAT]

    def create_then_refuse() -> Cycle:
        # The operation changes rows, queues mail and then refuses: none of it may stay.
        cycle_flow.create_cycle(secretariat, region_id=north["region"].id, title="Halvt gjort",
                                first_year=2030, last_year=2030, now=clock.now())
        accounts.request_password_reset(secretariat.email, address="127.0.0.1",
                                        now=clock.now())
        raise WorkflowError("Nej tak.", field="title")

    with app.test_request_context(method="POST"):
        form = cycle_form(north["cycle"], "Halvt gjort", None)
        outcome = perform(create_then_refuse, form=form)
        assert not outcome.ok and not outcome.conflict
        assert outcome.error is not None and outcome.error.message == "Nej tak."
        assert form.title.errors == ["Nej tak."] and form.form_errors == []
        with pytest.raises(RuntimeError):
            _ = outcome.value
        assert get_flashed_messages() == []  # a form page shows it on the form, not flashed
    assert db.session.scalar(select(Cycle).where(Cycle.title == "Halvt gjort")) is None
    assert events(db, "cycle.created") == [] and events(db, "user.reset_requested") == []
    assert db.session.scalars(select(OutboundEmail)).all() == []
    assert smtp.inbox.messages == []


def test_refusal_without_a_form_is_flashed_or_left_to_the_view(
    app: Flask, db: Any, world: World, clock: Any,
) -> None:
    north = world["north"]
    respondent = north["users"][Role.RESPONDENT]
    with app.test_request_context(method="POST"):
        outcome = perform(lambda: cycle_flow.set_cycle_state(
            respondent, north["cycle"], CycleState.CLOSED, now=clock.now()))
        assert not outcome.ok and outcome.error is not None
        assert get_flashed_messages(with_categories=True) == [("error", outcome.error.message)]
    with app.test_request_context(method="POST"):
        respondent = reload(respondent)
        outcome = perform(lambda: cycle_flow.set_cycle_state(
            respondent, north["cycle"], CycleState.CLOSED, now=clock.now()), flash_errors=False)
        assert not outcome.ok and outcome.error is not None
        assert get_flashed_messages() == []


def test_stale_edit_with_a_form_shows_the_stored_record_and_the_new_version(
    app: Flask, db: Any, world: World, clock: Any,
) -> None:
    north = world["north"]
    cycle = north["cycle"]
    stored_title, version = cycle.title, cycle.version_id
    with app.test_request_context(method="POST"):
        form = cycle_form(cycle, "Min titel", version - 1)  # made from an older version
        outcome = perform(lambda: cycle_flow.update_cycle(
            north["users"][Role.SECRETARIAT], cycle, title="Min titel",
            first_year=cycle.first_year, last_year=cycle.last_year, description="",
            now=clock.now(), version=version - 1), form=form, stale=cycle)
        assert outcome.conflict and not outcome.ok
        assert isinstance(outcome.error, StaleEdit)
        assert form.form_errors == [outcome.error.message]
        assert form.version.data == str(version)  # saving again overwrites knowingly
        assert form.title.data == "Min titel"  # the person's input is kept
        assert cycle.title == stored_title  # the page shows the stored record beside it
    assert events(db, "cycle.updated") == []


def test_stale_data_error_at_commit_is_a_conflict(
    app: Flask, db: Any, world: World, clock: Any,
) -> None:
    north = world["north"]
    cycle = north["cycle"]
    stored_title, version = cycle.title, cycle.version_id
    # Someone else saves the cycle behind this session's back.
    table = Cycle.__table__
    db.session.execute(update(table).where(table.c.id == cycle.id).values(
        title="Ændret andetsteds", version_id=version + 1))
    db.session.commit()
    assert cycle.version_id == version and cycle.title == stored_title  # this session's copy

    def rename() -> None:
        cycle.title = "Min titel"  # nothing is written until the commit's flush

    with app.test_request_context(method="POST"):
        form = cycle_form(cycle, "Min titel", version)
        outcome = perform(rename, form=form, stale=cycle)
        assert outcome.conflict and not outcome.ok
        assert form.form_errors == [StaleEdit(cycle).message]
        assert form.version.data == str(version + 1)
        assert cycle.title == "Ændret andetsteds"
    # Without a form (a button): the conflict is flashed, in the view's own words if it has them.
    db.session.execute(update(table).where(table.c.id == cycle.id).values(
        title="Ændret igen", version_id=version + 2))
    db.session.commit()
    with app.test_request_context(method="POST"):
        cycle.title = "Min titel"
        outcome = perform(lambda: None, conflict_message="Prøv igen.")
        assert outcome.conflict
        assert get_flashed_messages(with_categories=True) == [("error", "Prøv igen.")]
    db.session.expire_all()
    assert db.session.get(Cycle, cycle.id).title == "Ændret igen"


def test_a_refused_login_attempt_is_kept(client: Any, db: Any, world: World) -> None:
    person = world["north"]["users"][Role.RESPONDENT]
    response = client.post("/login", data={"email": person.email, "password": "forkert"})
    assert response.status_code == 422
    assert "E-mailadressen eller adgangskoden er forkert." in response.get_data(as_text=True)
    db.session.expire_all()
    [attempt] = db.session.scalars(select(LoginAttempt).where(
        LoginAttempt.email == person.email)).all()
    assert attempt.success is False


# -- accounts.set_roles ---------------------------------------------------------------------

def test_set_roles_grants_revokes_and_deactivates_in_one_call(
    app: Flask, db: Any, world: World, clock: Any,
) -> None:
    north = world["north"]
    secretariat = reload(north["users"][Role.SECRETARIAT])
    target = reload(north["users"][Role.RESPONDENT])
    region_id = north["region"].id
    with app.test_request_context():
        accounts.set_roles(secretariat, target, {Role.POLITICIAN, Role.OBSERVER}, False,
                           now=clock.now())
    assert target.roles_in(region_id) == {Role.POLITICIAN, Role.OBSERVER}
    assert not target.active
    trail = db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "User", AuditEvent.object_id == target.id)
        .order_by(AuditEvent.id)).all()
    # The same rows, in the same order, as the grant/revoke/set_active calls made one by one.
    assert [(e.action, e.before, e.after) for e in trail] == [
        ("role.granted", None, {"role": "observer"}),
        ("role.granted", None, {"role": "politician"}),
        ("role.revoked", {"role": "respondent"}, None),
        ("user.deactivated", {"active": True}, {"active": False}),
    ]
    assert all(e.actor_id == secretariat.id and e.region_id == region_id for e in trail)


def test_set_roles_with_nothing_to_change_writes_nothing(
    app: Flask, db: Any, world: World, clock: Any,
) -> None:
    north = world["north"]
    target = reload(north["users"][Role.RESPONDENT])
    with app.test_request_context():
        accounts.set_roles(reload(north["users"][Role.SECRETARIAT]), target, {Role.RESPONDENT},
                           True, now=clock.now())
    assert db.session.scalars(select(AuditEvent)).all() == []


def test_set_roles_refuses_removing_ones_own_secretariat_role_and_writes_nothing(
    app: Flask, db: Any, world: World, clock: Any,
) -> None:
    north = world["north"]
    secretariat = reload(north["users"][Role.SECRETARIAT])
    region_id = north["region"].id
    with app.test_request_context():
        with pytest.raises(WorkflowError, match="fjerne din egen sekretariatsrolle"):
            accounts.set_roles(secretariat, secretariat, {Role.OBSERVER}, True, now=clock.now())
        # The observer role was granted before the refusal: the caller's rollback undoes it.
        db.session.rollback()
        secretariat = reload(secretariat)
        # As the person page runs it: refused, rolled back, nothing written.
        outcome = perform(lambda: accounts.set_roles(secretariat, secretariat, {Role.OBSERVER},
                                                     True, now=clock.now()))
        assert outcome.error is not None
        assert outcome.error.message == "Du kan ikke fjerne din egen sekretariatsrolle."
    db.session.expire_all()
    person = db.session.get(User, secretariat.id)
    assert person.roles_in(region_id) == {Role.SECRETARIAT} and person.active
    assert db.session.scalars(select(AuditEvent)).all() == []


# -- pages ----------------------------------------------------------------------------------

def test_prefill_page_fills_from_last_cycle_and_says_how_many(
    client: Any, db: Any, world: World, login_as: Callable[..., Any], app: Flask, clock: Any,
) -> None:
    north = world["north"]
    person, org = north["users"][Role.RESPONDENT], north["municipality"]
    with app.test_request_context():
        q, groups = f.capacity_questionnaire(north["cycle"])
        answers.submit(person, q, org, None, {"kontaktperson": "Anne", "pladser": 10,
                                              "tendens": "Stigende"}, list(groups.values()),
                       version=None, now=f.at(2017, 3, 10))
        next_cycle = f.cycle(north["region"], title="Rammeaftale 2019", first_year=2019,
                             state=CycleState.OPEN)
        ms = f.milestone(next_cycle, f.at(2018, 5, 1), kind=MilestoneKind.QUESTIONNAIRE,
                         starts_at=f.at(2018, 3, 1))
        clone = build.clone_questionnaire(north["users"][Role.SECRETARIAT], q, next_cycle,
                                          milestone=ms, title="Kapacitet 2019",
                                          now=f.at(2018, 2, 1))
    db.session.commit()
    clock.set(f.at(2018, 3, 2))
    login_as(person)
    response = client.post(f"/skemaer/{clone.id}/hent-sidste-aar", data={"version": ""})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/skemaer/{clone.id}/besvar")
    page = client.get(f"/skemaer/{clone.id}/besvar").get_data(as_text=True)
    assert "3 svar er hentet fra sidste cyklus." in page
    db.session.expire_all()
    stored = db.session.scalar(select(QuestionnaireResponse).where(
        QuestionnaireResponse.questionnaire_id == clone.id))
    assert stored.answers == {"kontaktperson": "Anne", "pladser": 10, "tendens": "Stigende"}
    # A second press with the page's old version is a conflict, said as before.
    response = client.post(f"/skemaer/{clone.id}/hent-sidste-aar",
                           data={"version": str(stored.version_id - 1)})
    assert response.status_code == 302
    page = client.get(f"/skemaer/{clone.id}/besvar").get_data(as_text=True)
    assert "Nogen har gemt besvarelsen imens. Prøv igen." in page
