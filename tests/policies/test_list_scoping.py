"""The almost-eligible and outreach lists are scoped by where the last full match found each
subject (the run's ``*_places``) and corrected by the re-evaluations since (decision 40): they
must equal the same lists computed the slow way — every subject the reader may see, looked up
one by one, and the outreach query over the rows — and must never show a clerk another town's
subject: not a sibling town's, not a district-level one, not one who moved away after the match
(with or without being re-evaluated), not through a re-evaluation row. On both databases (the
suite runs on each)."""

import datetime

import numpy as np
import pytest

from chuangfu.core.models import Role
from chuangfu.policies import selectors
from chuangfu.policies.models import Grant, MatchRun, OutreachCampaign, OutreachContact, Result
from chuangfu.policies.services.matching import match_policies, match_subject
from chuangfu.registry.models import Person
from tests import factories as f

from .conftest import make_policy, stored_match, village

pytestmark = pytest.mark.django_db
D = datetime.date
ON = D(2025, 6, 1)
ZHANGJIANG = "310115125"
RULE = {
    "all": [
        {"fact": "age", "op": "lte", "value": 35},
        {"fact": "hukou_kind", "op": "in", "value": ["local", "permit"]},
    ]
}


def born(name, year, where, **fields):
    fields.setdefault("hukou_kind", "local")
    birth = D(year, 1, 1)
    return f.person(name=name, id_number=f.id_number(birth=birth), birth_date=birth, jurisdiction=where, **fields)


@pytest.fixture
def world(db):
    """Eligible (born 1995) and almost eligible (born 1980) people in 唐镇, in a village of 唐镇,
    in 张江 and at the district itself; a policy of the district matched over all of them."""
    tangzhen, zhangjiang, district = f.town(), f.town(ZHANGJIANG), f.district()
    places = {"唐镇": tangzhen, "唐镇村": village(tangzhen), "张江": zhangjiang, "区": district}
    people = {}
    for label, where in places.items():
        for n in range(3):
            people[f"{label}适{n}"] = born(f"{label}适{n}", 1995, where)
            people[f"{label}差{n}"] = born(f"{label}差{n}", 1980, where)
    policy = make_policy(code="lists", rule=RULE, jurisdiction=district)
    match_policies(policies=[policy], on=ON)
    district_staff = f.user(role=Role.DESK_STAFF, jurisdiction=district)
    admin = f.user(role=Role.ADMIN)
    admin.jurisdiction = None
    admin.save(update_fields=["jurisdiction"])
    actors = {
        "唐镇": f.user(role=Role.DESK_STAFF, jurisdiction=tangzhen),
        "张江": f.user(role=Role.DESK_STAFF, jurisdiction=zhangjiang),
        "村": f.user(role=Role.DESK_STAFF, jurisdiction=places["唐镇村"]),
        "区": district_staff,
        "平台": admin,
    }
    return {"policy": policy, "people": people, "places": places, "actors": actors}


def _visible(actor):
    from chuangfu.core.scoping import visible_jurisdiction_ids

    ids = visible_jurisdiction_ids(actor)
    qs = Person.objects.all() if ids is None else Person.objects.filter(jurisdiction_id__in=ids)
    return list(qs.order_by("id").values_list("id", flat=True))


def slow_list(actor, policy, result):
    """Every subject the actor may see now, each looked up in the stored matches (its row, else
    the run's lists), in id order: the list as the slow way gives it."""
    found = []
    for pk in _visible(actor):
        m = stored_match(policy=policy, kind="person", subject_id=pk)
        if m is not None and m.result == result:
            found.append(pk)
    return found


def slow_outreach(actor, policy):
    return [m.person_id for m in selectors.outreach_list(actor=actor, policy=policy)]


def paged(listed, per_page=2):
    """Every page's subject ids, as the paginators read them (slices), and the count."""
    ids = []
    for start in range(0, len(listed), per_page):
        ids += [m.person_id for m in listed[start : start + per_page]]
    return ids, listed.count()


def fast(actor, policy, result):
    if result == "outreach":
        listed = selectors.outreach_pages(actor=actor, policy=policy)
        assert isinstance(listed, selectors.OutreachMatches)  # the fast path, not the query
    else:
        listed = selectors.match_list(actor=actor, policy=policy, result=result)
    return paged(listed)


