"""The subsidies-contention benchmark, small: concurrent approve and disburse requests through
gunicorn on the same applications. Each is approved once and paid once, and no request fails.
The site runs on this suite's database, already migrated (see tests/site.py)."""

import pytest

from tests.site import load_benchmark, share_test_database


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_approvals_and_payments_through_gunicorn_happen_once_each(tmp_path):
    bench = load_benchmark("subsidies_contention")
    database_url = share_test_database(tmp_path)
    result = bench.run_backend(20, database_url, workers=2, workdir=tmp_path, migrated=True)
    assert result["server_errors"] == 0
    stored = result["stored"]
    n = bench.APPLICATIONS
    assert stored["statuses"] == {"disbursed": n}
    assert stored["payments_per_application"] == [1] * n and stored["grants_per_application"] == [1] * n
    assert stored["finalise_audits"] == n and stored["disburse_audits"] == n
    assert result["final_outcomes"]["finalise 200"] == n and result["final_outcomes"]["disburse 200"] == n
    assert result["meets"]
