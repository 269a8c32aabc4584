"""How a full match stores its results and how they are read back: the eligible as rows, the
almost eligible and unknown in the policy's run, re-evaluations of one subject overriding the
run, and every list scoped to what the reader may see."""

import datetime

import pytest
from django.utils import timezone

from chuangfu.core.models import Role
from chuangfu.policies import selectors
from chuangfu.policies.models import Match, MatchRun
from chuangfu.policies.services.matching import match_policies, match_subject
from chuangfu.policies.summaries import summary_of
from tests import factories as f

from .conftest import make_policy, stored_match

pytestmark = pytest.mark.django_db
D = datetime.date
ON = D(2025, 6, 1)
RULE = {
    "all": [
        {"fact": "age", "op": "lte", "value": 35},
        {"fact": "residence", "op": "within", "value": "310115114"},
        {"fact": "hukou_kind", "op": "in", "value": ["local", "permit"]},
    ]
}


def born(year, **fields):
    fields.setdefault("hukou_kind", "local")
    return f.person(id_number=f.id_number(birth=D(year, 1, 1)), birth_date=D(year, 1, 1), **fields)


@pytest.fixture
def policy(db):
    return make_policy(code="storage", rule=RULE, jurisdiction=f.district())


@pytest.fixture
def district_staff(db):
    user = f.user(role=Role.DESK_STAFF)
    user.jurisdiction = f.district()
    user.save(update_fields=["jurisdiction"])
    return user


def listed(actor, policy, result):
    matches = selectors.match_list(actor=actor, policy=policy, result=result)
    return {m.person_id: m for m in matches[0 : len(matches)]}


def test_a_full_match_stores_the_eligible_as_rows_and_the_rest_in_its_run(policy, district_staff):
    young, older = born(1995), born(1980)
    elsewhere = born(1995, jurisdiction=f.town("310115125"))
    blank = born(1995, hukou_kind="")
    matched, skipped = match_policies(policies=[policy], on=ON)
    assert matched == {"storage": {"version": 1, "eligible": 1, "almost": 2, "unknown": 1}} and not skipped
    row = Match.objects.get()
    assert (row.person_id, row.result, row.evaluated_on, row.computed_at) == (young.pk, "eligible", None, None)
    assert summary_of(stored_match(policy=policy, kind="person", subject_id=older.pk)) == "差一项：年龄不超过 35 周岁"
    run = MatchRun.objects.get(policy=policy)
    assert (run.evaluated_on, run.eligible, run.almost, run.unknown) == (ON, 1, 2, 1)
    almost = listed(district_staff, policy, "almost")
    assert {k: summary_of(m) for k, m in almost.items()} == {
        older.pk: "差一项：年龄不超过 35 周岁",
        elsewhere.pk: "差一项：常住地在唐镇",
    }
    (unknown,) = listed(district_staff, policy, "unknown").values()
    assert (unknown.person_id, summary_of(unknown), unknown.evaluated) == (
        blank.pk,
        "待核实：户籍性质为本市户籍、外省市户籍（持上海市居住证）之一",
        ON,
    )
    (eligible,) = selectors.match_list(actor=district_staff, policy=policy)
    assert eligible.evaluated == ON


def test_a_town_reads_only_its_own_subjects_in_every_list_and_count(policy, district_staff):
    born(1980)
    zhangjiang = born(1995, jurisdiction=f.town("310115125"))
    match_policies(policies=[policy], on=ON)
    tangzhen_desk = f.user(role=Role.DESK_STAFF)
    zhangjiang_desk = f.user(role=Role.DESK_STAFF, jurisdiction=f.town("310115125"))
    assert selectors.match_counts(actor=district_staff, policy=policy) == {"eligible": 0, "almost": 2, "unknown": 0}
    assert selectors.match_counts(actor=tangzhen_desk, policy=policy) == {"eligible": 0, "almost": 1, "unknown": 0}
    assert list(listed(zhangjiang_desk, policy, "almost")) == [zhangjiang.pk]
    assert selectors.scoped_match_counts(actor=zhangjiang_desk)[policy.pk] == {"eligible": 0, "almost": 1, "unknown": 0}


