"""The main pages of each demo role, with the seeded demo's real ids.

One list for the layout tests (reflow at 390/320 px, nothing clipped at 1280 px, axe). A new page
is one line in `_pages`: its path (ids from `DemoIds`) and the roles that open it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from webapp.demo.consultation_data import CONSULTATION, TEXT_TITLE
from webapp.extensions import db
from webapp.models import (
    AgreementText,
    BoardTheme,
    Consultation,
    ConsultationParty,
    ConsultationResponse,
    ConsultationState,
    CouncilApproval,
    Organisation,
    OrgKind,
    OutboundEmail,
    Publication,
    Region,
    TextSection,
    TextVersion,
    User,
    Workshop,
    WorkshopTheme,
)
from webapp.models.cycles import Cycle, Milestone
from webapp.models.questionnaires import (
    Question,
    Questionnaire,
    QuestionnaireResponse,
    Section,
    TargetGroup,
)
from webapp.models.reminders import ReminderRule
from webapp.security import new_nonce

DEMO_TEXT = TEXT_TITLE
DEMO_CONSULTATION = CONSULTATION["title"]

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
# Invited to the demo's workshop: the municipalities' and the user organisations' people.
INVITED = frozenset({"respondent", "user_org_rep"})


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
    agreement_text: int  # the draft agreement: a frozen "Udkast 1" and a frozen "Endelig"
    text_version: int  # an open version (another text's) for the editing pages
    consultation: int  # an opened consultation: the municipalities and user orgs invited
    draft_consultation: int  # a draft: its form and list of parties can still be changed
    answered_consultation: int  # a consultation with submitted responses (issue 11)
    consultation_response: int  # one of them, with points to process
    approval: int  # Læsø's council: on the agenda after the deadline, undecided (issue 12)
    own_approval: int  # the respondent's own council: decided
    workshop: int  # the workshop of 6 February 2017: sign-ups, input and the theme list (13)
    workshop_theme: int  # "Rehabilitering": full, a waiting list, input from the demo
    focus_initiative: int  # led by the respondent's municipality (issue 14's focus areas)
    board: int  # the demo's prioritisation board (14 themes, published; das@ is a member)
    board_theme: int  # its theme "Rehabilitering", with the workshop's input
    board_member: int  # one of its members
    draft_board: int  # a draft board: its forms can still be used
    draft_theme: int
    draft_criterion: int


def demo_ids(app: Any) -> DemoIds:
    """The ids the pages need, read from the seeded demo."""
    with app.app_context():
        s = db.session
        # Nordjylland's: the demo's second region (Midtjylland) has a Rammeaftale 2018 too.
        cycle = s.scalars(select(Cycle).join(Region).where(
            Region.code == "nordjylland", Cycle.title.startswith("Rammeaftale 2018"))).one()
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
        text_id, version_id = _agreement_text(cycle)
        opened, draft_consultation = _consultations(cycle)
        answered, consultation_response = _consultation(cycle)
        ids = DemoIds(
            cycle=cycle.id, milestone=questionnaire.milestone_id, other_milestone=workshop.id,
            questionnaire=questionnaire.id, section=section.id, grid_question=grid.id,
            text_question=text.id, submitted_org=submitted.organisation_id,
            organisation=organisation.id, person=person.id, target_group=group.id, rule=rule.id,
            email=email.id, draft_cycle=draft.id, agreement_text=text_id,
            text_version=version_id, consultation=opened,
            draft_consultation=draft_consultation,
            answered_consultation=answered, consultation_response=consultation_response,
            approval=_approval("Læsø Kommune"), own_approval=_approval("Jammerbugt Kommune"),
            **_workshop(cycle), **_boards(cycle), focus_initiative=_focus_initiative(cycle),
        )
        s.remove()
    return ids


def _agreement_text(cycle: Cycle) -> tuple[int, int]:
    """The demo's draft agreement, and an open version for the editing pages. The demo's
    "Endelig" is frozen (the councils approve it), and the text's two versions are what its
    comparison shows, so the open version is another text's, written here (rows directly)
    with the final version's sections."""
    s = db.session
    text = s.scalars(select(AgreementText).where(
        AgreementText.cycle_id == cycle.id, AgreementText.title == DEMO_TEXT)).one()
    latest = s.scalars(select(TextVersion).where(TextVersion.text_id == text.id)
                       .order_by(TextVersion.number.desc())).first()
    assert latest is not None
    if latest.frozen_at is None:
        return text.id, latest.id
    title = "Arbejdstekst til næste rammeaftale"
    other = s.scalar(select(AgreementText).where(AgreementText.cycle_id == cycle.id,
                                                 AgreementText.title == title))
    if other is None:
        sections = s.scalars(select(TextSection).where(
            TextSection.text_version_id == latest.id).order_by(TextSection.position)).all()
        other = AgreementText(cycle_id=cycle.id, title=title, position=text.position + 1,
                              created_at=latest.created_at)
        s.add(other)
        s.flush()
        s.add(TextVersion(text_id=other.id, number=1, label="Udkast 1", is_final=False,
                          created_at=latest.created_at,
                          sections=[TextSection(key=x.key, position=x.position,
                                                level=x.level, heading=x.heading,
                                                body=x.body) for x in sections]))
        s.commit()
    version = s.scalars(select(TextVersion.id).where(TextVersion.text_id == other.id)).one()
    return text.id, version


