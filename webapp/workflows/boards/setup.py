"""Setting up and running a prioritisation board: the board on a PRIORITISATION milestone of
its cycle (the milestone's end is the scoring deadline the reminders chase), its themes (copied
from a workshop's prioritisation list, or typed in), its criteria with weights, its members (the
region's steering-group members by role, or anyone active in the region by name), opening it
(the members are e-mailed an invitation) and closing it.

Themes and criteria change only while the board is a draft (`BOARDS.is_editable`): once members
score, the cells they score stay put. Members may be added while the board is open (they are
invited at once) and removed until the close; a removed member's scores and notes go with them,
and the trail says how many. Opening and closing take a row lock on the board, the lock the
scoring takes too (workflows/boards/scoring.py), so a save racing the close either lands before
it or finds the board closed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm.attributes import set_committed_value

from ... import mail
from ...extensions import db
from ...formatting import format_datetime
from ...i18n import gettext as _
from ...i18n import lazy_gettext as _l
from ...i18n import ngettext
from ...models import (
    BoardCriterion,
    BoardMember,
    BoardScore,
    BoardState,
    BoardTheme,
    BoardThemeNote,
    Cycle,
    ListTheme,
    Milestone,
    MilestoneKind,
    Organisation,
    PrioritisationBoard,
    Recommendation,
    RecommendationLabel,
    Role,
    RoleGrant,
    User,
    Workshop,
)
from ...permissions import Actor, RegionScope, require
from .. import reminders
from ..base import WorkflowError, bump_version, changed, check_stale, record, snapshot
from ..states import BOARDS, CYCLES
from .audience import scoring_link

BOARD_FIELDS = ("title", "intro", "milestone_id")
THEME_FIELDS = ("title", "group_name", "recommendation_label", "recommendation", "rationale")
CRITERION_FIELDS = ("title", "description", "weight")
MIN_WEIGHT, MAX_WEIGHT, DEFAULT_WEIGHT = 1, 10, 1
TITLE_MAX = 200
LABEL_MAX = 100

RECOMMENDATION_LABELS = {
    Recommendation.RECOMMENDED: _l("Anbefales"),
    Recommendation.NOT_RECOMMENDED: _l("Anbefales ikke"),
    Recommendation.NONE: _l("Ingen anbefaling"),
}


def recommendation_of(label: str) -> Recommendation:
    """What a recommendation label as written means: "Anbefales ikke…" is not recommended,
    "Anbefales…" (also "Anbefales (DAS/politisk?)") is recommended, anything else none."""
    words = " ".join(label.split()).casefold()
    if words.startswith("anbefales ikke"):
        return Recommendation.NOT_RECOMMENDED
    if words.startswith("anbefales"):
        return Recommendation.RECOMMENDED
    return Recommendation.NONE


def require_manage(actor: Actor, region_id: int) -> None:
    require(actor, "board.manage", RegionScope(region_id),
            message=_("Kun sekretariatet kan oprette og styre prioriteringstavler."))


def _require_draft(board: PrioritisationBoard) -> None:
    if not BOARDS.is_editable(board):
        raise WorkflowError(_("Tavlen er åbnet for scoring. Temaer, kriterier og tavlens "
                              "oplysninger kan ikke længere ændres."))


def lock_board(board: PrioritisationBoard) -> BoardState:
    """Lock the board's row (PostgreSQL; SQLite's writing request holds the database's write
    lock anyway) and read it again under the lock: the state and counter are then the ones a
    concurrent save committed. Returns the state."""
    state, counter = db.session.execute(
        select(PrioritisationBoard.state, PrioritisationBoard.version_id)
        .where(PrioritisationBoard.id == board.id).with_for_update()).one()
    set_committed_value(board, "state", state)
    set_committed_value(board, "version_id", counter)
    return BoardState(state)


# -- the board ---------------------------------------------------------------------------------

@dataclass
class BoardData:
    title: str
    intro: str
    milestone: Milestone | None


def board_milestones(cycle_id: int) -> list[Milestone]:
    """The cycle's milestones a board can hang on, by their end."""
    return list(db.session.scalars(select(Milestone).where(
        Milestone.cycle_id == cycle_id, Milestone.kind == MilestoneKind.PRIORITISATION)
        .order_by(Milestone.ends_at, Milestone.id)))