def test_a_re_evaluated_subject_overrides_the_run_until_the_next_full_match(policy, district_staff):
    older, young = born(1980), born(1995)
    match_policies(policies=[policy], on=ON)
    # The older person's birth date was wrong: now eligible; the young one moved to 张江镇.
    older.birth_date = D(1996, 1, 1)
    older.save()
    young.jurisdiction = f.town("310115125")
    young.save()
    match_subject(kind="person", subject_id=older.pk, on=ON)
    match_subject(kind="person", subject_id=young.pk, on=ON)
    assert {m.person_id for m in selectors.match_list(actor=district_staff, policy=policy)} == {older.pk}
    assert list(listed(district_staff, policy, "almost")) == [young.pk]
    assert selectors.match_counts(actor=district_staff, policy=policy) == {"eligible": 1, "almost": 1, "unknown": 0}
    # A re-evaluation into "ineligible" leaves a row that hides the subject from the run's list.
    young.birth_date = D(1970, 1, 1)
    young.save()
    match_subject(kind="person", subject_id=young.pk, on=ON)
    assert Match.objects.get(person=young).result == "ineligible"
    assert stored_match(policy=policy, kind="person", subject_id=young.pk) is None
    assert stored_match(policy=policy, kind="person", subject_id=older.pk).result == "eligible"
    assert listed(district_staff, policy, "almost") == {}
    assert selectors.scoped_match_counts(actor=district_staff)[policy.pk] == {"eligible": 1, "almost": 0, "unknown": 0}
    # The next full match answers for everyone again and clears the re-evaluations.
    match_policies(policies=[policy], on=ON)
    assert list(Match.objects.values_list("person_id", "result", "computed_at")) == [(older.pk, "eligible", None)]
    assert listed(district_staff, policy, "almost") == {}


def test_a_re_evaluation_written_while_a_full_match_runs_is_kept(policy, district_staff):
    """The full match reads the facts before it writes; a subject re-evaluated meanwhile keeps
    its newer row instead of the match's older answer."""
    changed = born(1995)
    match_policies(policies=[policy], on=ON)
    later = timezone.now() + datetime.timedelta(minutes=1)  # written after the next match read the facts
    Match.objects.filter(person=changed).update(
        result="almost", open_index=0, open_count=1, evaluated_on=ON, computed_at=later
    )
    matched, _skipped = match_policies(policies=[policy], on=ON)
    assert matched["storage"]["eligible"] == 1
    row = Match.objects.get(person=changed)
    assert (row.result, row.computed_at) == ("almost", later)
    assert list(listed(district_staff, policy, "almost")) == [changed.pk]


def test_the_api_lists_each_result_and_refuses_an_unknown_one(client, policy, district_staff):
    older = born(1980)
    match_policies(policies=[policy], on=ON)
    client.force_login(district_staff)
    page = client.get(f"/api/policies/{policy.pk}/matches", {"result": "almost"}).json()
    assert [(i["subject_id"], i["result"], i["evaluated_on"]) for i in page["items"]] == [
        (older.pk, "almost", ON.isoformat())
    ]
    assert client.get(f"/api/policies/{policy.pk}/matches", {"result": "ineligible"}).status_code == 422


def test_the_staff_pages_show_the_almost_eligible_with_their_reason(client, policy, district_staff):
    born(1980, name="李四")
    match_policies(policies=[policy], on=ON)
    client.force_login(district_staff)
    page = client.get(f"/policies/{policy.pk}/matches/", {"result": "almost"}).content.decode()
    assert "李四" in page and "差一项：年龄不超过 35 周岁" in page and "2025-06-01" in page
    detail = client.get(f"/policies/{policy.pk}/").content.decode()
    assert ">1</div>" in detail.replace(" ", "")


def test_counts_follow_a_subject_re_evaluated_into_another_town(policy, district_staff):
    """Counts come from the run's tallies by place; a subject re-evaluated since is taken out of
    where the run counted it and counted where it is now, as the lists show it."""
    mover, stayer = born(1995), born(1980)
    match_policies(policies=[policy], on=ON)
    tangzhen_desk = f.user(role=Role.DESK_STAFF)
    zhangjiang_desk = f.user(role=Role.DESK_STAFF, jurisdiction=f.town("310115125"))
    assert selectors.match_counts(actor=tangzhen_desk, policy=policy) == {"eligible": 1, "almost": 1, "unknown": 0}
    mover.jurisdiction = f.town("310115125")
    mover.save()
    match_subject(kind="person", subject_id=mover.pk, on=ON)  # now almost: not living in 唐镇
    for actor, expected in (
        (tangzhen_desk, {"eligible": 0, "almost": 1, "unknown": 0}),
        (zhangjiang_desk, {"eligible": 0, "almost": 1, "unknown": 0}),
        (district_staff, {"eligible": 0, "almost": 2, "unknown": 0}),
    ):
        counts = selectors.match_counts(actor=actor, policy=policy)
        assert counts == expected, actor
        assert selectors.scoped_match_counts(actor=actor)[policy.pk] == expected
        listed_now = {r: len(selectors.match_list(actor=actor, policy=policy, result=r)) for r in expected}
        assert listed_now == counts  # the lists and the counts agree
    assert set(listed(zhangjiang_desk, policy, "almost")) == {mover.pk}
    assert set(listed(tangzhen_desk, policy, "almost")) == {stayer.pk}


