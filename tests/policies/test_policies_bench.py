"""The policies benchmarks at a tiny scale (slow: each seeds its own site in a subprocess): they
run end to end and print the JSON line ``chuangfu bench`` reads against the goals of issue 17."""

from tests.site import load_benchmark

SHAPE = {"value", "unit", "baseline", "baseline_unit", "goal", "meets", "details"}


def test_policies_match_compares_the_full_eligible_sets_after_the_same_read(monkeypatch, tmp_path):
    monkeypatch.delenv("CHUANGFU_BENCH_POLICIES_DIR", raising=False)
    result = load_benchmark("policies_match").run(60)
    assert set(result) >= SHAPE
    details = result["details"]
    assert details["openfisca_same_read"] is True
    assert details["eligible_sets_equal"] is True and details["eligible_sets_differ"] == []
    assert details["sample_check"]["mismatched"] == 0 and details["sample_check"]["checked"] > 0
    assert details["policies"] == 20 and details["subjects"] >= 60
    assert {"insured_months", "shareholding", "industry", "below_retirement_age", "hukou_place"} <= set(
        details["facts_used"]
    )
    assert "≤ 1.6× the floor" in result["goal"] and "≤ 1× openfisca-core" in result["goal"]
    assert all(len(runs) == 3 for runs in details["runs_seconds"].values())
    assert set(details["goals"]) == {"floor", "openfisca"}
    assert result["meets"] == (all(details["goals"].values()) and details["eligible_sets_equal"])
