"""The default queue (huey on a SQLite file) really stores work and a worker really runs it."""

import os
import subprocess
import sys

import pytest

from chuangfu.core import tasks
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


def test_queued_sms_waits_in_the_queue_file_until_a_worker_runs_it(sqlite_queue, tmp_path):
    assert type(sqlite_queue.storage).__name__ == "SqliteStorage"
    tasks.deliver_sms("13800138000", "【创服】您的咨询已受理")

    assert sqlite_queue.pending_count() == 1
    assert LocmemSmsBackend.outbox == []  # not sent by the web request itself
    assert (tmp_path / "queue.sqlite3").stat().st_size > 0

    run_one(sqlite_queue)
    assert LocmemSmsBackend.outbox == [("13800138000", "【创服】您的咨询已受理")]
    assert sqlite_queue.pending_count() == 0


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
