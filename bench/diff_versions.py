"""Benchmark: the per-section diff of two 100-section versions against one difflib run.

Builds two versions of an agreement text in memory (no database): 100 sections of about 150
words each, about 20 % of them changed (a few words replaced, a sentence added or removed),
plus one section added, one removed and one moved. It times

  * ours: `webapp.textdiff.diff_sections` — sections paired by key, a word-level
    SequenceMatcher per changed section (what the compare page runs);
  * difflib: one `difflib.SequenceMatcher` over the word tokens of the whole text, old against
    new (the obvious alternative: one long diff, no pairing), with autojunk off as ours has it
    (word-exact), and with difflib's default autojunk (faster, but it treats frequent words
    as junk and so marks less precisely);

and prints each (best and median of --repeat runs) and the ratios ours/difflib. A benchmark
measures; it never fails on time.

    .venv/bin/python bench/diff_versions.py [--sections 100] [--words 150] [--repeat 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
from difflib import SequenceMatcher
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.timing import repeat_times
from webapp.textdiff import Sec, diff_sections, numbering, tokens

WORDS = (
    "kommunerne", "regionen", "aftaler", "takster", "kapacitet", "tilbud", "borgere", "handicap",
    "udvikling", "styring", "samarbejde", "specialiserede", "sociale", "område", "koordinering",
    "økonomi", "pladser", "forsyning", "analyse", "opfølgning", "rammeaftale", "botilbud",
    "misbrug", "psykiatri", "børn", "unge", "voksne", "sikrede", "institutioner", "overhead",
    "afskrivning",
)


def build(sections: int, words: int, seed: int = 2017) -> tuple[list[Sec], list[Sec]]:
    rng = random.Random(seed)

    def sentence(n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."

    def body() -> str:
        parts, count = [], 0
        while count < words:
            n = rng.randint(8, 20)
            parts.append(sentence(n))
            count += n
        return " ".join(parts)

    levels = [1 if i % 4 == 0 else 2 for i in range(sections)]
    old = [Sec(f"k{i}", "", lvl, f"Afsnit {i} om {rng.choice(WORDS)}", body())
           for i, lvl in enumerate(levels)]
    new: list[Sec] = []
    for i, sec in enumerate(old):
        if i == 7:
            continue  # removed
        heading, text = sec.heading, sec.body
        if rng.random() < 0.2:  # changed: a few words replaced, a sentence added
            ws = text.split(" ")
            for _ in range(rng.randint(2, 6)):
                ws[rng.randrange(len(ws))] = rng.choice(WORDS)
            text = " ".join(ws) + " " + sentence(12)
            if rng.random() < 0.3:
                heading += " og " + rng.choice(WORDS)
        new.append(Sec(sec.key, "", sec.level, heading, text))
    new.insert(3, new.pop(40))  # moved
    new.append(Sec("ny", "", 1, "Nyt afsnit", body()))  # added
    number = lambda secs: [Sec(s.key, n, s.level, s.heading, s.body)  # noqa: E731
                           for s, n in zip(secs, numbering([s.level for s in secs]),
                                           strict=True)]
    return number(old), number(new)


def whole_text(secs: list[Sec]) -> list[str]:
    out: list[str] = []
    for s in secs:
        out.extend(tokens(f"{s.number} {s.heading}\n{s.body}\n"))
    return [t.strip() for t in out]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=100)
    parser.add_argument("--words", type=int, default=150)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    old, new = build(args.sections, args.words)
    result = diff_sections(old, new)
    changed = sum(1 for d in result if d.is_changed)
    print(f"{len(old)} → {len(new)} sections, about {args.words} words each; "
          f"{changed} changed (added, removed, moved, renamed or text changed)")

    ours = repeat_times(lambda: diff_sections(old, new), args.repeat)
    a, b = whole_text(old), whole_text(new)
    exact = repeat_times(lambda: SequenceMatcher(None, a, b, autojunk=False).get_opcodes(),
                    args.repeat)
    junk = repeat_times(lambda: SequenceMatcher(None, a, b).get_opcodes(), args.repeat)
    runs = (("ours (per section)", ours), ("difflib, autojunk off", exact),
            ("difflib, autojunk on", junk))
    for name, times in runs:
        print(f"{name:22} best {min(times) * 1000:9.2f} ms   "
              f"median {statistics.median(times) * 1000:9.2f} ms")
    for name, times in runs[1:]:
        print(f"ratio ours / {name}: best {min(ours) / min(times):.4f}, "
              f"median {statistics.median(ours) / statistics.median(times):.4f}")


if __name__ == "__main__":
    main()
