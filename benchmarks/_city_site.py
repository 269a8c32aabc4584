"""The city-scale site of ``policies-city``: millions of subjects on PostgreSQL, seeded quickly.

``chuangfu seed`` writes ~1,000 subjects a second, so ten million would take hours. Instead a base
of ``BASE`` subjects is seeded as the other policies benchmarks seed theirs (``_policies_site``:
``chuangfu seed``, the 20 policies, the rows their facts read), then copied in SQL (``INSERT …
SELECT``) until the site holds the subjects asked for. Copy *k* of a row has its ids shifted by
*k* times the base's largest id (people, enterprises, and every row that refers to them), unique
identifiers of its own (identity-number hash, USCC) and lives in the benchmark's town *k*
(``城市基准镇k``, a demo town of the district, one per copy): a city of towns of ~100,000
subjects each, as Shanghai's are. One enterprise in fifty of each copy has as legal
representative the person of the next copy (in the next town), so parts of a split match read
subjects of other parts, as a city's registry does. What the match reads — every column of the
frames, groups, tags, links with shares, insurance months, credit records, grants — is copied;
nothing else is (applications, activities).

The site is kept in ``CHUANGFU_BENCH_CITY_DIR`` (its data key and record) and in the database
``CHUANGFU_BENCH_CITY_DATABASE_URL`` (default ``chuangfu_city_bench``; its name must contain
"bench": it is emptied when seeded afresh), and reused by the next run at the same scale.
"""

import json
import math
import os
import time
from pathlib import Path

BASE = 100_000  # subjects seeded by ``chuangfu seed`` (then copied); ``CHUANGFU_BENCH_CITY_BASE`` for another
SEED_VERSION = 1
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/chuangfu_city_bench"
CROSS = 50  # one enterprise in CROSS of a copy is represented by the next copy's person
# Tables copied, with the columns whose values a copy changes (others are copied as they are).
PEOPLE, ENTERPRISES = "registry_person", "registry_enterprise"
TABLES = (
    PEOPLE,
    ENTERPRISES,
    "registry_persongroup",
    "registry_enterprise_tags",
    "registry_enterpriseperson",
    "registry_insurancemonth",
    "registry_creditrecord",
    "policies_grant",
)


def url() -> str:
    found = os.environ.get("CHUANGFU_BENCH_CITY_DATABASE_URL") or DEFAULT_PG
    if "bench" not in found.rsplit("/", 1)[-1]:
        raise RuntimeError(f"refusing to seed {found}: a benchmark database's name contains 'bench'")
    return found


def site(scale: int):
    """``(site, record, seed seconds or None when reused, keep)``: the base seeded and copied up to
    ``scale`` subjects, or the kept one reused."""
    import _policies_site

    kept = os.environ.get("CHUANGFU_BENCH_CITY_DIR", "")
    workdir = Path(kept) if kept else Path(__import__("tempfile").mkdtemp(prefix="policies-city-"))
    workdir.mkdir(parents=True, exist_ok=True)
    record_file = workdir / f"city-{scale}.json"
    record = json.loads(record_file.read_text()) if record_file.exists() else None
    base = min(int(os.environ.get("CHUANGFU_BENCH_CITY_BASE") or BASE), scale)
    previous = {k: os.environ.get(k) for k in ("CHUANGFU_BENCH_POLICIES_DIR", "CHUANGFU_BENCH_DATABASE_URL")}
    os.environ.update(CHUANGFU_BENCH_POLICIES_DIR=str(workdir / "base"), CHUANGFU_BENCH_DATABASE_URL=url())
    try:
        if record is not None and record.get("version") == SEED_VERSION:  # the copied site, as kept
            where = workdir / "base" / "postgresql"
            key = (where / "data-key.txt").read_text().strip()
            s = _policies_site.helpers().Site(where, database_url=url(), data_key=key)
            s.env.update(DEBUG="0", LOG_LEVEL="WARNING")
            s.manage("migrate", "--no-input", "-v", "0")
            return s, record, None, bool(kept)
        for stale in workdir.glob("city-*.json"):
            stale.unlink()
        for stale in (workdir / "base" / "postgresql").glob("seeded-*.json"):  # copied since: seed afresh
            stale.unlink()
        started = time.perf_counter()
        s, base_record, _seconds, _keep = _policies_site.site(base, "postgresql")
        base_seconds = time.perf_counter() - started
        (workdir / "base" / "postgresql" / f"seeded-{base}.json").unlink(missing_ok=True)  # about to change
        copied = multiply(url(), scale)
        record = {
            "version": SEED_VERSION,
            "scale": scale,
            "base": {k: v for k, v in base_record.items() if k != "version"},
            "base_seconds": round(base_seconds, 1),
            **copied,
        }
        seconds = time.perf_counter() - started
        record["seed_seconds"] = round(seconds, 1)
        if kept:
            record_file.write_text(json.dumps(record))
        return s, record, seconds, bool(kept)
    finally:
        for k, v in previous.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _columns(conn, table: str) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position",
            [table],
        )
    ]


