"""From the workshop's themes to the prioritisation list ("temaliste"): the secretariat keeps,
renames, merges, splits and adds themes, and gives each its group, a recommendation label of
the region and a rationale. The 2018 workshop's 10 themes became 14 this way.

Input is never copied: a list theme links to the items it carries (each still in its own
theme, so its origin shows) and to the themes it came from. A merge takes the union of both;
a split hands each item to exactly one part.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ...extensions import db
from ...i18n import gettext as _
from ...models import (
    InputItem,
    ListTheme,
    ListThemeItem,
    ListThemeSource,
    RecommendationLabel,
    Workshop,
    WorkshopSession,
    WorkshopTheme,
)
from ...permissions import Actor, require
from ..base import WorkflowError, changed, check_stale, record, snapshot

# The labels every region starts with (Nordjylland 2018's working group used these).
DEFAULT_LABELS = ("Anbefales", "Anbefales ikke", "Anbefales (DAS/politisk?)")

MAX_TITLE = 200
MAX_GROUP = 200
MAX_LABEL = 100
MAX_RATIONALE = 10_000
MAX_PARTS = 10


def _require(actor: Actor, workshop: Workshop) -> None:
    require(actor, "workshop.theme_list", workshop,
            message=_("Kun sekretariatet kan lave temalisten."))


def _too_long(limit: int, field: str) -> WorkflowError:
    return WorkflowError(_("Teksten må højst være %(max)d tegn lang. Forkort den.", max=limit),
                         field=field)


def _check_title(workshop: Workshop, title: str, field: str = "title",
                 leaving: Collection[int] = ()) -> str:
    """A title the list holds once (themes about to go, `leaving`, free theirs)."""
    title = title.strip()
    if not title:
        raise WorkflowError(_("Skriv temaets titel."), field=field)
    if len(title) > MAX_TITLE:
        raise _too_long(MAX_TITLE, field)
    taken = db.session.scalar(select(ListTheme.id).where(
        ListTheme.workshop_id == workshop.id, ListTheme.title == title,
        ListTheme.id.not_in(list(leaving) or [0])))
    if taken is not None:
        raise WorkflowError(_("Temalisten har allerede et tema med titlen “%(title)s”.",
                              title=title), field=field)
    return title


def _themes_of(workshop: Workshop, ids: Collection[int], field: str) -> list[ListTheme]:
    """The list themes `ids` name, all of this workshop: an id of another workshop's list is
    refused, never silently joined."""
    found = db.session.scalars(select(ListTheme).where(ListTheme.id.in_(list(ids)))
                               .options(selectinload(ListTheme.sources),
                                        selectinload(ListTheme.items))).all()
    if len(found) != len(set(ids)):
        raise WorkflowError(_("Vælg kun blandt temaerne på listen."), field=field)
    if any(t.workshop_id != workshop.id for t in found):
        raise WorkflowError(_("Temaer fra forskellige workshops kan ikke lægges sammen."),
                            field=field)
    return sorted(found, key=lambda t: (t.position, t.id))


def ensure_labels(region_id: int) -> list[RecommendationLabel]:
    """The region's labels, the default three added the first time a list is made."""
    labels = list(db.session.scalars(select(RecommendationLabel).where(
        RecommendationLabel.region_id == region_id).order_by(RecommendationLabel.position)))
    if not labels:
        labels = [RecommendationLabel(region_id=region_id, name=name, position=index)
                  for index, name in enumerate(DEFAULT_LABELS, start=1)]
        db.session.add_all(labels)
        db.session.flush()
    return labels


