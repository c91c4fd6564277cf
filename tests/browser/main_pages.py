"""The main pages of each demo role, with the seeded demo's real ids.

One list for the layout tests (reflow at 390/320 px, nothing clipped at 1280 px, axe). A new page
is one line in `_pages`: its path (ids from `DemoIds`) and the roles that open it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Organisation, OutboundEmail, User
from webapp.models.cycles import Cycle, Milestone, MilestoneKind
from webapp.models.questionnaires import (
    Question,
    Questionnaire,
    QuestionnaireResponse,
    Section,
    TargetGroup,
)
from webapp.models.reminders import ReminderRule

# One demo person per role (webapp/demo/nordjylland.py). The respondent is a municipality with a
# draft, so the answer form shows every kind of field.
ROLES = {
    "secretariat": "sekretariat@nordjylland.example",
    "respondent": "jammerbugt@nordjylland.example",
    "steering_member": "das@nordjylland.example",
    "user_org_rep": "brugerorg@nordjylland.example",
    "politician": "politiker@nordjylland.example",
    "observer": "observatoer@nordjylland.example",
}
EVERYONE = frozenset(ROLES)
SECRETARIAT = frozenset({"secretariat"})
RESPONDENT = frozenset({"respondent"})
# Who reads a questionnaire's status board and results: the secretariat, and read-only the
# steering group's members and observers.
READERS = frozenset({"secretariat", "steering_member", "observer"})


@dataclass(frozen=True)
class DemoIds:
    cycle: int
    milestone: int  # the questionnaire's milestone (it has reminder rules)
    other_milestone: int  # a workshop: a period, not a deadline
    questionnaire: int
    section: int
    grid_question: int
    text_question: int
    submitted_org: int  # an organisation whose answer is submitted
    organisation: int
    person: int
    target_group: int
    rule: int
    email: int  # a message in the e-mail log
    draft_cycle: int  # the copy for the next cycle: its days off are reviewed
    consultation: int  # a consultation with submitted responses (issue 11)
    consultation_response: int  # one of them, with points to process


def demo_ids(app: Any) -> DemoIds:
    """The ids the pages need, read from the seeded demo."""
    with app.app_context():
        s = db.session
        cycle = s.scalars(select(Cycle).where(Cycle.title.startswith("Rammeaftale 2018"))).one()
        questionnaire = s.scalars(
            select(Questionnaire).where(Questionnaire.cycle_id == cycle.id)).first()
        assert questionnaire is not None
        workshop = s.scalars(select(Milestone).where(
            Milestone.cycle_id == cycle.id, Milestone.title.startswith("Workshop"))).one()
        section = s.scalars(select(Section).where(Section.questionnaire_id == questionnaire.id)
                            .order_by(Section.position)).first()
        questions = list(s.scalars(select(Question).join(Section).where(
            Section.questionnaire_id == questionnaire.id)))
        grid = next(q for q in questions if q.type.value == "grid")
        text = next(q for q in questions if q.type.value == "long_text")
        submitted = s.scalars(select(QuestionnaireResponse).where(
            QuestionnaireResponse.questionnaire_id == questionnaire.id,
            QuestionnaireResponse.submitted_at.is_not(None))).first()
        organisation = s.scalars(select(Organisation).where(
            Organisation.name == "Aalborg Kommune")).one()
        person = s.scalars(select(User).where(User.email == ROLES["respondent"])).one()
        group = s.scalars(select(TargetGroup)).first()
        rule = s.scalars(select(ReminderRule).where(
            ReminderRule.milestone_id == questionnaire.milestone_id)).first()
        email = s.scalars(select(OutboundEmail).order_by(OutboundEmail.id)).first()
        draft = s.scalars(select(Cycle).where(Cycle.cloned_from_id == cycle.id)).one()
        assert section and submitted and group and rule and email
        consultation, consultation_response = _consultation(cycle)
        ids = DemoIds(
            cycle=cycle.id, milestone=questionnaire.milestone_id, other_milestone=workshop.id,
            questionnaire=questionnaire.id, section=section.id, grid_question=grid.id,
            text_question=text.id, submitted_org=submitted.organisation_id,
            organisation=organisation.id, person=person.id, target_group=group.id, rule=rule.id,
            email=email.id, draft_cycle=draft.id, consultation=consultation,
            consultation_response=consultation_response,
        )
        s.remove()
    return ids


def _consultation(cycle: Cycle) -> tuple[int, int]:
    """The demo's consultation and a submitted response with points. Until the demo has one
    (issue 11's demo part), one is written here with the processing tests' factories: a text
    in two versions, the first five municipalities consulted, three of them answered."""
    from webapp.models import (
        Consultation,
        ConsultationParty,
        ConsultationResponse,
        ConsultationResponseState,
        OrgKind,
        ResponseComment,
    )

    s = db.session
    found = s.execute(select(Consultation.id, ConsultationResponse.id)
                      .join(ConsultationResponse,
                            ConsultationResponse.consultation_id == Consultation.id)
                      .join(ResponseComment, ResponseComment.response_id == ConsultationResponse.id)
                      .where(Consultation.cycle_id == cycle.id,
                             ConsultationResponse.state == ConsultationResponseState.SUBMITTED)
                      .limit(1)).first()
    if found is not None:
        return found[0], found[1]
    from tests.consultations import factories_note

    # On a milestone the demo has: a new one would change the timeline the layout tests count.
    milestone = s.scalars(select(Milestone).where(Milestone.cycle_id == cycle.id)
                          .order_by(Milestone.kind != MilestoneKind.CONSULTATION,
                                    Milestone.id)).first()
    setup = factories_note.consultation(cycle, title="Høring om udkast til Rammeaftale 2018",
                                        milestone=milestone)
    municipalities = s.scalars(select(Organisation).where(
        Organisation.region_id == cycle.region_id, Organisation.kind == OrgKind.MUNICIPALITY)
        .order_by(Organisation.name).limit(5)).all()
    parties = [ConsultationParty(consultation_id=setup.consultation.id, organisation_id=o.id,
                                 name=o.name) for o in municipalities]
    s.add_all(parties)
    s.flush()
    first = factories_note.response(parties[0], comments=[
        (setup.sections["s21"], "Taksterne bør følge den faktiske udgiftsudvikling."),
        (None, "Processen bør starte tidligere.")])
    factories_note.response(parties[1], no_comments=True)
    factories_note.response(parties[2], general="Vi støtter udkastet.", late=True)
    s.commit()
    return setup.consultation.id, first.id


def _pages(i: DemoIds) -> list[tuple[str, frozenset[str]]]:
    c, q, m = i.cycle, i.questionnaire, i.milestone
    rules = f"/cykler/{c}/milepaele/{m}/paamindelser"
    return [
        # everyone signed in
        ("/oversigt", EVERYONE),
        ("/cykler/", EVERYONE),
        (f"/cykler/{c}", EVERYONE),
        (f"/cykler/{c}/skemaer", EVERYONE),
        ("/min-profil", EVERYONE),
        ("/tilgaengelighed", EVERYONE),
        # answering
        (f"/skemaer/{q}/besvar", RESPONDENT),
        # cycles and milestones
        ("/cykler/ny", SECRETARIAT),
        (f"/cykler/{c}/rediger", SECRETARIAT),
        (f"/cykler/{c}/klon", SECRETARIAT),
        (f"/cykler/{c}/historik", SECRETARIAT),
        (f"/cykler/{i.draft_cycle}", SECRETARIAT),
        (f"/cykler/{i.draft_cycle}/hverdage", SECRETARIAT),
        (f"/cykler/{c}/milepaele/ny", SECRETARIAT),
        (f"/cykler/{c}/milepaele/{i.other_milestone}/rediger", SECRETARIAT),
        (f"/cykler/{c}/milepaele/{i.other_milestone}/flyt", SECRETARIAT),
        # questionnaires: follow-up and results
        (f"/skemaer/{q}/status", READERS),
        (f"/skemaer/{q}/resultater", READERS),
        (f"/skemaer/{q}/besvarelser/{i.submitted_org}", SECRETARIAT),
        (f"/skemaer/{q}/besvarelser/{i.submitted_org}/genaabn", SECRETARIAT),
        (f"/skemaer/{q}/frist/{i.organisation}", SECRETARIAT),
        # questionnaires: the builder
        (f"/cykler/{c}/skemaer/ny", SECRETARIAT),
        (f"/cykler/{c}/skemaer/klon", SECRETARIAT),
        (f"/skemaer/{q}/rediger", SECRETARIAT),
        (f"/skemaer/{q}/afsnit/ny", SECRETARIAT),
        (f"/skemaer/{q}/afsnit/{i.section}", SECRETARIAT),
        (f"/skemaer/{q}/afsnit/{i.section}/spoergsmaal/ny", SECRETARIAT),
        (f"/skemaer/{q}/spoergsmaal/{i.grid_question}", SECRETARIAT),
        (f"/skemaer/{q}/spoergsmaal/{i.text_question}", SECRETARIAT),
        (f"/skemaer/{q}/modtagere", SECRETARIAT),
        (f"/skemaer/{q}/forhaandsvisning", SECRETARIAT),
        ("/admin/maalgrupper", SECRETARIAT),
        (f"/admin/maalgrupper/{i.target_group}", SECRETARIAT),
        # reminders and e-mails
        (rules, SECRETARIAT),
        (f"{rules}/ny", SECRETARIAT),
        (f"{rules}/{i.rule}/rediger", SECRETARIAT),
        (f"{rules}/{i.rule}/forhaandsvisning", SECRETARIAT),
        ("/admin/e-mails", SECRETARIAT),
        (f"/admin/e-mails/{i.email}", SECRETARIAT),
        # administration
        ("/admin/organisationer", SECRETARIAT),
        ("/admin/organisationer/ny", SECRETARIAT),
        (f"/admin/organisationer/{i.organisation}", SECRETARIAT),
        ("/admin/personer", SECRETARIAT),
        ("/admin/personer/inviter", SECRETARIAT),
        (f"/admin/personer/{i.person}", SECRETARIAT),
        ("/admin/log", SECRETARIAT),
        # the consultation: processing the responses and the note
        (f"/hoeringer/{i.consultation}/behandling", SECRETARIAT),
        (f"/hoeringssvar/{i.consultation_response}/behandling", SECRETARIAT),
        (f"/hoeringer/{i.consultation}/hoeringsnotat", SECRETARIAT),
    ]


# Pages without login.
PUBLIC_PAGES = ["/login", "/glemt-adgangskode", "/tilgaengelighed"]


def main_pages(ids: DemoIds, role: str) -> list[str]:
    """The main pages `role` opens, in a fixed order."""
    return [path for path, roles in _pages(ids) if role in roles]
