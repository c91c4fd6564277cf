"""The secretariat's pending import (its preview) as read by the pages."""

from __future__ import annotations

import re
from typing import Any

from flask import abort
from sqlalchemy import select

from ..extensions import db
from ..models import PendingImport, Region
from ..workflows.imports.plan import Plan, make_plan, rows_from_json

_TOKEN = re.compile(r"[0-9a-f]{32}")


def pending_import(token: str, user: Any) -> PendingImport | None:
    """The person's own pending import in their region; another's, or none, is None."""
    if not _TOKEN.fullmatch(token):
        return None
    return db.session.scalar(select(PendingImport).where(
        PendingImport.token == token, PendingImport.region_id == user.region_id,
        PendingImport.user_id == user.id))


def pending_import_or_404(token: str, user: Any) -> PendingImport:
    found = pending_import(token, user)
    if found is None:
        abort(404)
    return found


def preview(pending: PendingImport) -> tuple[Region, Plan]:
    """The region and the plan, in a fixed number of queries whatever the file's length."""
    region = db.session.get_one(Region, pending.region_id)
    return region, make_plan(pending.kind, region, rows_from_json(pending.rows))
