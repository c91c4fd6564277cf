"""Hostile input never gives a 500: ids and page numbers beyond what the database holds,
unknown choices, dates far outside any agreement, duplicate names, control characters.

The property tests at the end throw arbitrary text and numbers at every form and every route
with an id, as the secretariat and as a respondent."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from webapp.models import Cycle, Initiative, MilestoneKind, Role, User
from webapp.routing import BoundedIntConverter
from webapp.workflows.reminders import create_default_rules

HUGE = "99999999999999999999"
BIGINT = "9223372036854775807"


def html(response):
    return response.get_data(as_text=True)


def field_error(page, field_id):
    match = re.search(rf'<p class="error-message" id="{field_id}-error">(.*?)</p>', page, re.S)
    assert match, f"no error message at the field {field_id!r}"
    return match.group(1)


def group_error(page, field_id):
    """The message at a group of checkboxes, which the summary links to its first box."""
    assert f'href="#{field_id}-0"' in page, f"the summary does not link to {field_id!r}"
    match = re.search(r'<p class="error-message">(.*?)</p>\s*<ul class="checkbox-list">\s*'
                      rf'<li><input[^>]*id="{field_id}-0"', page, re.S)
    assert match, f"no error message at the field {field_id!r}"
    return match.group(1)


# -- 1. ids and page numbers beyond the database's range -------------------------------------

@pytest.mark.parametrize("path", [
    f"/cykler/{HUGE}", f"/api/v1/cycles/{HUGE}", f"/cykler/{BIGINT}", f"/cykler/{2**31}",
    f"/cykler/{HUGE}/godkendelser", f"/cykler/{BIGINT}/godkendelser.xlsx",
    f"/offentlig/cykler/{HUGE}/godkendelser", f"/api/v1/cycles/{BIGINT}/approvals",
    f"/offentlig/cykler/{HUGE}/fokusomraader", f"/api/v1/cycles/{BIGINT}/focus-areas",
    f"/initiativer/{HUGE}/status", f"/fokusomraader/{BIGINT}/rediger",
])
def test_an_id_beyond_the_range_is_not_found(client, login_as, path):
    login_as(Role.SECRETARIAT)
    assert client.get(path).status_code == 404


def test_an_id_beyond_the_range_in_the_public_feed_is_not_found(client, world):
    assert client.get(f"/kalender/cyklus/{HUGE}.ics").status_code == 404


@pytest.mark.parametrize("path", ["/admin/personer", "/admin/log", "/admin/e-mails"])
@pytest.mark.parametrize("side", [BIGINT, HUGE, "-5", "abc", "0"])
def test_a_page_number_beyond_the_range_is_clamped(client, login_as, path, side):
    login_as(Role.SECRETARIAT)
    assert client.get(f"{path}?side={side}").status_code == 200


# -- 2. a choice that was not offered --------------------------------------------------------

@pytest.mark.parametrize("roles", [[""], ["king"], ["respondent", ""]])
def test_an_unknown_role_is_a_message_at_the_field(client, db, world, login_as, roles):
    login_as(Role.SECRETARIAT)
    person = world["north"]["users"][Role.RESPONDENT]
    response = client.post(f"/admin/personer/{person.id}", data={"roles": roles, "active": "y"})
    assert response.status_code == 422
    assert "Vælg kun blandt de viste muligheder." in group_error(html(response), "roles")


def test_an_unknown_audience_of_a_milestone_is_a_message_at_the_field(client, world, login_as):
    login_as(Role.SECRETARIAT)
    response = client.post(f"/cykler/{world['north']['cycle'].id}/milepaele/ny", data={
        "kind": "other", "title": "X", "ends_date": "2017-03-01", "audience": [""]})
    assert response.status_code == 422
    assert "Vælg kun blandt de viste muligheder." in group_error(html(response), "audience")


# -- 5. control characters and invisible text ------------------------------------------------

def test_control_characters_are_stripped_from_every_text_field(client, db, world, login_as):
    login_as(Role.SECRETARIAT)
    response = client.post("/cykler/ny", data={
        "title": "Ramme\x00aftale\x07 2021\n", "first_year": "2021", "last_year": "2021",
        "description": "Linje 1\r\nLinje\x00 2\tslut\x1b"})
    assert response.status_code == 302
    db.session.expire_all()
    cycle = db.session.scalar(select(Cycle).where(Cycle.title == "Rammeaftale 2021"))
    assert cycle is not None
    assert cycle.description == "Linje 1\r\nLinje 2\tslut"


@pytest.mark.parametrize("title", ["\u200b\u200b", "\u202eLKT\u202c", "\u2066x\u2069", "\u3164"])
def test_invisible_or_direction_turning_text_is_refused_at_the_field(client, world, login_as,
                                                                     title):
    login_as(Role.SECRETARIAT)
    response = client.post("/admin/organisationer/ny", data={"kind": "municipality",
                                                             "name": title})
    assert response.status_code == 422
    assert "usynlige tegn" in field_error(html(response), "name")


def test_nul_in_an_invitation_name_is_stripped(client, db, world, login_as):
    login_as(Role.SECRETARIAT)
    response = client.post("/admin/personer/inviter", data={
        "name": "Ny\x00 Person", "email": "ny.person@kommune.example",
        "organisation_id": str(world["north"]["municipality"].id), "role": "respondent"})
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.scalar(select(User).where(User.email == "ny.person@kommune.example"))
    assert user.name == "Ny Person"


def test_a_text_answer_loses_control_characters_and_refuses_invisible_text():
    from webapp.workflows.questionnaires.fields import Invalid, LongTextField, ShortTextField

    assert ShortTextField().parse("Anne\x00 Andersen\n") == "Anne Andersen"
    assert LongTextField().parse("a\x00\nb\tc") == "a\nb\tc"
    assert ShortTextField().parse("\x00\x01") is None
    with pytest.raises(Invalid):
        ShortTextField().parse("\u200b\u200d")
    with pytest.raises(Invalid):
        LongTextField().parse("abc\u202edef")


# -- 4. a title the database holds once ------------------------------------------------------

def test_renaming_a_questionnaire_to_a_taken_title_is_a_message_at_the_field(client, db, world,
                                                                            login_as):
    from tests import factories

    cycle = world["north"]["cycle"]
    factories.capacity_questionnaire(cycle, title="Kapacitet")
    second, _groups = factories.capacity_questionnaire(cycle, title="Kapacitet 2")
    db.session.commit()
    login_as(Role.SECRETARIAT)
    response = client.post(f"/skemaer/{second.id}/rediger", data={
        "title": "Kapacitet", "intro": "Ny indledning",
        "milestone_id": str(second.milestone_id), "version": str(second.version_id)})
    assert response.status_code == 422
    assert "allerede et skema med denne titel" in field_error(html(response), "title")
    assert "Ny indledning" in html(response)


# -- 3. dates far outside any agreement ------------------------------------------------------

EXTREMES = [
    (None, datetime(9999, 12, 31, 23, 30, tzinfo=UTC)),
    (datetime(1, 1, 1, 0, 0, tzinfo=UTC), datetime(1, 1, 2, 0, 0, tzinfo=UTC)),
    (datetime(1, 1, 1, 0, 0, tzinfo=UTC), datetime(9999, 12, 31, 23, 59, tzinfo=UTC)),
]


@pytest.mark.parametrize("starts,ends", EXTREMES)
def test_a_stored_extreme_date_never_breaks_a_page(client, db, world, login_as, starts, ends):
    from tests import factories

    cycle = world["north"]["cycle"]
    milestone = factories.milestone(cycle, ends, title="Langt ude", starts_at=starts,
                                    kind=MilestoneKind.QUESTIONNAIRE)
    rules = create_default_rules(milestone, factories.at(2017, 1, 10))
    db.session.commit()
    for role in (Role.SECRETARIAT, Role.RESPONDENT):
        login_as(role)
        for path in (f"/cykler/{cycle.id}", "/oversigt", "/cykler/", f"/api/v1/cycles/{cycle.id}",
                     f"/kalender/cyklus/{cycle.id}.ics"):
            assert client.get(path).status_code == 200, (role, path)
        if role is Role.SECRETARIAT:
            base = f"/cykler/{cycle.id}/milepaele/{milestone.id}"
            previews = [f"{base}/paamindelser/{r.id}/forhaandsvisning" for r in rules]
            for path in (f"/cykler/{cycle.id}/historik", f"{base}/rediger", f"{base}/flyt",
                         f"{base}/paamindelser", f"/cykler/{cycle.id}/klon", *previews):
                assert client.get(path).status_code == 200, (role, path)
        client.post("/logout")


@pytest.mark.parametrize("payload,field", [
    ({"starts_date": "0001-01-01", "ends_date": "2017-03-01"}, "starts_date"),
    ({"ends_date": "9999-12-31"}, "ends_date"),
    ({"ends_date": "1999-12-31"}, "ends_date"),
    ({"ends_date": "2101-01-01"}, "ends_date"),
])
def test_a_date_outside_the_window_is_a_message_at_the_field(client, world, login_as, payload,
                                                             field):
    login_as(Role.SECRETARIAT)
    data = {"kind": "other", "title": "X", **payload}
    response = client.post(f"/cykler/{world['north']['cycle'].id}/milepaele/ny", data=data)
    assert response.status_code == 422
    assert "mellem 2000 og 2100" in field_error(html(response), field)


def test_moving_or_cloning_beyond_the_window_is_a_message_at_the_field(client, db, world,
                                                                       login_as):
    from tests import factories

    cycle = world["north"]["cycle"]
    late = factories.milestone(cycle, datetime(2100, 6, 1, 10, tzinfo=UTC), title="Sent")
    db.session.commit()
    login_as(Role.SECRETARIAT)
    response = client.post(f"/cykler/{cycle.id}/milepaele/{late.id}/flyt",
                           data={"days": "730", "version": str(late.version_id)})
    assert response.status_code == 422
    assert "mellem 2000 og 2100" in field_error(html(response), "days")
    response = client.post(f"/cykler/{cycle.id}/klon", data={
        "title": "Kopi", "first_year": "2028", "last_year": "2028", "shift_years": "10"})
    assert response.status_code == 422
    assert "mellem 2000 og 2100" in field_error(html(response), "shift_years")


@pytest.mark.parametrize("until", ["0001-01-01", "9999-12-31"])
def test_an_extension_outside_the_window_is_a_message_at_the_field(client, db, world, login_as,
                                                                   until):
    from tests import factories

    questionnaire, _groups = factories.capacity_questionnaire(world["north"]["cycle"])
    db.session.commit()
    login_as(Role.SECRETARIAT)
    org = world["north"]["municipality"]
    response = client.post(f"/skemaer/{questionnaire.id}/frist/{org.id}",
                           data={"until_date": until, "until_time": "12:00", "reason": "x"})
    assert response.status_code == 422
    assert "mellem 2000 og 2100" in field_error(html(response), "until_date")


# -- properties: arbitrary input at every form and every route with an id ---------------------

SPECIAL_TEXTS = [
    "", " ", "\x00", "a\x00b", "\x00" * 5, "\x1b[31mrød\x1b[0m", "\u200b", "\u200b\u200d\ufeff",
    "\u202eabc\u202c", "\u2066x\u2069", "\u3164", "\r\n", "\t", "x" * 100_000, "æ\x00" * 50_000,
    "9" * 30, "-" + "9" * 30, str(2**31), str(2**63), "-1", "0", "1e309", "NaN", "inf",
    "2017-02-31", "0001-01-01", "9999-12-31", "99999-01-01", "25:61", "23:59:60", "ja", "nej",
    "dont_know", "secretariat", "respondent", "municipality", "adults", "integer", "<script>",
]

hostile_text = st.one_of(
    st.sampled_from(SPECIAL_TEXTS),
    st.text(max_size=40),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp", "Mn"]), max_size=12),
    st.integers().map(str),
)
hostile_value = st.one_of(hostile_text, st.lists(hostile_text, max_size=3))
hostile_id = st.one_of(
    st.integers(min_value=-3, max_value=40), st.integers(),
    st.sampled_from([2**31 - 1, 2**31, 2**63 - 1, 2**63, 10**20, 10**40]),
)

PROPERTY_SETTINGS = settings(
    max_examples=25, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large, HealthCheck.large_base_example],
)


@pytest.fixture
def scene(db, world):
    """Something of every kind to aim at: a questionnaire with a section, a question, a rule."""
    from tests import factories
    from webapp.models import Milestone, Question, ReminderRule, Section, TargetGroup

    questionnaire, _groups = factories.capacity_questionnaire(world["north"]["cycle"])
    milestone_id = questionnaire.milestone_id
    create_default_rules(db.session.get(Milestone, milestone_id), factories.at(2017, 1, 10))
    db.session.commit()
    ids = {
        "cycle": world["north"]["cycle"].id, "milestone": milestone_id,
        "questionnaire": questionnaire.id,
        "section": db.session.scalar(select(Section.id).where(
            Section.questionnaire_id == questionnaire.id)),
        "question": db.session.scalar(select(Question.id).where(
            Question.questionnaire_id == questionnaire.id)),
        "rule": db.session.scalar(select(ReminderRule.id).where(
            ReminderRule.milestone_id == milestone_id)),
        "group": db.session.scalar(select(TargetGroup.id).where(
            TargetGroup.region_id == world["north"]["region"].id)),
        "org": world["north"]["municipality"].id,
        "user": world["north"]["users"][Role.RESPONDENT].id,
        "foreign_cycle": world["mid"]["cycle"].id,
    }
    # An agreement text with a frozen "Udkast 1" and an open "Udkast 2".
    from tests.agreements.helpers import text_with_versions

    text = text_with_versions(world, factories.at(2017, 1, 10))
    ids.update({"text": text.id, "text_version": text.versions[1].id,
                "text_section": text.versions[1].sections[0].id})
    # A draft consultation with an external party on its list.
    from tests.consultations.setup_helpers import draft
    from webapp.workflows.consultations.parties import add_external

    consultation = draft(world["north"]["users"][Role.SECRETARIAT], world["north"]["cycle"])
    party = add_external(world["north"]["users"][Role.SECRETARIAT], consultation, name="DH",
                         email="dh@dh.example", now=factories.at(2017, 1, 10))
    db.session.commit()
    ids.update(consultation=consultation.id, party=party.id)
    # A consultation with a submitted response of two points (issue 11's processing).
    from tests.consultations import factories_note

    consulted = factories_note.consultation(world["north"]["cycle"], parties=["Hørt part"])
    response = factories_note.response(consulted.parties[0], comments=[
        (consulted.sections["s21"], "Et punkt."), (None, "Et generelt punkt.")])
    db.session.commit()
    ids.update(answered_consultation=consulted.consultation.id,
                consultation_response=response.id)
    # An approval round on the cycle: the municipality's record is the respondent's own.
    from tests.approvals.factories_ap_core import scene as approval_scene

    approvals = approval_scene(world)
    ids.update(approval=approvals.approval("kommune").id)
    # A workshop of two sessions with the respondent invited (issue 13's sign-up).
    from tests.workshops.helpers import build, invite, sessions, theme_ids

    workshop = build(world)
    [invitee] = invite(world, workshop, [world["north"]["users"][Role.RESPONDENT]])
    db.session.commit()
    ids.update(workshop=workshop.id, workshop_session=sessions(workshop)[0].id,
               workshop_theme=theme_ids(workshop)[0][0], invitee=invitee.id)
    # Its input: an item on the first theme, and the prioritisation list (issue 13's input).
    from tests.workshops import input_factories
    from webapp.models import WorkshopTheme
    from webapp.permissions import SYSTEM
    from webapp.workflows.workshops.theme_list import build_list

    item = input_factories.item(db.session.get_one(WorkshopTheme, ids["workshop_theme"]))
    listed = build_list(SYSTEM, workshop, now=factories.at(2017, 3, 1))
    db.session.commit()
    ids.update(input_item=item.id, list_theme=listed[0].id)
    # A theme day in draft with its catalogue (issue 14, part D), and an open one to vote at.
    from tests.boards import factories as board_factories
    from webapp.models import ThemeDayState
    from webapp.workflows.theme_days import themes_with_items

    draft_day = board_factories.theme_day(world["north"]["cycle"], state=ThemeDayState.DRAFT)
    open_cycle = factories.cycle(world["north"]["region"], title="Temadagens anden cyklus")
    open_day = board_factories.theme_day(open_cycle)
    draft_themes = themes_with_items(draft_day)
    db.session.commit()
    ids.update(theme_day=draft_day.id, catalogue_theme=draft_themes[0].id,
               catalogue_item=draft_themes[0].items[0].id, open_day=open_day.id,
               open_theme=themes_with_items(open_day)[0].id)
    # An uploaded import file waiting for the secretariat's confirmation (issue 15).
    from webapp.models import ImportKind
    from webapp.workflows.imports.apply import stage

    pending = stage(world["north"]["users"][Role.SECRETARIAT], world["north"]["region"].id,
                    ImportKind.ORGANISATIONS, filename="fil.csv", now=factories.at(2017, 3, 10),
                    data="Navn;Type;Byråd eller regionsråd;Fælles e-mailadresse\r\n"
                         "Odder Kommune;Kommune;Odder Byråd;".encode())
    db.session.commit()
    ids.update(pending_import=pending.token)
    # A closed prioritisation board with scores and an abstention (issue 14's results).
    from tests.boards.results_helpers import scored_board

    board, _members = scored_board(world, 3, 2)
    ids.update(board=board.id)
    # Focus areas with initiatives led by the respondent's municipality (issue 14).
    from tests.boards import factories as board_factories

    [area] = board_factories.focus_areas(world["north"]["cycle"], areas=1, initiatives=2,
                                         lead=world["north"]["municipality"])
    db.session.commit()
    ids.update(focus_area=area.id, initiative=db.session.scalar(
        select(Initiative.id).where(Initiative.focus_area_id == area.id)))
    # An open prioritisation board with the respondent on it (issue 14's blind scoring).
    board = board_factories.board(world["north"]["cycle"], title="Åben tavle",
                                  members=[world["north"]["users"][Role.RESPONDENT]])
    db.session.commit()
    ids.update(open_board=board.id, board_theme=board_factories.themes_of(board)[0].id)
    # A draft prioritisation board with themes, criteria and a member (issue 14, part A).
    from webapp.models import BoardMember, BoardState

    prio = board_factories.board(world["north"]["cycle"], state=BoardState.DRAFT,
                                 title="Kladdetavle",
                                 members=[world["north"]["users"][Role.STEERING_MEMBER]])
    db.session.commit()
    ids.update(draft_board=prio.id, draft_theme=board_factories.themes_of(prio)[0].id,
               board_criterion=board_factories.criteria_of(prio)[0].id,
               board_member=db.session.scalar(select(BoardMember.id).where(
                   BoardMember.board_id == prio.id)))
    return ids


def _id_routes(app):
    """Every GET route with an integer in its path, as (rule, its integer arguments)."""
    routes = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        names = [name for name, conv in rule._converters.items()
                 if isinstance(conv, BoundedIntConverter)]
        if names:
            routes.append((rule.rule, names))
    return sorted(routes)


def _fill(rule, values):
    path = rule
    for name, value in values.items():
        path = re.sub(rf"<int:{name}>", str(value), path)
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", "x", path)


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.RESPONDENT], ids=lambda r: r.value)
def test_no_route_with_an_id_answers_500(app, client, scene, login_as, role, clock):
    from tests import factories

    clock.set(factories.at(2017, 3, 10, 9))
    login_as(role)
    routes = _id_routes(app)
    assert len(routes) >= 15  # the walk finds the routes (cycles, questionnaires, API, feeds)
    known = sorted({v for v in scene.values() if isinstance(v, int)})

    @PROPERTY_SETTINGS
    @given(data=st.data())
    def check(data):
        rule, names = data.draw(st.sampled_from(routes))
        values = {n: data.draw(st.one_of(st.sampled_from(known), hostile_id)) for n in names}
        response = client.get(_fill(rule, values))
        assert response.status_code < 500, (rule, values)

    check()
    # And every route once with the real ids: the pages themselves hold.
    for rule, names in routes:
        path = _fill(rule, {n: scene[_ID_OF.get(n, "cycle")] for n in names})
        assert client.get(path).status_code < 500, path


_ID_OF = {"cycle_id": "cycle", "milestone_id": "milestone", "rule_id": "rule",
          "questionnaire_id": "questionnaire", "section_id": "section",
          "question_id": "question", "group_id": "group", "org_id": "org", "user_id": "user",
          "text_id": "text", "version_id": "text_version",
          "consultation_id": "consultation", "party_id": "party",
          "response_id": "consultation_response", "approval_id": "approval",
          "workshop_id": "workshop", "session_id": "workshop_session",
          "theme_id": "workshop_theme", "item_id": "input_item", "list_theme_id": "list_theme",
          "board_id": "board", "area_id": "focus_area", "initiative_id": "initiative",
          "day_id": "theme_day", "criterion_id": "board_criterion", "member_id": "board_member"}

# One address per form class in webapp/forms/ (and the answer form built at run time), with
# the fields it reads. {name} is filled from the scene.
FORMS = {
    "CycleForm": ("/cykler/ny", ["title", "first_year", "last_year", "description"]),
    "CycleForm (edit)": ("/cykler/{cycle}/rediger",
                         ["title", "first_year", "last_year", "description", "version"]),
    "CloneCycleForm": ("/cykler/{cycle}/klon", ["title", "first_year", "last_year",
                                                "shift_years"]),
    "MilestoneForm": ("/cykler/{cycle}/milepaele/ny",
                      ["kind", "title", "starts_date", "starts_time", "ends_date", "ends_time",
                       "place", "description", "audience", "is_public"]),
    "MilestoneForm (edit)": ("/cykler/{cycle}/milepaele/{milestone}/rediger",
                             ["kind", "title", "starts_date", "ends_date", "audience",
                              "version"]),
    "MoveMilestoneForm": ("/cykler/{cycle}/milepaele/{milestone}/flyt",
                          ["days", "include_later", "version"]),
    "ConfirmForm (state)": ("/cykler/{cycle}/tilstand", ["state"]),
    "OrganisationForm": ("/admin/organisationer/ny", ["kind", "name", "council_name", "email",
                                                      "active"]),
    "OrganisationForm (edit)": ("/admin/organisationer/{org}",
                                ["kind", "name", "council_name", "email", "version"]),
    "InviteForm": ("/admin/personer/inviter", ["name", "email", "organisation_id", "role"]),
    "PersonRolesForm": ("/admin/personer/{user}", ["roles", "active"]),
    "NoticesForm": ("/min-profil", ["notices"]),
    "LoginForm": ("/login", ["email", "password", "next"]),
    "ForgotPasswordForm": ("/glemt-adgangskode", ["email"]),
    "SetPasswordForm": ("/nulstil/ugyldig", ["password", "confirm"]),
    "RuleForm": ("/cykler/{cycle}/milepaele/{milestone}/paamindelser/ny",
                 ["kind", "offset_days", "repeat_days", "send_at"]),
    "RuleForm (edit)": ("/cykler/{cycle}/milepaele/{milestone}/paamindelser/{rule}/rediger",
                        ["offset_days", "repeat_days", "send_at", "paused", "version"]),
    "EmailLogFilterForm": ("GET /admin/e-mails", ["state", "milestone", "organisation", "side"]),
    "people search": ("GET /admin/personer", ["q", "side"]),
    "audit filter": ("GET /admin/log", ["handling", "side"]),
    "QuestionnaireForm": ("/cykler/{cycle}/skemaer/ny", ["title", "intro", "milestone_id"]),
    "QuestionnaireForm (edit)": ("/skemaer/{questionnaire}/rediger",
                                 ["title", "intro", "milestone_id", "version"]),
    "SectionForm": ("/skemaer/{questionnaire}/afsnit/ny", ["title", "description"]),
    "RecipientsForm": ("/skemaer/{questionnaire}/modtagere", ["recipients"]),
    "CloneQuestionnaireForm": ("/cykler/{cycle}/skemaer/klon",
                               ["source_id", "milestone_id", "title"]),
    "TargetGroupForm": ("/admin/maalgrupper", ["name", "audience"]),
    "TargetGroupEditForm": ("/admin/maalgrupper/{group}", ["name", "active"]),
    "QuestionForm": ("/skemaer/{questionnaire}/afsnit/{section}/spoergsmaal/ny",
                     ["type", "label", "help_text", "required", "min", "max", "choices",
                      "allow_dont_know", "audience", "columns-0-heading", "columns-0-kind",
                      "columns-0-min", "columns-0-max", "columns-0-when_scale",
                      "condition_question", "condition_values"]),
    "QuestionForm (edit)": ("/skemaer/{questionnaire}/spoergsmaal/{question}",
                            ["type", "label", "min", "max", "choices", "columns-1-heading",
                             "columns-1-kind", "condition_question", "condition_values"]),
    "ReopenForm": ("/skemaer/{questionnaire}/besvarelser/{org}/genaabn", ["reason"]),
    "ExtensionForm": ("/skemaer/{questionnaire}/frist/{org}",
                      ["until_date", "until_time", "reason"]),
    "TextForm": ("/cykler/{cycle}/tekster/ny", ["title"]),
    "ImportTextForm": ("/cykler/{cycle}/tekster/importer", ["title", "file"]),
    "ImportVersionForm": ("/tekster/{text}/importer", ["label", "file"]),
    "NewVersionForm": ("/tekster/{text}/ny-version", ["label", "is_final"]),
    "VersionForm": ("/versioner/{text_version}/rediger", ["label", "is_final", "version"]),
    "SectionForm (text)": ("/versioner/{text_version}/afsnit/ny",
                           ["heading", "level", "body", "version"]),
    "SectionForm (text, edit)": ("/versioner/{text_version}/afsnit/{text_section}",
                                 ["heading", "level", "body", "version"]),
    "MoveForm": ("/versioner/{text_version}/afsnit/{text_section}/flyt", ["step", "version"]),
    "VersionActionForm": ("/versioner/{text_version}/frys", ["version"]),
    "compare choice": ("GET /tekster/{text}/sammenlign", ["fra", "til"]),
    "ConsultationForm": ("/cykler/{cycle}/hoeringer/ny",
                         ["title", "text_version_id", "milestone_id", "starts_date",
                          "starts_time", "ends_date", "ends_time", "short_deadline_reason",
                          "letter", "publication"]),
    "ConsultationForm (edit)": ("/hoeringer/{consultation}/rediger",
                                ["title", "text_version_id", "milestone_id", "starts_date",
                                 "ends_date", "short_deadline_reason", "publication",
                                 "version"]),
    "KindPartiesForm": ("/hoeringer/{consultation}/parter/art", ["kind"]),
    "OrganisationPartyForm": ("/hoeringer/{consultation}/parter/organisation",
                              ["organisation_id"]),
    "ExternalPartyForm": ("/hoeringer/{consultation}/parter/ekstern", ["name", "email"]),
    "OpenConsultationForm": ("/hoeringer/{consultation}/send", ["version"]),
    "DocumentForm": ("/hoeringer/{consultation}/dokumenter", ["title", "file", "once"]),
    "PartyExtensionForm": ("/hoeringer/{consultation}/parter/{party}/frist",
                           ["until_date", "until_time", "reason", "version"]),
    "answer form": ("/skemaer/{questionnaire}/besvar",
                    ["q_kontaktperson", "q_pladser", "q_budget", "q_opgjort", "q_nye_tilbud",
                     "q_tendens", "q_omraader", "q_samlet", "action", "version"]),
    "ImportUploadForm": ("/admin/import", ["kind", "file"]),
    "ConfirmImportForm": ("/admin/import/{pending_import}", ["digest"]),
    "ProcessingForm": ("/hoeringssvar/{consultation_response}/behandling",
                       ["summary", "secretariat_comment", "outcome", "outcome_reason",
                        "points-0-outcome", "points-0-reason", "points-0-changed_section",
                        "points-1-outcome", "points-7-outcome", "version"]),
    "OpenRoundForm": ("/cykler/{cycle}/godkendelser/aabn",
                      ["text_version_id", "milestone_id", "organisations", "once"]),
    "MeetingForm": ("/godkendelser/{approval}/dagsorden",
                    ["dagsorden-meeting_date", "dagsorden-meeting_body",
                     "dagsorden-agenda_url", "dagsorden-version"]),
    "PostponeForm": ("/godkendelser/{approval}/udsat",
                     ["udsat-meeting_date", "udsat-meeting_body", "udsat-version"]),
    "DecisionForm": ("/godkendelser/{approval}/beslutning",
                     ["beslutning-outcome", "beslutning-decided_on", "beslutning-remarks",
                      "beslutning-rejection_reason", "beslutning-minutes_url",
                      "beslutning-minutes_file", "beslutning-version"]),
    "CorrectionForm": ("/godkendelser/{approval}/ret",
                       ["ret-outcome", "ret-decided_on", "ret-remarks", "ret-minutes_url",
                        "ret-correction_reason", "ret-version"]),
    "NoteForm": ("/godkendelser/{approval}/note", ["note-internal_note", "note-version"]),
    "VersionChangeForm": ("/cykler/{cycle}/godkendelser/version",
                          ["text_version_id", "approvals_stand", "reason", "version"]),
    "PartiesForm": ("/cykler/{cycle}/godkendelser/parter",
                    ["organisation_id", "remove", "version"]),
    "WorkshopForm": ("/cykler/{cycle}/workshops/ny",
                     ["title", "milestone_id", "programme", "signup_date", "signup_time",
                      "input_date", "input_time", "once"]),
    "WorkshopForm (edit)": ("/workshops/{workshop}/rediger",
                            ["title", "milestone_id", "signup_date", "input_date", "version"]),
    "SessionForm": ("/workshops/{workshop}/sessioner/ny",
                    ["title", "position", "day", "starts_time", "ends_time", "picks_min",
                     "picks_max", "once"]),
    "SessionForm (edit)": ("/workshops/{workshop}/sessioner/{workshop_session}",
                           ["title", "picks_min", "picks_max", "version"]),
    "ThemeForm": ("/workshops/{workshop}/sessioner/{workshop_session}/temaer/ny",
                  ["title", "description", "position", "capacity", "minimum",
                   "facilitator_id", "once"]),
    "ThemeForm (edit)": ("/workshops/{workshop}/temaer/{workshop_theme}/rediger",
                         ["title", "capacity", "minimum", "facilitator_id", "version"]),
    "InviteKindForm": ("/workshops/{workshop}/invitationer/art", ["kind"]),
    "InviteOrganisationForm": ("/workshops/{workshop}/invitationer/organisation",
                               ["organisation_id"]),
    "InvitePersonForm": ("/workshops/{workshop}/invitationer/person", ["user_id"]),
    "InviteAddressForm": ("/workshops/{workshop}/invitationer/ekstern",
                          ["name", "email", "organisation_id"]),
    "SignupForm": ("/workshops/{workshop}/tilmelding",
                   ["attending", "session_1", "needs", "waitlist", "version"]),
    "SignupForm (link)": ("/workshops/tilmelding/ikke-et-link", ["attending", "needs"]),
    "MoveForm (workshop)": ("/workshops/{workshop}/temaer/{workshop_theme}/flyt",
                            ["invitee_id", "to_theme_id", "reason"]),
    "CloseThemeForm": ("/workshops/{workshop}/temaer/{workshop_theme}/luk",
                       ["to_theme_id", "reason", "version"]),
    "ItemForm": ("/workshops/{workshop}/temaer/{workshop_theme}/input",
                 ["kind", "heading", "body"]),
    "ItemForm (edit)": ("/workshops/{workshop}/temaer/{workshop_theme}/input/{input_item}",
                        ["kind", "heading", "body", "version"]),
    "CommentForm": ("/workshops/{workshop}/temaer/{workshop_theme}/input/{input_item}/kommentar",
                    ["body"]),
    "ListThemeForm": ("/workshops/{workshop}/temaliste/{list_theme}",
                      ["title", "group_name", "label_id", "rationale", "version"]),
    "SplitForm": ("/workshops/{workshop}/temaliste/{list_theme}/del",
                  ["titles", "parts-0", "parts-1", "parts-5", "version"]),
    "PlenaryForm": ("/workshops/{workshop}/temaliste/plenum",
                    ["plenum-title", "plenum-group_name"]),
    "LabelForm": ("/workshops/{workshop}/temaliste/anbefalinger", ["name"]),
    "MergeForm": ("/workshops/{workshop}/temaliste/saml", ["theme_ids", "title", "group_name"]),
    "ThemeDayPicksForm": ("/prioritering/{board}/resultat/temadag",
                          ["temadag-theme_ids", "temadag-version"]),
    "BoardConclusionForm": ("/prioritering/{board}/resultat/konklusion",
                            ["konklusion-conclusion", "konklusion-publish_to_region",
                             "konklusion-version"]),
    "PublishResultsForm": ("/prioritering/{board}/resultat/offentliggoer",
                           ["offentliggoer-version"]),
    "FocusAreaForm": ("/cykler/{cycle}/fokusomraader/nyt",
                      ["title", "vision", "background", "once"]),
    "FocusAreaForm (edit)": ("/fokusomraader/{focus_area}/rediger",
                             ["title", "vision", "background", "version"]),
    "InitiativeForm": ("/fokusomraader/{focus_area}/initiativer/nyt",
                       ["title", "description", "lead_organisation_id", "once"]),
    "InitiativeForm (edit)": ("/initiativer/{initiative}/rediger",
                              ["title", "description", "lead_organisation_id", "version"]),
    "StatusForm": ("/initiativer/{initiative}/status",
                   ["status", "report", "reported_on", "version"]),
    "MoveForm (focus area)": ("/fokusomraader/{focus_area}/flyt", ["step", "version"]),
    "VersionActionForm (initiative)": ("/initiativer/{initiative}/slet", ["version"]),
    # the theme day (issue 14, part D)
    "ThemeDayForm": ("/cykler/{cycle}/temadag/ny",
                     ["title", "milestone_id", "board_id", "theme_titles", "picks_per_theme",
                      "intro", "once"]),
    "ThemeDayForm (edit)": ("/temadage/{theme_day}/rediger",
                            ["title", "milestone_id", "picks_per_theme", "intro", "version"]),
    "CatalogueThemeForm": ("/temadage/{theme_day}/temaer/ny", ["title", "intro", "once"]),
    "CatalogueThemeForm (edit)": ("/temadage/{theme_day}/temaer/{catalogue_theme}",
                                  ["title", "intro", "version"]),
    "ItemForm (catalogue)": ("/temadage/{theme_day}/temaer/{catalogue_theme}/punkter/ny",
                             ["title", "description", "cooperation", "version"]),
    "ItemForm (catalogue, edit)": ("/temadage/{theme_day}/punkter/{catalogue_item}",
                                   ["title", "description", "cooperation", "version"]),
    "MoveForm (catalogue)": ("/temadage/{theme_day}/punkter/{catalogue_item}/flyt",
                             ["direction"]),
    "VoterForm": ("/temadage/{theme_day}/stemmeberettigede", ["user_id"]),
    "OpenForm": ("/temadage/{theme_day}/aabn", ["version"]),
    "VoteForm": ("/temadage/{open_day}/stem",
                 ["theme_id", "tema-1-items", "tema-2-items"]),
    "ThemeScoreForm": ("/prioritering/{open_board}/scoring/{board_theme}",
                       ["criterion_1", "comment", "abstain", "abstain_note", "version", "go"]),
    "BoardForm": ("/cykler/{cycle}/prioritering/ny",
                  ["title", "milestone_id", "workshop_id", "intro", "once"]),
    "BoardForm (edit)": ("/prioritering/{draft_board}/rediger",
                         ["title", "milestone_id", "intro", "version"]),
    "BoardThemeForm": ("/prioritering/{draft_board}/temaer/ny",
                       ["title", "group_name", "recommendation", "recommendation_label",
                        "rationale", "once"]),
    "BoardThemeForm (edit)": ("/prioritering/{draft_board}/temaer/{draft_theme}/rediger",
                              ["title", "recommendation", "rationale", "version"]),
    "CriterionForm": ("/prioritering/{draft_board}/kriterier/ny",
                      ["title", "description", "weight", "once"]),
    "CriterionForm (edit)": ("/prioritering/{draft_board}/kriterier/{board_criterion}/rediger",
                             ["title", "weight", "version"]),
    "MemberForm": ("/prioritering/{draft_board}/medlemmer/person", ["user_id"]),
    "StepForm": ("/prioritering/{draft_board}/temaer/{draft_theme}/flyt", ["step"]),
}


def _check_form(client, form, path, method, fields, examples):
    @settings(PROPERTY_SETTINGS, max_examples=examples)
    @given(values=st.fixed_dictionaries({name: hostile_value for name in fields}))
    def check(values):
        if method == "GET":
            response = client.get(path, query_string=values)
        else:
            response = client.post(path, data=values)
        assert response.status_code < 500, (form, values)

    check()


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.RESPONDENT], ids=lambda r: r.value)
def test_no_form_answers_500_to_hostile_input(client, scene, login_as, role, clock):
    """Every form in one test (one world to build): few examples a form, as the forms are many;
    a respondent is mostly refused before the form is read."""
    from tests import factories

    clock.set(factories.at(2017, 3, 10, 9))
    login_as(role)
    for form, (target, fields) in FORMS.items():
        method, _space, path = target.rpartition(" ")
        _check_form(client, form, path.format(**scene), method or "POST", fields,
                    4 if role is Role.SECRETARIAT else 2)
        # Still signed in, so the next form is really read (not a redirect to the login).
        assert client.get("/min-profil").status_code == 200, form


@pytest.mark.parametrize("path", ["/admin/personer?q=a%00b", "/admin/log?handling=%00cycle",
                                  "/admin/e-mails?state=%00&milestone=%00",
                                  f"/admin/e-mails?milestone={HUGE}&organisation=-{HUGE}"])
def test_a_nul_or_huge_number_in_a_search_is_no_error(client, login_as, path):
    login_as(Role.SECRETARIAT)
    assert client.get(path).status_code == 200


# -- the workshop's input (issue 13) ----------------------------------------------------------

def test_hostile_workshop_input_is_a_message_or_not_found(client, db, world, login_as):
    """Script, huge text and control characters in an item; a theme of another workshop; a
    merge across workshops; a stale edit — each a Danish message or a 404, never a 500."""
    from tests.workshops import input_factories
    from webapp.models import InputItem

    first = input_factories.workshop(world["north"]["cycle"])
    second = input_factories.workshop(world["north"]["cycle"], title="Anden")
    db.session.commit()
    theme, foreign_theme = input_factories.themes_of(first)[0], input_factories.themes_of(second)[0]
    login_as(Role.SECRETARIAT)
    url = f"/workshops/{first.id}/temaer/{theme.id}/input"
    assert client.post(url, data={"kind": "challenge", "body": "<script>x</script>\x00"}) \
        .status_code == 302
    assert "&lt;script&gt;" in html(client.get(url))
    huge = client.post(url, data={"kind": "challenge", "body": "æ" * 100_000})
    assert huge.status_code == 422 and "højst være" in field_error(html(huge), "body")
    assert client.get(f"/workshops/{first.id}/temaer/{foreign_theme.id}/input") \
        .status_code == 404
    for workshop in (first, second):
        client.post(f"/workshops/{workshop.id}/temaliste/opret")
    from webapp.models import ListTheme

    ids = [db.session.scalar(select(ListTheme.id).where(ListTheme.workshop_id == w.id))
           for w in (first, second)]
    merge = client.post(f"/workshops/{first.id}/temaliste/saml",
                        data={"theme_ids": [str(i) for i in ids], "title": "Samlet"})
    assert merge.status_code == 422
    item = db.session.scalar(select(InputItem))
    stale = client.post(f"{url}/{item.id}", data={"kind": "action", "body": "Ny",
                                                  "version": str(item.version_id + 5)})
    assert stale.status_code == 409 and "Ny</textarea>" in html(stale)
