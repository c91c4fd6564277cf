"""Issue 14's rows written directly (each part builds them through its own workflows in its
own tests): a board with themes, criteria, members and scores; a theme day with its catalogue
and votes; focus areas with initiatives. For tests of reads, pages and query counts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from tests import factories
from webapp.extensions import db
from webapp.models import (
    BoardCriterion,
    BoardMember,
    BoardScore,
    BoardState,
    BoardTheme,
    BoardThemeNote,
    CatalogueItem,
    CatalogueItemKind,
    CatalogueTheme,
    Cycle,
    FocusArea,
    Initiative,
    InitiativeStatus,
    MilestoneKind,
    Organisation,
    OrgKind,
    PrioritisationBoard,
    Recommendation,
    Role,
    ThemeDay,
    ThemeDayState,
    ThemeDayVote,
    User,
)


def steering_members(org: Organisation, n: int) -> list[User]:
    return [factories.user(org, roles=(Role.STEERING_MEMBER,)) for _ in range(n)]


def board(cycle: Cycle, *, themes: int = 4, criteria: int = 3, members: list[User] | None = None,
          state: BoardState = BoardState.OPEN, title: str = "Prioritering af temaer",
          deadline: datetime | None = None) -> PrioritisationBoard:
    """A board on a new PRIORITISATION milestone. Themes alternate between recommended and
    not; the first criterion weighs 2."""
    milestone = factories.milestone(cycle, deadline or factories.at(2017, 2, 27, 12),
                                    kind=MilestoneKind.PRIORITISATION, title=f"{title} (frist)",
                                    starts_at=factories.at(2017, 2, 13, 8))
    made = PrioritisationBoard(cycle_id=cycle.id, milestone_id=milestone.id, title=title,
                               intro="", state=state)
    made.cycle = cycle  # the rules ask the board's region
    made.milestone = milestone
    db.session.add(made)
    db.session.flush()
    for n in range(criteria):
        db.session.add(BoardCriterion(board_id=made.id, title=f"Kriterie {n + 1}",
                                      weight=2 if n == 0 else 1, position=n))
    for n in range(themes):
        recommended = n % 2 == 0
        db.session.add(BoardTheme(
            board_id=made.id, title=f"Tema {n + 1}", group_name=f"Gruppe {n % 2 + 1}",
            recommendation_label="Anbefales" if recommended else "Anbefales ikke",
            recommendation=(Recommendation.RECOMMENDED if recommended
                            else Recommendation.NOT_RECOMMENDED),
            rationale=f"Begrundelse for tema {n + 1}.", position=n))
    for person in members or []:
        db.session.add(BoardMember(board_id=made.id, user_id=person.id, name=person.name))
    db.session.flush()
    return made


def themes_of(board_: PrioritisationBoard) -> list[BoardTheme]:
    return list(db.session.scalars(db.select(BoardTheme).where(BoardTheme.board_id == board_.id)
                                   .order_by(BoardTheme.position)))


def criteria_of(board_: PrioritisationBoard) -> list[BoardCriterion]:
    return list(db.session.scalars(db.select(BoardCriterion)
                                   .where(BoardCriterion.board_id == board_.id)
                                   .order_by(BoardCriterion.position)))


def score_all(board_: PrioritisationBoard, member: User, value: Any = 3,
              complete: bool = True) -> None:
    """Scores every theme on every criterion for the member; `value` is a number or a
    function (theme index, criterion index) -> number."""
    for t, theme in enumerate(themes_of(board_)):
        for c, criterion in enumerate(criteria_of(board_)):
            v = value(t, c) if callable(value) else value
            db.session.add(BoardScore(board_id=board_.id, theme_id=theme.id,
                                      criterion_id=criterion.id, user_id=member.id, value=v))
    if complete:
        row = db.session.scalar(db.select(BoardMember).where(
            BoardMember.board_id == board_.id, BoardMember.user_id == member.id))
        assert row is not None
        row.completed_at = factories.at(2017, 2, 20, 10)
    db.session.flush()


def abstain(board_: PrioritisationBoard, theme: BoardTheme, member: User,
            note: str = "Inhabil") -> None:
    db.session.add(BoardThemeNote(board_id=board_.id, theme_id=theme.id, user_id=member.id,
                                  abstained=True, abstain_note=note))
    db.session.flush()


def theme_day(cycle: Cycle, *, themes: int = 3, challenges: int = 2, solutions: int = 3,
              picks: int = 3, state: ThemeDayState = ThemeDayState.OPEN,
              board_: PrioritisationBoard | None = None) -> ThemeDay:
    """A theme day on a new THEME_DAY milestone with a catalogue: `themes` themes, each with
    `challenges` challenges of `solutions` solution options."""
    milestone = factories.milestone(cycle, factories.at(2017, 4, 28, 15),
                                    kind=MilestoneKind.THEME_DAY, title="Politisk temadag",
                                    starts_at=factories.at(2017, 4, 28, 9, 30))
    made = ThemeDay(cycle_id=cycle.id, milestone_id=milestone.id, title="Politisk temadag",
                    board_id=board_.id if board_ else None, picks_per_theme=picks, state=state)
    made.cycle = cycle
    made.milestone = milestone
    db.session.add(made)
    db.session.flush()
    for t in range(themes):
        theme = CatalogueTheme(theme_day_id=made.id, title=f"Katalogtema {t + 1}", position=t)
        db.session.add(theme)
        db.session.flush()
        for c in range(challenges):
            challenge = CatalogueItem(theme_id=theme.id, kind=CatalogueItemKind.CHALLENGE,
                                      title=f"Udfordring {t + 1}.{c + 1}", position=c)
            db.session.add(challenge)
            db.session.flush()
            for s in range(solutions):
                db.session.add(CatalogueItem(
                    theme_id=theme.id, kind=CatalogueItemKind.SOLUTION, parent_id=challenge.id,
                    title=f"Løsning {t + 1}.{c + 1}.{s + 1}", position=s,
                    cooperation="Meget tæt samarbejde" if s == 0 else "Begrænset samarbejde"))
    db.session.flush()
    return made


def catalogue_items(day: ThemeDay) -> list[CatalogueItem]:
    return list(db.session.scalars(
        db.select(CatalogueItem).join(CatalogueTheme)
        .where(CatalogueTheme.theme_day_id == day.id)
        .order_by(CatalogueTheme.position, CatalogueItem.id)))


def vote(day: ThemeDay, item: CatalogueItem, voter: User, slot: int) -> ThemeDayVote:
    made = ThemeDayVote(theme_day_id=day.id, theme_id=item.theme_id, item_id=item.id,
                        user_id=voter.id, slot=slot, picks_limit=day.picks_per_theme)
    db.session.add(made)
    db.session.flush()
    return made


def politicians(org: Organisation, n: int) -> list[User]:
    return [factories.user(org, roles=(Role.POLITICIAN,)) for _ in range(n)]


def focus_areas(cycle: Cycle, *, areas: int = 3, initiatives: int = 3,
                lead: Organisation | None = None) -> list[FocusArea]:
    made = []
    for a in range(areas):
        area = FocusArea(cycle_id=cycle.id, title=f"Fokusområde {a + 1}",
                         vision=f"Vision {a + 1}.", background=f"Baggrund {a + 1}.", position=a)
        area.cycle = cycle
        db.session.add(area)
        db.session.flush()
        for i in range(initiatives):
            db.session.add(Initiative(
                focus_area_id=area.id, title=f"Initiativ {a + 1}{'abcdefgh'[i]}",
                description="", lead_organisation_id=lead.id if lead else None, position=i,
                status=InitiativeStatus.IN_PROGRESS if i == 0 else InitiativeStatus.NOT_STARTED))
        made.append(area)
    db.session.flush()
    return made


def secretariat_org(region_: Any) -> Organisation:
    return factories.organisation(region_, kind=OrgKind.SECRETARIAT, name="Sekretariatet")


# -- part B (scoring) ----------------------------------------------------------------------------

DEMO_BOARD_TITLE = "Prioritering af workshoppens temaer"


def demo_board(cycle: Cycle, *, title: str = DEMO_BOARD_TITLE,
               scored: bool = True) -> PrioritisationBoard:
    """The demo's board on the cycle's prioritisation milestone, or — before the demo seeds one
    (part A's `seed_board`) — one written here the same way (rows directly): the workshop's
    list themes with their labels, three criteria, the region's steering members, open; with
    `scored`, the demo's scores (`demo.board_scores.seed_scores`)."""
    from sqlalchemy.orm import joinedload

    from webapp.demo.board_scores import seed_scores
    from webapp.models import ListTheme, Milestone, RecommendationLabel, RoleGrant, Workshop

    found = db.session.scalar(db.select(PrioritisationBoard).where(
        PrioritisationBoard.cycle_id == cycle.id, PrioritisationBoard.title == title)
        .options(joinedload(PrioritisationBoard.cycle),
                 joinedload(PrioritisationBoard.milestone)))
    if found is not None:
        return found
    milestone = db.session.scalars(db.select(Milestone).where(
        Milestone.cycle_id == cycle.id, Milestone.kind == MilestoneKind.PRIORITISATION)
        .order_by(Milestone.id)).first()
    assert milestone is not None
    workshop = db.session.scalars(db.select(Workshop).where(Workshop.cycle_id == cycle.id)
                                  .order_by(Workshop.id)).first()
    made = PrioritisationBoard(cycle_id=cycle.id, milestone_id=milestone.id, title=title,
                               intro="Scor hvert tema på de tre kriterier.",
                               workshop_id=workshop.id if workshop else None,
                               state=BoardState.OPEN, opened_at=factories.at(2017, 2, 13, 8))
    made.cycle, made.milestone = cycle, milestone
    db.session.add(made)
    db.session.flush()
    for n, (name, weight) in enumerate((("Tværkommunal relevans", 2),
                                        ("Potentiale for fælles handling", 1),
                                        ("Politisk relevans", 1))):
        db.session.add(BoardCriterion(board_id=made.id, title=name, weight=weight, position=n))
    names = {label.id: label.name for label in db.session.scalars(
        db.select(RecommendationLabel).where(RecommendationLabel.region_id == cycle.region_id))}
    for n, entry in enumerate(db.session.scalars(db.select(ListTheme).where(
            ListTheme.workshop_id == (workshop.id if workshop else -1))
            .order_by(ListTheme.position, ListTheme.id))):
        label = names.get(entry.label_id or 0, "")
        db.session.add(BoardTheme(
            board_id=made.id, list_theme_id=entry.id, title=entry.title,
            group_name=entry.group_name, recommendation_label=label,
            recommendation=(Recommendation.NOT_RECOMMENDED if label.startswith("Anbefales ikke")
                            else Recommendation.RECOMMENDED if label.startswith("Anbefales")
                            else Recommendation.NONE),
            rationale=entry.rationale, position=n))
    for person in db.session.scalars(db.select(User).join(RoleGrant).where(
            RoleGrant.region_id == cycle.region_id, RoleGrant.role == Role.STEERING_MEMBER,
            User.active.is_(True)).order_by(User.id)).unique():
        db.session.add(BoardMember(board_id=made.id, user_id=person.id, name=person.name))
    db.session.flush()
    if scored:
        seed_scores(made, factories.at(2017, 4, 20, 10))
    return made
