"""``seed``: 1,000,000 enterprises and 2,000,000 people generated; time and rows per second.

Figure: ``chuangfu seed --scale N --seed 42`` in a child process with its own
``CHUANGFU_VAR_DIR`` (a fresh, migrated SQLite database; migration not timed). Rows are every
row the run wrote to the five registry tables it fills (people, enterprises, person–enterprise
links, priority-group memberships, enterprise tags), divided by the child's wall time
(interpreter start, fixed demo data, generation with encryption and lookup hashes, inserts
and indexes). Afterwards a sample of ID numbers is decrypted with the run's data key and every
USCC is checked by its check characters.

Baseline, same run: plain ``sqlite3`` ``executemany`` of the same number of rows, of the same
width (rows copied from what the seed wrote, ciphertexts included), into bare tables with the
same columns and no constraints or indexes, in a fresh database with the same pragmas — no
ORM, no encryption, no generation.
"""

import itertools
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_SCALE = 1_000_000
SEED = 42
TABLES = [
    "registry_person",
    "registry_enterprise",
    "registry_enterpriseperson",
    "registry_persongroup",
    "registry_enterprise_tags",
]
SAMPLE = 1000
BATCH = 50_000


def _child(args: list[str], env: dict) -> tuple[float, object, str]:
    """Run ``chuangfu ARGS`` in a child; returns (seconds, resource usage, stdout).

    The usage (``os.wait4``) covers the child and the worker processes it waited for, so its
    CPU time says how much work the run was even when other programs share the CPUs.
    """
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([sys.executable, "-m", "chuangfu.cli", *args], env=env, stdout=out, stderr=err)
        _pid, status, usage = os.wait4(proc.pid, 0)
        returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if returncode != 0:
        raise RuntimeError(f"chuangfu {' '.join(args)} failed ({returncode}):\n{stderr[-4000:]}")
    return seconds, usage, stdout.strip()


def _counts(db: sqlite3.Connection) -> dict[str, int]:
    return {table: db.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in TABLES}


def _baseline(seeded: sqlite3.Connection, counts: dict[str, int], path: Path) -> float:
    """Rows per second of a bare executemany of the same rows into constraint-free tables."""
    bare = sqlite3.connect(path, isolation_level=None)
    bare.execute("PRAGMA journal_mode=WAL")
    bare.execute("PRAGMA synchronous=NORMAL")
    plans = []
    for table in TABLES:
        columns = [row[1] for row in seeded.execute(f'PRAGMA table_info("{table}")')]
        quoted = ", ".join(f'"{c}"' for c in columns)
        bare.execute(f'CREATE TABLE "{table}" ({quoted})')
        sample = seeded.execute(f'SELECT {quoted} FROM "{table}" ORDER BY rowid DESC LIMIT {SAMPLE}').fetchall()
        plans.append((f'INSERT INTO "{table}" VALUES ({", ".join("?" * len(columns))})', sample, counts[table]))
    total = 0
    started = time.perf_counter()
    for sql, sample, count in plans:
        rows = itertools.islice(itertools.cycle(sample), count)
        while batch := list(itertools.islice(rows, BATCH)):
            bare.execute("BEGIN")
            bare.executemany(sql, batch)
            bare.execute("COMMIT")
            total += len(batch)
    seconds = time.perf_counter() - started
    bare.close()
    return total / seconds


def _check_identifiers(db: sqlite3.Connection, key_path: Path) -> dict:
    from cryptography.fernet import Fernet

    from chuangfu.core.identifiers import validate_id_number, validate_uscc

    usccs = [row[0] for row in db.execute("SELECT uscc FROM registry_enterprise")]
    for uscc in usccs:
        validate_uscc(uscc)
    fernet = Fernet(key_path.read_bytes().strip())
    (people,) = db.execute("SELECT MAX(id) FROM registry_person").fetchone()
    ids = random.Random(SEED).sample(range(1, people + 1), min(SAMPLE, people))
    marks = ",".join("?" * len(ids))
    tokens = [row[0] for row in db.execute(f"SELECT id_number FROM registry_person WHERE id IN ({marks})", ids)]
    for token in tokens:
        validate_id_number(fernet.decrypt(token.encode()).decode())
    return {
        "usccs_validated": len(usccs),
        "usccs_distinct": len(set(usccs)),
        "id_numbers_decrypted_and_validated": len(tokens),
    }


def run(scale: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="chuangfu-bench-seed-") as tmp:
        tmp = Path(tmp)
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL", "CHUANGFU_DATA_KEY")}
        env.update(CHUANGFU_VAR_DIR=str(tmp / "var"), DJANGO_SETTINGS_MODULE="chuangfu.settings", LOG_LEVEL="WARNING")
        _child(["migrate", "--no-input", "-v", "0"], env)
        with sqlite3.connect(tmp / "var" / "chuangfu.sqlite3") as db:
            before = _counts(db)
        seconds, usage, summary = _child(["seed", "--scale", str(scale), "--seed", str(SEED), "-v", "0"], env)
        cpu_seconds = usage.ru_utime + usage.ru_stime

        with sqlite3.connect(tmp / "var" / "chuangfu.sqlite3") as db:
            after = _counts(db)
            written = {table: after[table] - before[table] for table in TABLES}
            rows = sum(written.values())
            db_mb = round((tmp / "var" / "chuangfu.sqlite3").stat().st_size / 1024 / 1024)
            baseline = _baseline(db, written, tmp / "bare.sqlite3")
            checks = _check_identifiers(db, tmp / "var" / "data-key")
        enterprises = written["registry_enterprise"]
        people = written["registry_person"]
        fixed = 1  # the demo entrepreneur's enterprise; mentors who are residents add people
        correct = (
            enterprises == scale + fixed
            and scale * 2 < people <= scale * 2 + 20
            and checks["usccs_distinct"] == checks["usccs_validated"] == enterprises
        )
        return {
            "value": round(rows / seconds),
            "unit": "rows/s",
            "baseline": round(baseline),
            "baseline_unit": "rows/s (bare sqlite3 executemany of the same rows, no ORM, no encryption, no indexes)",
            "goal": f"{scale:,} enterprises and {2 * scale:,} people generated, every USCC valid and distinct; "
            "report the time and rows per second",
            "meets": correct,
            "details": {
                "seconds": round(seconds, 1),
                "rows": rows,
                "rows_by_table": written,
                "enterprises_per_second": round(enterprises / seconds),
                "database_mb": db_mb,
                "cpu_seconds": round(cpu_seconds, 1),
                "rows_per_cpu_second": round(rows / cpu_seconds),
                "peak_memory_mb": round(usage.ru_maxrss / 1024, 1),
                "cpus": os.cpu_count(),
                "load_average_1min_after": round(os.getloadavg()[0], 2),
                **checks,
                "seed_summary": summary,
            },
        }
