"""Part A: setting up and running a prioritisation board through its workflows."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from tests import factories as f
from tests.boards import factories as bf
from tests.boards.setup_helpers import NOW, board, milestone, secretary, theme_list
from webapp.errors import PermissionDenied
from webapp.extensions import db
from webapp.models import (
    AuditEvent,
    BoardMember,
    BoardScore,
    BoardState,
    BoardTheme,
    BoardThemeNote,
    MilestoneKind,
    OutboundEmail,
    Recommendation,
    Role,
)
from webapp.permissions import SYSTEM
from webapp.workflows import WorkflowError
from webapp.workflows.base import StaleEdit
from webapp.workflows.boards import setup as flow


def _themes(made: Any) -> list[BoardTheme]:
    return list(db.session.scalars(select(BoardTheme).where(BoardTheme.board_id == made.id)
                                   .order_by(BoardTheme.position)))


@pytest.mark.parametrize("label, meaning", [
    ("Anbefales", Recommendation.RECOMMENDED),
    ("Anbefales (DAS/politisk?)", Recommendation.RECOMMENDED),
    ("  anbefales   ikke ", Recommendation.NOT_RECOMMENDED),
    ("Anbefales ikke – indgår i Vidensdeling", Recommendation.NOT_RECOMMENDED),
    ("Tages op senere", Recommendation.NONE),
    ("", Recommendation.NONE),
])
def test_a_label_as_written_has_a_meaning(label: str, meaning: Recommendation) -> None:
    assert flow.recommendation_of(label) == meaning


def test_a_board_from_the_workshop_list_copies_its_themes(world: dict[str, Any]) -> None:
    workshop = theme_list(world["north"]["cycle"])
    made = board(world, workshop=workshop)
    themes = _themes(made)
    assert [t.title for t in themes] == ["Rehabilitering", "Velfærdsteknologi", "Vidensdeling",
                                         "Flere hjemløse"]
    assert [t.recommendation for t in themes] == [
        Recommendation.RECOMMENDED, Recommendation.NOT_RECOMMENDED, Recommendation.RECOMMENDED,
        Recommendation.NONE]
    assert themes[2].recommendation_label == "Anbefales (DAS/politisk?)"
    assert themes[0].group_name == "Borgerens mestring af eget liv"
    assert themes[0].rationale == "Stor tværkommunal værdi."
    assert all(t.list_theme_id is not None for t in themes)
    assert made.workshop_id == workshop.id and made.state == BoardState.DRAFT
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "board.created"))
    assert event is not None and event.after["themes"] == 4


def test_typed_themes_and_criteria_with_weights(world: dict[str, Any]) -> None:
    made = board(world)
    assert [t.title for t in _themes(made)] == ["Tema A", "Tema B"]
    assert [(c.title, c.weight) for c in bf.criteria_of(made)] == [
        ("Tværkommunal relevans", 2), ("Politisk relevans", 1)]
    actor = secretary(world)
    criterion = flow.add_criterion(actor, made, flow.CriterionData("Økonomi", "", None), now=NOW)
    assert criterion.weight == 1  # no weight given: 1
    for weight in (0, 11, -3):
        with pytest.raises(WorkflowError) as refused:
            flow.add_criterion(actor, made, flow.CriterionData("Vægtig", "", weight), now=NOW)
        assert refused.value.field == "weight"
    with pytest.raises(WorkflowError, match="allerede et kriterium") as taken:
        flow.add_criterion(actor, made, flow.CriterionData("Økonomi", "", 1), now=NOW)
    assert taken.value.field == "title"
    with pytest.raises(WorkflowError, match="allerede et tema"):
        flow.add_theme(actor, made, flow.ThemeData("Tema A", "", Recommendation.NONE, "", ""),
                       now=NOW)


def test_the_milestone_must_be_a_prioritisation_milestone_of_the_cycle(world: dict[str, Any]
                                                                        ) -> None:
    actor, cycle = secretary(world), world["north"]["cycle"]
    other = f.milestone(cycle, f.at(2017, 3, 1), MilestoneKind.OTHER, title="Møde")
    foreign = milestone(world["mid"]["cycle"])
    for wrong in (other, foreign, None):
        with pytest.raises(WorkflowError) as refused:
            flow.create_board(actor, cycle, flow.BoardData("Tavle", "", wrong), workshop=None,
                              now=NOW)
        assert refused.value.field == "milestone_id"
    board(world, title="Tavle")
    with pytest.raises(WorkflowError, match="allerede en prioriteringstavle"):
        flow.create_board(actor, cycle, flow.BoardData("Tavle", "", milestone(cycle)),
                          workshop=None, now=NOW)


def test_a_workshop_without_a_list_or_of_another_cycle_is_refused(world: dict[str, Any]) -> None:
    from tests.workshops import input_factories

    actor, cycle = secretary(world), world["north"]["cycle"]
    bare = input_factories.workshop(cycle, title="Uden liste")
    with pytest.raises(WorkflowError, match="ingen temaliste") as refused:
        flow.create_board(actor, cycle, flow.BoardData("T", "", milestone(cycle)),
                          workshop=bare, now=NOW)
    assert refused.value.field == "workshop_id"
    foreign = theme_list(world["mid"]["cycle"])
    with pytest.raises(WorkflowError, match="workshop i cyklussen"):
        flow.create_board(actor, cycle, flow.BoardData("T", "", milestone(cycle)),
                          workshop=foreign, now=NOW)


def test_only_the_secretariat_or_the_system_sets_up(world: dict[str, Any]) -> None:
    cycle = world["north"]["cycle"]
    for role in (Role.STEERING_MEMBER, Role.RESPONDENT):
        with pytest.raises(PermissionDenied):
            flow.create_board(world["north"]["users"][role], cycle,
                              flow.BoardData("T", "", milestone(cycle)), workshop=None, now=NOW)
    with pytest.raises(PermissionDenied):  # another region's secretariat
        flow.create_board(secretary(world, "mid"), cycle,
                          flow.BoardData("T", "", milestone(cycle)), workshop=None, now=NOW)
    assert flow.create_board(SYSTEM, cycle, flow.BoardData("T", "", milestone(cycle)),
                             workshop=None, now=NOW).id


def test_reordering_and_removing_themes_keeps_positions_whole(world: dict[str, Any]) -> None:
    actor = secretary(world)
    made = board(world, workshop=theme_list(world["north"]["cycle"]))
    first, second, third, fourth = _themes(made)
    assert flow.move_theme(actor, made, third, -1, now=NOW)
    assert [t.title for t in _themes(made)] == ["Rehabilitering", "Vidensdeling",
                                                "Velfærdsteknologi", "Flere hjemløse"]
    assert not flow.move_theme(actor, made, first, -1, now=NOW)  # already on top
    assert not flow.move_theme(actor, made, fourth, 1, now=NOW)
    flow.remove_theme(actor, made, second, now=NOW)
    themes = _themes(made)
    assert [(t.title, t.position) for t in themes] == [
        ("Rehabilitering", 0), ("Vidensdeling", 1), ("Flere hjemløse", 2)]
    criteria = bf.criteria_of(made)
    flow.move_criterion(actor, made, criteria[1], -1, now=NOW)
    assert [c.title for c in bf.criteria_of(made)] == ["Politisk relevans",
                                                       "Tværkommunal relevans"]
    flow.remove_criterion(actor, made, criteria[1], now=NOW)
    assert [(c.title, c.position) for c in bf.criteria_of(made)] == [("Tværkommunal relevans", 0)]


def test_editing_a_theme_keeps_its_version_and_the_label(world: dict[str, Any]) -> None:
    actor = secretary(world)
    made = board(world, workshop=theme_list(world["north"]["cycle"]))
    theme = _themes(made)[3]
    version = theme.version_id
    flow.update_theme(actor, made, theme, flow.ThemeData(
        "Flere hjemløse", "Målgrupper", Recommendation.NOT_RECOMMENDED, "Anbefales ikke",
        "Gruppen var lille."), now=NOW, version=version)
    db.session.flush()
    assert theme.recommendation == Recommendation.NOT_RECOMMENDED
    with pytest.raises(StaleEdit):
        flow.update_theme(actor, made, theme, flow.ThemeData(
            "X", "", Recommendation.NONE, "", ""), now=NOW, version=version)
    criterion = bf.criteria_of(made)[0]
    stale = made.version_id
    flow.update_criterion(actor, made, criterion, flow.CriterionData("Relevans", "", 3),
                          now=NOW, version=stale)
    db.session.flush()
    with pytest.raises(StaleEdit):  # the board's counter moved with the criterion
        flow.update_criterion(actor, made, criterion, flow.CriterionData("Y", "", 3), now=NOW,
                              version=stale)


def test_members_by_role_are_the_regions_active_steering_members(world: dict[str, Any]) -> None:
    actor = secretary(world)
    north = world["north"]
    made = board(world)
    directors = bf.steering_members(north["municipality"], 3)
    f.user(north["municipality"], [Role.STEERING_MEMBER], active=False)
    bf.steering_members(world["mid"]["municipality"], 2)  # another region's
    assert flow.add_members_by_role(actor, made, now=NOW) == 4  # world's one + three
    names = set(db.session.scalars(select(BoardMember.name).where(
        BoardMember.board_id == made.id)))
    assert names == {p.name for p in directors} | {north["users"][Role.STEERING_MEMBER].name}
    assert flow.add_members_by_role(actor, made, now=NOW) == 0  # nobody twice
    event = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "board_member.added")).first()
    assert event is not None and len(event.after["members"]) == 4


def test_a_member_by_name_is_active_and_of_the_region(world: dict[str, Any]) -> None:
    actor = secretary(world)
    made = board(world)
    politician = world["north"]["users"][Role.POLITICIAN]
    assert flow.add_member(actor, made, politician.id, now=NOW).name == politician.name
    inactive = f.user(world["north"]["municipality"], active=False)
    for wrong in (world["mid"]["users"][Role.POLITICIAN].id, inactive.id, None, 10**9):
        with pytest.raises(WorkflowError) as refused:
            flow.add_member(actor, made, wrong, now=NOW)
        assert refused.value.field == "user_id"
    with pytest.raises(WorkflowError, match="allerede medlem"):
        flow.add_member(actor, made, politician.id, now=NOW)


def _emails(template: str = "board_invitation") -> list[OutboundEmail]:
    return list(db.session.scalars(select(OutboundEmail).where(
        OutboundEmail.template == template).order_by(OutboundEmail.id)))


def test_open_needs_themes_criteria_members_and_a_future_deadline(world: dict[str, Any]
                                                                   ) -> None:
    actor = secretary(world)
    empty = flow.create_board(actor, world["north"]["cycle"], flow.BoardData(
        "Tom", "", milestone(world["north"]["cycle"])), workshop=None, now=NOW)
    with pytest.raises(WorkflowError) as refused:
        flow.open_board(actor, empty, now=NOW)
    message = refused.value.message
    assert "mindst ét tema" in message and "kriterium" in message and "medlem" in message
    member = world["north"]["users"][Role.STEERING_MEMBER]
    late = board(world, title="Sen", members=[member], deadline=f.at(2017, 1, 31, 12))
    with pytest.raises(WorkflowError, match=r"Fristen .* er passeret"):
        flow.open_board(actor, late, now=NOW)
    assert late.state == BoardState.DRAFT and not _emails()


def test_open_invites_each_member_with_the_link(world: dict[str, Any]) -> None:
    actor = secretary(world)
    members = bf.steering_members(world["north"]["municipality"], 2)
    made = board(world, members=members)
    assert flow.open_board(actor, made, now=NOW) == 2
    assert made.state == BoardState.OPEN and made.opened_at == NOW
    sent = _emails()
    assert sorted(m.to_address for m in sent) == sorted(p.email for p in members)
    body = sent[0].body_text
    assert f"/prioritering/{made.id}/scoring" in body
    assert "27.02.2017" in body and "2 temaer" in body and "Tværkommunal relevans" in body
    assert "Ingen kan se dine scorer" in body
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "board.opened"))
    assert event is not None and event.after == {"state": "open", "emails": 2}
    # Themes and criteria are now fixed; a member added now is invited at once.
    with pytest.raises(WorkflowError, match="åbnet for scoring"):
        flow.add_theme(actor, made, flow.ThemeData("Nyt", "", Recommendation.NONE, "", ""),
                       now=NOW)
    with pytest.raises(WorkflowError, match="åbnet for scoring"):
        flow.remove_criterion(actor, made, bf.criteria_of(made)[0], now=NOW)
    late = world["north"]["users"][Role.STEERING_MEMBER]
    flow.add_member(actor, made, late.id, now=NOW)
    assert _emails()[-1].to_address == late.email
    with pytest.raises(WorkflowError):  # not twice
        flow.open_board(actor, made, now=NOW)


def test_removing_a_member_takes_their_scores_and_notes(world: dict[str, Any]) -> None:
    actor = secretary(world)
    members = bf.steering_members(world["north"]["municipality"], 2)
    made = board(world, members=members)
    flow.open_board(actor, made, now=NOW)
    bf.score_all(made, members[0])
    bf.score_all(made, members[1])
    db.session.add(BoardThemeNote(board_id=made.id, theme_id=_themes(made)[1].id,
                                  user_id=members[0].id, comment="God idé."))
    db.session.flush()
    row = db.session.scalar(select(BoardMember).where(BoardMember.board_id == made.id,
                                                      BoardMember.user_id == members[0].id))
    assert row is not None
    row.board = made
    assert flow.remove_member(actor, made, row, now=NOW) == 4  # 2 themes × 2 criteria
    left = db.session.scalars(select(BoardScore.user_id).where(BoardScore.board_id == made.id))
    assert set(left) == {members[1].id}
    assert not db.session.scalar(select(func.count()).select_from(BoardThemeNote).where(
        BoardThemeNote.user_id == members[0].id))
    event = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "board_member.removed"))
    assert event is not None and event.before == {"name": members[0].name, "scores": 4,
                                                  "notes": 1}


def test_close_only_an_open_board_and_then_nothing_moves(world: dict[str, Any]) -> None:
    actor = secretary(world)
    member = world["north"]["users"][Role.STEERING_MEMBER]
    made = board(world, members=[member])
    with pytest.raises(WorkflowError, match="ikke åben"):
        flow.close_board(actor, made, now=NOW)
    flow.open_board(actor, made, now=NOW)
    with pytest.raises(PermissionDenied):
        flow.close_board(member, made, now=NOW)
    closed_at = f.at(2017, 2, 27, 12, 30)
    flow.close_board(actor, made, now=closed_at)
    assert made.state == BoardState.CLOSED and made.closed_at == closed_at
    with pytest.raises(WorkflowError, match="allerede lukket"):
        flow.close_board(actor, made, now=closed_at)
    row = db.session.scalar(select(BoardMember).where(BoardMember.board_id == made.id))
    assert row is not None
    row.board = made
    with pytest.raises(WorkflowError, match="lukket"):
        flow.remove_member(actor, made, row, now=closed_at)
    with pytest.raises(WorkflowError, match="lukket"):
        flow.add_members_by_role(actor, made, now=closed_at)


def test_close_reads_the_state_under_the_lock(world: dict[str, Any]) -> None:
    """A board closed by another request since it was loaded: the close reads the row again
    under its lock and refuses, instead of closing twice on stale data."""
    from sqlalchemy import update

    from webapp.models import PrioritisationBoard

    actor = secretary(world)
    made = board(world, members=[world["north"]["users"][Role.STEERING_MEMBER]])
    flow.open_board(actor, made, now=NOW)
    db.session.flush()
    db.session.execute(update(PrioritisationBoard).where(PrioritisationBoard.id == made.id)
                       .values(state=BoardState.CLOSED, version_id=made.version_id + 1)
                       .execution_options(synchronize_session=False))
    assert made.state == BoardState.OPEN  # the loaded object is behind
    with pytest.raises(WorkflowError, match="allerede lukket"):
        flow.close_board(actor, made, now=NOW)


def test_a_list_theme_on_a_board_can_still_be_merged(world: dict[str, Any], db: Any) -> None:
    """The board copied its themes: merging two themes of the workshop's list later (the
    workshop's own tool) leaves the board's themes as they were, without their link to the
    list (the database lets go of it, `ON DELETE SET NULL`)."""
    from tests.boards import setup_helpers as helpers
    from webapp.models import BoardTheme, ListTheme
    from webapp.workflows.workshops import theme_list

    cycle = world["north"]["cycle"]
    workshop = helpers.theme_list(cycle)
    made = helpers.board(world, workshop=workshop)
    listed = list(db.session.scalars(select(ListTheme).where(
        ListTheme.workshop_id == workshop.id).order_by(ListTheme.position)))
    workshop.cycle = cycle
    theme_list.merge(helpers.secretary(world), workshop, [listed[0].id, listed[1].id],
                     title="Mestring", now=helpers.NOW)
    db.session.commit()
    kept = {t.title: t.list_theme_id for t in db.session.scalars(
        select(BoardTheme).where(BoardTheme.board_id == made.id))}
    assert kept["Rehabilitering"] is None and kept["Velfærdsteknologi"] is None
    assert kept["Vidensdeling"] == listed[2].id