def _check_board(cycle: Cycle, data: BoardData, exclude_id: int | None) -> str:
    title = data.title.strip()
    if not title:
        raise WorkflowError(_("Skriv en titel."), field="title")
    if len(title) > TITLE_MAX:
        raise WorkflowError(_("Titlen må højst være %(n)d tegn.", n=TITLE_MAX), field="title")
    taken = select(PrioritisationBoard.id).where(PrioritisationBoard.cycle_id == cycle.id,
                                                 PrioritisationBoard.title == title)
    if exclude_id is not None:
        taken = taken.where(PrioritisationBoard.id != exclude_id)
    if db.session.scalar(taken) is not None:
        raise WorkflowError(_("Cyklussen har allerede en prioriteringstavle med denne titel."),
                            field="title")
    milestone = data.milestone
    if milestone is None or milestone.cycle_id != cycle.id:
        raise WorkflowError(_("Vælg en milepæl i cyklussen."), field="milestone_id")
    if milestone.kind != MilestoneKind.PRIORITISATION:
        raise WorkflowError(_("Vælg en milepæl af typen “Prioritering af temaer”: den giver "
                              "scoringens frist."), field="milestone_id")
    return title


def _list_themes(cycle: Cycle, workshop: Workshop) -> list[tuple[ListTheme, str]]:
    """A workshop's prioritisation list in order, each theme with its label's name."""
    if workshop.cycle_id != cycle.id:
        raise WorkflowError(_("Vælg en workshop i cyklussen."), field="workshop_id")
    rows = db.session.execute(
        select(ListTheme, RecommendationLabel.name)
        .outerjoin(RecommendationLabel, RecommendationLabel.id == ListTheme.label_id)
        .where(ListTheme.workshop_id == workshop.id)
        .order_by(ListTheme.position, ListTheme.id)).all()
    if not rows:
        raise WorkflowError(_("Workshoppen “%(title)s” har ingen temaliste endnu. Lav temalisten "
                              "først, eller skriv temaerne selv.", title=workshop.title),
                            field="workshop_id")
    return [(theme, name or "") for theme, name in rows]


def _unique(title: str, taken: set[str]) -> str:
    """A title not yet on the board: a list with two themes of one name gets "(2)"."""
    title = title[:TITLE_MAX]
    candidate, n = title, 2
    while candidate in taken:
        suffix = f" ({n})"
        candidate, n = title[:TITLE_MAX - len(suffix)] + suffix, n + 1
    taken.add(candidate)
    return candidate


def create_board(actor: Actor, cycle: Cycle, data: BoardData, *, workshop: Workshop | None,
                 now: datetime) -> PrioritisationBoard:
    """A draft board; with a workshop, its themes are the workshop's prioritisation list (title,
    group, the label as written and what it means, rationale), else none yet."""
    require_manage(actor, cycle.region_id)
    if not CYCLES.is_editable(cycle):
        raise WorkflowError(_("Cyklussen er afsluttet og kan ikke ændres. Genåbn den først."))
    title = _check_board(cycle, data, None)
    listed = _list_themes(cycle, workshop) if workshop is not None else []
    assert data.milestone is not None
    board = PrioritisationBoard(cycle_id=cycle.id, milestone_id=data.milestone.id,
                                workshop_id=workshop.id if workshop else None, title=title,
                                intro=data.intro.strip(), state=BoardState.DRAFT,
                                created_at=now)
    board.cycle = cycle
    board.milestone = data.milestone
    db.session.add(board)
    db.session.flush()
    taken: set[str] = set()
    db.session.add_all(BoardTheme(
        board_id=board.id, list_theme_id=theme.id, title=_unique(theme.title, taken),
        group_name=theme.group_name, recommendation_label=label[:LABEL_MAX],
        recommendation=recommendation_of(label), rationale=theme.rationale, position=position)
        for position, (theme, label) in enumerate(listed))
    # The scoring deadline's reminders hang on the milestone.
    reminders.create_default_rules_if_none(data.milestone, now)
    record(actor=actor, action="board.created", obj=board, now=now, region_id=cycle.region_id,
           after={**snapshot(board, BOARD_FIELDS), "workshop_id": board.workshop_id,
                  "themes": len(listed)})
    return board


