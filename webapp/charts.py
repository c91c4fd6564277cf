"""Server-side SVG charts with <title> and <desc>; pages show the numbers beside them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from html import escape

from babel.dates import format_date as babel_format_date
from flask_babel import gettext as _
from markupsafe import Markup

from .formatting import format_date, to_local
from .models import Milestone

ROW = 30
LEFT = 250
RIGHT = 20
TOP = 34
WIDTH = 900

# Colours chosen for at least 3:1 against white (WCAG 1.4.11 for graphics).
KIND_COLOURS = {
    "kickoff": "#005a9c",
    "workshop": "#6f3c96",
    "theme_day": "#9c3d00",
    "questionnaire": "#00703c",
    "consultation": "#a4005a",
    "draft": "#505a5f",
    "approval": "#b00020",
    "other": "#3d4f7c",
}


def _months(first: date, last: date) -> list[date]:
    months = []
    current = date(first.year, first.month, 1)
    while current <= last:
        months.append(current)
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    return months


def timeline_svg(
    milestones: Sequence[Milestone], now: datetime, chart_id: str = "tl"
) -> Markup:
    """A Gantt-like timeline: one row a milestone, month ticks, today marked."""
    if not milestones:
        return Markup("")
    starts = [to_local(m.starts_at or m.ends_at).date() for m in milestones]
    ends = [to_local(m.ends_at).date() for m in milestones]
    today = to_local(now).date()
    first = min(starts)
    last = max(ends)
    first = date(first.year, first.month, 1)
    last_month = _months(last, last)[0]
    last = (last_month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    span = max((last - first).days, 1)
    plot = WIDTH - LEFT - RIGHT
    height = TOP + ROW * len(milestones) + 10

    def x(day: date) -> float:
        return LEFT + plot * (day - first).days / span

    parts: list[str] = []
    title = _("Tidslinje for cyklussen")
    desc = _(
        "%(n)d milepæle fra %(first)s til %(last)s. I dag er %(today)s.",
        n=len(milestones), first=format_date(min(starts)), last=format_date(max(ends)),
        today=format_date(today),
    )
    parts.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'class="chart timeline" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )
    months = _months(first, last)
    step = 1 if len(months) <= 14 else (2 if len(months) <= 28 else 3)
    for i, month in enumerate(months):
        mx = x(month)
        parts.append(
            f'<line x1="{mx:.1f}" y1="{TOP - 6}" x2="{mx:.1f}" y2="{height - 10}" '
            f'stroke="#d0d4d8" stroke-width="1"/>'
        )
        if i % step == 0:
            label = babel_format_date(month, "MMM yy", locale="da").replace(".", "")
            parts.append(
                f'<text x="{mx + 3:.1f}" y="{TOP - 12}" font-size="12" fill="#3b4248">'
                f"{escape(label)}</text>"
            )
    for row, (m, start, end) in enumerate(zip(milestones, starts, ends, strict=True)):
        y = TOP + row * ROW
        colour = KIND_COLOURS.get(m.kind.value, "#3d4f7c")
        name = m.title if len(m.title) <= 30 else m.title[:29] + "…"
        parts.append(
            f'<text x="{LEFT - 8}" y="{y + 19}" font-size="13" text-anchor="end" '
            f'fill="#1b1f23">{escape(name)}</text>'
        )
        x1, x2 = x(start), x(end + timedelta(days=1))
        if m.starts_at is None or (x2 - x1) < 6:
            cx = x(end) + 2
            parts.append(
                f'<path d="M{cx:.1f} {y + 6} l8 8 l-8 8 l-8 -8 z" fill="{colour}">'
                f"<title>{escape(m.title)}: {escape(format_date(m.ends_at))}</title></path>"
            )
        else:
            parts.append(
                f'<rect x="{x1:.1f}" y="{y + 6}" width="{x2 - x1:.1f}" height="16" rx="3" '
                f'fill="{colour}"><title>{escape(m.title)}: {escape(format_date(start))}–'
                f"{escape(format_date(end))}</title></rect>"
            )
    if first <= today <= last:
        tx = x(today)
        parts.append(
            f'<line x1="{tx:.1f}" y1="{TOP - 6}" x2="{tx:.1f}" y2="{height - 10}" '
            f'stroke="#b00020" stroke-width="2" stroke-dasharray="5 3"/>'
            f'<text x="{tx + 4:.1f}" y="{height - 12}" font-size="12" font-weight="bold" '
            f'fill="#b00020">{escape(_("I dag"))}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
