"""The default queue (huey on a SQLite file) really stores work and a worker really runs it."""

import os
import subprocess
import sys

import pytest

from chuangfu.core import tasks
from chuangfu.core.models import OutgoingSms
from chuangfu.core.notifications import Message, send
from chuangfu.core.notifications.sms import LocmemSmsBackend


@pytest.fixture
def sqlite_queue(_huey_immediate, tmp_path, monkeypatch):
    """The project's HUEY with its real SqliteStorage, on a file of this test's own."""
    huey = _huey_immediate
    monkeypatch.setitem(huey.storage_kwargs, "filename", str(tmp_path / "queue.sqlite3"))
    huey.immediate = False  # rebuilds the storage from storage_kwargs
    yield huey
    huey.immediate = True


def run_one(huey):
    """What a worker does for one task: take it off the queue and execute it."""
    task = huey.dequeue()
    assert task is not None, "nothing was queued"
    huey.execute(task)


@pytest.mark.django_db(
    transaction=True, serialized_rollback=True
)  # a flush without it recreates content types under new ids, which a later serialized test then meets
def test_queued_sms_waits_in_the_queue_file_until_a_worker_runs_it(sqlite_queue, tmp_path):
    assert type(sqlite_queue.storage).__name__ == "SqliteStorage"
    send(Message(title="受理通知", body="您的咨询已受理，验证码 246810", mobile="13800138000", channels=("sms",)))

    assert sqlite_queue.pending_count() == 1
    assert LocmemSmsBackend.outbox == []  # not sent by the web request itself
    queue_file = (tmp_path / "queue.sqlite3").read_bytes()
    assert queue_file  # the task is in the file, but only the id of its text: no mobile, no code
    assert b"13800138000" not in queue_file and b"246810" not in queue_file

    run_one(sqlite_queue)
    assert LocmemSmsBackend.outbox == [("13800138000", "【创服】受理通知：您的咨询已受理，验证码 246810")]
    assert sqlite_queue.pending_count() == 0
    sent = OutgoingSms.objects.get()
    assert sent.sent_at is not None and sent.text == ""  # the code is not kept once sent
    run_one_again = sqlite_queue.dequeue()
    assert run_one_again is None


@pytest.mark.django_db(
    transaction=True, serialized_rollback=True
)  # a flush without it recreates content types under new ids, which a later serialized test then meets
def test_a_failed_sms_is_recorded_and_retried(sqlite_queue, settings):
    settings.SMS_BACKEND = "tests.core.sms_gateway.GatewayBackend"  # raises
    send(Message(title="受理通知", body="已受理", mobile="13800138000", channels=("sms",)))
    run_one(sqlite_queue)
    failed = OutgoingSms.objects.get()
    assert failed.sent_at is None and failed.attempts == 1 and "real gateway" in failed.error
    assert sqlite_queue.pending_count() + len(sqlite_queue.scheduled()) == 1  # the retry


def test_task_result_comes_back_through_the_queue_storage(sqlite_queue):
    result = tasks.ping("唐镇")
    assert result.get() is None  # not run yet
    run_one(sqlite_queue)
    assert result.get() == "唐镇"


def test_redis_url_switches_the_queue_to_redis(tmp_path):
    code = "from huey.contrib.djhuey import HUEY; print(type(HUEY).__name__, HUEY.storage_kwargs.get('url'))"
    env = {
        **os.environ,
        "REDIS_URL": "redis://127.0.0.1:6379/9",
        "CHUANGFU_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "chuangfu.settings",
    }
    env.pop("DATABASE_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.split() == ["RedisHuey", "redis://127.0.0.1:6379/9"]