def update_board(actor: Actor, board: PrioritisationBoard, data: BoardData, *, now: datetime,
                 version: int | None) -> PrioritisationBoard:
    require_manage(actor, board.region_id)
    check_stale(board, version)
    _require_draft(board)
    title = _check_board(board.cycle, data, board.id)
    assert data.milestone is not None
    before = snapshot(board, BOARD_FIELDS)
    board.title, board.intro = title, data.intro.strip()
    board.milestone_id = data.milestone.id
    board.milestone = data.milestone
    old, new = changed(before, snapshot(board, BOARD_FIELDS))
    if new:
        reminders.create_default_rules_if_none(data.milestone, now)
        record(actor=actor, action="board.updated", obj=board, now=now,
               region_id=board.region_id, before=old, after=new)
    return board


# -- themes and criteria -----------------------------------------------------------------------

@dataclass
class ThemeData:
    title: str
    group_name: str
    recommendation: Recommendation
    recommendation_label: str
    rationale: str


@dataclass
class CriterionData:
    title: str
    description: str
    weight: int | None


def _board_themes(board: PrioritisationBoard) -> list[BoardTheme]:
    return list(db.session.scalars(select(BoardTheme).where(BoardTheme.board_id == board.id)
                                   .order_by(BoardTheme.position, BoardTheme.id)))


def _board_criteria(board: PrioritisationBoard) -> list[BoardCriterion]:
    return list(db.session.scalars(select(BoardCriterion)
                                   .where(BoardCriterion.board_id == board.id)
                                   .order_by(BoardCriterion.position, BoardCriterion.id)))


def _check_title(rows: Sequence[BoardTheme | BoardCriterion], title: str,
                 exclude_id: int | None, taken_message: str) -> str:
    title = title.strip()
    if not title:
        raise WorkflowError(_("Skriv en titel."), field="title")
    if len(title) > TITLE_MAX:
        raise WorkflowError(_("Titlen må højst være %(n)d tegn.", n=TITLE_MAX), field="title")
    if any(r.title == title and r.id != exclude_id for r in rows):
        raise WorkflowError(taken_message, field="title")
    return title


def _check_theme(board: PrioritisationBoard, data: ThemeData, exclude_id: int | None,
                 rows: list[BoardTheme]) -> str:
    title = _check_title(rows, data.title, exclude_id,
                         _("Tavlen har allerede et tema med denne titel."))
    if len(data.group_name.strip()) > TITLE_MAX:
        raise WorkflowError(_("Gruppen må højst være %(n)d tegn.", n=TITLE_MAX),
                            field="group_name")
    if len(data.recommendation_label.strip()) > LABEL_MAX:
        raise WorkflowError(_("Anbefalingen må højst være %(n)d tegn.", n=LABEL_MAX),
                            field="recommendation_label")
    if data.recommendation not in RECOMMENDATION_LABELS:
        raise WorkflowError(_("Vælg en af de viste muligheder."), field="recommendation")
    return title


def _fill_theme(theme: BoardTheme, title: str, data: ThemeData) -> None:
    theme.title, theme.group_name = title, data.group_name.strip()
    theme.recommendation = data.recommendation
    theme.recommendation_label = data.recommendation_label.strip()
    theme.rationale = data.rationale.strip()


def add_theme(actor: Actor, board: PrioritisationBoard, data: ThemeData, *,
              now: datetime) -> BoardTheme:
    require_manage(actor, board.region_id)
    _require_draft(board)
    rows = _board_themes(board)
    title = _check_theme(board, data, None, rows)
    theme = BoardTheme(board_id=board.id, position=len(rows))
    _fill_theme(theme, title, data)
    db.session.add(theme)
    db.session.flush()
    record(actor=actor, action="board_theme.created", obj=theme, now=now,
           region_id=board.region_id, after=snapshot(theme, THEME_FIELDS))
    return theme


