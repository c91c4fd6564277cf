"""Part A's test helpers: a workshop with a prioritisation list, a PRIORITISATION milestone and
a board made through the setup workflows."""

from __future__ import annotations

from typing import Any

from tests import factories as f
from tests.workshops import input_factories
from webapp.extensions import db
from webapp.models import (
    ListTheme,
    Milestone,
    MilestoneKind,
    PrioritisationBoard,
    Recommendation,
    RecommendationLabel,
    Role,
    User,
    Workshop,
)
from webapp.workflows.boards import setup as flow

NOW = f.at(2017, 2, 1, 10, 0)
DEADLINE = f.at(2017, 2, 27, 12, 0)

# (title, group, label as written, rationale)
LIST = [
    ("Rehabilitering", "Borgerens mestring af eget liv", "Anbefales", "Stor tværkommunal værdi."),
    ("Velfærdsteknologi", "Borgerens mestring af eget liv", "Anbefales ikke",
     "Dækkes af andre fora."),
    ("Vidensdeling", "Tværgående temaer", "Anbefales (DAS/politisk?)", "Bredt ønsket."),
    ("Flere hjemløse", "Målgrupper", "Tages op senere", ""),
]


def secretary(world: dict[str, Any], region: str = "north") -> User:
    return world[region]["users"][Role.SECRETARIAT]


def milestone(cycle: Any, deadline: Any = DEADLINE, title: str = "DAS prioriterer") -> Milestone:
    starts = f.at(2017, 2, 13, 8, 0)
    return f.milestone(cycle, deadline, MilestoneKind.PRIORITISATION, title=title,
                       starts_at=starts if starts < deadline else None)


def theme_list(cycle: Any, entries: list[tuple[str, str, str, str]] = LIST) -> Workshop:
    """A workshop whose prioritisation list holds `entries`, with the region's labels."""
    workshop = input_factories.workshop(cycle, themes=2, title="Workshop om temaer")
    labels: dict[str, int] = {}
    for position, (title, group, label, rationale) in enumerate(entries):
        if label and label not in labels:
            made = RecommendationLabel(region_id=cycle.region_id, name=label,
                                       position=len(labels))
            db.session.add(made)
            db.session.flush()
            labels[label] = made.id
        db.session.add(ListTheme(workshop_id=workshop.id, title=title, group_name=group,
                                 label_id=labels.get(label), rationale=rationale,
                                 position=position))
    db.session.flush()
    return workshop


def board(world: dict[str, Any], *, region: str = "north", workshop: Workshop | None = None,
          criteria: tuple[tuple[str, int], ...] = (("Tværkommunal relevans", 2),
                                                    ("Politisk relevans", 1)),
          members: list[User] | None = None, title: str = "Prioritering af temaer",
          deadline: Any = DEADLINE) -> PrioritisationBoard:
    """A draft board made through the workflows: from `workshop`'s list, or with two typed
    themes; with criteria and members."""
    actor = secretary(world, region)
    cycle = world[region]["cycle"]
    made = flow.create_board(actor, cycle, flow.BoardData(title, "Velkommen.",
                                                          milestone(cycle, deadline)),
                             workshop=workshop, now=NOW)
    if workshop is None:
        for name in ("Tema A", "Tema B"):
            flow.add_theme(actor, made, flow.ThemeData(name, "Gruppe", Recommendation.NONE,
                                                       "", ""), now=NOW)
    for name, weight in criteria:
        flow.add_criterion(actor, made, flow.CriterionData(name, "", weight), now=NOW)
    for person in members or []:
        flow.add_member(actor, made, person.id, now=NOW)
    db.session.flush()
    return made
