"""免申即享 at most once, also when reviewers act at the same moment: one batch per policy, cycle and
town however many build it, one 公示 however many publish it, and each line paid once however many
pay it (the threads run in another process, each on its own connection; see ``test_contention``)."""

import datetime
from collections import Counter
from pathlib import Path

import pytest

from chuangfu.core.models import Role
from chuangfu.core.workflow import SYSTEM
from chuangfu.subsidies.models import Application, Disbursement, EntitlementBatch, EntitlementLine, NoticeBatch, Status
from chuangfu.subsidies.services import notices
from tests import factories as f

from .entitlement_builders import approved, automatic_policy, person
from .test_contention import run_worker

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.slow]
WORKER = Path(__file__).with_name("entitlement_worker.py")


def test_many_reviewers_building_publishing_and_paying_one_cycle_do_each_once(tmp_path):
    policy = automatic_policy()
    people = [person(f"青年{n}") for n in range(4)]
    for n in range(4):
        f.user(role=Role.REVIEWER, username=f"contention{n}")
    leader = f.user(role=Role.LEADER)

    built = run_worker("build", 6, str(policy.pk), tmp_path, worker=WORKER)
    assert built["errors"] == []
    assert len([n for o in built["outcomes"] for n in o["done"]]) == 1
    batch = EntitlementBatch.objects.get()
    assert sorted(batch.lines.values_list("person_id", flat=True)) == sorted(p.pk for p in people)

    approved(batch, f.user(role=Role.REVIEWER), leader)
    published = run_worker("publish", 6, str(batch.pk), tmp_path, worker=WORKER)
    assert published["errors"] == []
    assert len([n for o in published["outcomes"] for n in o["done"]]) == 1
    assert Counter(c for o in published["outcomes"] for c in o["refused"]) == {"already_handled": 5}
    assert NoticeBatch.objects.count() == 1 and Application.objects.count() == 4

    notices.notice_batch_finalise(actor=SYSTEM, batch=NoticeBatch.objects.get(), today=datetime.date(2026, 10, 14))
    ids = ",".join(str(pk) for pk in EntitlementLine.objects.values_list("application_id", flat=True))
    paid = run_worker("pay", 8, ids, tmp_path)
    assert paid["errors"] == []
    assert Counter(code for o in paid["outcomes"] for code in o["refused"]) == {"already_paid": 8 * 4 - 4}
    assert Counter(Disbursement.objects.values_list("application__entitlement_line__person_id", flat=True)) == {
        p.pk: 1 for p in people
    }
    assert set(Application.objects.values_list("status", flat=True)) == {Status.DISBURSED}
