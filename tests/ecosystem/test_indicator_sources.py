"""The figures the indicators app will read, by (jurisdiction, period)."""

import datetime

import pytest
from django.utils import timezone

from chuangfu.ecosystem import indicator_sources as sources
from chuangfu.ecosystem.services import cases, resources, visits
from chuangfu.registry.models import EnterprisePerson
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_each_source_counts_records_of_the_jurisdiction_in_the_period(desk, incubator, tangzhen, zhangjiang):
    today = timezone.localdate()
    this_year = (today.replace(month=1, day=1), today)
    person = f.person("施嘉文", jurisdiction=tangzhen)
    cases.case_open(
        actor=desk,
        person=person,
        diagnosis="想开店",
        services_planned="培训",
        opened_on=today - datetime.timedelta(days=600),
    )
    firm = f.enterprise(jurisdiction=tangzhen, founded_on=today - datetime.timedelta(days=500), insured_employees=5)
    EnterprisePerson.objects.create(enterprise=firm, person=person, relation="founder")
    # the enterprise reaches six months of operation about 183 days after it was founded
    success_day = firm.founded_on + datetime.timedelta(days=183)
    period = (success_day - datetime.timedelta(days=10), success_day + datetime.timedelta(days=10))
    assert sources.people_helped_to_start(tangzhen, period) == 1
    assert sources.jobs_created(tangzhen, period) == 5
    assert sources.people_helped_to_start(tangzhen, (period[1], today)) == 0
    assert sources.people_helped_to_start(zhangjiang, period) == 0
    assert sources.people_helped_to_start(f.district(), period) == 1
    visit = visits.visit_plan(actor=desk, carrier=incubator, planned_on=today, purpose="走访", visitors=[desk])
    visits.visit_record(actor=desk, visit=visit, findings="好")
    assert sources.visits_made(tangzhen, this_year) == 1 and sources.visits_made(zhangjiang, this_year) == 0
    assert sources.carriers(tangzhen, this_year) == 1
    need = resources.need_create(actor=desk, enterprise=firm, description="融资")
    fund = resources.resource_create(
        actor=desk, jurisdiction=tangzhen, kind="fund", name="基金", offer="投资", holder_name="某资本"
    )
    linkage = resources.linkage_create(actor=desk, need=need, resource=fund)
    assert sources.linkages_met(tangzhen, this_year) == 0
    resources.linkage_outcome(actor=desk, linkage=linkage, met=True)
    assert sources.linkages_met(tangzhen, this_year) == 1
    assert set(sources.SOURCES) == {
        "ecosystem.people_helped_to_start",
        "ecosystem.jobs_created",
        "ecosystem.visits_made",
        "ecosystem.carriers",
        "ecosystem.linkages_met",
    }
