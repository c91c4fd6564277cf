"""A national-scale data set for benchmarks and load tests: `flask --app webapp seed-national`.

All five regions with their real municipality counts (29, 17, 22, 19, 11) and the regions
themselves; a secretariat and a respondent for every party; ten one-year cycles per region
(2009–2018, the last one open) with the demo's milestones and default reminder rules; in every
cycle a capacity questionnaire of 200 questions (grids included) sent to every municipality and
the region, answered by all of them in the closed cycles and by most in the open one; and a
reminder log of 100,000 deliveries with their e-mails.

Rows are written with bulk inserts: the workflows check and audit one change at a time and would
take far longer for a data set this size. The answers are still made by the questionnaire's own
parser from form data, so every page reads them as it reads real answers. Never run by the demo
or by the tests' default path; it refuses a database that already holds a region.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select
from werkzeug.datastructures import MultiDict

from ..extensions import db
from ..formatting import LOCAL_TZ
from ..models import (
    Cycle,
    CycleState,
    DeliveryState,
    EmailState,
    Milestone,
    MilestoneKind,
    Organisation,
    OrgKind,
    OutboundEmail,
    Question,
    Questionnaire,
    QuestionnaireRecipient,
    QuestionnaireResponse,
    QuestionType,
    Region,
    ReminderDelivery,
    ReminderRule,
    ResponseState,
    Role,
    RoleGrant,
    RuleKind,
    Section,
    Submission,
    TargetAudience,
    TargetGroup,
    User,
)
from ..security import hash_password
from ..workflows import reminders as reminder_flow
from ..workflows.questionnaires.fields import form_cells, parse_answers
from . import nordjylland
from . import questionnaire as qdata

PASSWORD = nordjylland.DEMO_PASSWORD
OPEN_YEAR = 2018
YEARS = range(OPEN_YEAR - 9, OPEN_YEAR + 1)  # ten one-year cycles, the last one open
QUESTIONS = 200
SECTIONS = 10
REMINDER_LOG = 100_000

# (code, name, municipalities). Names as the municipalities write them.
REGIONS: list[tuple[str, str, list[str]]] = [
    ("hovedstaden", "Region Hovedstaden", [
        "Albertslund", "Allerød", "Ballerup", "Bornholms Regions", "Brøndby", "Dragør",
        "Egedal", "Fredensborg", "Frederiksberg", "Frederikssund", "Furesø", "Gentofte",
        "Gladsaxe", "Glostrup", "Gribskov", "Halsnæs", "Helsingør", "Herlev", "Hillerød",
        "Hvidovre", "Høje-Taastrup", "Hørsholm", "Ishøj", "Københavns", "Lyngby-Taarbæk",
        "Rudersdal", "Rødovre", "Tårnby", "Vallensbæk"]),
    ("sjaelland", "Region Sjælland", [
        "Faxe", "Greve", "Guldborgsund", "Holbæk", "Kalundborg", "Køge", "Lejre", "Lolland",
        "Næstved", "Odsherred", "Ringsted", "Roskilde", "Slagelse", "Solrød", "Sorø", "Stevns",
        "Vordingborg"]),
    ("syddanmark", "Region Syddanmark", [
        "Assens", "Billund", "Esbjerg", "Fanø", "Fredericia", "Faaborg-Midtfyn", "Haderslev",
        "Kerteminde", "Kolding", "Langeland", "Middelfart", "Nordfyns", "Nyborg", "Odense",
        "Svendborg", "Sønderborg", "Tønder", "Varde", "Vejen", "Vejle", "Ærø", "Aabenraa"]),
    ("midtjylland", "Region Midtjylland", [
        "Favrskov", "Hedensted", "Herning", "Holstebro", "Horsens", "Ikast-Brande", "Lemvig",
        "Norddjurs", "Odder", "Randers", "Ringkøbing-Skjern", "Samsø", "Silkeborg",
        "Skanderborg", "Skive", "Struer", "Syddjurs", "Viborg", "Aarhus"]),
    ("nordjylland", "Region Nordjylland", [
        "Brønderslev", "Frederikshavn", "Hjørring", "Jammerbugt", "Læsø", "Mariagerfjord",
        "Morsø", "Rebild", "Thisted", "Vesthimmerlands", "Aalborg"]),
]

# One section's twenty questions, repeated ten times: every type the questionnaire knows.
_SECTION_TYPES: list[tuple[QuestionType, dict[str, Any]]] = [
    (QuestionType.GRID, {"audience": "adults", "columns": qdata.GRID_COLUMNS}),
    (QuestionType.GRID, {"audience": "children_youth", "columns": qdata.GRID_COLUMNS}),
    *[(QuestionType.INTEGER, {"min": 0})] * 4,
    *[(QuestionType.DECIMAL, {"min": 0})] * 2,
    *[(QuestionType.DATE, {})] * 2,
    *[(QuestionType.YES_NO, {})] * 2,
    *[(QuestionType.SINGLE_CHOICE, {"choices": ["Stigende", "Uændret", "Faldende"]})] * 2,
    (QuestionType.MULTIPLE_CHOICE, {"choices": ["Døgntilbud", "Dagtilbud", "Ambulant",
                                                "Specialundervisning"]}),
    *[(QuestionType.SCALE, {"allow_dont_know": True})] * 2,
    *[(QuestionType.SHORT_TEXT, {})] * 2,
    (QuestionType.LONG_TEXT, {}),
]
_TYPE_LABELS = {
    QuestionType.GRID: "Behov og udbud", QuestionType.INTEGER: "Antal pladser",
    QuestionType.DECIMAL: "Gennemsnitlig takst (mio. kr.)", QuestionType.DATE: "Forventet dato",
    QuestionType.YES_NO: "Planer om ændringer", QuestionType.SINGLE_CHOICE: "Udvikling",
    QuestionType.MULTIPLE_CHOICE: "Tilbudstyper", QuestionType.SCALE: "Vurdering",
    QuestionType.SHORT_TEXT: "Kontakt", QuestionType.LONG_TEXT: "Tendenser og udfordringer",
}


@dataclass
class NationalResult:
    regions: int
    organisations: int
    people: int
    cycles: int
    questions: int
    responses: int
    deliveries: int
    seconds: float

    def lines(self) -> list[str]:
        return [
            f"{self.regions} regioner, {self.organisations} organisationer, "
            f"{self.people} personer",
            f"{self.cycles} cykler, {self.questions} spørgsmål, {self.responses} besvarelser",
            f"{self.deliveries} påmindelser i loggen",
            f"Tid: {self.seconds:.0f} sekunder",
        ]


def _local(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LOCAL_TZ).astimezone(UTC)


def _slug(name: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", " ": "-"})
    return re.sub(r"[^a-z0-9-]", "", name.lower().translate(table))


def _insert(model: type[Any], rows: list[dict[str, Any]]) -> list[int]:
    """Bulk-insert and return the new ids in order (RETURNING on both databases)."""
    if not rows:
        return []
    result = db.session.execute(insert(model).returning(model.id, sort_by_parameter_order=True),
                                rows)
    return [row[0] for row in result]


def seed_national(echo: Callable[[str], None] = lambda _: None) -> NationalResult:
    """Write the national data set and commit it. Raises ValueError on a non-empty database."""
    started = time.perf_counter()
    if db.session.scalar(select(func.count(Region.id))):
        raise ValueError("Databasen har allerede regioner; seed-national kræver en tom database.")
    setup = _local(OPEN_YEAR - 10, 10, 3, 9)
    password_hash = hash_password(PASSWORD)
    counts = {"organisations": 0, "people": 0, "cycles": 0, "questions": 0, "responses": 0}
    plans: list[_RegionPlan] = []
    for code, name, municipalities in REGIONS:
        plan = _seed_region(code, name, municipalities, setup, password_hash, counts)
        plans.append(plan)
        db.session.commit()
        echo(f"  {name}: {len(municipalities)} kommuner, {len(YEARS)} cykler")
    deliveries = _seed_reminder_log(plans)
    db.session.commit()
    return NationalResult(regions=len(REGIONS), organisations=counts["organisations"],
                          people=counts["people"], cycles=counts["cycles"],
                          questions=counts["questions"], responses=counts["responses"],
                          deliveries=deliveries, seconds=time.perf_counter() - started)


@dataclass
class _RegionPlan:
    region_id: int
    respondents: list[tuple[int, str, int]]  # (user id, e-mail, organisation id)
    secretariat: list[tuple[int, str]]
    closed_milestones: list[tuple[int, datetime]]  # questionnaire milestones of closed cycles


def _seed_region(code: str, name: str, municipalities: list[str], setup: datetime,
                 password_hash: str, counts: dict[str, int]) -> _RegionPlan:
    region_id = _insert(Region, [{"code": code, "name": name, "created_at": setup}])[0]
    orgs: list[dict[str, Any]] = [
        {"kind": OrgKind.MUNICIPALITY, "name": f"{m} Kommune", "council_name": f"{m} Byråd"}
        for m in municipalities]
    orgs += [
        {"kind": OrgKind.REGION, "name": name, "council_name": "Regionsrådet"},
        {"kind": OrgKind.SECRETARIAT, "name": "Sekretariat for Rammeaftaler"},
        {"kind": OrgKind.STEERING_BODY, "name": "Den Administrative Styregruppe"},
        {"kind": OrgKind.USER_ORGANISATION, "name": f"Danske Handicaporganisationer {name}"},
    ]
    org_ids = _insert(Organisation, [
        {"region_id": region_id, "council_name": None, "email": None, "active": True,
         "version_id": 1, "created_at": setup, **org} for org in orgs])
    parties = org_ids[:len(municipalities) + 1]  # the municipalities and the region
    secretariat_org, steering_org, user_org = org_ids[-3], org_ids[-2], org_ids[-1]
    people: list[tuple[str, str, int, Role]] = [
        (f"sekretariat@{code}.example", "Sekretær", secretariat_org, Role.SECRETARIAT),
        (f"sekretariat2@{code}.example", "Sekretær 2", secretariat_org, Role.SECRETARIAT),
        (f"styregruppe@{code}.example", "Styregruppemedlem", steering_org, Role.STEERING_MEMBER),
        (f"brugerorg@{code}.example", "Brugerrepræsentant", user_org, Role.USER_ORG_REP),
    ]
    for org_id, org in zip(parties, orgs, strict=False):
        people.append((f"{_slug(org['name'])}@{code}.example", f"Besvarer, {org['name']}",
                       org_id, Role.RESPONDENT))
    user_ids = _insert(User, [
        {"email": email, "name": person, "password_hash": password_hash, "active": True,
         "organisation_id": org_id, "session_nonce": f"n{code}{i}", "created_at": setup,
         "digest_notices": False, "version_id": 1}
        for i, (email, person, org_id, _) in enumerate(people)])
    _insert(RoleGrant, [{"user_id": uid, "region_id": region_id, "role": role, "granted_at": setup}
                        for uid, (_, _, _, role) in zip(user_ids, people, strict=True)])
    counts["organisations"] += len(org_ids)
    counts["people"] += len(user_ids)

    group_ids: list[int] = []
    for audience, names in qdata.TARGET_GROUPS.items():
        group_ids += _insert(TargetGroup, [
            {"region_id": region_id, "audience": TargetAudience(audience), "name": group,
             "position": n, "active": True, "version_id": 1} for n, group in enumerate(names)])
    groups = db.session.scalars(select(TargetGroup).where(TargetGroup.id.in_(group_ids))).all()

    plan = _RegionPlan(
        region_id=region_id,
        respondents=[(uid, email, org_id) for uid, (email, _, org_id, role)
                     in zip(user_ids, people, strict=True) if role == Role.RESPONDENT],
        secretariat=[(uid, email) for uid, (email, _, _, role)
                     in zip(user_ids, people, strict=True) if role == Role.SECRETARIAT],
        closed_milestones=[])
    answers: dict[int, dict[str, Any]] = {}
    for year in YEARS:
        state = CycleState.OPEN if year == OPEN_YEAR else CycleState.CLOSED
        cycle_id = _insert(Cycle, [{
            "region_id": region_id, "title": f"Rammeaftale {year}", "first_year": year,
            "last_year": year, "state": state, "description": nordjylland.CYCLE["description"],
            "created_at": _local(year - 2, 10, 3, 9), "version_id": 1}])[0]
        questionnaire_milestone = _seed_milestones(cycle_id, year, setup)
        if state == CycleState.CLOSED:
            plan.closed_milestones.append(questionnaire_milestone)
        questions = _seed_questionnaire(cycle_id, questionnaire_milestone[0], year, parties)
        if not answers:  # the same answers every year: parsing once per party is enough
            answers = {org_id: _answers(questions, groups, n) for n, org_id in enumerate(parties)}
        counts["responses"] += _seed_responses(questions[0].questionnaire_id, year, state,
                                               parties, answers, plan.respondents)
        counts["cycles"] += 1
        counts["questions"] += len(questions)
    return plan


def _seed_milestones(cycle_id: int, year: int, now: datetime) -> tuple[int, datetime]:
    """The demo's milestones moved to `year`; returns the questionnaire milestone and deadline."""
    shift = year - OPEN_YEAR
    found: tuple[int, datetime] | None = None
    for spec in nordjylland.MILESTONES:
        starts = _shifted(spec["starts"], shift)
        ends = _shifted(spec["ends"], shift)
        assert ends is not None
        milestone = Milestone(cycle_id=cycle_id, kind=MilestoneKind(spec["kind"]),
                              title=spec["title"], starts_at=starts, ends_at=ends, place="",
                              description=spec["description"], audience=list(spec["audience"]),
                              is_public=True, version_id=1)
        db.session.add(milestone)
        db.session.flush()
        reminder_flow.create_default_rules(milestone, now)
        if milestone.kind == MilestoneKind.QUESTIONNAIRE:
            found = (milestone.id, ends)
    assert found is not None
    return found


