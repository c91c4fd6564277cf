"""Server-side SVG charts with <title> and <desc>; pages show the numbers beside them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from html import escape
from typing import Protocol, TypeVar

from babel.dates import format_date as babel_format_date
from markupsafe import Markup

from .formatting import format_date, to_local
from .i18n import gettext as _

ROW = 38  # room for a label of two lines
LEFT = 250
LABEL_CHARS = 33  # about what fits in a line of the label column at 13 px
RIGHT = 20
TOP = 34
WIDTH = 900

DEFAULT_BAR = "#3d4f7c"  # 3:1 or more against white, as every bar colour must be (WCAG 1.4.11)


class TimelineItem(Protocol):
    """A row of the timeline: a period (start and end) or a deadline (no start)."""

    @property
    def title(self) -> str: ...
    @property
    def starts_at(self) -> datetime | None: ...
    @property
    def ends_at(self) -> datetime: ...


# Stored data may hold any date (year 1 or 9999); the drawing keeps to this range, so its months,
# bars and ticks never overflow the calendar nor grow without bound.
DRAW_FIRST = date(1900, 1, 1)
DRAW_LAST = date(2199, 11, 30)


def _drawable(day: date) -> date:
    return min(max(day, DRAW_FIRST), DRAW_LAST)


def label_lines(text: str, width: int = LABEL_CHARS, lines: int = 2) -> tuple[list[str], bool]:
    """`text` broken at spaces into at most `lines` lines of about `width` characters; the last
    line ends in "…" when the text does not fit. Returns the lines and whether it was shortened."""
    words = text.split()
    result: list[str] = []
    current = ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            result.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    result.append(current)
    result = [line if len(line) <= width else line[:width - 1] + "…" for line in result]
    cut = any(line.endswith("…") for line in result)  # a word longer than a line
    if len(result) <= lines:
        return result, cut
    kept = result[:lines]
    kept[-1] = kept[-1][:width - 1].rstrip("…").rstrip() + "…"
    return kept, True


def _months(first: date, last: date) -> list[date]:
    months = []
    current = date(first.year, first.month, 1)
    while current <= last:
        months.append(current)
        current = date(current.year + (current.month == 12), current.month % 12 + 1, 1)
    return months


Item = TypeVar("Item", bound=TimelineItem)


def timeline_svg(
    milestones: Sequence[Item], now: datetime, chart_id: str = "tl", *,
    colour: Callable[[Item], str] = lambda item: DEFAULT_BAR,
    title: str = "",
) -> Markup:
    """A Gantt-like timeline: one row an item, month ticks, today marked; `colour` picks each
    bar's colour (at least 3:1 against white)."""
    if not milestones:
        return Markup("")
    starts = [_drawable(to_local(m.starts_at or m.ends_at).date()) for m in milestones]
    ends = [_drawable(to_local(m.ends_at).date()) for m in milestones]
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
    title = title or _("Tidslinje")
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
    if len(months) > 48:  # years: a line and a label only every few years
        step = 12 * -(-len(months) // (12 * 12))
    for i, month in enumerate(months):
        if len(months) > 48 and i % step:
            continue
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
        fill = colour(m)
        # A title takes up to two lines beside its bar; a longer one is shortened and its
        # <title> holds the whole of it (shown on hover). The page lists every milestone in full.
        lines, shortened = label_lines(m.title)
        first_y = y + 24 if len(lines) == 1 else y + 16
        spans = "".join(
            f'<tspan x="{LEFT - 8}" y="{first_y + 15 * i}">{escape(line)}</tspan>'
            for i, line in enumerate(lines))
        whole = f"<title>{escape(m.title)}</title>" if shortened else ""
        parts.append(
            f'<text font-size="13" text-anchor="end" fill="#1b1f23">{spans}{whole}</text>'
        )
        x1, x2 = x(start), x(end + timedelta(days=1))
        if m.starts_at is None or (x2 - x1) < 6:
            cx = x(end) + 2
            parts.append(
                f'<path d="M{cx:.1f} {y + 11} l8 8 l-8 8 l-8 -8 z" fill="{fill}">'
                f"<title>{escape(m.title)}: {escape(format_date(m.ends_at))}</title></path>"
            )
        else:
            parts.append(
                f'<rect x="{x1:.1f}" y="{y + 11}" width="{x2 - x1:.1f}" height="16" rx="3" '
                f'fill="{fill}"><title>{escape(m.title)}: {escape(format_date(start))}–'
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


# -- heatmap: supply/demand balance, organisations × target groups ----------------------------

# ColorBrewer RdYlBu, 5 classes: safe for the common forms of colour blindness and in greyscale
# print (its lightness runs dark–light–dark, so the number written in every cell carries the
# value too). 1 = lowest (red), 5 = highest (blue).
HEAT_COLOURS = {1: "#d7191c", 2: "#fdae61", 3: "#ffffbf", 4: "#abd9e9", 5: "#2c7bb6"}
HEAT_STROKE = "#5f676d"
HEAD_CHARS = 46  # cell borders: 5.9:1 against white
DONT_KNOW_FILL = "#e3e6e8"
DONT_KNOW_LINE = "#6b7378"


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_colour(fill: str) -> str:
    """Black or white, whichever reads better on `fill` (both pass 4.5:1 on this palette)."""
    return "#ffffff" if contrast(fill, "#ffffff") >= contrast(fill, "#1b1f23") else "#1b1f23"


def heatmap_svg(
    rows: Sequence[str], columns: Sequence[str], values: Sequence[Sequence[float | str | None]],
    *, chart_id: str, title: str, desc: str, dont_know_label: str, missing_label: str,
    low_label: str, high_label: str,
) -> Markup:
    """A grid of cells, one row per organisation, one column per target group.

    A value is 1–5 (coloured, the number written in the cell), "dont_know" (hatched grey with
    "?") or None (white with a dashed border and "–"). A legend explains every kind of cell.
    """
    if not rows or not columns:
        return Markup("")
    cell_w, cell_h, pad = 52, 30, 10
    label_chars = min(max(len(r) for r in rows), 34)
    left = int(min(max(label_chars * 7.4 + 16, 110), 270))
    # Column labels are written at 45° so that whole target group names fit over narrow cells.
    heads = [c if len(c) <= HEAD_CHARS else c[:HEAD_CHARS - 1] + "…" for c in columns]
    slant = [len(h) * 6.4 * 0.7071 for h in heads]
    top = int(max(slant) + 24)
    grid_w = cell_w * len(columns)
    overhang = max(left + (i + 0.5) * cell_w + run + 8 for i, run in enumerate(slant))
    legend_y = top + cell_h * len(rows) + 22
    legend_items = [
        (f"1 = {low_label}", "value", 1), ("2", "value", 2), ("3", "value", 3), ("4", "value", 4),
        (f"5 = {high_label}", "value", 5), (dont_know_label, "dont_know", None),
        (missing_label, "missing", None),
    ]
    item_widths = [34 + int(len(label) * 7.2) + 18 for label, _k, _v in legend_items]
    width = int(max(left + grid_w + pad, overhang, sum(item_widths) + pad * 2))
    height = legend_y + 40
    hatch = f"{chart_id}-hatch"

    def cell(x: float, y: float, w: float, h: float, value: float | str | None,
             tooltip: str = "", size: int = 14) -> str:
        tip = f"<title>{escape(tooltip)}</title>" if tooltip else ""
        cx, cy = x + w / 2, y + h / 2 + size * 0.35
        if value is None:
            kind, fill, extra, mark, ink = ("missing", "#ffffff", ' stroke-dasharray="3 3"',
                                            "–", "#1b1f23")
        elif value == "dont_know":
            kind, fill, extra, mark, ink = "dont-know", f"url(#{hatch})", "", "?", "#1b1f23"
        else:
            fill = HEAT_COLOURS[int(value)]
            kind, extra, mark, ink = f"v{int(value)}", "", str(int(value)), text_colour(fill)
        return (f'<g class="heat-cell heat-{kind}"><rect x="{x:.1f}" y="{y:.1f}" width="{w}" '
                f'height="{h}" fill="{fill}" stroke="{HEAT_STROKE}" stroke-width="1"{extra}/>'
                f'<text x="{cx:.1f}" y="{cy:.1f}" font-size="{size}" font-weight="bold" '
                f'text-anchor="middle" fill="{ink}">{mark}</text>{tip}</g>')

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" class="chart heatmap" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
        f'<defs><pattern id="{hatch}" width="6" height="6" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><rect width="6" height="6" fill="{DONT_KNOW_FILL}"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="{DONT_KNOW_LINE}" stroke-width="2"/>'
        f"</pattern></defs>"
    ]
    for i, head in enumerate(heads):
        cx, cy = left + i * cell_w + cell_w / 2, top - 8
        parts.append(f'<text transform="translate({cx:.1f} {cy}) rotate(-45)" font-size="12" '
                     f'fill="#1b1f23">{escape(head)}<title>{escape(columns[i])}</title></text>')
    for r, (name, row_values) in enumerate(zip(rows, values, strict=True)):
        y = top + r * cell_h
        shown = name if len(name) <= 34 else name[:33] + "…"
        parts.append(f'<text x="{left - 8}" y="{y + cell_h / 2 + 5:.1f}" font-size="13" '
                     f'text-anchor="end" fill="#1b1f23">{escape(shown)}</text>')
        for c, value in enumerate(row_values):
            shown_value = (dont_know_label if value == "dont_know"
                           else missing_label if value is None else str(value))
            parts.append(cell(left + c * cell_w, y, cell_w, cell_h, value,
                              f"{name} – {columns[c]}: {shown_value}"))
    x = pad
    for (label, kind, value), item_w in zip(legend_items, item_widths, strict=True):
        sample = value if kind == "value" else ("dont_know" if kind == "dont_know" else None)
        parts.append(cell(x, legend_y, 28, 20, sample, size=12))
        parts.append(f'<text x="{x + 34}" y="{legend_y + 15}" font-size="13" '
                     f'fill="#1b1f23">{escape(label)}</text>')
        x += item_w
    parts.append("</svg>")
    return Markup("".join(parts))


# -- tile grid: one labelled tile per item (e.g. each party's state) ----------------------------


class TileKind(Protocol):
    """A kind of tile: its legend text and its look. The tile's own text names the kind too,
    so colour is never the only cue (WCAG 1.4.1)."""

    @property
    def key(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def fill(self) -> str: ...
    @property
    def hatched(self) -> bool: ...
    @property
    def dashed(self) -> bool: ...


class Tile(Protocol):
    @property
    def title(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def detail(self) -> str: ...


TILE_W, TILE_H, TILE_GAP = 170, 84, 8
TILE_CHARS = 16  # about what fits in a line of a tile at 13 px, bold
TILE_INK = "#1b1f23"


def tile_grid_svg(tiles: Sequence[Tile], kinds: Sequence[TileKind], *, chart_id: str,
                  title: str, desc: str, columns: int = 2) -> Markup:
    """A grid of tiles, `columns` wide: each tile coloured by its kind and labelled with its
    title (two lines at most) and its detail (e.g. the state in words), a <title> with both,
    and a legend of the kinds under the grid."""
    if not tiles:
        return Markup("")
    by_key = {k.key: k for k in kinds}
    columns = max(1, min(columns, len(tiles)))
    rows = -(-len(tiles) // columns)
    width = columns * TILE_W + (columns - 1) * TILE_GAP
    legend_top = rows * (TILE_H + TILE_GAP) + 8
    height = legend_top + 24 * len(kinds)
    hatch = f"{chart_id}-hatch"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="chart tiles" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
        f'<defs><pattern id="{hatch}" width="8" height="8" patternUnits="userSpaceOnUse" '
        f'patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="8" '
        f'stroke="#ffffff" stroke-opacity="0.55" stroke-width="3"/></pattern></defs>'
    ]

    def box(x: float, y: float, w: float, h: float, kind: TileKind) -> str:
        dash = ' stroke-dasharray="5 3"' if kind.dashed else ""
        out = (f'<rect x="{x:.1f}" y="{y:.1f}" width="{w}" height="{h}" rx="4" '
               f'fill="{kind.fill}" stroke="{HEAT_STROKE}" stroke-width="1.5"{dash}/>')
        if kind.hatched:
            out += (f'<rect x="{x:.1f}" y="{y:.1f}" width="{w}" height="{h}" rx="4" '
                    f'fill="url(#{hatch})"/>')
        return out

    for index, tile in enumerate(tiles):
        kind = by_key[tile.kind]
        x = (index % columns) * (TILE_W + TILE_GAP)
        y = (index // columns) * (TILE_H + TILE_GAP)
        ink = text_colour(kind.fill)
        name, _cut = label_lines(tile.title, TILE_CHARS)
        detail, _cut = label_lines(tile.detail, TILE_CHARS + 4)
        lines = [(line, 13, "bold") for line in name] + [(line, 12, "normal") for line in detail]
        spans = "".join(
            f'<tspan x="{x + 8}" y="{y + 20 + 16 * i}" font-size="{size}" '
            f'font-weight="{weight}">{escape(text)}</tspan>'
            for i, (text, size, weight) in enumerate(lines))
        parts.append(f'<g class="tile tile-{escape(kind.key)}">'
                     f"<title>{escape(tile.title)}: {escape(tile.detail)}</title>"
                     f"{box(x, y, TILE_W, TILE_H, kind)}"
                     f'<text fill="{ink}">{spans}</text></g>')
    for i, kind in enumerate(kinds):
        y = legend_top + 24 * i
        parts.append(box(0, y, 28, 18, kind))
        parts.append(f'<text x="36" y="{y + 14}" font-size="13" fill="{TILE_INK}">'
                     f"{escape(kind.label)}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))


def capacity_svg(rows: Sequence[tuple[str, int, int | None, int]], *, chart_id: str,
                 title: str, desc: str, legend: Sequence[str]) -> Markup:
    """Horizontal bars, one per row (label, signed up, capacity or None, waiting): the filled
    bar is the signed up, the outlined bar behind it the capacity, and the number is written
    at the end of each row ("12 / 15"), so nothing is told by colour alone. `legend` names the
    filled bar, the outline and the waiting mark."""
    if not rows:
        return Markup("")
    top = 30
    scale_max = max(max(max(n, cap or 0, 1) for _l, n, cap, _w in rows), 1)
    plot = WIDTH - LEFT - RIGHT - 150
    height = top + ROW * len(rows) + 40
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'class="chart capacity" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    ]
    for i, (label, count, capacity, waiting) in enumerate(rows):
        y = top + i * ROW
        lines, _cut = label_lines(label)
        for n, line in enumerate(lines):
            parts.append(f'<text x="{LEFT - 10}" y="{y + 14 + n * 15}" font-size="13" '
                         f'text-anchor="end" fill="#1b1f23">{escape(line)}</text>')
        if capacity is not None:
            parts.append(f'<rect x="{LEFT}" y="{y + 4}" width="{plot * capacity / scale_max:.1f}"'
                         f' height="22" fill="#ffffff" stroke="#1b1f23" stroke-width="1.5" '
                         f'stroke-dasharray="4 3"/>')
        parts.append(f'<rect x="{LEFT}" y="{y + 8}" width="{plot * count / scale_max:.1f}" '
                     f'height="14" fill="{DEFAULT_BAR}"/>')
        shown = f"{count} / {capacity}" if capacity is not None else str(count)
        if waiting:
            shown += f" (+{waiting})"
        parts.append(f'<text x="{LEFT + plot + 8}" y="{y + 20}" font-size="13" '
                     f'fill="#1b1f23">{escape(shown)}</text>')
    y = top + ROW * len(rows) + 14
    filled, outline, wait = legend
    parts.append(f'<rect x="{LEFT}" y="{y}" width="18" height="12" fill="{DEFAULT_BAR}"/>'
                 f'<text x="{LEFT + 24}" y="{y + 11}" font-size="13" fill="#1b1f23">'
                 f'{escape(filled)}</text>'
                 f'<rect x="{LEFT + 200}" y="{y - 2}" width="18" height="16" fill="#ffffff" '
                 f'stroke="#1b1f23" stroke-dasharray="4 3"/>'
                 f'<text x="{LEFT + 224}" y="{y + 11}" font-size="13" fill="#1b1f23">'
                 f'{escape(outline)}</text>'
                 f'<text x="{LEFT + 400}" y="{y + 11}" font-size="13" fill="#1b1f23">'
                 f'{escape(wait)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


# -- columns: a count per category (e.g. how many scores of 1, 2, 3, 4 and 5) -------------------

COLUMN_W, COLUMN_GAP, COLUMN_PLOT = 40, 16, 110


def column_chart_svg(columns: Sequence[tuple[str, int]], *, chart_id: str, title: str,
                     desc: str, axis_label: str = "") -> Markup:
    """Vertical columns, one per (label, count), on a common scale from 0: each column's count
    is written over it and its label under it, so the numbers never hang on the bar's height
    alone. Small enough to sit beside its table at 320 px; `axis_label` names the categories
    (e.g. "Score")."""
    if not columns:
        return Markup("")
    top, left, bottom = 22, 12, 24 + (18 if axis_label else 0)
    peak = max(max(count for _label, count in columns), 1)
    width = left * 2 + len(columns) * COLUMN_W + (len(columns) - 1) * COLUMN_GAP
    height = top + COLUMN_PLOT + bottom
    base = top + COLUMN_PLOT
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'class="chart columns" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    ]
    for index, (label, count) in enumerate(columns):
        x = left + index * (COLUMN_W + COLUMN_GAP)
        h = COLUMN_PLOT * count / peak
        if count:
            parts.append(f'<rect x="{x}" y="{base - h:.1f}" width="{COLUMN_W}" height="{h:.1f}" '
                         f'fill="{DEFAULT_BAR}"><title>{escape(label)}: {count}</title></rect>')
        parts.append(f'<text x="{x + COLUMN_W / 2}" y="{base - h - 5:.1f}" font-size="13" '
                     f'text-anchor="middle" fill="{TILE_INK}">{count}</text>'
                     f'<text x="{x + COLUMN_W / 2}" y="{base + 17}" font-size="13" '
                     f'text-anchor="middle" fill="{TILE_INK}">{escape(label)}</text>')
    parts.append(f'<line x1="{left - 4}" y1="{base}" x2="{width - left + 4}" y2="{base}" '
                 f'stroke="{HEAT_STROKE}" stroke-width="1"/>')
    if axis_label:
        parts.append(f'<text x="{width / 2}" y="{height - 4}" font-size="12" '
                     f'text-anchor="middle" fill="{TILE_INK}">{escape(axis_label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