def _approval(party: str) -> int:
    """A council's record in the demo's approval round."""
    return db.session.scalars(select(CouncilApproval.id).where(
        CouncilApproval.party_name == party)).one()


def _workshop(cycle: Cycle) -> dict[str, int]:
    """The demo's workshop and its theme "Rehabilitering"."""
    workshop, theme = db.session.execute(
        select(Workshop.id, WorkshopTheme.id).join(
            WorkshopTheme, WorkshopTheme.workshop_id == Workshop.id)
        .where(Workshop.cycle_id == cycle.id, WorkshopTheme.title == "Rehabilitering")).one()
    return {"workshop": workshop, "workshop_theme": theme}


def _focus_initiative(cycle: Cycle) -> int:
    """An initiative of the demo's focus areas led by the respondent's municipality."""
    from webapp.models import FocusArea, Initiative

    return db.session.scalars(select(Initiative.id).join(FocusArea).join(
        Organisation, Organisation.id == Initiative.lead_organisation_id).where(
        FocusArea.cycle_id == cycle.id, Organisation.name == "Jammerbugt Kommune")).one()


def _boards(cycle: Cycle) -> dict[str, int]:
    """The demo's prioritisation board (the seed finds it), its theme "Rehabilitering", and a
    draft board written here through the workflows for the setup forms."""
    from webapp.demo.boards import seed_board
    from webapp.models import BoardCriterion, BoardMember, PrioritisationBoard
    from webapp.models import Recommendation as Rec
    from webapp.permissions import SYSTEM
    from webapp.workflows.boards import setup as flow

    s = db.session
    board = seed_board(cycle)
    title = "Prioritering af temaer (kladde)"
    draft = s.scalar(select(PrioritisationBoard).where(PrioritisationBoard.cycle_id == cycle.id,
                                                       PrioritisationBoard.title == title))
    if draft is None:
        draft = flow.create_board(SYSTEM, cycle, flow.BoardData(
            title, "Et **udkast** til en tavle.", board.milestone), workshop=None,
            now=board.created_at)
        for name in ("Rehabilitering", "Vidensdeling"):
            flow.add_theme(SYSTEM, draft, flow.ThemeData(
                name, "Tværgående temaer", Rec.RECOMMENDED, "Anbefales", "Bredt ønsket."),
                now=board.created_at)
        for name, weight in (("Tværkommunal relevans", 2), ("Politisk relevans", 1)):
            flow.add_criterion(SYSTEM, draft, flow.CriterionData(name, "", weight),
                               now=board.created_at)
    s.commit()
    return {"board": board.id, "draft_board": draft.id,
            "board_theme": s.scalars(select(BoardTheme.id).where(
                BoardTheme.board_id == board.id, BoardTheme.title == "Rehabilitering")).one(),
            "board_member": s.scalars(select(BoardMember.id).where(
                BoardMember.board_id == board.id).order_by(BoardMember.id)).first() or 0,
            "draft_theme": s.scalars(select(BoardTheme.id).where(
                BoardTheme.board_id == draft.id)).first() or 0,
            "draft_criterion": s.scalars(select(BoardCriterion.id).where(
                BoardCriterion.board_id == draft.id)).first() or 0}


