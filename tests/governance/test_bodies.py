"""Bodies, terms and members: a member sits once per term, leaving keeps the history, a change of
person is one step, and another town's bodies are not found."""

import datetime

import pytest
from django.urls import reverse

from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.models import AuditEntry
from chuangfu.governance import selectors
from chuangfu.governance.models import BodyKind, Membership, Position
from chuangfu.governance.services import bodies as services

from .. import factories
from . import builders

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def test_a_member_cannot_be_added_twice_for_one_term_and_nothing_is_saved():
    actor = builders.office()
    term = builders.term()
    services.membership_add(actor=actor, term=term, name="王立诚", position=Position.HEAD, joined_on=term.starts_on)
    with pytest.raises(DomainError, match=r"王立诚已是.*在任成员"):
        services.membership_add(
            actor=actor, term=term, name="王立诚", position=Position.MEMBER, joined_on=term.starts_on
        )
    assert Membership.objects.filter(term=term).count() == 1
    assert AuditEntry.objects.filter(action="governance.member.added").count() == 1


def test_a_member_unit_needs_its_unit_and_joins_within_the_term():
    actor = builders.office()
    term = builders.term()
    with pytest.raises(DomainError, match="成员单位必须选择单位"):
        services.membership_add(
            actor=actor, term=term, name="吴海涛", position=Position.MEMBER_UNIT, joined_on=term.starts_on
        )
    with pytest.raises(DomainError, match="任期内"):
        services.membership_add(
            actor=actor, term=term, name="吴海涛", position=Position.MEMBER, joined_on=term.starts_on - DAY
        )
    assert not Membership.objects.exists()


def test_a_member_who_leaves_stays_on_record_and_a_replacement_takes_the_seat():
    actor = builders.office()
    term = builders.term()
    unit = factories.unit("妇联")
    old = services.membership_add(
        actor=actor,
        term=term,
        name="朱慧敏",
        position=Position.MEMBER,
        title="镇妇联主席",
        unit=unit,
        joined_on=term.starts_on,
    )
    new = services.membership_replace(
        actor=actor, member=old, name="朱婉清", on=datetime.date(2026, 6, 1), reason="工作调动"
    )
    old.refresh_from_db()
    assert old.left_on == datetime.date(2026, 6, 1) and old.left_reason == "工作调动"
    assert (new.position, new.unit, new.title, new.joined_on) == (Position.MEMBER, unit, "镇妇联主席", old.left_on)
    assert [m.name for m in selectors.current_members(term.body)] == ["朱婉清"]
    # the one who left may come back later: a new seat, the old one stays
    services.membership_add(
        actor=actor, term=term, name="朱慧敏", position=Position.DEPUTY, joined_on=datetime.date(2026, 9, 1)
    )
    assert Membership.objects.filter(term=term, name="朱慧敏").count() == 2


def test_a_failed_replacement_leaves_the_old_member_in_place():
    actor = builders.office()
    term = builders.term()
    old = services.membership_add(
        actor=actor, term=term, name="夏明轩", position=Position.MEMBER, joined_on=term.starts_on
    )
    services.membership_add(actor=actor, term=term, name="华雨桐", position=Position.MEMBER, joined_on=term.starts_on)
    with pytest.raises(DomainError):
        services.membership_replace(actor=actor, member=old, name="华雨桐", on=datetime.date(2026, 3, 2), reason="调整")
    old.refresh_from_db()
    assert old.left_on is None


def test_only_the_office_changes_members():
    term = builders.term()
    with pytest.raises(DomainError, match="只有领导小组"):
        services.membership_add(
            actor=builders.liaison(), term=term, name="某人", position=Position.MEMBER, joined_on=term.starts_on
        )


def test_another_towns_body_is_not_found_by_selector_and_page(client):
    mine = builders.body()
    theirs = builders.body(jurisdiction=builders.other_town(), name="张江领导小组")
    actor = builders.office()
    assert selectors.get_body_for(actor, mine.pk) == mine
    with pytest.raises(NotFound):
        selectors.get_body_for(actor, theirs.pk)
    client.force_login(actor)
    assert client.get(reverse("governance:body", args=[theirs.pk])).status_code == 404
    term = builders.term(theirs)
    response = client.post(
        reverse("governance:member_add", args=[term.pk]),
        {"name": "某人", "position": Position.MEMBER, "joined_on": "2026-02-02"},
    )
    assert response.status_code == 404 and not Membership.objects.exists()


def test_the_office_adds_a_member_on_the_page_and_a_duplicate_is_told(client):
    term = builders.term(builders.body(kind=BodyKind.JOINT_MEETING, name="联席会议"))
    client.force_login(builders.office())
    unit = factories.unit("市场监管所")
    data = {"name": "吴海涛", "position": Position.MEMBER_UNIT, "unit": unit.pk, "joined_on": "2026-02-02"}
    response = client.post(reverse("governance:member_add", args=[term.pk]), data)
    assert response.status_code == 302
    page = client.get(reverse("governance:body", args=[term.body.pk])).content.decode()
    assert "吴海涛" in page and "市场监管所" in page and "成员单位" in page
    again = client.post(reverse("governance:member_add", args=[term.pk]), data)
    assert again.status_code == 400 and "不能重复添加" in again.content.decode()
    assert Membership.objects.count() == 1


def test_a_unit_liaison_reads_the_bodies_but_cannot_change_them(client):
    body = builders.body()
    term = builders.term(body)
    client.force_login(builders.liaison())
    page = client.get(reverse("governance:body", args=[body.pk])).content.decode()
    assert "添加成员" not in page
    response = client.post(
        reverse("governance:member_add", args=[term.pk]),
        {"name": "某人", "position": Position.MEMBER, "joined_on": "2026-02-02"},
    )
    assert response.status_code == 403 and not Membership.objects.exists()


def test_desk_staff_and_anonymous_see_no_governance_pages(client):
    body = builders.body()
    assert client.get(reverse("governance:bodies")).status_code == 302  # to the login page
    client.force_login(factories.user())
    assert client.get(reverse("governance:body", args=[body.pk])).status_code == 403
