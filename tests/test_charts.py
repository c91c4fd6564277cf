"""The timeline's labels: whole titles on up to two lines, else shortened with the whole title
at hand in the label's <title>."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime

from webapp.charts import label_lines, timeline_svg

SVG = "{http://www.w3.org/2000/svg}"


@dataclass
class Item:
    title: str
    starts_at: datetime | None
    ends_at: datetime


def _labels(svg: str) -> list[tuple[list[str], str | None]]:
    root = ET.fromstring(svg)
    found = []
    for text in root.iter(f"{SVG}text"):
        if text.get("text-anchor") != "end":
            continue
        whole = text.find(f"{SVG}title")
        found.append(([t.text or "" for t in text.iter(f"{SVG}tspan")],
                      whole.text if whole is not None else None))
    return found


def test_label_lines_break_at_spaces_and_shorten_only_what_does_not_fit() -> None:
    assert label_lines("Kickoff-møde") == (["Kickoff-møde"], False)
    assert label_lines("Frist: DAS' bemærkninger til FU's plan for workshop og temadag") == (
        ["Frist: DAS' bemærkninger til FU's", "plan for workshop og temadag"], False)
    lines, shortened = label_lines("ord " * 30)
    assert shortened and len(lines) == 2 and lines[-1].endswith("…")
    assert all(len(line) <= 33 for line in lines)
    lines, shortened = label_lines("Kapacitetsspørgeskemaudviklingsarbejdsgruppemøde")
    assert shortened and lines == ["Kapacitetsspørgeskemaudviklingsa…"]


def test_every_timeline_label_gives_the_whole_title(app) -> None:
    at = datetime(2017, 4, 20, 8, tzinfo=UTC)
    titles = [
        "Kickoff-møde",
        "Frist: DAS' bemærkninger til FU's plan for workshop og temadag",
        "Godkendelse i alle byråd og regionsrådet efter høringen og den politiske behandling i "
        "KKR og regionsrådets udvalg",
    ]
    items = [Item(t, None, datetime(2017, 5, i + 1, 10, tzinfo=UTC)) for i, t in enumerate(titles)]
    with app.test_request_context():
        svg = str(timeline_svg(items, at))
    labels = _labels(svg)
    assert [whole or " ".join(lines) for lines, whole in labels] == titles
    assert labels[0] == (["Kickoff-møde"], None)
    assert len(labels[1][0]) == 2 and labels[1][1] is None  # two lines, nothing cut
    assert labels[2][0][-1].endswith("…") and labels[2][1] == titles[2]
