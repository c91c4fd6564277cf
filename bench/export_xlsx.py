"""Benchmark: the XLSX export of 100 organisations × 200 questions against bare openpyxl.

Builds a throwaway SQLite database with submitted answers, then times

  * export: what the view runs — load the questionnaire as the view does
    (`scoped_questionnaire_or_404`), gather the latest submissions and statuses, build the
    table and write it (`webapp.results.xlsx_export`);
  * openpyxl: writing the very same cells with openpyxl in write-only mode and nothing else.

It prints both times (best of several runs) and the ratio. The target is a ratio of at most 2.
A benchmark measures; it never fails on time.

    .venv/bin/python bench/export_xlsx.py [--orgs 100] [--questions 200] [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def build(orgs: int, questions: int) -> tuple[int, int]:
    """Rows written directly (fast). Returns (questionnaire id, a secretariat user id)."""
    from webapp.extensions import db
    from webapp.models import (
        Cycle,
        CycleState,
        Milestone,
        MilestoneKind,
        Organisation,
        OrgKind,
        Question,
        Questionnaire,
        QuestionnaireRecipient,
        QuestionnaireResponse,
        QuestionType,
        Region,
        ResponseState,
        Role,
        RoleGrant,
        Section,
        Submission,
        User,
    )

    now = datetime(2017, 3, 10, 8, 0, tzinfo=UTC)
    region = Region(code="bench", name="Benchmark-regionen", created_at=now)
    db.session.add(region)
    db.session.flush()
    secretariat_org = Organisation(region_id=region.id, kind=OrgKind.SECRETARIAT,
                                   name="Sekretariatet", created_at=now)
    db.session.add(secretariat_org)
    db.session.flush()
    person = User(email="bench@example.invalid", name="Bench", organisation_id=secretariat_org.id,
                  session_nonce="x", created_at=now, grants=[])
    person.grants.append(RoleGrant(region_id=region.id, role=Role.SECRETARIAT, granted_at=now))
    cycle = Cycle(region_id=region.id, title="Rammeaftale 2018", first_year=2018,
                  last_year=2018, state=CycleState.OPEN, description="", created_at=now,
                  milestones=[])
    db.session.add_all([person, cycle])
    db.session.flush()
    milestone = Milestone(cycle_id=cycle.id, kind=MilestoneKind.QUESTIONNAIRE,
                          title="Kapacitet (frist)", starts_at=now - timedelta(days=30),
                          ends_at=now + timedelta(days=30), place="", description="",
                          audience=["respondent"], is_public=True)
    db.session.add(milestone)
    db.session.flush()
    questionnaire = Questionnaire(cycle_id=cycle.id, milestone_id=milestone.id,
                                  title="Kapacitet 2018", intro="", created_at=now)
    db.session.add(questionnaire)
    db.session.flush()
    kinds = [QuestionType.INTEGER, QuestionType.DECIMAL, QuestionType.SCALE,
             QuestionType.YES_NO, QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE,
             QuestionType.SHORT_TEXT, QuestionType.DATE]
    choices = ["Stigende", "Uændret", "Faldende"]
    specs = []
    for s in range(10):
        section = Section(questionnaire_id=questionnaire.id, position=s, title=f"Afsnit {s + 1}")
        db.session.add(section)
        db.session.flush()
        for i in range(questions // 10):
            n = s * (questions // 10) + i
            kind = kinds[n % len(kinds)]
            config = ({"choices": choices} if kind in (QuestionType.SINGLE_CHOICE,
                                                        QuestionType.MULTIPLE_CHOICE)
                      else {"allow_dont_know": True} if kind == QuestionType.SCALE else {})
            db.session.add(Question(questionnaire_id=questionnaire.id, section_id=section.id,
                                    position=i, key=f"q{n:03d}", type=kind, config=config,
                                    label=f"Spørgsmål {n + 1}: antal pladser og behov"))
            specs.append((f"q{n:03d}", kind))
    db.session.flush()

    def answer(kind: QuestionType, o: int, n: int):  # type: ignore[no-untyped-def]
        if kind == QuestionType.INTEGER:
            return o * 7 + n
        if kind == QuestionType.DECIMAL:
            return round((o + n) / 8, 2)
        if kind == QuestionType.SCALE:
            return "dont_know" if (o + n) % 9 == 0 else (o + n) % 5 + 1
        if kind == QuestionType.YES_NO:
            return (o + n) % 2 == 0
        if kind == QuestionType.SINGLE_CHOICE:
            return choices[(o + n) % 3]
        if kind == QuestionType.MULTIPLE_CHOICE:
            return choices[: (o + n) % 3 + 1]
        if kind == QuestionType.DATE:
            return f"2017-0{(o + n) % 9 + 1}-1{(o + n) % 9}"
        return f"Svar {o}-{n} fra kommunen"

    for o in range(orgs):
        org = Organisation(region_id=region.id, kind=OrgKind.MUNICIPALITY,
                           name=f"Kommune {o + 1:03d}", council_name=f"Byråd {o + 1}",
                           created_at=now)
        db.session.add(org)
        db.session.flush()
        db.session.add(QuestionnaireRecipient(questionnaire_id=questionnaire.id,
                                              organisation_id=org.id))
        answers = {key: answer(kind, o, n) for n, (key, kind) in enumerate(specs)}
        response = QuestionnaireResponse(questionnaire_id=questionnaire.id, organisation_id=org.id,
                            state=ResponseState.SUBMITTED, answers=answers, prefilled=[],
                            created_at=now, updated_at=now, submitted_at=now,
                            submitted_by_name="Anne Andersen")
        db.session.add(response)
        db.session.flush()
        db.session.add(Submission(response_id=response.id, questionnaire_id=questionnaire.id,
                                  organisation_id=org.id, submitted_at=now,
                                  submitted_by_name="Anne Andersen", answers=answers))
    db.session.commit()
    return questionnaire.id, person.id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orgs", type=int, default=100)
    parser.add_argument("--questions", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from flask_migrate import upgrade
    from openpyxl import Workbook
    from sqlalchemy import select
    from sqlalchemy.orm import joinedload, selectinload

    from webapp import create_app
    from webapp.extensions import db
    from webapp.models import User
    from webapp.queries.questionnaires import (
        export_table,
        gather,
        scoped_questionnaire_or_404,
        xlsx_export,
    )

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app("test", SQLALCHEMY_DATABASE_URI=f"sqlite:///{Path(tmp) / 'bench.db'}")
        with app.app_context():
            upgrade()
            started = time.perf_counter()
            questionnaire_id, user_id = build(args.orgs, args.questions)
            print(f"Built {args.orgs} organisations × {args.questions} questions in "
                  f"{time.perf_counter() - started:.1f} s")

            def load():  # type: ignore[no-untyped-def]
                db.session.remove()  # a fresh session, as in a request
                user = db.session.scalar(select(User).where(User.id == user_id).options(
                    joinedload(User.organisation), selectinload(User.grants)))
                return scoped_questionnaire_or_404(questionnaire_id, user)

            table = export_table(gather(load(), with_status=True))
            rows = table.rows
            cells = len(rows) * len(table.headers)

            def through_app() -> int:
                return len(xlsx_export(load()))

            def bare_openpyxl() -> int:
                workbook = Workbook(write_only=True)
                sheet = workbook.create_sheet("Besvarelser")
                sheet.append(table.headers)
                for row in rows:
                    sheet.append(row)
                out = io.BytesIO()
                workbook.save(out)
                return len(out.getvalue())

            def best(fn) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
                times, size = [], 0
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    size = fn()
                    times.append(time.perf_counter() - t0)
                return min(times), statistics.median(times), size

            through_app()  # warm up imports and caches
            bare_openpyxl()
            app_best, app_median, app_size = best(through_app)
            raw_best, raw_median, raw_size = best(bare_openpyxl)
            print(f"Cells: {len(rows)} rows × {len(table.headers)} columns = {cells}")
            print(f"Export (load + gather + write): best {app_best * 1000:.0f} ms, "
                  f"median {app_median * 1000:.0f} ms, {app_size / 1024:.0f} KiB")
            print(f"Bare openpyxl write-only:       best {raw_best * 1000:.0f} ms, "
                  f"median {raw_median * 1000:.0f} ms, {raw_size / 1024:.0f} KiB")
            print(f"Ratio (best): {app_best / raw_best:.2f}×  (target ≤ 2×)")
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
