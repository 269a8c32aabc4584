"""The activities-burst benchmark, small: real HTTP registrations through gunicorn from many
clients at once. Exactly the seats are confirmed, the rest wait in arrival order, and no
request fails. The site runs on this suite's database, already migrated (see tests/site.py)."""

import pytest

from tests.site import load_benchmark, share_test_database


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_small_burst_through_gunicorn_confirms_exactly_the_seats_and_queues_the_rest_in_order(tmp_path):
    bench = load_benchmark("activities_burst")
    database_url = share_test_database(tmp_path)
    result = bench.run_backend(60, database_url, clients=20, workers=2, workdir=tmp_path, migrated=True)
    assert result["server_errors"] == 0 and result["statuses"] == {302: 60}
    stored = result["stored"]
    assert stored["confirmed"] == 12 and stored["waitlisted"] == 48 and stored["other"] == []
    assert (
        stored["positions_are_1_to_n"] and stored["in_arrival_order"] and stored["last_confirmed_before_first_waiting"]
    )
    assert result["meets"]