def build_list(actor: Actor, workshop: Workshop, *, now: datetime) -> list[ListTheme]:
    """The list's first form: every theme of the workshop kept, carrying its items."""
    _require(actor, workshop)
    exists = db.session.scalar(select(ListTheme.id).where(ListTheme.workshop_id == workshop.id)
                               .limit(1))
    if exists is not None:
        raise WorkflowError(_("Temalisten er allerede lavet."))
    ensure_labels(workshop.region_id)
    themes = db.session.execute(
        select(WorkshopTheme.id, WorkshopTheme.title).join(WorkshopTheme.session)
        .where(WorkshopTheme.workshop_id == workshop.id)
        .order_by(WorkshopSession.position, WorkshopSession.id, WorkshopTheme.position,
                  WorkshopTheme.id)).all()
    items = db.session.execute(select(InputItem.id, InputItem.theme_id).join(
        WorkshopTheme).where(WorkshopTheme.workshop_id == workshop.id)).all()
    made = []
    for position, (theme_id, title) in enumerate(themes, start=1):
        entry = ListTheme(workshop_id=workshop.id, title=title, position=position,
                          created_at=now, sources=[], items=[])
        entry.sources.append(ListThemeSource(theme_id=theme_id, workshop_id=workshop.id))
        entry.items.extend(ListThemeItem(item_id=i) for i, t in items if t == theme_id)
        made.append(entry)
    db.session.add_all(made)
    record(actor=actor, action="workshop_list.built", obj=workshop, now=now,
           region_id=workshop.region_id, after={"themes": [t.title for t in made]},
           label=workshop.title)
    return made


@dataclass(frozen=True)
class Placement:
    """What the secretariat decides for one list theme."""

    title: str
    group_name: str
    label_id: int | None
    rationale: str


def update_theme(actor: Actor, workshop: Workshop, entry: ListTheme, placement: Placement, *,
                 version: int, now: datetime) -> ListTheme:
    """Rename a list theme, or set its group, recommendation and rationale."""
    _require(actor, workshop)
    if entry.workshop_id != workshop.id:
        raise WorkflowError(_("Temaet hører ikke til denne workshops temaliste."))
    check_stale(entry, version)
    title = _check_title(workshop, placement.title, leaving=[entry.id])
    if len(placement.group_name) > MAX_GROUP:
        raise _too_long(MAX_GROUP, "group_name")
    if len(placement.rationale) > MAX_RATIONALE:
        raise _too_long(MAX_RATIONALE, "rationale")
    if placement.label_id is not None and db.session.scalar(
            select(RecommendationLabel.id).where(
                RecommendationLabel.id == placement.label_id,
                RecommendationLabel.region_id == workshop.region_id)) is None:
        raise WorkflowError(_("Vælg en af regionens anbefalinger."), field="label_id")
    fields = ("title", "group_name", "label_id", "rationale")
    before = snapshot(entry, fields)
    entry.title, entry.group_name = title, placement.group_name.strip()
    entry.label_id, entry.rationale = placement.label_id, placement.rationale.strip()
    old, new = changed(before, snapshot(entry, fields))
    record(actor=actor, action="workshop_list.updated", obj=entry, now=now,
           region_id=workshop.region_id, before=old, after=new)
    return entry


def merge(actor: Actor, workshop: Workshop, ids: Collection[int], *, title: str,
          group_name: str = "", now: datetime) -> ListTheme:
    """Two or more list themes become one, with all their sources and items."""
    _require(actor, workshop)
    if len(set(ids)) < 2:
        raise WorkflowError(_("Vælg mindst to temaer at lægge sammen."), field="theme_ids")
    parts = _themes_of(workshop, set(ids), "theme_ids")
    title = _check_title(workshop, title, leaving=[p.id for p in parts])
    if len(group_name) > MAX_GROUP:
        raise _too_long(MAX_GROUP, "group_name")
    sources = sorted({s.theme_id for p in parts for s in p.sources})
    items = sorted({i.item_id for p in parts for i in p.items})
    groups = {p.group_name for p in parts if p.group_name}
    merged_titles = [p.title for p in parts]
    position = parts[0].position
    for part in parts:
        db.session.delete(part)
    db.session.flush()  # the old titles are free before the new one is written
    entry = ListTheme(workshop_id=workshop.id, title=title, position=position, created_at=now,
                      group_name=group_name.strip() or (groups.pop() if len(groups) == 1
                                                        else ""),
                      sources=[ListThemeSource(theme_id=t, workshop_id=workshop.id)
                               for t in sources],
                      items=[ListThemeItem(item_id=i) for i in items])
    db.session.add(entry)
    record(actor=actor, action="workshop_list.merged", obj=entry, now=now,
           region_id=workshop.region_id, before={"themes": merged_titles},
           after={"title": title})
    return entry


