"""``import``: a messy 100,000-row enterprise .xlsx imported in ≤ 3× openpyxl's read-only read time.

The file looks like a 市场监管 export: title rows above the header, header synonyms, dates in
every common form, capital as "100万元"/"100万"/numbers/"…元", counts as "12人", full-width
and lower-case USCCs, blank rows, 小计/合计 rows. Every data row is valid, so every one must be
created.

Baseline: openpyxl ``load_workbook(read_only=True)`` iterating every row's values.
Figure: ``chuangfu import-registry FILE --kind enterprise --town 310115114`` in a child process
with its own ``CHUANGFU_VAR_DIR`` (a fresh, migrated SQLite database; migration not timed) and
``DEBUG=0`` as in production: parse + validate + write + audit. Peak memory is the child's ``ru_maxrss`` from ``os.wait4``.
The same file is then imported again to show it changes nothing (not part of the figure).
"""

import datetime
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook, load_workbook

DEFAULT_SCALE = 100_000
GOAL_RATIO = 3.0
GOAL_PEAK_MB = 1024
TOWN = "310115114"

HEADER = [
    "序号",
    "统一社会信用代码",
    "企业名称",
    "企业类型",
    "法定代表人",
    "注册资本（万元）",
    "成立日期",
    "住所",
    "登记状态",
    "所属行业",
    "参保人数",
    "经营范围",
    "营业期限至",
]
STATUSES = ["存续（在业）", "存续", "在业", "开业", "吊销，未注销", "注销", "迁出"]
TYPES = [
    "有限责任公司（自然人投资或控股）",
    "有限责任公司（自然人独资）",
    "个人独资企业",
    "有限合伙企业",
    "其他有限责任公司",
]


def _date_cell(rng: random.Random, day: datetime.date):
    form = rng.randrange(8)
    if form == 0:
        return day
    if form == 1:
        return (day - datetime.date(1899, 12, 30)).days  # an Excel serial number
    return [
        f"{day:%Y-%m-%d}",
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{day:%Y.%m.%d}",
        f"{day:%Y%m%d}",
        f"{day:%Y-%m-%d} 00:00:00",
    ][form - 2]


def _capital_cell(rng: random.Random):
    amount = rng.choice([1, 3, 5, 10, 30, 50, 100, 200, 500, 1000])
    return rng.choice(
        [
            f"{amount}万元",
            f"{amount}万",
            amount,
            str(amount),
            f" {amount} 万元 ",
            f"{amount * 10000:,}元",
            f"{amount}万人民币",
        ]
    )


def _full_width(value: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if ch.isascii() and ch.isalnum() else ch for ch in value)


def generate(path: Path, rows: int, seed: int = 2024) -> None:
    """Write the messy enterprise export (``rows`` valid data rows) with openpyxl's write-only mode."""
    from chuangfu.core.identifiers import compose_uscc
    from chuangfu.registry.industry import SECTIONS, section_of_division
    from chuangfu.registry.seeding import vocab

    rng = random.Random(seed)
    roads = vocab.ROADS[TOWN]
    surnames = [s for s, _w in vocab.SURNAMES]
    given = vocab.GIVEN_MALE + vocab.GIVEN_FEMALE
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("企业名录")
    ws.append(["唐镇企业名录（导出日期：2024-06-30）"])
    ws.append(["数据来源：浦东新区市场监督管理局", None, None, None, None, "金额单位：万元"])
    ws.append([])
    ws.append(HEADER)
    for i in range(rows):
        if i and i % 5000 == 0:
            ws.append([])
            ws.append(["小 计", None, f"{i} 户"])
        code, _weight, words, scope = rng.choice(vocab.INDUSTRIES)
        section = section_of_division(code)
        sole = rng.random() < 0.15
        uscc = compose_uscc("92" if sole else "91", "310115", 1_000_000 + i)
        uscc = rng.choice([uscc, uscc, uscc, uscc.lower(), _full_width(uscc), f" {uscc[:9]} {uscc[9:]} "])
        trade = "".join(rng.choice(vocab.TRADE_NAME_CHARS) for _ in range(rng.choice((2, 2, 3))))
        name = f"上海{trade}{rng.choice(words)}有限公司" if not sole else f"浦东新区{trade}{rng.choice(words)}店"
        if rng.random() < 0.05:
            name = name.replace("有限公司", "有限公司（浦东分公司）")
        founded = datetime.date(2005, 1, 1) + datetime.timedelta(days=rng.randrange(7000))
        industry = rng.choice([section, f"{section}{code}", code, f"{section} {SECTIONS[section][0]}", f"{code}00"])
        ws.append(
            [
                i + 1,
                uscc,
                name,
                "个体工商户" if sole else rng.choice(TYPES),
                rng.choice(surnames) + rng.choice(given),
                _capital_cell(rng),
                _date_cell(rng, founded),
                f"{rng.choice(['', '上海市'])}浦东新区唐镇{rng.choice(roads)}{rng.randrange(1, 2000)}号{rng.choice(['', '', '3幢', '201室'])}",
                rng.choice(STATUSES),
                str(industry),
                rng.choice([f"{rng.randrange(0, 60)}人", rng.randrange(0, 60), str(rng.randrange(0, 60)), ""]),
                scope,
                rng.choice(["长期", "9999-12-31", f"{founded.year + 30}-{founded.month:02d}-{founded.day:02d}", ""]),
            ]
        )
    ws.append([])
    ws.append(["合计", None, f"{rows} 户"])
    ws.append(["填表人：唐镇经济发展办公室"])
    wb.save(path)