def update_theme(actor: Actor, board: PrioritisationBoard, theme: BoardTheme, data: ThemeData,
                 *, now: datetime, version: int | None) -> BoardTheme:
    require_manage(actor, board.region_id)
    check_stale(theme, version)
    _require_draft(board)
    title = _check_theme(board, data, theme.id, _board_themes(board))
    before = snapshot(theme, THEME_FIELDS)
    _fill_theme(theme, title, data)
    old, new = changed(before, snapshot(theme, THEME_FIELDS))
    if new:
        record(actor=actor, action="board_theme.updated", obj=theme, now=now,
               region_id=board.region_id, before=old, after=new)
    return theme


def _weight(data: CriterionData) -> int:
    weight = DEFAULT_WEIGHT if data.weight is None else data.weight
    if not MIN_WEIGHT <= weight <= MAX_WEIGHT:
        raise WorkflowError(_("Vægten skal være et helt tal fra %(low)d til %(high)d.",
                              low=MIN_WEIGHT, high=MAX_WEIGHT), field="weight")
    return weight


def add_criterion(actor: Actor, board: PrioritisationBoard, data: CriterionData, *,
                  now: datetime) -> BoardCriterion:
    require_manage(actor, board.region_id)
    _require_draft(board)
    rows = _board_criteria(board)
    title = _check_title(rows, data.title, None,
                         _("Tavlen har allerede et kriterium med denne titel."))
    criterion = BoardCriterion(board_id=board.id, title=title,
                               description=data.description.strip(), weight=_weight(data),
                               position=len(rows))
    db.session.add(criterion)
    bump_version(board)
    db.session.flush()
    record(actor=actor, action="board_criterion.created", obj=criterion, now=now,
           region_id=board.region_id, after=snapshot(criterion, CRITERION_FIELDS))
    return criterion


def update_criterion(actor: Actor, board: PrioritisationBoard, criterion: BoardCriterion,
                     data: CriterionData, *, now: datetime,
                     version: int | None) -> BoardCriterion:
    """A criterion has no counter of its own: the board's counter is the edit version (a
    change to a criterion moves it)."""
    require_manage(actor, board.region_id)
    check_stale(board, version)
    _require_draft(board)
    title = _check_title(_board_criteria(board), data.title, criterion.id,
                         _("Tavlen har allerede et kriterium med denne titel."))
    weight = _weight(data)
    before = snapshot(criterion, CRITERION_FIELDS)
    criterion.title, criterion.description = title, data.description.strip()
    criterion.weight = weight
    old, new = changed(before, snapshot(criterion, CRITERION_FIELDS))
    if new:
        bump_version(board)
        record(actor=actor, action="board_criterion.updated", obj=criterion, now=now,
               region_id=board.region_id, before=old, after=new)
    return criterion


def _remove(actor: Actor, board: PrioritisationBoard, row: BoardTheme | BoardCriterion,
            fields: Sequence[str], now: datetime, *, action: str) -> None:
    """Take a theme or a criterion off a draft board; the rest close up."""
    require_manage(actor, board.region_id)
    _require_draft(board)
    record(actor=actor, action=action, obj=row, now=now,
           region_id=board.region_id, before=snapshot(row, fields))
    db.session.delete(row)
    db.session.flush()
    _renumber(_board_themes(board) if isinstance(row, BoardTheme) else _board_criteria(board))


def remove_theme(actor: Actor, board: PrioritisationBoard, theme: BoardTheme, *,
                 now: datetime) -> None:
    _remove(actor, board, theme, THEME_FIELDS, now, action="board_theme.removed")


def remove_criterion(actor: Actor, board: PrioritisationBoard, criterion: BoardCriterion, *,
                     now: datetime) -> None:
    _remove(actor, board, criterion, CRITERION_FIELDS, now, action="board_criterion.removed")
    bump_version(board)


def _renumber(rows: Sequence[BoardTheme | BoardCriterion]) -> None:
    """Positions 0, 1, 2 … in the present order; only rows whose position changes are written."""
    for position, row in enumerate(rows):
        if row.position != position:
            row.position = position


def _move(actor: Actor, board: PrioritisationBoard, row: BoardTheme | BoardCriterion,
          step: int, now: datetime, *, action: str) -> bool:
    """One place up (-1) or down (+1) on a draft board; False at the top or the bottom."""
    require_manage(actor, board.region_id)
    _require_draft(board)
    rows: list[BoardTheme | BoardCriterion] = list(
        _board_themes(board) if isinstance(row, BoardTheme) else _board_criteria(board))
    index = next(i for i, r in enumerate(rows) if r.id == row.id)
    target = index + step
    if step not in (-1, 1) or not 0 <= target < len(rows):
        return False
    rows[index], rows[target] = rows[target], rows[index]
    _renumber(rows)
    record(actor=actor, action=action, obj=row, now=now, region_id=board.region_id,
           before={"position": index + 1}, after={"position": target + 1})
    return True


