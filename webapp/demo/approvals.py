"""The Rammeaftale 2018 cycle's council approvals, through the workflows.

The final text of the consultation story ("Endelig") is frozen on 15.09.2017 and the round is
opened on it the same day, on the cycle's approval milestone (18.09–15.10.2017 kl. 23.59),
with every municipality and the region. Ten councils have decided by mid-October: nine
approved and Frederikshavn approved with remarks (Vesthimmerland after postponing once, Morsø
recorded by the secretariat on the municipality's behalf, Aalborg with its minutes as a PDF).
Læsø's council treats it on 26.10.2017, after the deadline; Regionsrådet has no date yet. The
status is "10 af 12 godkendt".

`open_round=False` stops after the freeze: the browser walk (tests/browser/
test_approval_walk.py) opens the round through the page, and a later call with the round open
tells the councils' stories that are still "afventer".

Idempotent: the freeze is skipped when the version is frozen, the round when the cycle has
one, and each council's story when its record has left "afventer".

To show "I kraft" in the walk, move the clock past Læsø's meeting
(`AFTALEHJUL_NOW=2017-10-27T10:00`): Lars Læsø (laesoe@nordjylland.example) records
"godkendt" on 26.10.2017 on Læsø's page (/godkendelser/<id>), then the secretariat records
Regionsrådet's approval (say 24.10.2017) on the region's behalf. That last decision turns the
status to "I kraft fra 1. januar 2018" and e-mails the secretariat and every party's
respondents.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm.attributes import set_committed_value

from ..extensions import db
from ..formatting import LOCAL_TZ
from ..models import ApprovalState, CouncilApproval, Cycle, MilestoneKind, User
from ..queries.approvals.loaders import round_of_cycle
from ..uploads import Upload
from ..workflows import agreements as texts
from ..workflows.approvals import decisions, rounds
from . import consultation, nordjylland

FROZEN_AT = "2017-09-15 09:00"
OPENED_AT = "2017-09-15 10:00"

# Per council: who records (the party's respondent unless "secretariat"), and the events in
# order: ("schedule", when recorded, meeting day, body), ("postpone", when, new day),
# ("decide", when recorded, decided on, state, remarks).
STORY: dict[str, dict[str, Any]] = {
    "Aalborg Kommune": {"events": [
        ("schedule", "2017-09-18 09:30", "2017-09-25", "Byrådet"),
        ("decide", "2017-09-26 10:15", "2017-09-25", "approved", "")],
        "minutes": ["Aalborg Byråd", "Beslutningsprotokol, mødet 25. september 2017",
                    "Punkt 7: Rammeaftale 2018 for det specialiserede social- og",
                    "specialundervisningsområde i Nordjylland.", "Beslutning: Godkendt."]},
    "Brønderslev Kommune": {"events": [
        ("schedule", "2017-09-19 11:00", "2017-09-27", "Byrådet"),
        ("decide", "2017-09-28 09:00", "2017-09-27", "approved", "")]},
    "Frederikshavn Kommune": {"events": [
        ("schedule", "2017-09-19 13:00", "2017-09-27", "Byrådet"),
        ("decide", "2017-09-28 14:00", "2017-09-27", "approved_with_remarks",
         "Byrådet godkender rammeaftalen med den bemærkning, at udgifterne til de højt "
         "specialiserede tilbud skal følges tæt i 2018 og drøftes i KKR, hvis taksterne "
         "stiger mere end pris- og lønfremskrivningen.")]},
    "Hjørring Kommune": {"events": [
        ("schedule", "2017-09-20 08:45", "2017-09-27", "Byrådet"),
        ("decide", "2017-09-28 08:30", "2017-09-27", "approved", "")]},
    "Jammerbugt Kommune": {"events": [
        ("schedule", "2017-09-20 10:00", "2017-09-28", "Kommunalbestyrelsen"),
        ("decide", "2017-09-29 09:00", "2017-09-28", "approved", "")]},
    "Mariagerfjord Kommune": {"events": [
        ("schedule", "2017-09-21 09:00", "2017-09-28", "Byrådet"),
        ("decide", "2017-09-29 10:30", "2017-09-28", "approved", "")]},
    "Morsø Kommune": {"by": "secretariat", "events": [
        ("schedule", "2017-09-22 09:00", "2017-10-02", "Kommunalbestyrelsen"),
        ("decide", "2017-10-04 11:00", "2017-10-02", "approved", "")]},
    "Rebild Kommune": {"events": [
        ("schedule", "2017-09-21 14:00", "2017-09-28", "Byrådet"),
        ("decide", "2017-09-29 13:00", "2017-09-28", "approved", "")]},
    "Thisted Kommune": {"events": [
        ("schedule", "2017-09-18 15:00", "2017-09-26", "Kommunalbestyrelsen"),
        ("decide", "2017-09-27 09:15", "2017-09-26", "approved", "")]},
    "Vesthimmerlands Kommune": {"events": [
        ("schedule", "2017-09-19 09:00", "2017-09-28", "Byrådet"),
        ("postpone", "2017-09-29 08:30", "2017-10-05"),
        ("decide", "2017-10-06 09:00", "2017-10-05", "approved", "")]},
    # After the deadline: the overview flags it.
    "Læsø Kommune": {"events": [
        ("schedule", "2017-10-02 10:00", "2017-10-26", "Kommunalbestyrelsen")]},
    # "Region Nordjylland": no date yet ("afventer").
}


def _at(value: str) -> datetime:
    return datetime.strptime(value, "%Y-%m-%d %H:%M").replace(tzinfo=LOCAL_TZ).astimezone(UTC)


def _day(value: str) -> Any:
    return datetime.strptime(value, "%Y-%m-%d").date()


def seed_approvals(created: list[str], cycle: Cycle, people: dict[str, User],
                   actor: User, *, open_round: bool = True) -> None:
    """Everything missing of the story; `created` gets a line per thing made. Nothing without
    the consultation story's final version. Without `open_round`, and no round open yet, it
    stops after the freeze."""
    text = consultation._load_text(cycle)
    final = next((v for v in text.versions if v.is_final), None) if text else None
    if text is None or final is None:
        return
    if final.frozen_at is None:
        set_committed_value(final, "text", text)
        set_committed_value(text, "cycle", cycle)
        texts.freeze(actor, final, now=_at(FROZEN_AT))
        created.append(f"låst {text.title}: {final.label}")
    if not open_round and round_of_cycle(cycle) is None:
        return
    round_ = _round(created, cycle, final, actor)
    respondents = {org: people[email] for email, _name, org, roles in nordjylland.PEOPLE
                   if "respondent" in roles}
    for party, story in STORY.items():
        approval = next((a for a in round_.approvals if a.party_name == party), None)
        if approval is None or approval.state != ApprovalState.PENDING:
            continue
        who = actor if story.get("by") == "secretariat" else respondents[party]
        _tell(approval, who, story)
        created.append(f"godkendelse {approval.council_name}")


def _round(created: list[str], cycle: Cycle, final: Any, actor: User) -> Any:
    found = round_of_cycle(cycle)
    if found is not None:
        return found
    milestone = next(m for m in cycle.milestones if m.kind == MilestoneKind.APPROVAL)
    set_committed_value(milestone, "cycle", cycle)
    round_ = rounds.open_round(actor, cycle, text_version=final, milestone=milestone,
                               organisations=rounds.council_parties(cycle.region_id),
                               now=_at(OPENED_AT))
    created.append(f"godkendelsesrunde {cycle.title}")
    return round_


def _tell(approval: CouncilApproval, who: User, story: dict[str, Any]) -> None:
    for event in story["events"]:
        kind, when = event[0], _at(event[1])
        if kind == "schedule":
            decisions.schedule(who, approval, decisions.Meeting(_day(event[2]), event[3]),
                               now=when, version=approval.version_id)
        elif kind == "postpone":
            decisions.postpone(who, approval, decisions.Meeting(_day(event[2])), now=when,
                               version=approval.version_id)
        else:
            minutes = story.get("minutes")
            decisions.decide(who, approval, decisions.Decision(
                state=ApprovalState(event[3]), decided_on=_day(event[2]), remarks=event[4],
                minutes=Upload("beslutningsprotokol.pdf", consultation.pdf(minutes))
                if minutes else None), now=when, version=approval.version_id)
        db.session.flush()
