"""The input of a workshop's themes: challenges ("Udfordringer") and proposed actions
("Tiltag"), each optionally under a sub-heading, and comments on them.

The secretariat and a theme's facilitator record; the theme's participants add items and
comment until the input deadline (permissions/workshop_input.py). An item keeps who wrote it
and when, and who changed it last; its counter makes a second tab's save of the same item a
conflict (shown beside the typed text), never a silent overwrite.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from ...extensions import db
from ...i18n import gettext as _
from ...i18n import lazy_gettext as _l
from ...models import InputComment, InputItem, InputKind, ListTheme, ListThemeItem, ListThemeSource
from ...permissions import Actor, require
from ...permissions.workshop_input import ItemInput, ThemeInput
from ..base import WorkflowError, changed, check_stale, record, snapshot

KIND_LABELS = {InputKind.CHALLENGE: _l("Udfordring"), InputKind.ACTION: _l("Tiltag")}
KIND_PLURALS = {InputKind.CHALLENGE: _l("Udfordringer"), InputKind.ACTION: _l("Tiltag")}

MAX_HEADING = 200
MAX_BODY = 10_000
MAX_COMMENT = 4_000


def kind_label(kind: InputKind) -> str:
    return str(KIND_LABELS[kind])


def check_text(*, heading: str = "", body: str, body_field: str = "body",
               limit: int = MAX_BODY) -> None:
    """The limits the forms check at their fields, again for any caller."""
    if len(heading) > MAX_HEADING:
        raise WorkflowError(_("Teksten må højst være %(max)d tegn lang. Forkort den.",
                              max=MAX_HEADING), field="heading")
    if not body.strip():
        raise WorkflowError(_("Skriv teksten."), field=body_field)
    if len(body) > limit:
        raise WorkflowError(_("Teksten må højst være %(max)d tegn lang. Forkort den.",
                              max=limit), field=body_field)


def _refuse_closed(access: ThemeInput, actor: Actor, now: datetime) -> None:
    require(actor, "workshop.input", access, now,
            message=_("Inputfristen er overskredet, eller du er ikke med i dette tema. "
                      "Kun sekretariatet kan nu skrive input."))


def add_item(actor: Actor, access: ThemeInput, *, kind: InputKind, heading: str, body: str,
             now: datetime) -> InputItem:
    """A new challenge or action of the theme. Once the prioritisation list exists, the item
    joins the list theme the theme became when there is exactly one (a split theme's new
    items are left for the secretariat to place)."""
    _refuse_closed(access, actor, now)
    check_text(heading=heading, body=body)
    item = InputItem(theme_id=access.theme.id, kind=kind, heading=heading.strip(),
                     body=body.strip(), author_id=actor.id, author_name=actor.name,
                     created_at=now, comments=[])
    db.session.add(item)
    db.session.flush()
    targets = db.session.scalars(select(ListThemeSource.list_theme_id).join(ListTheme).where(
        ListThemeSource.theme_id == access.theme.id)).all()
    if len(targets) == 1:
        db.session.add(ListThemeItem(list_theme_id=targets[0], item_id=item.id))
    record(actor=actor, action="workshop_input.added", obj=item, now=now,
           region_id=access.region_id, after=snapshot(item, ("kind", "heading", "body")),
           label=_("Input til temaet %(title)s", title=access.theme.title))
    return item


def update_item(actor: Actor, access: ThemeInput, item: InputItem, *, kind: InputKind,
                heading: str, body: str, version: int, now: datetime) -> InputItem:
    require(actor, "workshop.input", ItemInput(access, item), now,
            message=_("Du kan ikke længere ændre dette input."))
    check_stale(item, version)
    check_text(heading=heading, body=body)
    fields = ("kind", "heading", "body")
    before = snapshot(item, fields)
    item.kind, item.heading, item.body = kind, heading.strip(), body.strip()
    item.updated_at, item.updated_by_name = now, actor.name
    old, new = changed(before, snapshot(item, fields))
    record(actor=actor, action="workshop_input.updated", obj=item, now=now,
           region_id=access.region_id, before=old, after=new,
           label=_("Input til temaet %(title)s", title=access.theme.title))
    return item


def add_comment(actor: Actor, access: ThemeInput, item: InputItem, *, body: str,
                now: datetime) -> InputComment:
    _refuse_closed(access, actor, now)
    if item.theme_id != access.theme.id:
        raise WorkflowError(_("Kommentaren hører ikke til dette tema."))
    check_text(body=body, limit=MAX_COMMENT)
    comment = InputComment(item_id=item.id, body=body.strip(), author_id=actor.id,
                           author_name=actor.name, created_at=now)
    db.session.add(comment)
    record(actor=actor, action="workshop_input.commented", obj=comment, now=now,
           region_id=access.region_id, after={"body": comment.body},
           label=_("Input til temaet %(title)s", title=access.theme.title))
    return comment
