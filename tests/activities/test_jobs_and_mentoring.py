"""Job postings with interest and hires; mentoring with ranked proposals, sessions and ratings."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from chuangfu.activities import selectors
from chuangfu.activities.models import Hire, JobInterest, JobPosting, MentoringRequest, MentoringSession
from chuangfu.activities.services import jobs, mentoring
from chuangfu.core.errors import DomainError
from chuangfu.core.models import Notification, Role
from chuangfu.registry.models import Carrier, CarrierKind, Mentor
from tests import factories

from . import builders

pytestmark = pytest.mark.django_db
ZHANGJIANG = "310115125"


def test_staff_post_an_opening_for_an_enterprise_of_their_town(client):
    staff = builders.manager()
    company = factories.enterprise(name="上海唐镇餐饮有限公司")
    fair = builders.activity(actor=staff, type_code="job_fair", title="春季招聘会")
    client.force_login(staff)
    client.post(
        reverse("activities:job_create"),
        {
            "enterprise_uscc": company.uscc,
            "position": "厨师",
            "headcount": 2,
            "salary_min": 6000,
            "salary_max": 9000,
            "activity": fair.pk,
        },
    )
    posting = JobPosting.objects.get()
    assert posting.enterprise == company and posting.activity == fair and posting.jurisdiction == fair.jurisdiction
    other_town = factories.enterprise(jurisdiction=factories.town(ZHANGJIANG))
    response = client.post(
        reverse("activities:job_create"),
        {"enterprise_uscc": other_town.uscc, "position": "店员", "headcount": 1},
        follow=True,
    )
    assert "本辖区的企业名录中没有" in response.content.decode()
    assert JobPosting.objects.count() == 1


def test_bad_postings_are_refused():
    company = factories.enterprise()
    staff = builders.manager()
    with pytest.raises(DomainError, match="月薪上限不能低于下限"):
        jobs.job_posting_create(
            actor=staff, enterprise=company, position="会计", headcount=1, salary_min=8000, salary_max=5000
        )
    with pytest.raises(DomainError, match="招聘人数至少为 1 人"):
        jobs.job_posting_create(actor=staff, enterprise=company, position="会计", headcount=0)
    with pytest.raises(DomainError, match="只能挂接到招聘类活动"):
        jobs.job_posting_create(
            actor=staff, enterprise=company, position="会计", headcount=1, activity=builders.activity()
        )


def test_interest_once_per_mobile_and_hires_count_as_jobs_created(client):
    staff = builders.manager()
    fair = builders.activity(actor=staff, type_code="job_fair", title="秋季招聘会")
    company = factories.enterprise(name="上海唐镇电商有限公司")
    posting = jobs.job_posting_create(actor=staff, enterprise=company, position="运营", headcount=1, activity=fair)
    interest = jobs.job_interest_register(posting=posting, name="郑一", mobile="13644445555")
    with pytest.raises(DomainError, match="该手机号已登记过这个岗位"):
        jobs.job_interest_register(posting=posting, name="郑一", mobile="13644445555")
    jobs.hire_record(posting=posting, actor=staff, hired_on=timezone.localdate(), interest=interest)
    with pytest.raises(DomainError, match="达到招聘人数"):
        jobs.hire_record(posting=posting, actor=staff, hired_on=timezone.localdate(), name="另一人")
    client.force_login(staff)
    by_enterprise = client.get(reverse("activities:jobs"), {"by": "enterprise"}).content.decode()
    table = by_enterprise[by_enterprise.index('id="jobs-created"') :]
    assert "上海唐镇电商有限公司" in table and ">1<" in table
    by_activity = client.get(reverse("activities:jobs"), {"by": "activity"}).content.decode()
    assert "秋季招聘会" in by_activity[by_activity.index('id="jobs-created"') :]
    export = list(
        load_workbook(io.BytesIO(client.get(reverse("activities:jobs"), {"export": 1}).content)).active.values
    )
    assert export[1][0] == "上海唐镇电商有限公司" and export[1][-3] == 1


def test_public_interest_needs_an_sms_code(client, django_capture_on_commit_callbacks):
    from .test_public_views import sms_code_for

    posting = jobs.job_posting_create(
        actor=builders.manager(), enterprise=factories.enterprise(), position="客服", headcount=3
    )
    url = reverse("events:job_interest", args=[posting.pk])
    refused = client.post(url, {"name": "冯二", "mobile": "13633334444", "sms_code": ""})
    assert "请填写短信验证码" in refused.content.decode() and not JobInterest.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("events:send_code"), {"mobile": "13633334444"})
    client.post(url, {"name": "冯二", "mobile": "13633334444", "sms_code": sms_code_for("13633334444")})
    assert JobInterest.objects.get().name == "冯二"


def test_enterprise_account_posts_its_own_opening(client):
    user = factories.user(role=Role.ENTREPRENEUR)
    company = factories.enterprise(account=user)
    client.force_login(user)
    client.post(reverse("events:job_post"), {"position": "设计师", "headcount": 1, "requirements": "熟悉 Figma"})
    assert JobPosting.objects.get().enterprise == company
    assert "设计师" in client.get(reverse("events:jobs")).content.decode()


# --- mentoring -----------------------------------------------------------------------------


def mentor(name, **fields):
    fields.setdefault("jurisdiction", factories.town())
    return Mentor.objects.create(name=name, **fields)


def request_for(topic="融资", industry="I", mode="clinic", description="想了解天使轮融资"):
    return mentoring.mentoring_request_create(
        jurisdiction=factories.town(),
        topic=topic,
        description=description,
        name="陈三",
        mobile="13611112222",
        industry_section=industry,
        preferred_mode=mode,
    )


def test_proposals_rank_by_industry_topic_mode_and_load_with_reasons():
    station = Carrier.objects.create(
        kind=CarrierKind.MENTOR_WORKSTATION, name="唐镇导师工作站", jurisdiction=factories.town()
    )
    best = mentor("林导师", expertise="融资\n股权设计", industries=["I"], service_modes=["clinic"], workstation=station)
    busy = mentor("何导师", expertise="融资", industries=["I"], service_modes=["clinic"])
    unrelated = mentor("马导师", expertise="餐饮管理", industries=["H"])
    paused = mentor("高导师", expertise="融资", industries=["I"], available=False)
    mentor("外镇导师", expertise="融资", industries=["I"], jurisdiction=factories.town(ZHANGJIANG))
    district = mentor("区级导师", expertise="融资", industries=["I"], jurisdiction=factories.district())
    staff = builders.manager()
    for _ in range(2):
        mentoring.mentoring_session_book(
            request=request_for(),
            mentor=busy,
            actor=staff,
            mode="clinic",
            scheduled_at=timezone.now() + datetime.timedelta(days=3),
        )
    proposals = selectors.mentor_proposals(request=request_for())
    names = [p.mentor.name for p in proposals]
    assert names[0] == "林导师"
    assert "外镇导师" not in names and "区级导师" in names
    assert names[-1] == "高导师" and not proposals[-1].bookable
    assert names.index("何导师") > names.index("区级导师")  # same fit, but two sessions already booked
    assert names.index("马导师") > names.index("何导师")
    reasons = proposals[0].reasons
    assert any("擅长行业" in r for r in reasons) and any("专长对口：融资" in r for r in reasons)
    assert any("提供门诊服务" in r for r in reasons) and any("唐镇导师工作站" in r for r in reasons)
    assert any("已有 2 次待辅导" in r for r in proposals[names.index("何导师")].reasons)
    ranked = [p.mentor for p in proposals]
    assert ranked[0] == best and proposals[0].bookable
    assert ranked[-1] == paused and district in ranked and unrelated in ranked
    assert ranked.index(unrelated) > ranked.index(district)  # no matching expertise ranks below a fit


def test_booking_recording_and_rating_a_session(client, django_capture_on_commit_callbacks):
    mentor_user = factories.user(role=Role.MENTOR)
    expert = mentor("林导师", expertise="融资", industries=["I"], account=mentor_user)
    requester = factories.user(role=Role.ENTREPRENEUR, mobile="13611113333")
    client.force_login(requester)
    client.post(
        reverse("events:mentoring"),
        {
            "town": factories.town().pk,
            "topic": "融资",
            "industry_section": "I",
            "preferred_mode": "online",
            "description": "想了解股权融资",
        },
    )
    request = MentoringRequest.objects.get()
    assert request.requester == requester and request.mobile == "13611113333"
    staff = builders.manager()
    client.force_login(staff)
    page = client.get(reverse("activities:mentoring_detail", args=[request.pk])).content.decode()
    assert "林导师" in page and "专长对口：融资" in page
    when = timezone.localtime(timezone.now() + datetime.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("activities:mentoring_book", args=[request.pk]),
            {"mentor": expert.pk, "scheduled_at": when, "mode": "online"},
        )
    session = MentoringSession.objects.get()
    assert Notification.objects.filter(recipient=mentor_user, title="新的辅导预约").exists()
    client.force_login(mentor_user)
    assert "融资" in client.get(reverse("activities:mentoring")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("activities:mentoring_session", args=[session.pk]),
            {"notes": "梳理了股权结构", "follow_ups": "两周后回访"},
        )
    session.refresh_from_db()
    request.refresh_from_db()
    assert session.status == "recorded" and request.status == "done"
    client.force_login(requester)
    client.post(reverse("events:mentoring_rate", args=[session.pk]), {"grade": "very_satisfied"})
    with pytest.raises(DomainError, match="您已评价过本次辅导"):
        mentoring.mentoring_session_rate(session=session, actor=requester, grade="dissatisfied")
    session.refresh_from_db()
    assert session.grade == "very_satisfied"


def test_mentors_see_only_their_own_sessions(client):
    mine = factories.user(role=Role.MENTOR)
    other = mentor("别人", account=factories.user(role=Role.MENTOR))
    session = mentoring.mentoring_session_book(
        request=request_for(),
        mentor=other,
        actor=builders.manager(),
        mode="clinic",
        scheduled_at=timezone.now() + datetime.timedelta(days=1),
    )
    client.force_login(mine)
    assert client.get(reverse("activities:mentoring_session", args=[session.pk])).status_code == 404


def test_booking_in_the_past_or_an_unavailable_mentor_is_refused():
    staff = builders.manager()
    with pytest.raises(DomainError, match="辅导时间必须晚于现在"):
        mentoring.mentoring_session_book(
            request=request_for(),
            mentor=mentor("甲"),
            actor=staff,
            mode="clinic",
            scheduled_at=timezone.now() - datetime.timedelta(hours=1),
        )
    with pytest.raises(DomainError, match="该导师暂停预约"):
        mentoring.mentoring_session_book(
            request=request_for(),
            mentor=mentor("乙", available=False),
            actor=staff,
            mode="clinic",
            scheduled_at=timezone.now() + datetime.timedelta(days=1),
        )
    assert not MentoringSession.objects.exists() and not Hire.objects.exists()


def test_another_towns_mentoring_request_is_not_found(client):
    request = mentoring.mentoring_request_create(
        jurisdiction=factories.town(ZHANGJIANG), topic="财税", description="记账", name="陈三", mobile="13611112222"
    )
    client.force_login(builders.manager())
    assert client.get(reverse("activities:mentoring_detail", args=[request.pk])).status_code == 404