def openpyxl_read(path: Path) -> int:
    wb = load_workbook(path, read_only=True)
    count = 0
    for ws in wb.worksheets:
        for _row in ws.iter_rows(values_only=True):
            count += 1
    wb.close()
    return count


def _child(args: list[str], env: dict) -> tuple[float, float, int, str]:
    """Run ``chuangfu ARGS`` in a child; returns (wall seconds, CPU seconds, peak RSS in KB, stdout)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-m", "chuangfu.cli", *args], env=env, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        raise RuntimeError(f"chuangfu {' '.join(args)} failed ({proc.returncode}):\n{stderr[-4000:]}")
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, stdout.strip()


def run(scale: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="chuangfu-bench-import-") as tmp:
        tmp = Path(tmp)
        path = tmp / "唐镇企业名录.xlsx"
        started = time.perf_counter()
        generate(path, scale)
        generate_seconds = time.perf_counter() - started

        started, cpu_started = time.perf_counter(), time.process_time()
        read_rows = openpyxl_read(path)
        baseline, baseline_cpu = time.perf_counter() - started, time.process_time() - cpu_started

        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env.update(
            CHUANGFU_VAR_DIR=str(tmp / "var"),
            DJANGO_SETTINGS_MODULE="chuangfu.settings",
            LOG_LEVEL="WARNING",
            DEBUG="0",
        )
        _child(["migrate", "--no-input", "-v", "0"], env)
        args = ["import-registry", str(path), "--kind", "enterprise", "--town", TOWN]
        seconds, cpu, peak_kb, summary = _child(args, env)
        again_seconds, _again_cpu, again_peak_kb, again_summary = _child(args, env)

        with sqlite3.connect(tmp / "var" / "chuangfu.sqlite3") as db:
            enterprises = db.execute("SELECT COUNT(*) FROM registry_enterprise").fetchone()[0]
            audited = db.execute(
                "SELECT COUNT(*) FROM core_auditentry WHERE action = 'registry.enterprise.imported'"
            ).fetchone()[0]
        peak_mb = round(max(peak_kb, again_peak_kb) / 1024, 1)
        ratio = seconds / baseline
        correct = enterprises == scale and audited == scale
        return {
            "value": round(seconds, 2),
            "unit": "s",
            "baseline": round(baseline, 2),
            "baseline_unit": "s (openpyxl read-only iteration)",
            "goal": f"ratio ≤ {GOAL_RATIO}, peak memory < {GOAL_PEAK_MB} MB, every row created once",
            "meets": ratio <= GOAL_RATIO and peak_mb < GOAL_PEAK_MB and correct,
            "details": {
                "rows": scale,
                "file_mb": round(path.stat().st_size / 1024 / 1024, 2),
                "rows_read_by_openpyxl": read_rows,
                "rows_per_second": round(scale / seconds),
                # CPU seconds compare the two fairly when other work shares the machine.
                "cpu_seconds": round(cpu, 2),
                "baseline_cpu_seconds": round(baseline_cpu, 2),
                "cpu_ratio": round(cpu / baseline_cpu, 3) if baseline_cpu else None,
                "peak_memory_mb": peak_mb,
                "enterprises_in_db": enterprises,
                "audit_entries": audited,
                "import_summary": summary,
                "reimport_seconds": round(again_seconds, 2),
                "reimport_summary": again_summary,
                "generate_seconds": round(generate_seconds, 2),
            },
        }
