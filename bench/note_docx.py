"""Benchmark: the consultation note's DOCX for 200 responses against bare python-docx.

No database: the DOCX writer takes plain data (`NoteData`), so this builds the note of 200
responses (each a general remark and two points, spread over 12 sections; a list of 220 parties)
and times

  * ours: `webapp.note_docx.write_note(note)` — headings, the party table with its repeated
    header row, the points with their outcomes, the footer's page fields, saved to bytes;
  * python-docx: the very same headings, table rows and paragraphs written directly with
    python-docx (plain `cell.text`, `add_paragraph`) and saved, and nothing else.

It prints the best and the median of `--repeat` runs of each and the ratio of the medians. The
target is a ratio of at most 2. A benchmark measures; it never fails on time.

    .venv/bin/python bench/note_docx.py [--responses 200] [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.timing import repeat_times

if TYPE_CHECKING:
    from webapp.queries.consultations.note import NoteData


def build(responses: int) -> NoteData:
    from webapp.queries.consultations.note import (
        ChangeReason,
        NoteChange,
        NoteData,
        NoteGroup,
        NoteParty,
        NotePoint,
    )

    parties = [NoteParty(f"Part {i:03d}", i < responses, i % 17 == 0, i % 23 == 0)
               for i in range(responses + 20)]
    remark = ("Kommunen finder, at udkastet generelt er godt, men at taksterne for de "
              "specialiserede tilbud bør følge den faktiske udvikling i udgifterne. ")
    groups = [NoteGroup("", "Generelle bemærkninger", [
        NotePoint(f"Part {i:03d}", remark * 2, "Delvist indarbejdet",
                  "Sekretariatet har justeret afsnittet om takster.") for i in range(responses)])]
    for s in range(12):
        groups.append(NoteGroup(f"{s + 1}", f"Afsnit om emne {s + 1}", [
            NotePoint(f"Part {i:03d}", remark, "Taget til efterretning", "Bemærkningen noteres.")
            for i in range(responses) for _ in range(2) if i % 12 == s]))
    changes = [NoteChange(f"k{s}", f"{s + 1}", f"Afsnit om emne {s + 1}", [
        ChangeReason(f"Part {i:03d}", remark, "Indarbejdet", "Rettet.")
        for i in range(responses) if i % 12 == s][:5]) for s in range(12)]
    return NoteData(title="Høring om Rammeaftale 2018", text_title="Rammeaftale 2018, Udkast 1",
                    period="fra den 14. august 2017 til den 11. september 2017 (28 dage)",
                    parties=parties, groups=groups, changes=changes,
                    next_version_label="Udkast 2", unprocessed=0, issued="20. september 2017")


def bare(data: NoteData) -> bytes:
    """The same content written with python-docx directly, nothing else."""
    from docx import Document

    document = Document()
    document.add_heading("Høringsnotat", level=0)
    document.add_paragraph(data.title)
    document.add_paragraph(data.text_title)
    document.add_heading("1. Høringen", level=1)
    document.add_paragraph(data.period)
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, label in zip(table.rows[0].cells, ("Part", "Svar modtaget", "Bemærkning"),
                           strict=True):
        cell.text = label
    for party in data.parties:
        cells = table.add_row().cells
        cells[0].text = party.name
        cells[1].text = "Ja" if party.answered else "Nej"
        cells[2].text = "Ingen bemærkninger" if party.no_comments else ""
    document.add_heading("2. Høringssvarenes hovedindhold", level=1)
    for group in data.groups:
        document.add_heading(group.title, level=2)
        for point in group.points:
            paragraph = document.add_paragraph()
            paragraph.add_run(point.party + ": ").bold = True
            paragraph.add_run(point.text)
            document.add_paragraph().add_run("Vurdering: " + point.outcome).italic = True
            document.add_paragraph("Sekretariatets bemærkning: " + point.comment)
    document.add_heading("3. Ændringer i teksten", level=1)
    for change in data.changes:
        document.add_heading(change.title, level=2)
        for reason in change.reasons:
            document.add_paragraph(f"{reason.party}: {reason.text} – {reason.reason}",
                                   style="List Bullet")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from webapp.note_docx import write_note

    note = build(args.responses)
    write_note(note)  # warm up: imports, python-docx's template package
    bare(note)
    # Interleaved, so a busy neighbour on the machine slows both alike.
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(args.repeat):
        ours += repeat_times(lambda: write_note(note), 1)
        theirs += repeat_times(lambda: bare(note), 1)
    size = len(write_note(note))
    print(f"note of {args.responses} responses, DOCX {size / 1024:.0f} KiB, {args.repeat} runs")
    print(f"  ours (webapp.note_docx):  best {min(ours) * 1000:7.1f} ms   "
          f"median {statistics.median(ours) * 1000:7.1f} ms")
    print(f"  python-docx directly:     best {min(theirs) * 1000:7.1f} ms   "
          f"median {statistics.median(theirs) * 1000:7.1f} ms")
    ratio = statistics.median(ours) / statistics.median(theirs)
    print(f"  ratio (median): {ratio:.2f}× (target ≤ 2×)")


if __name__ == "__main__":
    main()