def _shifted(value: str | None, years: int) -> datetime | None:
    if value is None:
        return None
    local = datetime.strptime(value, "%Y-%m-%d %H:%M")
    return local.replace(year=local.year + years, tzinfo=LOCAL_TZ).astimezone(UTC)


def _seed_questionnaire(cycle_id: int, milestone_id: int, year: int,
                        parties: list[int]) -> list[Question]:
    built = _local(year - 1, 2, 20, 10)
    questionnaire_id = _insert(Questionnaire, [{
        "cycle_id": cycle_id, "milestone_id": milestone_id,
        "title": f"Kapacitetsspørgeskema {year}", "intro": qdata.QUESTIONNAIRE["intro"],
        "created_at": built, "version_id": 1}])[0]
    _insert(QuestionnaireRecipient, [{"questionnaire_id": questionnaire_id,
                                      "organisation_id": org_id} for org_id in parties])
    section_ids = _insert(Section, [
        {"questionnaire_id": questionnaire_id, "position": n, "title": f"Afsnit {n + 1}",
         "description": "", "version_id": 1} for n in range(SECTIONS)])
    rows = []
    per_section = QUESTIONS // SECTIONS
    for s, section_id in enumerate(section_ids):
        for p, (qtype, config) in enumerate(_SECTION_TYPES[:per_section]):
            number = s * per_section + p + 1
            rows.append({
                "questionnaire_id": questionnaire_id, "section_id": section_id, "position": p,
                "key": f"q{number:03d}", "type": qtype,
                "label": f"{number}. {_TYPE_LABELS[qtype]}", "help_text": "",
                "required": qtype in (QuestionType.GRID, QuestionType.INTEGER),
                "config": config, "condition": None, "version_id": 1})
    ids = _insert(Question, rows)
    return list(db.session.scalars(select(Question).where(Question.id.in_(ids))
                                   .order_by(Question.section_id, Question.position)))


