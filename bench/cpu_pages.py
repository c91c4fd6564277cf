"""The key pages' CPU time per request, in-process: a measure that other load does not skew.

`bench/pages.py` measures throughput under gunicorn and wants an idle machine. This one runs
every page of that list through the test client in one process and reads the process's CPU
clock (`time.process_time`), so work elsewhere on the machine (the database server included)
is not counted: useful for comparing a change before and after while the machine is busy. It
prints milliseconds of CPU per request and each page's cost relative to the login page.

    .venv/bin/python bench/cpu_pages.py [--data demo] [--repeat 50] [--only results,cycle]

The databases are the ones bench/pages.py loads (run it once, or with --setup, first).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages as bench


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", default="demo")
    parser.add_argument("--server-url", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--only", default="", help="comma-separated parts of page names")
    args = parser.parse_args()
    url = f"{args.server_url}/bench_{args.data}"
    os.environ.update(DATABASE_URL=url, AFTALEHJUL_NOW=bench.NOW, APP_ENV="production",
                      SECRET_KEY=os.environ.get("SECRET_KEY", "bench-only-secret"))
    targets = bench.find_targets(url, bench.REGION[args.data])
    from webapp import create_app

    app = create_app()
    app.config.update(WTF_CSRF_ENABLED=False)
    wanted = [w for w in args.only.split(",") if w]
    clients = {}
    results: list[tuple[str, float]] = []
    for page in bench.pages(targets):
        if wanted and page.name != "login" and not any(w in page.name for w in wanted):
            continue
        client = clients.get(page.role)
        if client is None:
            client = clients[page.role] = app.test_client()
            if page.role != "anon":
                client.post("/login", data={"email": targets.emails[page.role],
                                            "password": bench.PASSWORD})
        for _ in range(3):  # warm: first-use caches are not the page's cost
            status = client.get(page.path).status_code
            if status != 200:
                raise SystemExit(f"{page.name}: {page.path} answered {status}")
        started = time.process_time()
        for _ in range(args.repeat):
            client.get(page.path)
        results.append((page.name, (time.process_time() - started) / args.repeat * 1000))
    login = dict(results).get("login") or 1.0
    print("\n| page | CPU ms/request | × login |\n|---|---:|---:|")
    for name, ms in results:
        print(f"| {name} | {ms:.2f} | {ms / login:.1f} |")


if __name__ == "__main__":
    main()
