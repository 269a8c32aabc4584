"""Run by ``test_entitlement_contention`` in a separate process: many threads, each on its own
database connection and as its own reviewer, build the same policy's batches, or publish the same
approved batch, at the same moment, through the real services.

Usage: python entitlement_worker.py MODE THREADS ARG  (database from the environment)
  build    ARG = policy id; every thread builds the current cycle for its own town
  publish  ARG = batch id; every thread publishes it, each having seen 已批准
Prints one JSON line: per thread the batch numbers it made or published and the codes of what
was refused, and any unexpected errors.
"""

import datetime
import json
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuangfu.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from chuangfu.core.errors import DomainError  # noqa: E402
from chuangfu.core.models import User  # noqa: E402
from chuangfu.policies.models import Policy  # noqa: E402
from chuangfu.subsidies.models import EntitlementBatch  # noqa: E402
from chuangfu.subsidies.services import entitlement_review, entitlements  # noqa: E402

DAY = datetime.date(2026, 3, 2)


def main(mode: str, threads: int, arg: str) -> None:
    reviewers = list(User.objects.filter(role="reviewer", username__startswith="contention").order_by("pk"))
    start = threading.Barrier(threads)
    errors, outcomes = [], []
    lock = threading.Lock()

    def one(n: int) -> None:
        actor = reviewers[n % len(reviewers)]
        done, refused = [], []
        start.wait()
        try:
            if mode == "build":
                report = entitlements.entitlement_batches_build(
                    policy=Policy.objects.get(pk=int(arg)), on=DAY, town=actor.jurisdiction, actor=actor
                )
                done.extend(b.number for b in report.created)
            elif mode == "publish":
                try:
                    batch = entitlement_review.entitlement_batch_publish(
                        actor=actor,
                        batch=EntitlementBatch.objects.get(pk=int(arg)),
                        seen_status="approved",
                        today=DAY,
                    )
                    done.append(batch.number)
                except DomainError as exc:
                    refused.append(exc.code)
        except Exception as exc:  # reported to the test, which fails on any
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            connection.close()
        with lock:
            outcomes.append({"done": done, "refused": refused})

    with ThreadPoolExecutor(max_workers=threads) as pool:
        list(pool.map(one, range(threads)))
    print(json.dumps({"outcomes": outcomes, "errors": errors}, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