def _answers(questions: list[Question], groups: Any, n: int) -> dict[str, Any]:
    """Party n's answers, posted as a browser would and parsed by the questionnaire's parser."""
    form: MultiDict[str, str] = MultiDict()
    for question in questions:
        for cell in form_cells(question, list(groups)):
            form.add(cell.name, _raw(question, cell.name, n))
    sheet = parse_answers(questions, groups, form)
    if sheet.errors:
        raise ValueError(f"national answers do not parse: {list(sheet.errors.items())[:3]}")
    return sheet.values


def _raw(question: Question, name: str, n: int) -> str:
    seed = (sum(map(ord, name)) + 7 * n) % 97
    qtype = question.type
    if qtype == QuestionType.GRID:
        column = name.rsplit("__", 1)[-1]
        if column == "sammenhaeng":
            return str(3 + seed % 3)
        if column == "bemaerkning":
            return "" if seed % 4 else "Ventelister på døgnpladser."
        return str(seed)
    if qtype == QuestionType.INTEGER:
        return str(seed * 3)
    if qtype == QuestionType.DECIMAL:
        return f"{seed % 9},{seed % 10}"
    if qtype == QuestionType.DATE:
        return f"{1 + seed % 28:02d}.{1 + seed % 12:02d}.2018"
    if qtype == QuestionType.YES_NO:
        return "ja" if seed % 2 else "nej"
    if qtype == QuestionType.SINGLE_CHOICE:
        return ["Stigende", "Uændret", "Faldende"][seed % 3]
    if qtype == QuestionType.MULTIPLE_CHOICE:
        return ["Døgntilbud", "Dagtilbud", "Ambulant"][seed % 3]
    if qtype == QuestionType.SCALE:
        return str(1 + seed % 5) if seed % 5 > 1 else "dont_know"
    if qtype == QuestionType.SHORT_TEXT:
        return f"Kontaktperson {n}"
    return "Flere borgere med komplekse behov; rekruttering af fagpersonale er svær."


