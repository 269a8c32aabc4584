"""The cheaper reads of decisions.md 34 say what the plain ones said: the queue's tab counts (one
statement, built once per account and day) count what each tab lists, and the status page reads
the same number of statements however long the ticket's timeline is."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chuangfu.desk import selectors, services

from .test_views_public import lookup

pytestmark = pytest.mark.django_db


@pytest.fixture
def every_tab(make_ticket, desk, liaison, leader, market):
    """A ticket in each tab a desk clerk, a liaison or a leader has."""
    make_ticket()  # 待派单
    supervised = services.ticket_dispatch(ticket=make_ticket(), actor=desk, unit=market)
    services.ticket_supervise(ticket=supervised, actor=leader, note="抓紧办理")
    services.ticket_accept(
        ticket=services.ticket_dispatch(ticket=make_ticket(), actor=desk, unit=market), actor=liaison
    )

    def closed():
        ticket = services.ticket_dispatch(ticket=make_ticket(), actor=desk, unit=market)
        ticket = services.ticket_answer(
            ticket=services.ticket_accept(ticket=ticket, actor=liaison), actor=liaison, answer="已答复"
        )
        return services.ticket_close(ticket=ticket, actor=desk)

    closed()  # 待回访
    services.rating_submit(ticket=closed(), grade=1, comment="没解决")  # 待整改
    rectified = services.ticket_revisit(ticket=closed(), actor=desk, outcome="satisfied")
    services.rating_submit(ticket=rectified, grade=1, comment="后来又不行了")
    services.ticket_rectify(ticket=rectified, actor=liaison, measures="已重新办理")  # 已回访, again 待回访


def test_each_tab_counts_what_it_lists_for_every_desk_role(every_tab, desk, liaison, leader, other_desk):
    for actor in (desk, liaison, leader, other_desk):
        codes = [q.code for q in selectors.queues_for(actor)]
        listed = {code: selectors.ticket_list(actor=actor, filters={"queue": code}).count() for code in codes}
        assert selectors.queue_counts(actor=actor, codes=codes) == listed
        assert selectors.queue_counts(actor=actor, codes=codes, cap=1) == {c: min(n, 2) for c, n in listed.items()}
    counts = selectors.queue_counts(actor=desk, codes=["revisit", "rectify", "supervised", "new"])
    assert counts == {"revisit": 3, "rectify": 1, "supervised": 1, "new": 1}  # a 差评 being rectified is 办结 too
    assert selectors.queue_counts(actor=other_desk, codes=["open", "revisit"]) == {"open": 0, "revisit": 0}


def test_a_kept_queue_page_is_what_the_list_gives_for_every_queue_and_role(
    every_tab, desk, liaison, leader, other_desk
):
    from chuangfu.desk.views.staff import ROW_FIELDS

    for actor in (desk, liaison, leader, other_desk):
        for code in [q.code for q in selectors.queues_for(actor)] + ["no-such-queue"]:
            for offset, limit in ((0, 3), (2, 3), (0, 21)):
                listed = selectors.ticket_list(actor=actor, filters={"queue": code}).values(*ROW_FIELDS)
                expected = list(listed[offset : offset + limit])
                kept = selectors.queue_page(actor=actor, queue=code, fields=ROW_FIELDS, offset=offset, limit=limit)
                assert kept == expected, (actor, code, offset)
                assert kept == selectors.queue_page(  # the kept statement, a second time
                    actor=actor, queue=code, fields=ROW_FIELDS, offset=offset, limit=limit
                )


def test_a_kept_queue_page_follows_the_tickets(make_ticket, desk):
    from chuangfu.desk.views.staff import ROW_FIELDS

    first = make_ticket()
    assert [
        r["number"] for r in selectors.queue_page(actor=desk, queue="new", fields=ROW_FIELDS, offset=0, limit=5)
    ] == [first.number]
    second = make_ticket()
    page = selectors.queue_page(actor=desk, queue="new", fields=ROW_FIELDS, offset=0, limit=5)
    assert [r["number"] for r in page] == [second.number, first.number]
    assert page[0]["received_at"].tzinfo is not None and page[0]["supervised"] is False


def test_the_kept_count_statement_follows_the_day(at, make_ticket, desk):
    at(2026, 3, 2, 10)
    make_ticket()  # answer due five working days later
    assert selectors.queue_counts(actor=desk, codes=["overdue"]) == {"overdue": 0}
    at(2026, 3, 20, 10)
    assert selectors.queue_counts(actor=desk, codes=["overdue"]) == {"overdue": 1}


def test_kept_counts_are_served_without_the_count_and_any_change_to_a_ticket_shows_in_the_next(
    make_ticket, desk, liaison, market
):
    ticket = make_ticket()
    codes = ["new", "open"]
    assert selectors.queue_counts(actor=desk, codes=codes) == {"new": 1, "open": 1}
    with CaptureQueriesContext(connection) as kept:
        assert selectors.queue_counts(actor=desk, codes=codes) == {"new": 1, "open": 1}
    assert len(kept.captured_queries) == 1  # the counter alone, not the count
    make_ticket()  # a new ticket
    assert selectors.queue_counts(actor=desk, codes=codes) == {"new": 2, "open": 2}
    services.ticket_dispatch(ticket=ticket, actor=desk, unit=market)  # a state change through the pipeline
    assert selectors.queue_counts(actor=desk, codes=codes) == {"new": 1, "open": 2}
    assert selectors.queue_counts(actor=liaison, codes=["new"]) == {"new": 1}  # each account its own
    services.ticket_accept(ticket=ticket, actor=liaison)  # the assignment's state
    assert selectors.queue_counts(actor=liaison, codes=["new"]) == {"new": 0}


def test_the_tabs_request_shows_the_counts(client, every_tab, desk):
    client.force_login(desk)
    html = client.get(reverse("desk:queue"), {"counts": "1"}, HTTP_HX_REQUEST="true").content.decode()
    assert '待回访 <span class="badge text-bg-light">3</span>' in html
    assert '待整改 <span class="badge text-bg-light">1</span>' in html


def test_the_status_page_reads_as_much_for_a_long_timeline_as_for_a_short_one(
    client, make_ticket, desk, liaison, market
):
    short = make_ticket(requester_mobile="13955550001")
    long = services.ticket_dispatch(ticket=make_ticket(requester_mobile="13955550002"), actor=desk, unit=market)
    for i in range(6):
        services.ticket_reply(ticket=long, actor=liaison, text=f"第 {i} 次进展")

    def statements(number, mobile):
        with CaptureQueriesContext(connection) as read:
            html = lookup(client, number, mobile).content.decode()
        assert 'id="ticket-status"' in html
        return len(read), html

    few, _ = statements(short.number, "13955550001")
    many, html = statements(long.number, "13955550002")
    assert many == few
    assert all(f"第 {i} 次进展" in html for i in range(6))
    assert html.index("第 0 次进展") < html.index("第 5 次进展")  # oldest first


def test_the_empty_lookup_form_is_in_the_visitors_language_whichever_was_shown_first(client):
    chinese = client.get(reverse("service:lookup")).content.decode()
    english = client.get(reverse("service:lookup"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    again = client.get(reverse("service:lookup")).content.decode()
    assert "提交时填写的手机号" in chinese and "提交时填写的手机号" in again
    assert "提交时填写的手机号" not in english and 'name="mobile"' in english


def test_the_empty_lookup_form_is_served_whole_from_the_cache_with_each_visitors_own_token(make_ticket):
    import re

    from django.test import Client

    ticket = make_ticket(requester_mobile="13955550003")
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    first = Client(enforce_csrf_checks=True)
    rendered = first.get(reverse("service:lookup"))
    first_html = rendered.content.decode()
    second = Client(enforce_csrf_checks=True)
    kept = second.get(reverse("service:lookup"))
    second_html = kept.content.decode()
    assert rendered.templates and not kept.templates  # the second visitor's page came whole from the cache
    assert 'name="mobile"' in second_html
    assert token.search(first_html).group(1) != token.search(second_html).group(1)
    response = second.post(
        reverse("service:lookup"),
        {"number": ticket.number, "mobile": "13955550003", "csrfmiddlewaretoken": token.search(second_html).group(1)},
    )
    assert response.status_code == 200 and 'id="ticket-status"' in response.content.decode()


def test_the_status_page_shows_a_merged_tickets_progress_and_answer_and_the_requesters_rating(
    client, make_ticket, desk, liaison, market
):
    primary = services.ticket_dispatch(ticket=make_ticket(), actor=desk, unit=market)
    primary = services.ticket_answer(
        ticket=services.ticket_accept(ticket=primary, actor=liaison), actor=liaison, answer="可申请一次性创业补贴"
    )
    duplicate = services.ticket_merge(ticket=make_ticket(requester_mobile="13955550004"), actor=desk, into=primary)
    html = lookup(client, duplicate.number, "13955550004").content.decode()
    assert "已合并" in html and primary.number in html and "可申请一次性创业补贴" in html
    assert "评价本次服务" not in html  # a merged ticket is not rated

    closed = services.ticket_close(ticket=primary, actor=desk)
    html = lookup(client, closed.number, closed.requester_mobile).content.decode()
    assert "评价本次服务" in html and "您的评价" not in html  # not rated yet
    services.rating_submit(ticket=closed, grade=5, comment="很满意")
    html = lookup(client, closed.number, closed.requester_mobile).content.decode()
    assert "您的评价" in html and "评价本次服务" not in html


def test_the_kept_filter_bar_shows_a_new_category_at_once_and_each_address_its_own_values(client, desk, town):
    import pickle

    from django.core.cache import cache

    from chuangfu.desk.models import Category

    client.force_login(desk)
    page = client.get(reverse("desk:queue")).content.decode()
    assert "园区入驻咨询" not in page
    Category.objects.create(jurisdiction=town, name="园区入驻咨询", answer_days=5, accept_days=1)
    page = client.get(reverse("desk:queue")).content.decode()
    assert "园区入驻咨询" in page
    filtered = client.get(reverse("desk:queue"), {"status": "dispatched", "q": "创业补贴"}).content.decode()
    assert 'value="dispatched" selected' in filtered and 'value="创业补贴"' in filtered
    kept = [pickle.loads(value) for value in cache._cache.values()]  # the test settings' memory cache
    assert not any("创业补贴" in str(value) for value in kept)  # what a clerk typed is never kept
    again = client.get(reverse("desk:queue")).content.decode()
    assert 'value="dispatched" selected' not in again and 'value="创业补贴"' not in again
