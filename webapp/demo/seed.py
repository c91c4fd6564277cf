"""Load the Nordjylland demo. Idempotent: what exists (by its natural key) is left alone."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, overload

from flask import g
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.datastructures import MultiDict

from ..extensions import db
from ..formatting import LOCAL_TZ
from ..models import (
    Cycle,
    CycleState,
    DeadlineExtension,
    EmailState,
    MilestoneKind,
    Organisation,
    OrgKind,
    OutboundEmail,
    Question,
    Questionnaire,
    QuestionnaireResponse,
    QuestionType,
    Region,
    Role,
    Section,
    TargetAudience,
    TargetGroup,
    User,
)
from ..permissions import SYSTEM
from ..workflows import accounts, organisations
from ..workflows import cycles as cycle_flow
from ..workflows.base import record
from ..workflows.questionnaires import builder as build
from ..workflows.questionnaires import responses as answering
from ..workflows.questionnaires.fields import field_name, field_type, grid_groups, parse_answers
from . import approvals as approval_story
from . import board_results, board_scores, midtjylland, theme_day, workshop_input, workshop_signup
from . import boards as board_story
from . import consultation as consultation_story
from . import focus_areas as focus_story
from . import nordjylland as data
from . import questionnaire as qdata


@dataclass
class SeedResult:
    created: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created)


@overload
def _local(value: str) -> datetime: ...
@overload
def _local(value: None) -> None: ...
def _local(value: str | None) -> datetime | None:
    if value is None:
        return None
    return datetime.strptime(value, "%Y-%m-%d %H:%M").replace(tzinfo=LOCAL_TZ)


# When the workshop's input and its theme list are written (the afternoon of the workshop).
WORKSHOP_INPUT_AT = datetime(2017, 2, 6, 13, 0, tzinfo=UTC)
# The board's result published (the DAS meeting of 2 March), the politicians' votes on the
# theme day, and the focus areas written from its outcome.
BOARD_PUBLISHED_AT = datetime(2017, 3, 2, 11, 0, tzinfo=UTC)
THEME_DAY_VOTES_AT = datetime(2017, 4, 28, 9, 0, tzinfo=UTC)
FOCUS_AREAS_AT = datetime(2017, 5, 15, 7, 0, tzinfo=UTC)


def seed_demo(now: datetime, *, approval_round: bool = True) -> SeedResult:
    """Create what is missing of the demo. The caller commits.

    The demo tells a story with its own dates: the region, its people and the cycle were set up
    before the kickoff (`SETUP_AT`), the questionnaire was built in February and answered in
    March and April, the draft agreement was consulted on in August–September (consultation.py).
    Only the copy for the next cycle is made `now`. Without `approval_round` the final text
    is frozen but the councils' round is left for someone to open (the browser walk does).
    """
    result = SeedResult()
    setup = _at(data.SETUP_AT)
    region, existing, people = _seed_region(result, data, _at(data.REGION_SETUP_AT))
    actor = db.session.scalar(
        select(User).where(User.email == data.PEOPLE[0][0])
        .options(selectinload(User.grants), selectinload(User.organisation)))
    assert actor is not None

    cycles = {c.title: c for c in db.session.scalars(
        select(Cycle).where(Cycle.region_id == region.id)
        .options(selectinload(Cycle.milestones)))}
    groups = _target_groups(result, region, actor)
    previous = _seed_previous_cycle(result, region, cycles, existing, people, actor, groups)
    source = cycles.get(data.CYCLE["title"])
    if source is None:
        source = _open_cycle(actor, region, data.CYCLE, data.MILESTONES, setup)
        result.created.append(f"cycle {source.title}")
    if data.CLONE["title"] not in cycles:
        cycle_flow.clone_cycle(actor, source, now=now, **data.CLONE)
        result.created.append(f"cycle {data.CLONE['title']}")
    _seed_questionnaire(result, region, source, existing, people, actor, groups, previous)
    # The draft agreement, its consultation (August–September 2017) and the responses. Their
    # invitations and receipts are settled as sent when written, like the questionnaire's.
    last_mail = db.session.scalar(select(func.max(OutboundEmail.id))) or 0
    # The workshop of 6 February 2017: invitations and sign-ups by the 2 + 1 rule, then the
    # input of its themes and the 14-theme list the strategy group made of them.
    workshop_signup.seed_signup(result.created, source, actor)
    workshop_input.seed_input(source, WORKSHOP_INPUT_AT)
    consultation_story.seed_consultation(result.created, source, people, actor)
    # The councils' approvals of the final text (September–October 2017).
    approval_story.seed_approvals(result.created, source, people, actor,
                                  open_round=approval_round)
    # From 14 themes to the agreement's content (issue 14): the steering group scores the
    # workshop's themes blind (13–27 February), the board is closed and its result published
    # with three themes for the theme day (2 March), the catalogue goes out and the politicians
    # vote on the day (28 April: the vote is left open), and the focus areas are written.
    board = board_story.seed_board(source)
    board_scores.seed_scores(board, board_story.OPENED_AT)
    board_story.close_demo_board(board)
    board_results.seed_publish(board, BOARD_PUBLISHED_AT)
    theme_day.seed_theme_day(source, board, THEME_DAY_VOTES_AT)
    focus_story.seed_focus_areas(source, FOCUS_AREAS_AT)
    _settle_past_mail(last_mail)
    _seed_midtjylland(result)
    db.session.flush()
    return result


def _seed_region(result: SeedResult, spec: Any, founded: datetime
                 ) -> tuple[Region, dict[str, Organisation], dict[str, User]]:
    """A demo region from its data module (REGION, MUNICIPALITIES, OTHER_ORGANISATIONS,
    PEOPLE): what is missing is made, as the secretariat had set it up on `founded`."""
    region = db.session.scalar(select(Region).where(Region.code == spec.REGION["code"]))
    if region is None:
        region = Region(code=spec.REGION["code"], name=spec.REGION["name"], created_at=founded)
        db.session.add(region)
        db.session.flush()
        result.created.append(f"region {region.name}")
    existing = {o.name: o for o in db.session.scalars(
        select(Organisation).where(Organisation.region_id == region.id))}
    wanted: list[tuple[str, str, str | None]] = [
        ("municipality", name, council) for name, council in spec.MUNICIPALITIES]
    for kind, name, council in [*wanted, *spec.OTHER_ORGANISATIONS]:
        if name not in existing:
            existing[name] = organisations.create_organisation(
                SYSTEM, region_id=region.id, kind=OrgKind(kind), name=name,
                council_name=council or "", now=founded)
            result.created.append(f"organisation {name}")
    people = {u.email: u for u in db.session.scalars(
        select(User).where(User.email.in_([p[0] for p in spec.PEOPLE]))
        .options(selectinload(User.grants), selectinload(User.organisation)))}
    for email, name, org_name, roles in spec.PEOPLE:
        if email not in people:
            people[email] = accounts.create_user(
                SYSTEM, email=email, name=name, organisation=existing[org_name],
                roles=[Role(r) for r in roles], password=data.DEMO_PASSWORD, now=founded)
            result.created.append(f"person {email}")
    return region, existing, people


def _seed_midtjylland(result: SeedResult) -> None:
    """The second region, kept apart from the first: its organisations, people and cycle."""
    spec = midtjylland
    founded = _at(spec.SETUP_AT)
    region, _orgs, _people = _seed_region(result, spec, founded)
    if db.session.scalar(select(Cycle.id).where(Cycle.region_id == region.id,
                                                Cycle.title == spec.CYCLE["title"])) is None:
        actor = db.session.scalar(
            select(User).where(User.email == spec.PEOPLE[0][0])
            .options(selectinload(User.grants), selectinload(User.organisation)))
        assert actor is not None
        _open_cycle(actor, region, spec.CYCLE, spec.MILESTONES, founded)
        result.created.append(f"cycle {spec.CYCLE['title']} ({region.name})")


def _open_cycle(actor: User, region: Region, spec: dict[str, Any],
                milestones: list[dict[str, Any]], at: datetime) -> Cycle:
    cycle = cycle_flow.create_cycle(actor, region_id=region.id, now=at, **spec)
    for m in milestones:
        cycle_flow.add_milestone(actor, cycle, cycle_flow.MilestoneData(
            kind=MilestoneKind(m["kind"]), title=m["title"],
            starts_at=_local(m["starts"]), ends_at=_local(m["ends"]),
            description=m["description"], audience=list(m["audience"]),
        ), now=at)
    cycle_flow.set_cycle_state(actor, cycle, CycleState.OPEN, now=at)
    return cycle


# -- last year's cycle: the reports "Hent sidste års svar" fetches ---------------------------------

def _seed_previous_cycle(result: SeedResult, region: Region, cycles: dict[str, Cycle],
                         orgs: dict[str, Organisation], people: dict[str, User], actor: User,
                         groups: list[TargetGroup]) -> Questionnaire | None:
    """Rammeaftale 2017, answered by every municipality in the spring of 2016 and closed after
    the approvals. Made whole when missing; an existing one is left as it is."""
    spec = qdata.PREVIOUS_QUESTIONNAIRE
    cycle = cycles.get(data.PREVIOUS_CYCLE["title"])
    if cycle is not None:
        return _load_questionnaire(cycle.id, spec["title"])
    cycle = _open_cycle(actor, region, data.PREVIOUS_CYCLE, data.PREVIOUS_MILESTONES,
                        _at(data.REGION_SETUP_AT))
    result.created.append(f"cycle {cycle.title}")
    municipalities = [o.id for o in orgs.values() if o.kind == OrgKind.MUNICIPALITY]
    questionnaire = _build_questionnaire(cycle, actor, spec, recipients=sorted(municipalities))
    result.created.append(f"spørgeskema {questionnaire.title}")
    last_mail = db.session.scalar(select(func.max(OutboundEmail.id))) or 0
    stories = list(qdata.PREVIOUS_RESPONSES)
    this_year = {s["organisation"]: s for s in qdata.RESPONSES}
    for org_name, submitted in qdata.PREVIOUS_LIKE_THIS_YEAR:
        story = this_year[org_name]
        stories.append({"organisation": org_name, "person": story["person"],
                        "events": [("submit", submitted)],
                        "answers": _year_before(story["answers"])})
    for story in sorted(stories, key=lambda s: s["events"][0][1]):
        org = orgs[story["organisation"]]
        _story(questionnaire, groups, org, people[story["person"]], actor, story)
        result.created.append(f"besvarelse 2017 {org.name}")
    _settle_past_mail(last_mail)
    cycle_flow.set_cycle_state(actor, cycle, CycleState.CLOSED,
                               now=_at(data.PREVIOUS_CLOSED_AT))
    return questionnaire


def _year_before(answers: dict[str, Any]) -> dict[str, Any]:
    """A year earlier the counts were a little lower: about one in twenty fewer places."""
    def fewer(value: Any) -> Any:
        return value - round(value / 20) if isinstance(value, int) and value > 0 else value

    earlier = dict(answers)
    for key in ("voksne", "boern_unge"):
        if key in earlier:
            earlier[key] = {group: (fewer(row[0]), fewer(row[1]), fewer(row[2]), *row[3:])
                            for group, row in earlier[key].items()}
    return earlier


# -- the capacity questionnaire ------------------------------------------------------------------

def _target_groups(result: SeedResult, region: Region, actor: User) -> list[TargetGroup]:
    found = {(t.audience.value, t.name): t for t in db.session.scalars(
        select(TargetGroup).where(TargetGroup.region_id == region.id))}
    for audience, names in qdata.TARGET_GROUPS.items():
        for name in names:
            if (audience, name) not in found:
                found[(audience, name)] = build.create_target_group(
                    actor, region_id=region.id, audience=TargetAudience(audience), name=name,
                    now=_at(qdata.GROUPS_CREATED))
                result.created.append(f"målgruppe {name}")
    return sorted(found.values(), key=lambda t: (t.audience.value, t.position, t.id))


def _load_questionnaire(cycle_id: int, title: str) -> Questionnaire | None:
    return db.session.scalar(
        select(Questionnaire)
        .where(Questionnaire.cycle_id == cycle_id, Questionnaire.title == title)
        .options(joinedload(Questionnaire.cycle), joinedload(Questionnaire.milestone),
                 selectinload(Questionnaire.sections).selectinload(Section.questions),
                 selectinload(Questionnaire.recipients)))


def _build_questionnaire(cycle: Cycle, actor: User, spec: dict[str, Any], *,
                         recipients: list[int] | None = None,
                         previous: Questionnaire | None = None) -> Questionnaire:
    """A questionnaire from its spec; with `previous`, as the secretariat makes it: a copy of
    last year's with this year's introduction and every municipality and the region asked."""
    built = _at(spec["built_at"])
    milestone = next(m for m in cycle.milestones if m.title == spec["milestone"])
    if previous is not None:
        questionnaire = build.clone_questionnaire(actor, previous, cycle, milestone=milestone,
                                                  title=spec["title"], now=built)
        build.update_questionnaire(actor, questionnaire, title=spec["title"],
                                   intro=spec["intro"], milestone=milestone, now=built)
        build.set_recipients(actor, questionnaire, build.default_recipients(cycle.region_id),
                             now=built)
        return questionnaire
    questionnaire = build.create_questionnaire(
        actor, cycle, milestone=milestone, title=spec["title"], intro=spec["intro"],
        recipient_ids=recipients, now=built)
    for section_spec in spec["sections"]:
        section = build.add_section(actor, questionnaire, title=section_spec["title"],
                                    description=section_spec["description"], now=built)
        for q in section_spec["questions"]:
            build.add_question(
                actor, questionnaire, section, type=QuestionType(q["type"]), key=q["key"],
                label=q["label"], help_text=q.get("help_text", ""),
                required=q.get("required", False), config=q.get("config"),
                condition=q.get("condition"), now=built)
    return questionnaire


def _formdata(questions: list[Question], groups: list[TargetGroup], answers: dict[str, Any],
              only: tuple[str, ...] | None) -> MultiDict[str, str]:
    """The demo's answers as a browser would post them, so they are parsed like real ones."""
    form: MultiDict[str, str] = MultiDict()
    for question in questions:
        if only is not None and question.key not in only:
            continue
        answer = answers.get(question.key)
        if field_type(question).compound:
            rows = answer or {}
            columns = question.config["columns"]
            for group in grid_groups(question, groups):
                row = rows.get(group.name, ())
                for column, value in zip(columns, row, strict=False):
                    form.add(field_name(question, group.id, column["key"]), _raw(value))
            unknown = set(rows) - {t.name for t in groups}
            if unknown:
                raise ValueError(f"demo answers name unknown target groups: {unknown}")
        elif answer is not None:
            form.add(field_name(question), _raw(answer))
    return form


