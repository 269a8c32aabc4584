"""The data set of the ``dashboard`` and ``dossier`` benchmarks (issue 16): at scale N, N tickets
(desk-queue's seed), about N subjects of the registry (``chuangfu seed`` at N/3 enterprises: N/3
enterprises and 2N/3 people), N/10 activity registrations checked in at the town's activities, the
governance benchmark's ledger (ledger's seed, N/500 tasks with five milestones and fifty reports
each), and the demo indicator scheme for the current year.

With ``CHUANGFU_BENCH_ASSESSMENT_DIR=/some/dir`` the seeded site is kept there and reused by the
next run at the same scale (it is still migrated first); without it a temporary one is made and
removed by the caller (``keep`` is False).
"""

import importlib.util
import json
import time
from pathlib import Path


def module(name: str):
    spec = importlib.util.spec_from_file_location(f"assessment_bench_{name}", Path(__file__).with_name(f"{name}.py"))
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return loaded


REGISTRATIONS = """
import datetime, json
from django.db import connection, transaction
from django.utils import timezone
from chuangfu.activities.demo import seed_activities
from chuangfu.activities.models import Activity, Registration
from chuangfu.core.models import Jurisdiction
from chuangfu.indicators.demo import seed_indicators

N = {registrations}
seed_activities()
tang = Jurisdiction.objects.get(code="310115114")
activities = list(Activity.objects.filter(jurisdiction=tang).exclude(status__in=["draft", "cancelled"]))
now = timezone.now()
held = now - datetime.timedelta(days=3)  # held this year, before the registrations' check-in
Activity.objects.filter(pk__in=[a.pk for a in activities]).update(
    starts_at=held, ends_at=held + datetime.timedelta(hours=2),
    registration_opens_at=held - datetime.timedelta(days=10), registration_closes_at=held - datetime.timedelta(days=1),
)
batch = []
with transaction.atomic():
    for i in range(N):
        batch.append(Registration(activity=activities[i % len(activities)], name="报名人", mobile=f"137{{i:08d}}",
                                  status="confirmed", checked_in_at=held))
        if len(batch) >= 5000:
            Registration.objects.bulk_create(batch)
            batch.clear()
    Registration.objects.bulk_create(batch)
seed_indicators(timezone.localdate().year)
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")
print(json.dumps({{"registrations": Registration.objects.count(), "activities": len(activities)}}))
"""


def seeded_site(scale: int):
    """``(site, seeded, seed_seconds or None when reused, keep)`` for ``scale`` tickets."""
    helpers, queue, ledger = module("desk_burst"), module("desk_queue"), module("ledger")
    site, seed_file, seeded = helpers.kept_site("CHUANGFU_BENCH_ASSESSMENT_DIR", "assessment-", scale)
    if seeded is not None:
        return site, seeded, None, True
    started = time.perf_counter()
    site.manage("seed", "--scale", str(max(scale // 3, 10)), "--seed", "42")
    site.python(queue.SEED.format(scale=scale))
    tasks = max(scale // 500, 20)
    ledger_seeded = json.loads(site.python(ledger.SEED.format(scale=tasks)).strip().splitlines()[-1])
    rest = json.loads(site.python(REGISTRATIONS.format(registrations=max(scale // 10, 10))).strip().splitlines()[-1])
    seeded = {"tickets": scale, "enterprises": max(scale // 3, 10), **ledger_seeded, **rest}
    seconds = time.perf_counter() - started
    if seed_file is not None:
        seed_file.write_text(json.dumps(seeded))
    return site, seeded, seconds, seed_file is not None