def _seed_responses(questionnaire_id: int, year: int, state: CycleState, parties: list[int],
                    answers: dict[int, dict[str, Any]],
                    respondents: list[tuple[int, str, int]]) -> int:
    """Closed cycles: every party submitted. The open one: 3 in 5 submitted, 1 in 5 a draft."""
    person = {org_id: (uid, email) for uid, email, org_id in respondents}
    responses: list[dict[str, Any]] = []
    submitted_orgs: list[int] = []
    for n, org_id in enumerate(parties):
        when = _local(year - 1, 4, 1 + n % 25, 10)
        if state == CycleState.OPEN and n % 5 == 4:
            continue
        draft = state == CycleState.OPEN and n % 5 == 3
        uid = person[org_id][0]
        responses.append({
            "questionnaire_id": questionnaire_id, "organisation_id": org_id,
            "state": ResponseState.DRAFT if draft else ResponseState.SUBMITTED,
            "answers": answers[org_id], "prefilled": [], "created_at": when,
            "updated_at": when, "updated_by_id": uid, "updated_by_name": "Besvarer",
            "submitted_at": None if draft else when, "submitted_by_id": None if draft else uid,
            "submitted_by_name": "" if draft else "Besvarer", "reopen_reason": "",
            "version_id": 1})
        if not draft:
            submitted_orgs.append(len(responses) - 1)
    ids = _insert(QuestionnaireResponse, responses)
    _insert(Submission, [{
        "response_id": ids[i], "questionnaire_id": questionnaire_id,
        "organisation_id": responses[i]["organisation_id"],
        "submitted_at": responses[i]["submitted_at"],
        "submitted_by_id": responses[i]["submitted_by_id"], "submitted_by_name": "Besvarer",
        "answers": responses[i]["answers"]} for i in submitted_orgs])
    return len(responses)


