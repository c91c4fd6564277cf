"""Issue 9, item 8: the demo's texts read as a real secretariat's. No note about the demo, its
sources or its assumptions ("Dokumenterne siger blot 'sommeren'; datoerne i demoen er antaget.")
may reach a page: every municipality would read it. Checked on what the demo writes into the
database, every text a page can show (names, titles, descriptions, questions, answers, reasons),
so a text added to the data modules or to the seed later is checked too."""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy import JSON, String, Text, select

from webapp.demo.seed import seed_demo
from webapp.extensions import db as _db

# A note about where the data came from or how it was made; never a secretariat's own words.
META = re.compile(
    r"\bdemo|antag(et|else|elser)\b|\bkilde|dokumenterne|facts\.md|shared/|opdigtet|fiktiv|"
    r"syntetisk|\bplausib|\binvented\b|\bassumed\b|\blorem\b|\btodo\b|\bxxx\b",
    re.IGNORECASE)
EMAIL = re.compile(r"[\w.+-]+@[\w.-]+")

# Not shown as text, or written by the app itself rather than by the demo's data.
SKIPPED_TABLES = {"audit_events", "outbound_emails", "used_form_tokens", "login_attempts",
                  "api_tokens", "reminder_deliveries", "alembic_version"}
SKIPPED_COLUMNS = {"email", "password_hash", "session_nonce", "calendar_token", "code", "key",
                   "state", "kind", "type", "role", "audience", "token_hash", "last_four"}


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def demo_texts() -> list[tuple[str, str]]:
    """(table.column, text) for every text column of every row the demo wrote."""
    texts = []
    for table in _db.metadata.sorted_tables:
        if table.name in SKIPPED_TABLES:
            continue
        columns = [c for c in table.columns if c.name not in SKIPPED_COLUMNS
                   and isinstance(c.type, String | Text | JSON)]
        if not columns:
            continue
        for row in _db.session.execute(select(*columns)):
            for column, value in zip(columns, row, strict=True):
                if isinstance(value, str) and column.type.__class__ is JSON:
                    value = json.loads(value)
                texts += [(f"{table.name}.{column.name}", text) for text in _strings(value)]
    return texts


def test_no_demo_text_speaks_about_the_demo_or_its_sources(db, clock):
    seed_demo(clock.now())
    db.session.commit()
    texts = demo_texts()
    assert len(texts) > 500  # the whole demo was read: names, questions, answers, reasons
    assert any("Politisk temadag" in text for _where, text in texts)
    found = [(where, text) for where, text in texts if META.search(EMAIL.sub("", text))]
    assert found == []