def _raw(value: Any) -> str:
    if value is None:
        return ""
    if value is True or value is False:
        return "ja" if value else "nej"
    return str(value)


def _story(questionnaire: Questionnaire, groups: list[TargetGroup], org: Organisation,
           person: User, secretariat: User, story: dict[str, Any]) -> None:
    """One organisation's saves, submissions and reopenings, through the workflows."""
    questions = questionnaire.questions()
    response: QuestionnaireResponse | None = None
    for event in story["events"]:
        kind, when = event[0], _at(event[1])
        if kind == "reopen":
            if response is None:
                raise ValueError(f"demo story for {org.name} reopens before submitting")
            answering.reopen(secretariat, questionnaire, response, org, event[2], now=when)
            continue
        only = event[2] if len(event) > 2 else None
        sheet = parse_answers(questions, groups,
                              _formdata(questions, groups, story["answers"], only))
        if sheet.errors:
            raise ValueError(f"demo answers for {org.name} do not parse: {sheet.errors}")
        version = response.version_id if response is not None else None
        if kind == "submit":
            response = answering.submit(person, questionnaire, org, response, sheet.values,
                                        groups, version=version, now=when)
        else:
            response = answering.save_draft(person, questionnaire, org, response,
                                            sheet.values, version=version, now=when)


