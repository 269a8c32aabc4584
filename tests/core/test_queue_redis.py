"""The queue on Redis, as production runs it: a real huey consumer with worker threads.

Needs a Redis server named by CHUANGFU_TEST_REDIS_URL (``.ci/run`` sets it); skipped otherwise.
"""

import os
import signal
import time
import uuid

import pytest
from huey import RedisHuey

from chuangfu.core import tasks
from chuangfu.core.notifications.sms import LocmemSmsBackend

REDIS_URL = os.environ.get("CHUANGFU_TEST_REDIS_URL", "")

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not REDIS_URL, reason="CHUANGFU_TEST_REDIS_URL is not set (CI sets it to a Redis server)"),
]


@pytest.fixture
def redis_huey():
    """A RedisHuey of its own (unique queue name) carrying the platform's task functions."""
    huey = RedisHuey(name=f"chuangfu-test-{uuid.uuid4().hex[:8]}", url=REDIS_URL)
    yield huey
    huey.storage.flush_all()


@pytest.fixture
def consumer(redis_huey):
    handlers = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)}
    worker = redis_huey.create_consumer(
        workers=2, worker_type="thread", periodic=False, initial_delay=0.05, max_delay=0.2, check_worker_health=False
    )
    worker.start()
    yield worker
    worker.stop(graceful=True)
    for signum, handler in handlers.items():
        signal.signal(signum, handler)


@pytest.mark.slow  # transactional, like the other tests that need committed rows
@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the worker threads read the committed row
def test_consumer_on_redis_runs_queued_work_and_returns_results(redis_huey, consumer):
    from chuangfu.core.models import OutgoingSms

    ping = redis_huey.task()(tasks.ping.func)
    deliver_sms = redis_huey.task(retries=3, retry_delay=1)(tasks.deliver_sms.func)
    outgoing = OutgoingSms.objects.create(mobile="13800138000", text="【创服】活动报名成功")

    result = ping("创服")
    deliver_sms(outgoing.pk)  # the queue carries the row's id, never the mobile or the text

    assert result.get(blocking=True, timeout=10) == "创服"
    deadline = time.monotonic() + 10
    while not LocmemSmsBackend.outbox and time.monotonic() < deadline:
        time.sleep(0.05)
    assert LocmemSmsBackend.outbox == [("13800138000", "【创服】活动报名成功")]
    assert redis_huey.pending_count() == 0