def _secondary_indexes(conn, table: str) -> list[tuple[str, str]]:
    """(name, definition) of the table's indexes that back no constraint: dropped while copying,
    made again after (one sort each instead of ten million inserts into each)."""
    return list(
        conn.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [table],
        )
    )


def multiply(database_url: str, scale: int) -> dict:
    """Copy the base (every row now in ``TABLES``) until the site holds about ``scale`` subjects."""
    import psycopg

    started = time.perf_counter()
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute("SET synchronous_commit = off")
        conn.execute("SET maintenance_work_mem = '512MB'")
        top = {t: conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {t}").fetchone()[0] for t in TABLES}
        base_subjects = sum(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in (PEOPLE, ENTERPRISES))
        copies = max(1, math.ceil(scale / max(base_subjects, 1)))
        if copies > 800:
            raise RuntimeError("at most 800 copies of the base (towns 310115201–999)")
        if copies == 1:
            return {"copies": 1, "subjects": base_subjects, "copy_seconds": 0.0}
        district = conn.execute(
            "SELECT id, code, path FROM core_jurisdiction WHERE level = 'district' ORDER BY id"
        ).fetchone()
        towns = []
        for k in range(1, copies):
            code = f"{district[1][:6]}{200 + k:03d}"  # a 9-digit town code of the district
            towns.append(
                conn.execute(
                    "INSERT INTO core_jurisdiction (code, name, level, parent_id, path, is_demo) VALUES "
                    "(%s, %s, 'town', %s, %s, true) ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name RETURNING id",
                    [code, f"城市基准镇{k}", district[0], f"{district[2]}/{code}"],
                ).fetchone()[0]
            )
        dropped = {t: _secondary_indexes(conn, t) for t in TABLES}
        for indexes in dropped.values():
            for name, _definition in indexes:
                conn.execute(f'DROP INDEX "{name}"')
        conn.execute("SET session_replication_role = replica")  # consistent by construction: no FK triggers
        shift_p, shift_e = top[PEOPLE], top[ENTERPRISES]
        for k in range(1, copies):
            town = towns[k - 1]
            nxt = (k + 1) % copies  # the next copy (0: the base)
            person = f"%s + {k * shift_p}"
            cross_rep = (
                f"CASE WHEN legal_representative_id IS NULL THEN NULL WHEN id % {CROSS} = 0 "
                f"THEN legal_representative_id + {nxt * shift_p} ELSE legal_representative_id + {k * shift_p} END"
            )
            exprs = {
                PEOPLE: {
                    "id": f"id + {k * shift_p}",
                    "id_number_hash": f"md5(id_number_hash || ':{k}') || md5('{k}:' || id_number_hash)",
                    "account_id": "NULL",
                    "jurisdiction_id": str(town),
                },
                ENTERPRISES: {
                    "id": f"id + {k * shift_e}",
                    "uscc": f"'C' || lpad('{k}', 3, '0') || lpad(id::text, 14, '0')",
                    "account_id": "NULL",
                    "jurisdiction_id": str(town),
                    "legal_representative_id": cross_rep,
                },
                "registry_persongroup": {"person_id": person % "person_id"},
                "registry_enterprise_tags": {"enterprise_id": f"enterprise_id + {k * shift_e}"},
                "registry_enterpriseperson": {
                    "enterprise_id": f"enterprise_id + {k * shift_e}",
                    "person_id": f"CASE WHEN relation = 'legal_rep' AND enterprise_id % {CROSS} = 0 "
                    f"THEN person_id + {nxt * shift_p} ELSE person_id + {k * shift_p} END",
                },
                "registry_insurancemonth": {
                    "person_id": person % "person_id",
                    "enterprise_id": f"enterprise_id + {k * shift_e}",
                },
                "registry_creditrecord": {
                    "person_id": person % "person_id",
                    "enterprise_id": f"enterprise_id + {k * shift_e}",
                },
                "policies_grant": {
                    "person_id": person % "person_id",
                    "enterprise_id": f"enterprise_id + {k * shift_e}",
                },
            }
            for t in TABLES:
                columns = _columns(conn, t)
                changed = exprs[t]
                quoted = [f'"{c}"' for c in columns]
                select = [changed.get(c, q) for c, q in zip(columns, quoted)]
                keep_id = "id" in changed
                if not keep_id:  # a new id from the table's identity
                    quoted, select = quoted[1:], select[1:]
                conn.execute(
                    f"INSERT INTO {t} ({', '.join(quoted)}) SELECT {', '.join(select)} FROM {t} WHERE id <= {top[t]}"
                )
        conn.execute("SET session_replication_role = DEFAULT")
        for t in (PEOPLE, ENTERPRISES):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), (SELECT MAX(id) FROM {t}))")
        indexing = time.perf_counter()
        for indexes in dropped.values():
            for _name, definition in indexes:
                conn.execute(definition)
        for t in TABLES:
            conn.execute(f"VACUUM ANALYZE {t}")
        subjects = sum(conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in (PEOPLE, ENTERPRISES))
        size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
    return {
        "copies": copies,
        "subjects": subjects,
        "towns_added": len(towns),
        "copy_seconds": round(time.perf_counter() - started, 1),
        "index_seconds": round(time.perf_counter() - indexing, 1),
        "database_size": size,
    }