def _seed_reminder_log(plans: list[_RegionPlan]) -> int:
    """REMINDER_LOG deliveries of the closed cycles, spread over the regions, with e-mails."""
    per_region = REMINDER_LOG // len(plans)
    total = 0
    next_email = (db.session.scalar(select(func.max(OutboundEmail.id))) or 0) + 1
    for plan in plans:
        deliveries: list[dict[str, Any]] = []
        emails: list[dict[str, Any]] = []
        for delivery in _history(plan):
            # As the reminder pass leaves them: a sent reminder has its sent e-mail, a
            # cancelled one its skipped e-mail, one skipped for downtime none.
            if delivery["state"] != DeliveryState.SKIPPED:
                sent = delivery["created_at"]
                done = delivery["state"] == DeliveryState.SENT
                emails.append({
                    "id": next_email, "region_id": plan.region_id, "template": "reminder",
                    "to_address": delivery["recipient"],
                    "subject": "Påmindelse: Kommunale redegørelser – frist 01.05",
                    "body_text": "Kære modtager\n\nHusk fristen.", "body_html": "<p>Husk.</p>",
                    "state": EmailState.SENT if done else EmailState.SKIPPED, "urgent": True,
                    "attempts": 1 if done else 0, "last_error": delivery["reason"],
                    "created_at": sent, "next_attempt_at": sent, "sent_at": sent if done else None,
                    "message_id": f"<national-{next_email}@aftalehjul.example>"})
                delivery["email_id"] = next_email
                next_email += 1
            deliveries.append(delivery)
            if len(deliveries) >= per_region:
                break
        for start in range(0, len(deliveries), 10_000):
            batch_ids = {d.get("email_id") for d in deliveries[start:start + 10_000]}
            batch_emails = [e for e in emails if e["id"] in batch_ids]
            if batch_emails:
                db.session.execute(insert(OutboundEmail), batch_emails)
            db.session.execute(insert(ReminderDelivery), deliveries[start:start + 10_000])
        total += len(deliveries)
        db.session.commit()
    return total