def move_theme(actor: Actor, board: PrioritisationBoard, theme: BoardTheme, step: int, *,
               now: datetime) -> bool:
    return _move(actor, board, theme, step, now, action="board_theme.moved")


def move_criterion(actor: Actor, board: PrioritisationBoard, criterion: BoardCriterion,
                   step: int, *, now: datetime) -> bool:
    moved = _move(actor, board, criterion, step, now, action="board_criterion.moved")
    if moved:
        bump_version(board)
    return moved


# -- members -----------------------------------------------------------------------------------

def _require_not_closed(board: PrioritisationBoard) -> None:
    if board.state not in (BoardState.DRAFT, BoardState.OPEN):
        raise WorkflowError(_("Tavlen er lukket. Medlemmerne kan ikke længere ændres."))


def _active_in_region(region_id: int) -> Select[User]:
    return (select(User).join(Organisation, Organisation.id == User.organisation_id)
            .where(Organisation.region_id == region_id, Organisation.active.is_(True),
                   User.active.is_(True)))


def _member_ids(board: PrioritisationBoard) -> set[int]:
    return set(db.session.scalars(select(BoardMember.user_id).where(
        BoardMember.board_id == board.id)))


def _add_people(actor: Actor, board: PrioritisationBoard, people: Sequence[User],
                now: datetime) -> list[BoardMember]:
    """Put these people on the board, audit once and, on an open board, invite them."""
    if not people:
        return []
    added = [BoardMember(board_id=board.id, user_id=p.id, name=p.name, added_at=now)
             for p in people]
    db.session.add_all(added)
    db.session.flush()
    record(actor=actor, action="board_member.added", obj=board, now=now,
           region_id=board.region_id, after={"members": [p.name for p in people]})
    if board.state == BoardState.OPEN:
        _invite(board, people, now)
    return added


def add_members_by_role(actor: Actor, board: PrioritisationBoard, *, now: datetime) -> int:
    """Every active steering-group member of the region not yet on the board (a snapshot: a
    person who gets the role later is added by name, or by pressing again). Returns how many."""
    require_manage(actor, board.region_id)
    _require_not_closed(board)
    listed = _member_ids(board)
    people = [p for p in db.session.scalars(
        _active_in_region(board.region_id)
        .join(RoleGrant, RoleGrant.user_id == User.id)
        .where(RoleGrant.region_id == board.region_id, RoleGrant.role == Role.STEERING_MEMBER)
        .order_by(User.name, User.id).distinct()) if p.id not in listed]
    return len(_add_people(actor, board, people, now))


def add_member(actor: Actor, board: PrioritisationBoard, user_id: int | None, *,
               now: datetime) -> BoardMember:
    """One person of the region, by name."""
    require_manage(actor, board.region_id)
    _require_not_closed(board)
    person = db.session.scalar(_active_in_region(board.region_id).where(
        User.id == user_id)) if user_id else None
    if person is None:
        raise WorkflowError(_("Vælg en aktiv person i regionen."), field="user_id")
    if person.id in _member_ids(board):
        raise WorkflowError(_("%(name)s er allerede medlem af tavlen.", name=person.name),
                            field="user_id")
    return _add_people(actor, board, [person], now)[0]


