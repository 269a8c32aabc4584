"""The desk's figures for the indicators count a ticket on the local day it was closed or rated, at the
edges of a period too — the same rows a ``__date`` filter selects, read as a range an index answers."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from chuangfu.desk import indicator_sources
from chuangfu.desk import services as desk
from chuangfu.desk.models import Category, Status, Ticket
from chuangfu.indicators.sources import Period
from tests import factories

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def closed_at(moment: datetime.datetime) -> Ticket:
    town = factories.town()
    ticket, _ = desk.ticket_submit_public(
        jurisdiction=town, category=Category.objects.get(jurisdiction=town, name="政策咨询"),
        description="想了解创业担保贷款的申请条件。", requester_name="李娜",
        requester_mobile=f"139{next(factories._seq):08d}",
    )  # fmt: skip
    Ticket.objects.filter(pk=ticket.pk).update(status=Status.CLOSED, closed_at=moment, answered_in_time=True)
    return ticket


def test_a_ticket_closed_late_on_the_last_day_counts_in_that_month_and_one_after_midnight_in_the_next():
    late = closed_at(datetime.datetime(2026, 1, 31, 23, 30, tzinfo=SHANGHAI))  # 15:30 UTC
    early = closed_at(datetime.datetime(2026, 2, 1, 0, 10, tzinfo=SHANGHAI))  # 16:10 UTC on 31 January
    town = factories.town()
    january = Period(datetime.date(2026, 1, 1), datetime.date(2026, 1, 31))
    february = Period(datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    assert list(indicator_sources.closed_rows(town, january)) == [late]
    assert list(indicator_sources.closed_rows(town, february)) == [early]
    assert indicator_sources.tickets_closed_on_time(town, january) == 1
    for period in (january, february):
        by_date = Ticket.objects.filter(closed_at__date__gte=period.start, closed_at__date__lte=period.end)
        assert set(indicator_sources.closed_rows(town, period)) == set(by_date)