def assert_lists_equal_the_slow_ones(world):
    policy = world["policy"]
    for name, actor in world["actors"].items():
        for result in (Result.ALMOST, Result.UNKNOWN):
            expected = slow_list(actor, policy, result)
            assert fast(actor, policy, result) == (expected, len(expected)), (name, result)
        expected = slow_outreach(actor, policy)
        assert fast(actor, policy, "outreach") == (expected, len(expected)), (name, "outreach")


def names(actor, policy):
    """The names on every list the actor reads: almost, unknown and outreach, every page."""
    shown = set()
    for result in (Result.ALMOST, Result.UNKNOWN):
        listed = selectors.match_list(actor=actor, policy=policy, result=result)
        shown |= {m.person.name for m in listed[0 : len(listed)]}
    listed = selectors.outreach_pages(actor=actor, policy=policy)
    shown |= {m.person.name for m in listed[0 : len(listed)]}
    return shown


def test_each_reader_sees_exactly_their_jurisdictions_subjects(world):
    policy, actors = world["policy"], world["actors"]
    assert_lists_equal_the_slow_ones(world)
    assert names(actors["唐镇"], policy) == {f"{p}{r}{n}" for p in ("唐镇", "唐镇村") for r in "适差" for n in range(3)}
    assert names(actors["张江"], policy) == {f"张江{r}{n}" for r in "适差" for n in range(3)}
    assert names(actors["村"], policy) == {f"唐镇村{r}{n}" for r in "适差" for n in range(3)}
    # The district's own subjects are the district's, never a town's (the scope net lets a town
    # read records of the district above it; the lists do not).
    assert {f"区{r}{n}" for r in "适差" for n in range(3)} <= names(actors["区"], policy)
    assert len(names(actors["平台"], policy)) == 24


def test_a_subject_moved_and_re_evaluated_leaves_the_old_towns_lists_and_joins_the_new_ones(world):
    policy, people, actors = world["policy"], world["people"], world["actors"]
    for label in ("唐镇适0", "唐镇差0"):
        mover = people[label]
        mover.jurisdiction = world["places"]["张江"]
        mover.save()
        match_subject(kind="person", subject_id=mover.pk, on=ON)  # what the queue does after the save
    assert {"唐镇适0", "唐镇差0"}.isdisjoint(names(actors["唐镇"], policy))
    assert {"唐镇适0", "唐镇差0"} <= names(actors["张江"], policy)
    assert_lists_equal_the_slow_ones(world)


def test_a_subject_moved_without_re_evaluation_is_shown_to_no_town_but_its_own(world, client):
    """A bulk update bypasses the registry's services: no re-evaluation row says where the
    subject is now, and the run still places it in 唐镇. 唐镇's pages leave it out."""
    policy, people, actors = world["policy"], world["people"], world["actors"]
    moved = [people["唐镇适1"].pk, people["唐镇差1"].pk]
    Person.objects.filter(pk__in=moved).update(jurisdiction=world["places"]["张江"])
    assert {"唐镇适1", "唐镇差1"}.isdisjoint(names(actors["唐镇"], policy))
    assert {"唐镇适1", "唐镇差1"}.isdisjoint(names(actors["村"], policy))
    client.force_login(actors["唐镇"])
    for path, own in (
        (f"/policies/{policy.pk}/matches/?result=almost", "唐镇差0"),
        (f"/policies/{policy.pk}/outreach/", "唐镇适0"),
    ):
        page = client.get(path).content.decode()
        assert own in page, path  # the page lists the town's own
        assert "唐镇适1" not in page and "唐镇差1" not in page, path
    for path, own in (
        (f"/api/policies/{policy.pk}/matches?result=almost", "唐镇差0"),
        (f"/api/policies/{policy.pk}/outreach", "唐镇适0"),
    ):
        shown = {item["name"] for item in client.get(path).json()["items"]}
        assert own in shown and shown.isdisjoint({"唐镇适1", "唐镇差1"}), path