def split(actor: Actor, workshop: Workshop, entry: ListTheme,
          parts: Sequence[tuple[str, Collection[int]]], *, version: int,
          now: datetime) -> list[ListTheme]:
    """One list theme becomes several (`parts`: each a title and the items it takes). Every
    item goes to exactly one part, so nothing recorded is lost; each part keeps the sources."""
    _require(actor, workshop)
    if entry.workshop_id != workshop.id:
        raise WorkflowError(_("Temaet hører ikke til denne workshops temaliste."))
    check_stale(entry, version)
    if not 2 <= len(parts) <= MAX_PARTS:
        raise WorkflowError(_("Skriv mellem 2 og %(max)d titler, én pr. linje.", max=MAX_PARTS),
                            field="titles")
    titles = [_check_title(workshop, t, "titles", leaving=[entry.id]) for t, _i in parts]
    if len(set(titles)) != len(titles):
        raise WorkflowError(_("De nye temaer skal have hver sin titel."), field="titles")
    own = {i.item_id for i in entry.items}
    given = [i for _t, ids in parts for i in ids]
    if sorted(given) != sorted(own):
        raise WorkflowError(_("Hvert input skal høre til præcis ét af de nye temaer."),
                            field="titles")
    sources = [s.theme_id for s in entry.sources]
    old_title = entry.title
    made = [ListTheme(workshop_id=workshop.id, title=title, group_name=entry.group_name,
                      position=entry.position, label_id=entry.label_id,
                      rationale=entry.rationale, created_at=now,
                      sources=[ListThemeSource(theme_id=t, workshop_id=workshop.id)
                               for t in sources],
                      items=[ListThemeItem(item_id=i) for i in sorted(set(ids))])
            for title, (_t, ids) in zip(titles, parts, strict=True)]
    db.session.delete(entry)
    db.session.flush()  # the old title is free before the parts are written
    db.session.add_all(made)
    db.session.flush()
    record(actor=actor, action="workshop_list.split", obj=made[0], now=now,
           region_id=workshop.region_id, before={"title": old_title},
           after={"themes": titles}, label=old_title)
    return made


def add_plenary(actor: Actor, workshop: Workshop, *, title: str, group_name: str,
                now: datetime) -> ListTheme:
    """A theme that came up in plenary: no source theme, no items."""
    _require(actor, workshop)
    title = _check_title(workshop, title)
    if len(group_name) > MAX_GROUP:
        raise _too_long(MAX_GROUP, "group_name")
    last = db.session.scalar(select(func.max(ListTheme.position)).where(
        ListTheme.workshop_id == workshop.id)) or 0
    entry = ListTheme(workshop_id=workshop.id, title=title, group_name=group_name.strip(),
                      position=last + 1, created_at=now, sources=[], items=[])
    db.session.add(entry)
    record(actor=actor, action="workshop_list.added", obj=entry, now=now,
           region_id=workshop.region_id, after={"title": title, "group_name": group_name})
    return entry


def add_label(actor: Actor, workshop: Workshop, *, name: str,
              now: datetime) -> RecommendationLabel:
    """A new recommendation label of the workshop's region."""
    _require(actor, workshop)
    name = name.strip()
    if not name:
        raise WorkflowError(_("Skriv anbefalingens navn."), field="name")
    if len(name) > MAX_LABEL:
        raise _too_long(MAX_LABEL, "name")
    labels = ensure_labels(workshop.region_id)
    if any(label.name == name for label in labels):
        raise WorkflowError(_("Regionen har allerede anbefalingen “%(name)s”.", name=name),
                            field="name")
    label = RecommendationLabel(region_id=workshop.region_id, name=name,
                                position=max(lb.position for lb in labels) + 1)
    db.session.add(label)
    record(actor=actor, action="recommendation_label.created", obj=label, now=now,
           region_id=workshop.region_id, after={"name": name})
    return label
