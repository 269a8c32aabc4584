"""Run by ``test_contention`` in a separate process: many threads, each on its own database
connection, pay the same applications, import the same finance sheet, or finalise the same 公示
at the same moment, through the real services.

Usage: python contention_worker.py MODE THREADS ARG  (database from the environment)
  pay       ARG = comma-separated application ids; every thread tries to pay every one of them
  import    ARG = path of an .xlsx; every thread imports it
  finalise  ARG = notice batch id; every thread finalises it (each as its own reviewer)
  submit    ARG = comma-separated complete drafts; every thread submits every one as its applicant
  decide    ARG = comma-separated submitted application ids; even threads accept, odd ones refuse,
            each as its own reviewer and each having seen 已提交
  repay     ARG = a recovery id being recovered; every thread records a repayment of 1,000 元 (its own voucher)
  check     ARG = comma-separated obligation ids; every thread checks every one of them, as of today
Prints one JSON line: per thread what succeeded and the codes of what was refused, and any
unexpected errors.
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
from django.utils import timezone  # noqa: E402

from chuangfu.core.errors import DomainError  # noqa: E402
from chuangfu.core.models import User  # noqa: E402
from chuangfu.subsidies.models import Application, NoticeBatch, Obligation, Recovery  # noqa: E402
from chuangfu.subsidies.services import (  # noqa: E402
    applying,
    disbursements,
    notices,
    obligations,
    recoveries,
    reviewing,
)


def main(mode: str, threads: int, arg: str) -> None:
    reviewers = list(User.objects.filter(role="reviewer", username__startswith="contention").order_by("pk"))
    start = threading.Barrier(threads)
    errors, outcomes = [], []
    lock = threading.Lock()

    def one(n: int) -> None:
        actor = reviewers[n % len(reviewers)] if reviewers else None
        done, refused = [], []
        start.wait()
        try:
            if mode == "pay":
                for pk in arg.split(","):
                    application = Application.objects.get(pk=int(pk))
                    try:
                        disbursements.disbursement_record(
                            actor=actor,
                            application=application,
                            amount=application.amount,
                            paid_on=datetime.date(2026, 10, 20),
                            reference=f"T{n}-{pk}",
                        )
                        done.append(int(pk))
                    except DomainError as exc:
                        refused.append(exc.code)
            elif mode == "import":
                with open(arg, "rb") as fh:
                    report = disbursements.disbursement_import(actor=actor, source=fh)
                done.extend(p["number"] for p in report.paid)
                refused.extend(r["code"] for r in report.rejected)
            elif mode == "submit":
                for pk in arg.split(","):
                    application = Application.objects.get(pk=int(pk))
                    try:
                        saved = applying.application_submit(
                            actor=application.created_by, application=application, acknowledge_warning=True
                        )
                        done.append(saved.number)
                    except DomainError as exc:
                        refused.append(f"{exc.code}: {exc.message}")
            elif mode == "decide":
                for pk in arg.split(","):
                    application = Application.objects.get(pk=int(pk))
                    try:
                        if n % 2:
                            reviewing.application_refuse(
                                actor=actor, application=application, reason="材料不全", seen_status="submitted"
                            )
                        else:
                            reviewing.application_accept(actor=actor, application=application, seen_status="submitted")
                        done.append(int(pk))
                    except DomainError as exc:
                        refused.append(f"{exc.code}: {exc.message}")
            elif mode == "repay":
                try:
                    recoveries.repayment_record(
                        actor=actor,
                        recovery=Recovery.objects.get(pk=int(arg)),
                        amount="1000",
                        paid_on=timezone.localdate(),
                        reference=f"JK-T{n}",
                    )
                    done.append(n)
                except DomainError as exc:
                    refused.append(exc.code)
            elif mode == "check":
                for pk in arg.split(","):
                    try:
                        check = obligations.obligation_check(obligation=Obligation.objects.get(pk=int(pk)), actor=actor)
                        done.append(f"{pk}:{check.result}")
                    except DomainError as exc:
                        refused.append(exc.code)
            elif mode == "finalise":
                try:
                    report = notices.notice_batch_finalise(
                        actor=actor, batch=NoticeBatch.objects.get(pk=int(arg)), today=datetime.date(2026, 10, 14)
                    )
                    done.extend(report.approved)
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