def test_re_evaluation_rows_are_placed_where_their_subject_is_now(world):
    """Rows of re-evaluated subjects in another town, at the district, and of a subject whose
    result changed (eligible → almost, almost → unknown) stay in their own jurisdiction's lists."""
    policy, people, actors = world["policy"], world["people"], world["actors"]
    changes = {"张江适0": 1980, "区适0": 1980, "张江适1": None, "唐镇适2": 1980}
    for label, year in changes.items():
        person = people[label]
        if year is None:
            Person.objects.filter(pk=person.pk).update(hukou_kind="")  # unknown now
        else:
            Person.objects.filter(pk=person.pk).update(birth_date=D(year, 1, 1))
        match_subject(kind="person", subject_id=person.pk, on=ON)
    assert {"张江适0", "区适0", "张江适1"}.isdisjoint(names(actors["唐镇"], policy))
    almost = selectors.match_list(actor=actors["唐镇"], policy=policy, result=Result.ALMOST)
    assert people["唐镇适2"].pk in {m.person_id for m in almost[0 : len(almost)]}
    unknown = selectors.match_list(actor=actors["张江"], policy=policy, result=Result.UNKNOWN)
    assert [m.person.name for m in unknown[0 : len(unknown)]] == ["张江适1"]
    assert_lists_equal_the_slow_ones(world)


def test_granted_and_applied_subjects_leave_the_outreach_list_in_every_town(world):
    policy, people, actors = world["policy"], world["people"], world["actors"]
    Grant.objects.create(policy=policy, person=people["唐镇适0"], granted_on=ON, source="manual")
    Grant.objects.create(policy=policy, person=people["张江适0"], granted_on=ON, source="manual")
    campaign = OutreachCampaign.objects.create(
        policy=policy,
        version=policy.versions.get(),
        jurisdiction=world["places"]["唐镇"],
        title="提醒",
        message="请申请",
    )
    OutreachContact.objects.create(campaign=campaign, person=people["唐镇村适1"], applied_on=ON)
    OutreachContact.objects.create(campaign=campaign, person=people["唐镇适1"])  # told, not applied
    listed = paged(selectors.outreach_pages(actor=actors["唐镇"], policy=policy))[0]
    expected = [people[k].pk for k in ("唐镇适1", "唐镇适2", "唐镇村适0", "唐镇村适2")]
    assert listed == sorted(expected)
    assert_lists_equal_the_slow_ones(world)


def test_a_run_stored_without_places_or_ids_is_read_the_slow_way(world):
    """A run written before it kept its subjects' jurisdictions (or a complete eligible list):
    the almost list reads the town's ids, the outreach list is the query over the rows."""
    policy, actors = world["policy"], world["actors"]
    MatchRun.objects.filter(policy=policy).update(almost_places=b"", unknown_places=b"", eligible_ids=b"")
    assert not isinstance(selectors.outreach_pages(actor=actors["唐镇"], policy=policy), selectors.OutreachMatches)
    for name, actor in world["actors"].items():
        for result in (Result.ALMOST, Result.UNKNOWN):
            expected = slow_list(actor, policy, result)
            assert paged(selectors.match_list(actor=actor, policy=policy, result=result)) == (
                expected,
                len(expected),
            ), name
        expected = slow_outreach(actor, policy)
        assert paged(selectors.outreach_pages(actor=actor, policy=policy)) == (expected, len(expected)), name


def test_a_campaign_jurisdiction_narrows_the_list_to_its_subtree(world):
    """``jurisdiction`` (a campaign's scope) narrows within what the actor may see."""
    policy, actors, places = world["policy"], world["actors"], world["places"]
    for where, expected in (("唐镇村", {"唐镇村差0", "唐镇村差1", "唐镇村差2"}), ("张江", set())):
        listed = selectors.match_list(
            actor=actors["唐镇"], policy=policy, result=Result.ALMOST, jurisdiction=places[where]
        )
        assert {m.person.name for m in listed[0 : len(listed)]} == expected
    listed = selectors.OutreachMatches.of(policy, np.array([places["唐镇村"].pk], dtype=np.int32))
    assert {m.person.name for m in listed[0 : len(listed)]} == {"唐镇村适0", "唐镇村适1", "唐镇村适2"}