def _seed_questionnaire(result: SeedResult, region: Region, cycle: Cycle,
                        orgs: dict[str, Organisation], people: dict[str, User],
                        actor: User, groups: list[TargetGroup],
                        previous: Questionnaire | None) -> None:
    questionnaire = _load_questionnaire(cycle.id, qdata.QUESTIONNAIRE["title"])
    if questionnaire is None:
        questionnaire = _build_questionnaire(cycle, actor, qdata.QUESTIONNAIRE,
                                             previous=previous)
        result.created.append(f"spørgeskema {questionnaire.title}")
    answered = set(db.session.scalars(select(QuestionnaireResponse.organisation_id).where(
        QuestionnaireResponse.questionnaire_id == questionnaire.id)))
    extended = set(db.session.scalars(select(DeadlineExtension.organisation_id).where(
        DeadlineExtension.questionnaire_id == questionnaire.id)))
    stories = [s for s in qdata.RESPONSES if orgs[s["organisation"]].id not in answered]
    extensions = [e for e in qdata.EXTENSIONS if orgs[e[0]].id not in extended]
    if not stories and not extensions:
        return
    last_mail = db.session.scalar(select(func.max(OutboundEmail.id))) or 0
    for story in stories:
        org = orgs[story["organisation"]]
        _story(questionnaire, groups, org, people[story["person"]], actor, story)
        result.created.append(f"besvarelse {org.name}")
    for org_name, granted, until, reason in extensions:
        answering.grant_extension(actor, questionnaire, orgs[org_name], _at(until), reason,
                                  now=_at(granted))
        result.created.append(f"fristforlængelse {org_name}")
    _settle_past_mail(last_mail)


