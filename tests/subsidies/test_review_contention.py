"""Two (or six) reviewers deciding on the same submitted applications at the same moment: for each
application one decision wins, every other reviewer is told who handled it, nothing is decided twice.
Runs the threads in another process on their own connections (see ``test_contention``)."""

import datetime
from collections import Counter

import pytest

from chuangfu.core.models import AuditEntry, Role, TimelineEvent
from chuangfu.core.workflow import fire
from chuangfu.subsidies.models import Application, ApplicationCounter, Status
from chuangfu.subsidies.workflows import APPLICATION
from tests import factories as f

from .builders import applicant_account
from .conftest import draft
from .test_contention import run_worker

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_reviewers_deciding_at_once_one_wins_the_others_are_told_who(policy, tmp_path):
    reviewers = [f.user(role=Role.REVIEWER, username=f"contention{n}", display_name=f"并发审核{n}") for n in range(6)]
    applications = []
    for n in range(4):
        account = applicant_account(name=f"申请人{n}")
        application = draft(policy, account)
        today = datetime.date.today()
        applications.append(
            fire(
                APPLICATION,
                application,
                "submit",
                actor=account,
                changes={
                    "number": ApplicationCounter.next_number(today),
                    "submitted_by": account,
                    "submitted_on": today,
                },
            )
        )
    outcome = run_worker("decide", 6, ",".join(str(a.pk) for a in applications), tmp_path)
    assert outcome["errors"] == []
    done = Counter(pk for o in outcome["outcomes"] for pk in o["done"])
    assert done == {a.pk: 1 for a in applications}
    refusals = [r for o in outcome["outcomes"] for r in o["refused"]]
    assert len(refusals) == 6 * 4 - 4
    assert all(r.startswith("already_handled:") and "并发审核" in r for r in refusals), refusals[:3]
    decided = Application.objects.filter(pk__in=[a.pk for a in applications])
    assert set(decided.values_list("status", flat=True)) <= {Status.ACCEPTED, Status.NOT_ACCEPTED}
    decisions = AuditEntry.objects.filter(action__in=["subsidies.application.accept", "subsidies.application.refuse"])
    assert decisions.count() == 4
    assert TimelineEvent.objects.filter(action__in=["accept", "refuse"]).count() == 4
    assert {a.handled_by_id for a in decided} <= {r.pk for r in reviewers}


def test_the_same_draft_submitted_at_once_is_one_submission(policy, tmp_path):
    from chuangfu.subsidies.models import ApplicationMaterial

    from .conftest import PDF

    drafts = []
    for n in range(3):
        account = applicant_account(name=f"申请人{n}")
        application = draft(policy, account)
        for requirement in application.form.materials.all():
            ApplicationMaterial.objects.create(
                application=application,
                requirement=requirement,
                file="subsidies/x.pdf",
                original_name="x.pdf",
                content_type="application/pdf",
                size=len(PDF),
            )
        drafts.append(application)
    outcome = run_worker("submit", 6, ",".join(str(a.pk) for a in drafts), tmp_path)
    assert outcome["errors"] == []
    assert [r for o in outcome["outcomes"] for r in o["refused"]] == []
    numbers = Counter(number for o in outcome["outcomes"] for number in o["done"])
    assert len(numbers) == 3 and set(numbers.values()) == {6}  # every click answered with the one number
    assert TimelineEvent.objects.filter(action="submit").count() == 3
    assert AuditEntry.objects.filter(action="subsidies.application.submit").count() == 3
    assert set(Application.objects.values_list("status", flat=True)) == {Status.SUBMITTED}