def test_a_full_match_runs_every_night_as_a_recorded_job(policy, django_capture_on_commit_callbacks):
    """Eligibility moves with the calendar, so the whole registry is matched again each night."""
    from huey.contrib.djhuey import HUEY

    from chuangfu.core.models import Job
    from chuangfu.policies.tasks import nightly_match

    assert "nightly_match" in {t.__name__ for t in HUEY._registry._periodic_tasks}
    born(1995)
    with django_capture_on_commit_callbacks(execute=True):
        job = Job.objects.get(pk=nightly_match.call_local())
    job.refresh_from_db()
    assert (job.kind, job.status, job.created_by) == ("policies.match", "done", None)
    assert MatchRun.objects.get(policy=policy).evaluated_on == timezone.localdate()
    assert Match.objects.filter(policy=policy, result="eligible").count() == 1


def test_the_next_full_match_writes_only_what_changed_and_ends_as_a_fresh_one(policy, caplog):
    """The rows of the subjects eligible both times stay as they are; the others are deleted or
    inserted, a re-evaluation before the match is superseded, and the end state equals a match
    into an empty table (decision 40)."""
    import logging

    stays, leaves, re_evaluated = born(1995), born(1994), born(1993)
    comes = born(1980)
    match_policies(policies=[policy], on=ON)
    kept_row = Match.objects.get(person=stays).pk
    leaves.birth_date = D(1970, 1, 1)
    leaves.save()
    comes.birth_date = D(1996, 1, 1)
    comes.save()
    match_subject(kind="person", subject_id=re_evaluated.pk, on=ON)  # re-evaluated: still eligible
    assert Match.objects.get(person=re_evaluated).computed_at is not None
    with caplog.at_level(logging.INFO, logger="chuangfu.policies"):
        matched, _skipped = match_policies(policies=[policy], on=ON)
    # deleted: the one who left and the superseded re-evaluation; inserted: the newcomer and it again
    assert "full match: 4 rows written for 1 policies" in caplog.text
    assert matched["storage"]["eligible"] == 3
    rows = set(Match.objects.values_list("person_id", "result", "computed_at", "evaluated_on"))
    assert rows == {(p.pk, "eligible", None, None) for p in (stays, re_evaluated, comes)}
    assert Match.objects.get(person=stays).pk == kept_row  # not rewritten
    # Another version in force: every row is replaced (rows name their version).
    version = policy.versions.get()
    version.pk, version.number = None, 2
    version.effective_from = D(2025, 1, 1)
    version.save()
    matched, _skipped = match_policies(policies=[policy], on=ON)
    assert set(Match.objects.values_list("person_id", "version__number")) == {
        (p.pk, 2) for p in (stays, re_evaluated, comes)
    }
    assert Match.objects.get(person=stays).pk != kept_row


def test_a_full_match_rewrites_only_the_run_lists_that_changed(policy, district_staff):
    """Each result's lists carry a digest; a match whose almost-eligible list is last night's
    leaves those columns as they are (and does not read the eligible ids it already has), and
    the lists read back are a fresh match's either way (decision 40, 2026-12-07)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    stays, older = born(1995), born(1980)
    blank = born(1995, hukou_kind="")
    match_policies(policies=[policy], on=ON)
    digests = MatchRun.objects.get(policy=policy).lists_digest
    assert set(digests) == {"eligible", "almost", "unknown"}

    def run_writes():
        with CaptureQueriesContext(connection) as queries:
            match_policies(policies=[policy], on=ON)
        sql = [q["sql"] for q in queries.captured_queries if "policies_matchrun" in q["sql"]]
        updates = [s for s in sql if s.startswith("UPDATE")]
        assert len(updates) == 1
        read = any(s.startswith("SELECT") and '"eligible_ids"' in s for s in sql)
        return {name for name in ("eligible_ids", "almost_ids", "unknown_ids") if f'"{name}"' in updates[0]}, read

    assert run_writes() == (set(), False)
    older.birth_date = D(1996, 1, 1)  # almost → eligible: two lists change, the unknown one does not
    older.save()
    assert run_writes() == ({"eligible_ids", "almost_ids"}, True)  # the old eligible ids, to diff
    assert MatchRun.objects.get(policy=policy).lists_digest["unknown"] == digests["unknown"]
    assert listed(district_staff, policy, "almost") == {}
    assert set(listed(district_staff, policy, "unknown")) == {blank.pk}
    assert set(Match.objects.filter(policy=policy).values_list("person_id", flat=True)) == {stays.pk, older.pk}
