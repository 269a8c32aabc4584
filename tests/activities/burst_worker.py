"""Run by ``test_concurrency`` in a separate process: many threads register for one activity
at the same moment, each on its own database connection, through the real service.

Usage: python burst_worker.py ACTIVITY_ID COUNT THREADS  (database from the environment).
Prints one JSON line: every registration's status and waiting-list position, and any errors.
"""

import json
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangfu.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from chuangfu.activities.models import Activity, Registration  # noqa: E402
from chuangfu.activities.services.registrations import registration_create  # noqa: E402


def main(activity_id: int, count: int, threads: int) -> None:
    activity = Activity.objects.get(pk=activity_id)
    connection.close()
    start = threading.Barrier(threads)
    errors = []

    def register(n: int) -> None:
        if n < threads:
            start.wait()  # the first wave leaves together
        try:
            registration_create(activity=activity, name=f"并发{n}", mobile=f"135{n:08d}")
        except Exception as exc:  # reported to the test, which fails on any
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(register, range(count)))
    rows = list(Registration.objects.filter(activity_id=activity_id).values_list("name", "status", "waitlist_position"))
    print(json.dumps({"registrations": rows, "errors": errors}, ensure_ascii=False))


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:4]))