def _consultations(cycle: Cycle) -> tuple[int, int]:
    """The demo's opened consultation, and a draft one. The demo has no draft (its only
    consultation was sent), so one is written here, rows directly, on the demo's frozen
    "Udkast 1" and consultation milestone: its form and list of parties are in the layout
    tests, and the timeline keeps the demo's milestones."""
    s = db.session
    opened = s.scalars(select(Consultation).where(
        Consultation.cycle_id == cycle.id, Consultation.title == DEMO_CONSULTATION)).one()
    assert opened.state == ConsultationState.OPENED
    draft = s.scalar(select(Consultation.id).where(
        Consultation.cycle_id == cycle.id, Consultation.state == ConsultationState.DRAFT))
    if draft is None:
        c = Consultation(
            cycle_id=cycle.id, milestone_id=opened.milestone_id,
            text_version_id=opened.text_version_id, title="Høring over udkast (kladde)",
            letter="Hermed sendes **udkastet** i høring.", short_deadline_reason="",
            publication=Publication.INVITED, state=ConsultationState.DRAFT, parties=[],
            documents=[])
        orgs = s.scalars(select(Organisation).where(
            Organisation.region_id == cycle.region_id, Organisation.active.is_(True),
            Organisation.kind.in_([OrgKind.MUNICIPALITY, OrgKind.REGION,
                                   OrgKind.USER_ORGANISATION]))).all()
        for org in orgs:
            c.parties.append(ConsultationParty(organisation_id=org.id, name=org.name))
        c.parties.append(ConsultationParty(
            name="Danske Handicaporganisationer", email="dh-kladde@dh.example",
            access_nonce=new_nonce()))
        s.add(c)
        s.commit()
        draft = c.id
    return opened.id, draft


def _consultation(cycle: Cycle) -> tuple[int, int]:
    """The demo's consultation and Aalborg Kommune's response: submitted, with points, a PDF
    and processed."""
    s = db.session
    found = s.execute(select(Consultation.id, ConsultationResponse.id)
                      .join(ConsultationResponse,
                            ConsultationResponse.consultation_id == Consultation.id)
                      .join(ConsultationParty,
                            ConsultationParty.id == ConsultationResponse.party_id)
                      .where(Consultation.cycle_id == cycle.id,
                             Consultation.title == DEMO_CONSULTATION,
                             ConsultationParty.name == "Aalborg Kommune")).one()
    return found[0], found[1]


