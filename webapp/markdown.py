"""Markdown for text people write (agreement sections, letters, responses), rendered safely.

markdown-it-py's CommonMark with raw HTML switched off: a tag typed into a text is shown as
text, never passed through, and its link check refuses `javascript:`, `vbscript:`, `file:` and
non-image `data:` addresses. Tables (GFM) are on because agreement texts use them. The result
is `Markup`, so Jinja does not escape it twice.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")


def render(text: str | None) -> Markup:
    """Safe HTML of `text` (empty for None or only whitespace)."""
    if not text or not text.strip():
        return Markup("")
    return Markup(_md.render(text))  # html is off: every tag typed is escaped