def _history(plan: _RegionPlan) -> Iterator[dict[str, Any]]:
    """Every respondent reminded by every default rule of every closed questionnaire, and the
    secretariat's digests, repeated with later occurrence numbers until the caller has enough."""
    rules = db.session.execute(
        select(ReminderRule, Milestone.ends_at).join(Milestone)
        .where(Milestone.id.in_([m for m, _ in plan.closed_milestones]))).all()
    round_ = 0
    while True:
        for rule, deadline in rules:
            people = ([(uid, email, None) for uid, email in plan.secretariat]
                      if rule.kind == RuleKind.DIGEST else plan.respondents)
            for number, due in reminder_flow.occurrences(rule, deadline):
                for i, (uid, email, org_id) in enumerate(people):
                    roll = (i * 7 + number * 3 + rule.id) % 20
                    state = (DeliveryState.SKIPPED if roll < 2 else
                             DeliveryState.CANCELLED if roll < 3 else DeliveryState.SENT)
                    yield {"rule_id": rule.id, "milestone_id": rule.milestone_id,
                           "recipient": email, "user_id": uid, "organisation_id": org_id,
                           "occurrence": number + 1000 * round_, "due_at": due,
                           "state": state, "email_id": None,
                           "reason": {DeliveryState.SENT: "",
                                      DeliveryState.CANCELLED:
                                          "Ikke sendt: organisationen har leveret.",
                                      DeliveryState.SKIPPED:
                                          "Ikke sendt: forfaldstidspunktet ligger mere end 24 "
                                          "timer tilbage (nedetid)."}[state],
                           "created_at": due + timedelta(minutes=5)}
        round_ += 1
