"""The policies benchmarks at a tiny scale (slow: they seed one site in subprocesses, shared through
``CHUANGFU_BENCH_POLICIES_DIR``, and start gunicorn and a queue worker): they run end to end and
print the JSON line ``chuangfu bench`` reads against the goals of issue 17."""

import pytest

from tests.site import load_benchmark

SHAPE = {"value", "unit", "baseline", "baseline_unit", "goal", "meets", "details"}
SCALE = 90  # at this seed the town has people whose result the rematch benchmark can flip


@pytest.fixture(scope="module")
def kept_site(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CHUANGFU_BENCH_POLICIES_DIR", str(tmp_path_factory.mktemp("policies-bench")))
        yield


def _shape(result: dict) -> dict:
    assert set(result) >= SHAPE
    assert isinstance(result["value"], float | int) and result["value"] > 0
    assert result["meets"] == all(result["details"]["goals"].values())
    return result["details"]


def test_policies_match_compares_the_full_eligible_sets_after_the_same_read(kept_site):
    result = load_benchmark("policies_match").run(SCALE)
    details = result["details"]
    assert set(result) >= SHAPE
    assert details["openfisca_same_read"] is True
    assert details["eligible_sets_equal"] is True and details["eligible_sets_differ"] == []
    assert details["sample_check"]["mismatched"] == 0 and details["sample_check"]["checked"] > 0
    assert details["policies"] == 20 and details["subjects"] >= SCALE
    assert {
        "insured_months",
        "shareholding",
        "industry",
        "below_retirement_age",
        "hukou_place",
        # decision 39's, fed to OpenFisca from the match's own read too
        "business_scope",
        "hardship_type",
        "disability_grade",
        "discharged_on",
        "long_unemployed_months",
        "lease_months",
        "leased_area",
        "lease_registered",
        "leased_in_carrier",
    } <= set(details["facts_used"])
    assert details["setup"]["premises"] > 0 and details["setup"]["enterprises_with_premises"] > 0
    assert "≤ 1.6× the floor" in result["goal"] and "≤ 1× openfisca-core" in result["goal"]
    assert all(len(runs) == 3 for runs in details["runs_seconds"].values())
    assert set(details["goals"]) == {"floor", "openfisca"}
    assert result["meets"] == (all(details["goals"].values()) and details["eligible_sets_equal"])


def test_a_site_kept_from_an_older_setup_is_upgraded_not_seeded_again(kept_site):
    import json
    import os
    import sys
    from pathlib import Path

    bench = load_benchmark("policies_match")
    sys.path.insert(0, str(Path(bench.__file__).parent))
    import _policies_site

    record_file = Path(os.environ["CHUANGFU_BENCH_POLICIES_DIR"]) / "sqlite" / f"seeded-{SCALE}.json"
    if not record_file.exists():  # this test run alone (or first in its worker): seed the site to keep
        seeded, _, _, keep = _policies_site.site(SCALE)
        _policies_site.finish(seeded, keep)
    before = json.loads(record_file.read_text())
    record_file.write_text(json.dumps({**before, "version": 1}))  # as decision 40's site was kept
    site, record, seconds, keep = _policies_site.site(SCALE)
    _policies_site.finish(site, keep)
    assert seconds is None and keep  # not seeded again
    assert record["version"] == _policies_site.SEED_VERSION == 3
    assert set(record["upgrades"]) == {"2", "3"} and record["upgrades"]["2"]["bench_policies_changed"] == 0
    assert record["upgrades"]["3"]["demo_policies_changed"] == 0  # seeded with today's demo rules
    assert record["premises"] == before["premises"] > 0  # the step is idempotent
    assert json.loads(record_file.read_text())["version"] == 3


def test_policies_explain_measures_the_service_and_the_staff_page(kept_site):
    details = _shape(load_benchmark("policies_explain").run(SCALE))
    assert set(details["goals"]) == {"service_p95_under_20_ms", "page_p95_under_20_ms"}
    assert details["service"]["explained"] > 20 and details["service"]["published_versions"] >= 20
    assert details["page"]["error_count"] == 0 and details["page"]["requests"] == details["service"]["explained"]


def test_policies_explain_refuses_a_database_smaller_than_its_scale(kept_site):
    bench = load_benchmark("policies_explain")
    with pytest.raises(RuntimeError, match="fewer than --scale"):
        _refused(bench)


def _refused(bench):
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(bench.__file__).parent))
    import _policies_site

    site, _record, _seconds, keep = _policies_site.site(SCALE)
    try:
        _policies_site.child(site, Path(bench.__file__), "--service", str(SCALE * 10))
    finally:
        _policies_site.finish(site, keep)


def test_policies_lists_measures_both_lists_over_http(kept_site):
    details = _shape(load_benchmark("policies_lists").run(SCALE))
    assert set(details["goals"]) == {"almost_p95_under_100_ms", "outreach_p95_under_100_ms"}
    for name in ("almost", "outreach"):
        assert details[name]["error_count"] == 0 and details[name]["requests"] == 5 * details["rounds"]
    assert details["policy"]["almost"] > 0


def test_policies_rematch_waits_for_the_queue(kept_site):
    details = _shape(load_benchmark("policies_rematch").run(SCALE))
    assert details["failed"] == 0 and details["measured"] == details["changes"] > 0
    assert details["p95_ms"] >= details["service_p95_ms"]


def _reachable_postgres_and_redis() -> str | None:
    """Why the city benchmark cannot run here (it needs PostgreSQL and Redis), or None."""
    import psycopg
    import redis

    try:
        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", connect_timeout=3):
            pass
        redis.Redis.from_url("redis://127.0.0.1:6379/0", socket_connect_timeout=3).ping()
    except Exception as exc:
        return f"PostgreSQL and Redis on 127.0.0.1 are needed: {exc}"
    return None


def test_policies_city_splits_the_match_across_two_queue_workers(tmp_path, monkeypatch):
    import psycopg

    missing = _reachable_postgres_and_redis()
    if missing:
        pytest.skip(missing)
    name = "chuangfu_city_test_bench"
    with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f"CREATE DATABASE {name}")
    monkeypatch.setenv("CHUANGFU_BENCH_CITY_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/{name}")
    monkeypatch.setenv("CHUANGFU_BENCH_CITY_DIR", str(tmp_path))
    monkeypatch.setenv("CHUANGFU_BENCH_CITY_BASE", "90")  # a base of ~90 subjects, copied into 4 towns
    monkeypatch.setenv("CHUANGFU_BENCH_CITY_PART", "100")
    bench = load_benchmark("policies_city")
    with pytest.raises(RuntimeError, match="PostgreSQL only"):
        bench.run(360, "sqlite")
    result = bench.run(360, "postgresql")
    details = _shape(result)
    assert set(details["goals"]) == {"peak_memory_per_worker_under_1_5_gb", "both_workers_matched_parts", "correct"}
    assert details["correct"] and details["counts_agree"] and details["sample_check"]["mismatched"] == 0
    assert details["subjects"] >= 360 and details["setup"]["copies"] == 4 and details["setup"]["towns_added"] == 3
    assert len(details["workers"]) == 2 and set(details["worker_peak_rss_gb"]) == set(details["workers"])
    assert details["goals"]["both_workers_matched_parts"]
    first, steady = details["rounds"]
    assert first["parts"] >= 2 and first["rows_written"] > 0 and steady["rows_written"] == 0
    assert all(p["read"] >= p["own"] > 0 for p in details["parts"])
    assert sum(p["own"] for p in details["parts"]) == details["subjects"]  # every subject in one part
    assert result["baseline"] > 0 and details["floor_rows"] > 0
