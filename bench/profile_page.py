"""Profile one page in-process: where a request's CPU time goes.

Logs in with the test client (as bench/pages.py's roles do), requests the page once to warm up,
then `--repeat` times under cProfile with a CPU-time clock (so other work on the machine does not
count), and prints the functions with the most own time and the most cumulative time.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/bench_demo AFTALEHJUL_NOW=2017-04-20T10:00 \\
        .venv/bin/python bench/profile_page.py sekretariat@nordjylland.example /oversigt
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PASSWORD = "Aftalehjul-demo-2018"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("email", help="who logs in ('-' for nobody)")
    parser.add_argument("path")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--top", type=int, default=30)
    args = parser.parse_args()

    from webapp import create_app

    app = create_app()
    app.config.update(WTF_CSRF_ENABLED=False)
    client = app.test_client()
    if args.email != "-":
        client.post("/login", data={"email": args.email, "password": PASSWORD})
    first = client.get(args.path)
    print(f"{args.path}: {first.status_code}, {len(first.data):,} bytes")
    profile = cProfile.Profile(time.process_time)
    started = time.process_time()
    profile.enable()
    for _ in range(args.repeat):
        client.get(args.path)
    profile.disable()
    spent = (time.process_time() - started) / args.repeat
    print(f"CPU per request: {spent * 1000:.1f} ms (profiled, so slower than served)")
    stats = pstats.Stats(profile).strip_dirs()
    stats.sort_stats("tottime").print_stats(args.top)
    stats.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
