"""The rule table, walked: every role × action on an own-region object, a foreign-region object,
anonymously and as the system actor. The expected table is written out here, independently of
the rules, so a changed rule must change this file too."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask_login import AnonymousUserMixin

from tests import factories as f
from webapp.extensions import db as _db
from webapp.models import (
    Consultation,
    ConsultationParty,
    ConsultationState,
    CycleState,
    Initiative,
    Publication,
    Role,
    Workshop,
    WorkshopInvitee,
)
from webapp.permissions import SYSTEM, RegionScope, can, require, rules
from webapp.permissions.consultation_responses import ResponsesOf
from webapp.permissions.consultations import LinkAccess
from webapp.permissions.questionnaires import Answering
from webapp.permissions.workshop_input import ItemInput, ThemeInput
from webapp.permissions.workshops import Attendance
from webapp.workflows import PermissionDenied

S, R, SM, UO, P, OB = (Role.SECRETARIAT, Role.RESPONDENT, Role.STEERING_MEMBER, Role.USER_ORG_REP,
                      Role.POLITICIAN, Role.OBSERVER)
EVERYONE = {S, R, SM, UO, P, OB}

# action -> (roles allowed on an own-region object, system allowed, anonymous allowed)
EXPECTED: dict[str, tuple[set[Role], bool, bool]] = {
    "region.administer": ({S}, False, False),
    "cycle.view": (EVERYONE, False, False),
    "cycle.manage": ({S}, False, False),
    "cycle.public_feed": (EVERYONE, False, True),
    "people.create": (set(), True, False),
    "people.manage": ({S}, False, False),
    "organisation.manage": ({S}, True, False),
    "audit.view": ({S}, False, False),
    "questionnaire.build": ({S}, True, False),
    "questionnaire.follow_up": ({S}, False, False),
    "questionnaire.read_results": ({S, SM, OB}, False, False),
    "questionnaire.answer": ({R}, False, False),
    "questionnaire.read_response": ({S, R}, False, False),
    "consultation.manage": ({S}, True, False),
    # on an opened consultation whose list holds the region's municipality (not the user org)
    "consultation.view": ({S, R, SM, P, OB}, False, False),
    # anyone holding an external party's personal link, signed in or not, any region
    "consultation.view_by_link": (EVERYONE, False, True),
    "reminders.manage": ({S}, False, False),
    # before the deadline; the rules after it are walked in tests/consultations
    "consultation.respond": ({R}, False, False),
    "consultation.read_responses": ({S}, False, False),
    "email_log.view": ({S}, False, False),
    "agreement.manage": ({S}, True, False),
    "agreement.read": (EVERYONE, False, False),
    "consultation.process": ({S}, False, False),
    # on the round (which the municipality is a party of) and its undecided record
    "approval.manage": ({S}, True, False),
    "approval.record": ({S, R}, False, False),
    "approval.view": ({S, R}, False, False),
    "workshop.manage": ({S}, True, False),
    # asked about the respondent's own invitation (Attendance); the secretariat needs none
    "workshop.view": ({S, R}, False, False),
    # one's own invitation only; an address's personal link is walked in its own test below
    "workshop.signup": ({R}, False, False),
    # on a theme (ThemeInput) before the input deadline, nobody its facilitator or participant;
    # those rights are walked in tests/workshops and below
    "workshop.input": ({S}, True, False),
    "workshop.read_input": ({S}, False, False),
    "workshop.theme_list": ({S}, True, False),
    # regions on the platform (the operator's command line) and the import from a file
    "region.operate": (set(), True, False),
    "region.import": ({S}, True, False),
    # prioritisation boards: asked about an open board the steering member is on (the results
    # and the individual scores about a closed one)
    "board.manage": ({S}, True, False),
    "board.view": ({S, SM}, False, False),
    "board.score": ({SM}, False, False),
    "board.results": ({S}, False, False),
    "board.scores": ({S}, False, False),
    # the theme day, asked about an open vote
    "theme_day.manage": ({S}, True, False),
    "theme_day.view": (EVERYONE, False, False),
    "theme_day.vote": ({P}, False, False),
    # focus areas: an initiative whose lead is the municipality
    "focus_area.manage": ({S}, True, False),
    "focus_area.report": ({S, R}, True, False),
    # person-to-person actions are walked in their own tests below
    "profile.edit": (set(), False, False),
    "calendar_token.revoke": (set(), False, False),
    "api_token.revoke": (set(), False, False),
}
PERSONAL = {"profile.edit", "calendar_token.revoke", "api_token.revoke"}


def test_every_registered_action_is_in_the_expected_table():
    assert set(rules()) == set(EXPECTED)


@pytest.fixture
def objects(db, world):
    """For each region: the object each action is asked about."""
    out: dict[str, Any] = {}
    for key in ("north", "mid"):
        cycle = world[key]["cycle"]
        cycle.state = CycleState.OPEN
        q, _ = f.capacity_questionnaire(cycle, title=f"Kapacitet {key}")
        consultation = _opened_consultation(cycle, world[key]["municipality"].id)
        external = next(p for p in consultation.parties if p.organisation_id is None)
        party = next(p for p in consultation.parties if p.organisation_id is not None)
        party.consultation = consultation
        out[key] = {"cycle": cycle, "party": party,
                    "responses": ResponsesOf(consultation, frozenset(), frozenset()),
                    "answering": Answering(q, world[key]["municipality"]),
                    "consultation": consultation,
                    "link": LinkAccess(consultation, [external.id]),
                    "attendance": _invited(cycle, world[key]["users"][R]),
                    "scope": RegionScope(world[key]["region"].id),
                    "theme_input": _theme_input(cycle)}
    db.session.commit()
    from tests.approvals.factories_ap_core import scene

    for key in ("north", "mid"):
        approvals = scene(world, key)
        out[key]["round"] = approvals.fresh()
        out[key]["approval"] = approvals.approval("kommune")
    from tests.boards import factories as bf
    from webapp.models import BoardState

    for key in ("north", "mid"):
        cycle, member = world[key]["cycle"], world[key]["users"][SM]
        out[key]["board"] = bf.board(cycle, members=[member])
        out[key]["board_closed"] = bf.board(cycle, members=[member], title="Lukket tavle",
                                            state=BoardState.CLOSED)
        out[key]["theme_day"] = bf.theme_day(cycle)
        area = bf.focus_areas(cycle, areas=1, initiatives=1, lead=world[key]["municipality"])[0]
        out[key]["initiative"] = _db.session.scalars(
            _db.select(Initiative).where(Initiative.focus_area_id == area.id)).one()
        out[key]["initiative"].focus_area = area
    db.session.commit()
    return out


def _theme_input(cycle: Any) -> ThemeInput:
    from tests.workshops.input_factories import themes_of, workshop

    # Its own title: `_invited` made the cycle's "Workshop" (titles are unique per cycle).
    made = workshop(cycle, title="Workshop med input")
    return ThemeInput(themes_of(made)[0], made, frozenset())


def _opened_consultation(cycle: Any, organisation_id: int) -> Consultation:
    """An opened consultation (rows written directly) with the municipality and an external
    party on its list."""
    from tests.consultations.setup_helpers import consultation_milestone, text_version

    version = text_version(cycle, title=f"Tekst {cycle.id}")
    milestone = consultation_milestone(cycle)
    consultation = Consultation(
        cycle_id=cycle.id, milestone_id=milestone.id, text_version_id=version.id,
        title="Høring", letter="", short_deadline_reason="", publication=Publication.INVITED,
        state=ConsultationState.OPENED, parties=[], documents=[])
    consultation.parties.append(ConsultationParty(organisation_id=organisation_id,
                                                  name="Kommune"))
    consultation.parties.append(ConsultationParty(name="Ekstern", email=f"x{cycle.id}@x.dk",
                                                  access_nonce=f"{cycle.id:032d}"))
    consultation.cycle = cycle
    _db.session.add(consultation)
    _db.session.flush()
    return consultation


def _invited(cycle: Any, person: Any) -> Attendance:
    """A workshop (rows written directly) to which the respondent is invited."""
    from tests.workshops.helpers import DEADLINE, workshop_milestone

    milestone = workshop_milestone(cycle)
    workshop = Workshop(cycle_id=cycle.id, milestone_id=milestone.id, title="Workshop",
                        programme="", signup_deadline=DEADLINE)
    workshop.cycle = cycle
    _db.session.add(workshop)
    _db.session.flush()
    invitee = WorkshopInvitee(workshop_id=workshop.id, user_id=person.id, name=person.name)
    _db.session.add(invitee)
    _db.session.flush()
    invitee.workshop = workshop
    return Attendance(workshop, invitee)


def _target(objects: dict[str, Any], region: str, action: str) -> Any:
    if action in ("board.results", "board.scores"):
        return objects[region]["board_closed"]
    if action.startswith("board."):
        return objects[region]["board"]
    if action.startswith("theme_day."):
        return objects[region]["theme_day"]
    if action.startswith("focus_area."):
        return objects[region]["initiative"]
    if action in ("workshop.view", "workshop.signup"):
        return objects[region]["attendance"]
    if action.startswith(("cycle.", "agreement.")):
        return objects[region]["cycle"]
    if action == "consultation.view_by_link":
        return objects[region]["link"]
    if action == "consultation.respond":
        return objects[region]["party"]
    if action == "consultation.read_responses":
        return objects[region]["responses"]
    if action.startswith("consultation."):
        return objects[region]["consultation"]
    if action == "approval.record":
        return objects[region]["approval"]
    if action.startswith("approval."):
        return objects[region]["round"]
    if action in ("workshop.input", "workshop.read_input"):
        return objects[region]["theme_input"]
    if action == "workshop.theme_list":
        return objects[region]["theme_input"].workshop
    if action in ("questionnaire.answer", "questionnaire.read_response"):
        return objects[region]["answering"]
    return objects[region]["scope"]


@pytest.mark.parametrize("action", sorted(set(EXPECTED) - PERSONAL))
def test_rule_table(app, world, objects, action):
    roles, system, anonymous = EXPECTED[action]
    with app.test_request_context():
        for role in Role:
            person = world["north"]["users"][role]
            own = can(person, action, _target(objects, "north", action))
            foreign = can(person, action, _target(objects, "mid", action))
            assert own == (role in roles), (action, role, "own region")
            # Only a public rule reaches into another region.
            assert foreign == (role in roles and anonymous), (action, role, "foreign region")
        assert can(SYSTEM, action, _target(objects, "north", action)) == system, action
        assert can(AnonymousUserMixin(), action,
                   _target(objects, "north", action)) == anonymous, action


def test_public_feed_never_shows_a_draft(app, world, objects):
    cycle = objects["north"]["cycle"]
    cycle.state = CycleState.DRAFT
    with app.test_request_context():
        assert not can(AnonymousUserMixin(), "cycle.public_feed", cycle)
        assert not can(world["north"]["users"][S], "cycle.public_feed", cycle)


@pytest.mark.parametrize("action", sorted(a for a in set(EXPECTED) - PERSONAL
                                           if a.startswith("cycle.")))
def test_a_draft_is_only_the_secretariats(app, world, objects, action):
    """The table again on a draft: only the secretariat sees or runs it, and nobody reads it
    through the public feed."""
    cycle = objects["north"]["cycle"]
    cycle.state = CycleState.DRAFT
    roles, system, _ = EXPECTED[action]
    with app.test_request_context():
        for role in Role:
            allowed = role in roles and role == S and action != "cycle.public_feed"
            assert can(world["north"]["users"][role], action, cycle) == allowed, (action, role)
        assert can(SYSTEM, action, cycle) == (system and action != "cycle.public_feed")
        assert not can(AnonymousUserMixin(), action, cycle)
        # The region as a whole (the list's question) is still everybody's to view.
        if action == "cycle.view":
            for role in Role:
                assert can(world["north"]["users"][role], action, objects["north"]["scope"])


def test_a_draft_consultation_is_only_the_secretariats(app, world, objects):
    """Before it is sent, the parties know nothing of it: not through the page, not by link."""
    consultation = objects["north"]["consultation"]
    consultation.state = ConsultationState.DRAFT
    with app.test_request_context():
        for role in Role:
            assert can(world["north"]["users"][role], "consultation.view",
                       consultation) == (role == S), role
        assert not can(AnonymousUserMixin(), "consultation.view_by_link",
                       objects["north"]["link"])


def test_a_link_to_an_organisations_party_or_another_consultation_opens_nothing(app, world,
                                                                               objects):
    north, mid = objects["north"]["consultation"], objects["mid"]["consultation"]
    org_party = next(p for p in north.parties if p.organisation_id is not None)
    mid_external = next(p for p in mid.parties if p.organisation_id is None)
    with app.test_request_context():
        assert not can(AnonymousUserMixin(), "consultation.view_by_link",
                       LinkAccess(north, [org_party.id]))
        assert not can(AnonymousUserMixin(), "consultation.view_by_link",
                       LinkAccess(north, [mid_external.id]))


def test_answering_only_for_own_recipient_organisation(app, db, world, objects):
    """A respondent of another organisation in the same region may not answer for this one."""
    other = f.user(f.organisation(world["north"]["region"], name="Anden kommune"), [R])
    db.session.commit()
    with app.test_request_context():
        assert not can(other, "questionnaire.answer", objects["north"]["answering"])


@pytest.mark.parametrize("role", list(Role))
def test_profile_is_edited_by_its_owner_only(app, world, role):
    person = world["north"]["users"][role]
    someone_else = world["north"]["users"][R if role != R else S]
    foreign = world["mid"]["users"][role]
    with app.test_request_context():
        assert can(person, "profile.edit", person)
        assert not can(person, "profile.edit", someone_else)
        assert not can(person, "profile.edit", foreign)
        assert not can(SYSTEM, "profile.edit", person)
        assert not can(AnonymousUserMixin(), "profile.edit", person)


@pytest.mark.parametrize("role", list(Role))
def test_calendar_address_is_revoked_by_its_owner_or_the_secretariat(app, world, role):
    person = world["north"]["users"][role]
    someone_else = world["north"]["users"][R if role != R else OB]
    with app.test_request_context():
        assert can(person, "calendar_token.revoke", person)
        assert can(person, "calendar_token.revoke", someone_else) == (role == S)
        assert not can(person, "calendar_token.revoke", world["mid"]["users"][R])


@pytest.mark.parametrize("role", list(Role))
def test_api_token_is_revoked_by_its_owner_or_the_secretariat(app, world, role):
    person = world["north"]["users"][role]
    someone_else = world["north"]["users"][R if role != R else OB]
    with app.test_request_context():
        assert can(person, "api_token.revoke", person)
        assert can(person, "api_token.revoke", someone_else) == (role == S)
        assert not can(person, "api_token.revoke", world["mid"]["users"][R])
        assert not can(SYSTEM, "api_token.revoke", person)
        assert not can(AnonymousUserMixin(), "api_token.revoke", person)


def test_no_actor_is_refused(app, objects):
    """There is no "no actor" path: None is a programming error, not the system."""
    with app.test_request_context(), pytest.raises(TypeError):
        can(None, "questionnaire.build", objects["north"]["scope"])


def test_require_refuses_with_a_danish_message(app, world, objects):
    with app.test_request_context(), pytest.raises(PermissionDenied) as refused:
        require(world["north"]["users"][R], "cycle.manage", objects["north"]["cycle"])
    assert "adgang" in refused.value.message


def test_unknown_action_is_a_programming_error(app, world):
    with app.test_request_context(), pytest.raises(KeyError):
        can(world["north"]["users"][S], "cycle.destroy")


def test_a_decided_record_and_another_partys_are_not_the_respondents(app, world, objects):
    """approval.record ends with the decision (the secretariat corrects it); a respondent of
    a municipality outside the round neither records nor sees it."""
    from webapp.models import ApprovalState, OrgKind

    approval = objects["north"]["approval"]
    respondent = world["north"]["users"][R]
    secretariat = world["north"]["users"][S]
    outsider = f.user(f.organisation(world["north"]["region"], OrgKind.MUNICIPALITY), [R])
    with app.test_request_context():
        assert can(respondent, "approval.view", approval)
        assert not can(outsider, "approval.record", approval)
        assert not can(outsider, "approval.view", approval)
        assert not can(outsider, "approval.view", objects["north"]["round"])
        approval.state = ApprovalState.APPROVED
        assert not can(respondent, "approval.record", approval)
        assert can(secretariat, "approval.record", approval)
def test_a_personal_workshop_link_opens_an_address_invitation_alone(app, world, objects):
    """The link is the access (anyone holding it, signed in or not, any region); it never
    opens a person's invitation nor another workshop's."""
    north = objects["north"]["attendance"]
    address = WorkshopInvitee(workshop_id=north.workshop.id, user_id=None, name="Ekstern",
                              email="ekstern@x.example")
    other = objects["mid"]["attendance"].workshop
    with app.test_request_context():
        for who in (AnonymousUserMixin(), world["mid"]["users"][R]):
            assert can(who, "workshop.signup", Attendance(north.workshop, address, True))
            assert not can(who, "workshop.signup", Attendance(north.workshop, north.invitee,
                                                              True))
            assert not can(who, "workshop.signup", Attendance(other, address, True))
        assert not can(AnonymousUserMixin(), "workshop.signup",
                       Attendance(north.workshop, address, False))
        # Someone not invited sees nothing of the workshop; the secretariat all.
        assert not can(world["north"]["users"][SM], "workshop.view",
                       Attendance(north.workshop, None))
        assert can(world["north"]["users"][S], "workshop.view", north.workshop)
def test_workshop_input_for_the_facilitator_and_participants_until_the_deadline(app, world,
                                                                               objects):
    """A theme's facilitator records and changes any item, a participant adds and changes
    only their own; both until the input deadline, the secretariat after it too."""
    from webapp.models import InputItem, InputKind

    access = objects["north"]["theme_input"]
    facilitator = world["north"]["users"][R]
    participant = world["north"]["users"][UO]
    outsider = world["north"]["users"][SM]
    access.theme.facilitator_id = facilitator.id
    theme = ThemeInput(access.theme, access.workshop, frozenset({participant.id}))
    own = InputItem(theme_id=theme.theme.id, kind=InputKind.CHALLENGE, body="x",
                    author_id=participant.id, author_name="P")
    others = InputItem(theme_id=theme.theme.id, kind=InputKind.CHALLENGE, body="y",
                       author_id=facilitator.id, author_name="F")
    before = access.workshop.input_deadline - timedelta(minutes=1)
    after = access.workshop.input_deadline
    with app.test_request_context():
        for person in (facilitator, participant):
            assert can(person, "workshop.input", theme, before)
            assert can(person, "workshop.read_input", theme, after)
            assert not can(person, "workshop.input", theme, after)
            assert not can(person, "workshop.read_input", access.workshop)
        assert can(facilitator, "workshop.input", ItemInput(theme, others), before)
        assert can(participant, "workshop.input", ItemInput(theme, own), before)
        assert not can(participant, "workshop.input", ItemInput(theme, others), before)
        assert not can(participant, "workshop.input", ItemInput(theme, own), after)
        assert not can(outsider, "workshop.input", theme, before)
        assert not can(outsider, "workshop.read_input", theme, before)
        assert can(world["north"]["users"][S], "workshop.input", ItemInput(theme, own), after)
        # The facilitator of a theme in another region is nobody there.
        assert not can(facilitator, "workshop.input", objects["mid"]["theme_input"], before)
