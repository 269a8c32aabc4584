"""Case files (创业帮扶档案): one page per person, the outcome from the registry, the town's counts."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from chuangfu.core.errors import DomainError, NotFound
from chuangfu.core.workdays import add_working_days
from chuangfu.ecosystem import selectors
from chuangfu.ecosystem.models import CaseFile
from chuangfu.ecosystem.services import cases as services
from chuangfu.ecosystem.services import incubation as incubation_services
from chuangfu.ecosystem.services import resources as resource_services
from chuangfu.registry.models import EnterprisePerson
from tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def founder(tangzhen):
    return f.person("顾佳怡", jurisdiction=tangzhen)


@pytest.fixture
def case(desk, founder):
    return services.case_open(
        actor=desk,
        person=founder,
        diagnosis="有电商直播创业意向，缺资金和场地",
        services_planned="创业培训\n场地对接\n创业担保贷款",
        opened_on=TODAY() - datetime.timedelta(days=400),
    )


def found(person, *, days_ago, status="active", insured=3, relation="founder"):
    firm = f.enterprise(
        jurisdiction=person.jurisdiction,
        founded_on=TODAY() - datetime.timedelta(days=days_ago),
        registration_status=status,
        insured_employees=insured,
    )
    EnterprisePerson.objects.create(enterprise=firm, person=person, relation=relation)
    return firm


def test_a_person_counts_as_helped_once_their_enterprise_has_operated_the_stated_months(desk, case, founder):
    assert selectors.case_figures(actor=desk)["helped"] == 0
    young = found(founder, days_ago=60)
    outcome = selectors.case_outcomes([case])[case.pk]
    assert outcome.founded == [young] and not outcome.success and outcome.jobs == 0
    found(founder, days_ago=250, insured=4)
    figures = selectors.case_figures(actor=desk)
    assert (figures["cases"], figures["helped"], figures["jobs"], figures["months"]) == (1, 1, 4, 6)


def test_enterprises_founded_before_the_file_or_no_longer_operating_do_not_count(desk, case, founder):
    found(founder, days_ago=800)
    found(founder, days_ago=300, status="cancelled")
    outcome = selectors.case_outcomes([case])[case.pk]
    assert len(outcome.founded) == 1 and not outcome.success


def test_jobs_come_from_the_latest_quarterly_headcount_when_there_is_one(desk, operator, incubator, case, founder):
    firm = found(founder, days_ago=300, insured=2)
    hosted = incubation_services.incubation_admit(
        actor=operator, carrier=incubator, enterprise=firm, admitted_on=TODAY() - datetime.timedelta(days=200)
    )
    last_quarter = (TODAY().replace(day=1) - datetime.timedelta(days=95)).replace(day=1)
    quarter = (last_quarter.month - 1) // 3 + 1
    incubation_services.quarterly_report_save(
        actor=operator,
        incubation=hosted,
        year=last_quarter.year,
        quarter=quarter,
        insured_headcount=9,
        revenue_band="lt1m",
    )
    assert selectors.case_outcomes([case])[case.pk].jobs == 9


def test_the_case_file_gathers_the_persons_whole_history(client, desk, case, founder, tangzhen):
    firm = found(founder, days_ago=250)
    investor = resource_services.resource_create(
        actor=desk, jurisdiction=tangzhen, kind="investor", name="天使基金", offer="投资", holder_name="某资本"
    )
    need = resource_services.need_create(actor=desk, enterprise=firm, kinds=["investor"], description="融资")
    resource_services.linkage_create(actor=desk, need=need, resource=investor)
    services.followup_plan(actor=desk, case=case, plan="回访融资进展", working_days=5)
    client.force_login(desk)
    page = client.get(reverse("ecosystem:case_detail", args=[case.pk])).content.decode()
    for text in ("顾佳怡", "有电商直播创业意向", firm.name, "天使基金", "回访融资进展", "创业成功"):
        assert text in page, text
    listing = client.get(reverse("ecosystem:case_list"), {"only": "helped"}).content.decode()
    assert "顾佳怡" in listing


def test_follow_ups_fall_due_in_working_days(desk, case):
    follow_up = services.followup_plan(actor=desk, case=case, plan="电话回访", working_days=3)
    assert follow_up.due_on == add_working_days(TODAY(), 3)
    with pytest.raises(DomainError):
        services.followup_plan(actor=desk, case=case, plan="x", working_days=0)
    services.followup_done(actor=desk, follow_up=follow_up, result="已回访")
    with pytest.raises(DomainError):
        services.followup_done(actor=desk, follow_up=follow_up, result="again")


def test_one_file_per_person_and_another_towns_person_is_not_found(desk, case, founder, zj_desk, zhangjiang):
    with pytest.raises(DomainError) as exc:
        services.case_open(actor=desk, person=founder, diagnosis="x", services_planned="y")
    assert exc.value.code == "duplicate"
    assert CaseFile.objects.count() == 1
    with pytest.raises(NotFound):
        services.case_open(actor=zj_desk, person=founder, diagnosis="x", services_planned="y")
    assert selectors.case_figures(actor=zj_desk)["cases"] == 0


def test_staff_open_a_file_from_an_id_number_on_the_page(client, desk, tangzhen):
    person = f.person("沈浩然", jurisdiction=tangzhen)
    client.force_login(desk)
    response = client.post(
        reverse("ecosystem:case_list"),
        {"id_number": person.id_number, "helper": desk.pk, "diagnosis": "想开网店", "services_planned": "培训"},
    )
    case = CaseFile.objects.get()
    assert response.status_code == 302 and case.person == person and case.helper == desk


def test_the_case_file_lists_only_eligible_policies_as_matched_and_the_mentoring_with_its_sessions(
    client, desk, case, founder, tangzhen
):
    from chuangfu.activities.models import MentoringRequest, MentoringSession
    from chuangfu.policies.models import Match, Result
    from chuangfu.registry.models import Mentor
    from tests.policies.conftest import make_policy

    for code, title, result in (
        ("rent", "青年创业租金补贴", Result.ELIGIBLE),
        ("loan", "创业担保贷款贴息", Result.ALMOST),
        ("social", "社保补贴", Result.INELIGIBLE),
    ):
        policy = make_policy(code=code, jurisdiction=tangzhen, title=title)
        Match.objects.create(policy=policy, version=policy.versions.get(), person=founder, result=result)
    request = MentoringRequest.objects.create(
        jurisdiction=tangzhen,
        name=founder.name,
        mobile="13912340000",
        person=founder,
        topic="融资",
        description="直播间融资",
    )
    mentor = Mentor.objects.create(name="何导师", expertise="财税", jurisdiction=tangzhen)
    MentoringSession.objects.create(
        request=request, mentor=mentor, scheduled_at=timezone.now() - datetime.timedelta(days=2), mode="on_site"
    )
    client.force_login(desk)
    page = client.get(reverse("ecosystem:case_detail", args=[case.pk])).content.decode()
    assert "青年创业租金补贴" in page
    assert "创业担保贷款贴息" not in page and "社保补贴" not in page
    day = timezone.localdate(timezone.now() - datetime.timedelta(days=2)).isoformat()
    assert "融资" in page and "直播间融资" in page and f"{day} 由 何导师 辅导 · 已预约" in page


def test_the_case_file_gathers_what_is_recorded_against_the_persons_account_and_firm(
    client, desk, case, founder, tangzhen
):
    from chuangfu.activities.models import MentoringRequest
    from chuangfu.core.models import Role
    from chuangfu.policies.models import Grant
    from chuangfu.subsidies.models import Application
    from tests.activities import builders
    from tests.policies.conftest import make_policy
    from tests.subsidies.conftest import make_form

    account = f.user(Role.ENTREPRENEUR, None, mobile="13612340000")
    founder.account = account
    founder.save(update_fields=["account"])
    firm = found(founder, days_ago=250)
    training = builders.activity(title="电商直播创业培训", jurisdiction=tangzhen)
    builders.register(training, name="顾佳怡", user=account)  # signed in: the account, not the person
    MentoringRequest.objects.create(
        jurisdiction=tangzhen,
        name="顾佳怡",
        mobile="13612340000",
        enterprise=firm,
        topic="股权",
        description="股权设计",
    )
    policy = make_policy(code="firm-rent", jurisdiction=tangzhen, target="enterprise", title="创业场地租金补贴")
    Grant.objects.create(policy=policy, enterprise=firm, granted_on=TODAY(), amount=6000, source="manual")
    form = make_form(policy)
    Application.objects.create(
        policy=policy,
        version=form.version,
        form=form,
        jurisdiction=tangzhen,
        enterprise=firm,
        created_by=account,
        data={},
    )
    other = f.enterprise("别人的公司", jurisdiction=tangzhen)
    Grant.objects.create(policy=policy, enterprise=other, granted_on=TODAY(), amount=1, source="manual")
    client.force_login(desk)
    page = client.get(reverse("ecosystem:case_detail", args=[case.pk])).content.decode()
    for shown in ("电商直播创业培训", "股权设计", "已享受：创业场地租金补贴", "补贴申请：创业场地租金补贴"):
        assert shown in page, shown
    assert page.count("创业场地租金补贴") == 2  # the other firm's grant is not hers
