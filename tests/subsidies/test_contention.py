"""Paid at most once, approved once: also when many reviewers pay the same applications, import the
same finance sheet, or finalise the same 公示 at the same moment.

The threads run in another process against the same database, each on its own connection: on
SQLite a file copy of the test database, on PostgreSQL the test database itself (committed data,
hence ``transactional_db``)."""

import datetime
import json
import os
import sqlite3
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection

from chuangfu.core import crypto
from chuangfu.core.models import AuditEntry, Role
from chuangfu.core.workflow import SYSTEM
from chuangfu.policies.models import Grant
from chuangfu.subsidies.models import Application, Disbursement, Status
from chuangfu.subsidies.services import notices
from tests import factories as f

from .builders import applicant_account, finance_sheet, second_reviewed

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
WORKER = Path(__file__).with_name("contention_worker.py")


def run_worker(mode: str, threads: int, arg: str, tmp_path, worker: Path = WORKER) -> dict:
    env = {**os.environ, "CHUANGFU_DATA_KEY": crypto._key().decode(), "CHUANGFU_VAR_DIR": str(tmp_path)}
    env.pop("CHUANGFU_TEST_SQLITE", None)
    database = tmp_path / "chuangfu.sqlite3"
    if connection.vendor == "sqlite":
        env.pop("DATABASE_URL", None)
        database.unlink(missing_ok=True)
        target = sqlite3.connect(database)
        connection.ensure_connection()
        connection.connection.backup(target)
        target.close()
    else:
        settings = connection.settings_dict
        env["DATABASE_URL"] = (
            f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@{settings['HOST']}:"
            f"{settings['PORT'] or 5432}/{settings['NAME']}"
        )
    result = subprocess.run(
        [sys.executable, str(worker), mode, str(threads), arg], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    if connection.vendor == "sqlite":  # read the worker's results back into the test database
        source = sqlite3.connect(database)
        connection.ensure_connection()
        source.backup(connection.connection)
        source.close()
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def setting(policy, reviewer, reviewer2):
    for n in range(4):
        f.user(role=Role.REVIEWER, username=f"contention{n}")
    applications = [
        second_reviewed(policy, applicant_account(name=f"申请人{n}"), reviewer, reviewer2, amount=Decimal(1000 + n))
        for n in range(5)
    ]
    batch = notices.notice_batch_create(actor=reviewer, title="并发公示", applications=applications)
    batch = notices.notice_batch_publish(actor=reviewer, batch=batch, today=datetime.date(2026, 9, 30))
    return applications, batch


def _paid_once(applications):
    counts = Counter(Disbursement.objects.values_list("application_id", flat=True))
    assert counts == {a.pk: 1 for a in applications}
    assert Counter(Grant.objects.values_list("reference", flat=True)) == {a.number: 1 for a in applications}
    assert set(Application.objects.filter(pk__in=[a.pk for a in applications]).values_list("status", flat=True)) == {
        Status.DISBURSED
    }
    assert AuditEntry.objects.filter(action="subsidies.application.disburse").count() == len(applications)


def test_many_reviewers_paying_the_same_applications_pay_each_once(setting, tmp_path):
    applications, batch = setting
    notices.notice_batch_finalise(actor=SYSTEM, batch=batch, today=datetime.date(2026, 10, 14))
    outcome = run_worker("pay", 12, ",".join(str(a.pk) for a in applications), tmp_path)
    assert outcome["errors"] == []
    done = [pk for o in outcome["outcomes"] for pk in o["done"]]
    refused = Counter(code for o in outcome["outcomes"] for code in o["refused"])
    assert sorted(done) == sorted(a.pk for a in applications)
    assert refused == {"already_paid": 12 * 5 - 5}
    _paid_once(applications)


def test_the_same_sheet_imported_at_once_by_several_reviewers_pays_each_once(setting, tmp_path):
    applications, batch = setting
    notices.notice_batch_finalise(actor=SYSTEM, batch=batch, today=datetime.date(2026, 10, 14))
    sheet = tmp_path / "拨付结果.xlsx"
    sheet.write_bytes(finance_sheet([(a.number, "", a.amount, "2026-10-20", f"ZF{a.pk}") for a in applications]).read())
    outcome = run_worker("import", 6, str(sheet), tmp_path)
    assert outcome["errors"] == []
    done = Counter(number for o in outcome["outcomes"] for number in o["done"])
    assert done == {a.number: 1 for a in applications}
    assert Counter(code for o in outcome["outcomes"] for code in o["refused"]) == {"already_paid": 6 * 5 - 5}
    _paid_once(applications)


def test_several_reviewers_finalising_one_notice_at_once_approve_each_application_once(setting, tmp_path):
    applications, batch = setting
    outcome = run_worker("finalise", 6, str(batch.pk), tmp_path)
    assert outcome["errors"] == []
    approved = Counter(number for o in outcome["outcomes"] for number in o["done"])
    assert approved == {a.number: 1 for a in applications}
    assert Counter(code for o in outcome["outcomes"] for code in o["refused"]) == {"already_finalised": 5}
    assert AuditEntry.objects.filter(action="subsidies.application.finalise").count() == 5
    assert set(Application.objects.filter(pk__in=[a.pk for a in applications]).values_list("status", flat=True)) == {
        Status.APPROVED
    }
