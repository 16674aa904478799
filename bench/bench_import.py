"""Benchmark of the ledger import: a 20,000-row project ledger, dry run and commit on SQLite.

The ledger is generated (``.xlsx``, a title row, a two-row merged header, amounts as 万 and
亿 text, dates in three spellings, stage words, half the investors with a credit code, a 合计
row); the import runs as the web page and the CLI run it (``crm.imports.services``), into a
fresh SQLite database. Goal (issue 16): under 60 s, peak memory under 300 MB.

Prints figures only. Run: ``.venv/bin/python bench/bench_import.py [--rows N]``
"""

from __future__ import annotations

import argparse
import io
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent / "tests")]

STAGES = ("线索", "在谈", "洽谈中", "考察", "已签约", "已开工")
DATES = ("2025年3月5日", "2025/3/5", "2025-03-05")


def _uscc(n: int) -> str:
    from crm.util.uscc import uscc_check_char

    body = f"91610323{n:08d}"  # a county-registered company's code with a unique body
    body = body + "X" if len(body) == 16 else body
    body = body[:17]
    return body + uscc_check_char(body)


def ledger(rows: int) -> bytes:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("台账")
    sheet.append(["岐山县招商项目台账"])
    sheet.append(
        ["项目名称", "投资主体", "统一社会信用代码", "计划投资（万元）", "签约", None, "项目进展", "所属产业"]
    )
    sheet.append([None, None, None, None, "日期", "合同编号", None, None])
    for n in range(rows):
        stage = STAGES[n % len(STAGES)]
        signed = stage in ("已签约", "已开工")
        sheet.append(
            [
                f"测试项目{n:05d}",
                f"测试投资企业{n // 2:05d}有限公司",
                _uscc(n // 2) if n % 4 < 2 else None,
                "1.2亿" if n % 3 == 0 else f"{1000 + n:,}万",
                DATES[n % 3] if signed else None,
                f"HT-{n:05d}" if signed else None,
                stage if stage != "已开工" else "已签约",
                "新材料",
            ]
        )
    sheet.append(["合计", None, None, None, None, None, None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--dry-run-only", action="store_true", help="Skip the commit (profiling)")
    args = parser.parse_args()

    from crm import create_app
    from crm.auth.services import create_user
    from crm.core.db import db
    from crm.core.session import TenantScope
    from crm.core.tenancy import set_scope, system_scope
    from crm.imports import services
    from crm.imports.headers import guess_mapping, known_headers
    from crm.imports.readers import read_table
    from crm.regions.services import create_region

    started = time.perf_counter()
    data = ledger(args.rows)
    print(
        f"ledger: {args.rows} rows, {len(data) / 1024 / 1024:.1f} MB, generated in {time.perf_counter() - started:.1f} s"
    )
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "TESTING": True,
                "DATABASE_URL": f"sqlite:///{Path(folder) / 'bench.sqlite'}",
                "SECRET_KEY": "bench",
            }
        )
        with app.app_context():
            with system_scope():
                db.create_all()
                create_region("610000", "陕西省", "province")
                create_region("610300", "宝鸡市", "city", "610000")
                county = create_region("610323", "岐山县", "county", "610300")
                user = create_user("bench", "Ledger-import-2026", "staff", county)
                db.session.commit()
            set_scope(
                TenantScope(
                    actor_id=user.id,
                    actor_name="bench",
                    read_county_ids=frozenset({county.id}),
                    write_county_id=county.id,
                )
            )
            figures = {}
            passes = (("dry run", False),) if args.dry_run_only else (("dry run", False), ("commit", True))
            for label, commit in passes:
                started = time.perf_counter()
                table = read_table(data, known_headers=known_headers("projects"))
                read_s = time.perf_counter() - started
                mapping = guess_mapping("projects", table.headers)
                report = services.run_import(
                    table,
                    "projects",
                    mapping,
                    county_id=county.id,
                    actor=user,
                    commit=commit,
                    file_name="bench.xlsx",
                    file_sha256=services.sha256(data),
                )
                if commit and report.batch is not None:
                    db.session.commit()
                else:
                    db.session.rollback()
                total = time.perf_counter() - started
                figures[label] = total
                print(
                    f"{label}: {total:.1f} s (reading {read_s:.1f} s); rows {report.rows_total}, "
                    f"created {report.created}, investors created {report.companies_created}, problems {len(report.problems)}"
                )
                for problem in report.problems[:5]:
                    print("   ", problem)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"dry run + commit: {sum(figures.values()):.1f} s; peak memory (max RSS) {peak:.0f} MB")


if __name__ == "__main__":
    main()