def remove_member(actor: Actor, board: PrioritisationBoard, member: BoardMember, *,
                  now: datetime) -> int:
    """Take a member off a draft or open board. Their scores and notes go with them (the trail
    says how many); the board's row is locked first, so a save of theirs racing this either
    lands before (and is removed) or finds them gone. Returns the number of scores removed."""
    require_manage(actor, board.region_id)
    lock_board(board)
    _require_not_closed(board)
    scores = db.session.scalar(select(func.count()).select_from(BoardScore).where(
        BoardScore.board_id == board.id, BoardScore.user_id == member.user_id)) or 0
    notes = db.session.scalar(select(func.count()).select_from(BoardThemeNote).where(
        BoardThemeNote.board_id == board.id, BoardThemeNote.user_id == member.user_id)) or 0
    record(actor=actor, action="board_member.removed", obj=member, now=now,
           region_id=board.region_id, label=member.name,
           before={"name": member.name, "scores": scores, "notes": notes})
    db.session.execute(delete(BoardScore).where(BoardScore.board_id == board.id,
                                                BoardScore.user_id == member.user_id))
    db.session.execute(delete(BoardThemeNote).where(BoardThemeNote.board_id == board.id,
                                                    BoardThemeNote.user_id == member.user_id))
    db.session.delete(member)
    db.session.flush()
    return scores


# -- opening and closing -----------------------------------------------------------------------

def _invite(board: PrioritisationBoard, people: Sequence[User], now: datetime) -> int:
    """E-mail each person the invitation to score: the themes, the criteria, the deadline and
    the link. Returns how many were e-mailed."""
    themes = db.session.scalar(select(func.count()).select_from(BoardTheme).where(
        BoardTheme.board_id == board.id)) or 0
    criteria = [c.title for c in _board_criteria(board)]
    sent = 0
    for person in people:
        if not person.active or not person.email:
            continue
        mail.queue("board_invitation", person.email, now=now, region_id=board.region_id,
                   name=person.name, title=board.title, cycle=board.cycle.title,
                   intro=board.intro, criteria=criteria,
                   themes=ngettext("%(num)d tema", "%(num)d temaer", themes),
                   deadline=format_datetime(board.deadline), link=scoring_link(board.id))
        sent += 1
    return sent


def _open_problems(board: PrioritisationBoard, now: datetime) -> list[str]:
    counts = {model: db.session.scalar(select(func.count()).select_from(model).where(
        model.board_id == board.id)) or 0 for model in (BoardTheme, BoardCriterion, BoardMember)}
    problems = []
    if not counts[BoardTheme]:
        problems.append(_("Tilføj mindst ét tema."))
    if not counts[BoardCriterion]:
        problems.append(_("Tilføj mindst ét kriterium."))
    if not counts[BoardMember]:
        problems.append(_("Tilføj mindst ét medlem."))
    if board.deadline <= now:
        problems.append(_("Fristen (%(when)s) er passeret: flyt milepælen “%(milestone)s”, eller "
                          "vælg en anden milepæl.", when=format_datetime(board.deadline),
                          milestone=board.milestone.title))
    return problems


def open_board(actor: Actor, board: PrioritisationBoard, *, now: datetime) -> int:
    """Draft → open: the members may score, and each is e-mailed the invitation. Needs at least
    one theme, criterion and member and a deadline ahead. Returns how many were e-mailed."""
    require_manage(actor, board.region_id)
    lock_board(board)
    BOARDS.check(board, BoardState.OPEN)
    problems = _open_problems(board, now)
    if problems:
        raise WorkflowError(_("Tavlen kan ikke åbnes endnu: %(problems)s",
                              problems=" ".join(problems)))
    people = list(db.session.scalars(select(User).join(
        BoardMember, BoardMember.user_id == User.id).where(BoardMember.board_id == board.id)
        .order_by(User.name, User.id)))
    board.opened_at = now
    sent = _invite(board, people, now)
    BOARDS.move(board, BoardState.OPEN, actor=actor, now=now, action="board.opened",
                region_id=board.region_id, extra_after={"emails": sent})
    reminders.create_default_rules_if_none(board.milestone, now)
    return sent


def close_board(actor: Actor, board: PrioritisationBoard, *, now: datetime) -> None:
    """Open → closed: the scores are final and the results are the secretariat's. The row lock
    is taken before the state is read, so a member's save waiting on it finds the board closed,
    and one that got the lock first is in the results."""
    require_manage(actor, board.region_id)
    lock_board(board)
    if board.state != BoardState.OPEN:
        raise WorkflowError(_("Tavlen er ikke åben, så den kan ikke lukkes.")
                            if board.state == BoardState.DRAFT
                            else _("Tavlen er allerede lukket."))
    board.closed_at = now
    BOARDS.move(board, BoardState.CLOSED, actor=actor, now=now, action="board.closed",
                region_id=board.region_id)
