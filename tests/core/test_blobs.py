"""``read_blobs`` reads large binary columns byte for byte — every byte value, empty ones, a missing
row — on SQLite through the ORM and on PostgreSQL in binary format, and the query is logged like
any other (so query counts and execute wrappers see it)."""

import datetime

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from chuangfu.core.db.blobs import read_blobs
from chuangfu.policies.models import MatchRun
from tests.policies.conftest import make_policy

pytestmark = pytest.mark.django_db


def test_every_byte_comes_back_as_it_was_stored_and_the_query_is_logged():
    policy = make_policy(code="blob-policy")
    ids = np.arange(-5, 300_000, 7, dtype="<i8")
    every_byte = bytes(range(256)) * 3
    run = MatchRun.objects.create(
        policy=policy,
        version=policy.versions.first(),
        target=policy.target,
        evaluated_on=datetime.date(2026, 12, 7),
        computed_at=timezone.now(),
        almost_ids=ids.tobytes(),
        almost_open=every_byte,
        almost_places=b"",
    )
    with CaptureQueriesContext(connection) as queries:
        read = read_blobs(MatchRun, run.pk, ["almost_ids", "almost_open", "almost_places"])
    assert len(queries.captured_queries) == 1 and "policies_matchrun" in queries.captured_queries[0]["sql"]
    assert np.array_equal(np.frombuffer(read["almost_ids"], dtype="<i8"), ids)
    assert read["almost_open"] == every_byte and read["almost_places"] == b""
    assert all(isinstance(value, bytes) for value in read.values())
    assert read_blobs(MatchRun, run.pk + 1000, ["almost_ids"]) is None