def _pages(i: DemoIds) -> list[tuple[str, frozenset[str]]]:
    c, q, m = i.cycle, i.questionnaire, i.milestone
    w, t = i.workshop, i.workshop_theme
    rules = f"/cykler/{c}/milepaele/{m}/paamindelser"
    return [
        # everyone signed in
        ("/oversigt", EVERYONE),
        ("/cykler/", EVERYONE),
        (f"/cykler/{c}", EVERYONE),
        (f"/cykler/{c}/skemaer", EVERYONE),
        (f"/cykler/{c}/tekster", EVERYONE),
        (f"/versioner/{i.text_version}", EVERYONE),
        (f"/tekster/{i.agreement_text}/sammenlign", EVERYONE),
        ("/min-profil", EVERYONE),
        ("/tilgaengelighed", EVERYONE),
        # answering
        (f"/skemaer/{q}/besvar", RESPONDENT),
        # consultations: the invited parties read the opened one
        (f"/cykler/{c}/hoeringer", EVERYONE),
        (f"/hoeringer/{i.consultation}", SECRETARIAT | RESPONDENT | {"user_org_rep"}),
        # the response form (Jammerbugt has not answered; DH Nordjylland has submitted), the
        # receipt, and the responses as the secretariat reads them
        (f"/hoeringer/{i.consultation}/svar", RESPONDENT | {"user_org_rep"}),
        (f"/hoeringer/{i.consultation}/svar/kvittering", frozenset({"user_org_rep"})),
        (f"/hoeringer/{i.consultation}/hoeringssvar", SECRETARIAT),
        (f"/cykler/{c}/hoeringer/ny", SECRETARIAT),
        (f"/hoeringer/{i.draft_consultation}/rediger", SECRETARIAT),
        (f"/hoeringer/{i.draft_consultation}/parter", SECRETARIAT),
        (f"/hoeringer/{i.draft_consultation}/send", SECRETARIAT),
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
        # agreement texts
        (f"/cykler/{c}/tekster/ny", SECRETARIAT),
        (f"/cykler/{c}/tekster/importer", SECRETARIAT),
        (f"/tekster/{i.agreement_text}/ny-version", SECRETARIAT),
        (f"/versioner/{i.text_version}/rediger", SECRETARIAT),
        (f"/versioner/{i.text_version}/afsnit/ny", SECRETARIAT),
        (f"/versioner/{i.text_version}/frys", SECRETARIAT),
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
        (f"/hoeringer/{i.answered_consultation}/behandling", SECRETARIAT),
        (f"/hoeringssvar/{i.consultation_response}/behandling", SECRETARIAT),
        (f"/hoeringer/{i.answered_consultation}/hoeringsnotat", SECRETARIAT),
        # council approvals: a record with its forms, the round's parties, a new version
        (f"/godkendelser/{i.approval}", SECRETARIAT),
        (f"/godkendelser/{i.own_approval}", RESPONDENT),
        (f"/cykler/{c}/godkendelser/parter", SECRETARIAT),
        (f"/cykler/{c}/godkendelser/version", SECRETARIAT),
        (f"/cykler/{c}/godkendelser", SECRETARIAT | RESPONDENT),
        # a prioritisation board's result, published to the members and the region (issue 14)
        (f"/prioritering/{i.board}/resultat", EVERYONE),
        # the workshop: the cycle's list, the workshop page (the secretariat's overview; the
        # invited read the programme), the sign-up (closed at the demo's clock: the
        # respondent's picks), a theme, the name lists and badges, the input and the theme list
        (f"/cykler/{c}/workshops", EVERYONE),
        (f"/workshops/{w}", SECRETARIAT | INVITED),
        (f"/workshops/{w}/tilmelding", INVITED),
        (f"/workshops/{w}/invitationer", SECRETARIAT),
        (f"/workshops/{w}/temaer/{t}", SECRETARIAT),
        (f"/workshops/{w}/navnelister", SECRETARIAT),
        (f"/workshops/{w}/navneskilte", SECRETARIAT),
        (f"/workshops/{w}/temaer/{t}/input", SECRETARIAT),
        (f"/workshops/{w}/input", SECRETARIAT),
        (f"/workshops/{w}/temaliste", SECRETARIAT),
        # the focus areas: everyone reads them; the lead's respondent reports status
        (f"/cykler/{c}/fokusomraader", EVERYONE),
        (f"/cykler/{c}/fokusomraader/nyt", SECRETARIAT),
        (f"/initiativer/{i.focus_initiative}/rediger", SECRETARIAT),
        (f"/initiativer/{i.focus_initiative}/status", SECRETARIAT | RESPONDENT),
        # the prioritisation board: a member's own scoring (das@ is a steering member on it)
        (f"/prioritering/{i.board}/scoring", frozenset({"steering_member"})),
        (f"/prioritering/{i.board}/scoring/{i.board_theme}", frozenset({"steering_member"})),
        # prioritisation boards (issue 14): the cycle's list, the demo's board (das@ is a
        # member), its members, and a draft board's forms
        (f"/cykler/{c}/prioritering", EVERYONE),
        (f"/prioritering/{i.board}", SECRETARIAT | {"steering_member"}),
        (f"/prioritering/{i.board}/medlemmer", SECRETARIAT),
        (f"/prioritering/{i.board}/medlemmer/{i.board_member}/fjern", SECRETARIAT),
        (f"/prioritering/{i.draft_board}", SECRETARIAT),
        (f"/cykler/{c}/prioritering/ny", SECRETARIAT),
        (f"/prioritering/{i.draft_board}/rediger", SECRETARIAT),
        (f"/prioritering/{i.draft_board}/temaer/ny", SECRETARIAT),
        (f"/prioritering/{i.draft_board}/temaer/{i.draft_theme}/rediger", SECRETARIAT),
        (f"/prioritering/{i.draft_board}/kriterier/ny", SECRETARIAT),
        (f"/prioritering/{i.draft_board}/kriterier/{i.draft_criterion}/rediger", SECRETARIAT),
    ]


# Pages without login.
PUBLIC_PAGES = ["/login", "/glemt-adgangskode", "/tilgaengelighed"]


def public_pages(ids: DemoIds) -> list[str]:
    """The pages without login, with the cycle's public pages of its council approvals and
    its focus areas."""
    return [*PUBLIC_PAGES, f"/offentlig/cykler/{ids.cycle}/godkendelser",
            f"/offentlig/cykler/{ids.cycle}/fokusomraader"]


def main_pages(ids: DemoIds, role: str) -> list[str]:
    """The main pages `role` opens, in a fixed order."""
    return [path for path, roles in _pages(ids) if role in roles]