def _settle_past_mail(last_id: int) -> None:
    """The receipts and notices the story wrote belong to its past (March and April 2017):
    record them as sent when they were written, without sending anything (they are addressed
    to the demo's example addresses), so the mail job finds no backlog from 2017."""
    messages = db.session.scalars(select(OutboundEmail).where(
        OutboundEmail.id > last_id,
        OutboundEmail.state.in_([EmailState.QUEUED, EmailState.HELD]))).all()
    settled = {m.id for m in messages}
    if "queued_email_ids" in g:
        g.queued_email_ids = [i for i in g.queued_email_ids if i not in settled]
    for message in messages:
        message.state = EmailState.SENT
        message.attempts = 1
        message.sent_at = message.created_at
        message.last_error = ""
        record(actor=SYSTEM, action="email.sent", obj=message, now=message.created_at,
               region_id=message.region_id, after={"to": message.to_address},
               label=message.subject)


def _at(value: str) -> datetime:
    """A Copenhagen wall-clock time from the data as UTC, as the forms hand it to workflows."""
    return datetime.strptime(value, "%Y-%m-%d %H:%M").replace(tzinfo=LOCAL_TZ).astimezone(UTC)


def demo_logins() -> list[tuple[str, str, str]]:
    """Nordjylland's people, then Midtjylland's (the second region, kept apart)."""
    return [(email, ", ".join(roles), org)
            for email, _, org, roles in [*data.PEOPLE, *midtjylland.PEOPLE]]
