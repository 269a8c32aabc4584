"""The 工作满意度 survey: a stratified sample of the period's service users, an SMS link each, one
answer per invitation while open, results with confidence intervals, and the indicator fed by it."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from chuangfu.core.errors import DomainError
from chuangfu.core.models import Role
from chuangfu.core.notifications.sms import LocmemSmsBackend
from chuangfu.desk import services as desk
from chuangfu.desk.models import Category
from chuangfu.indicators import services
from chuangfu.indicators.demo import seed_indicators
from chuangfu.indicators.models import Invitation, Question, Value
from chuangfu.indicators.selectors import mean_interval, survey_results
from chuangfu.indicators.services.surveys import survey_sample_draw
from tests import factories

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def _today_of_the_run():
    """``TODAY`` is the day each test runs: a suite that crosses Shanghai's midnight keeps no stale day."""
    global TODAY
    TODAY = timezone.localdate()


def users_of_the_desk(n):
    town = factories.town()
    category = Category.objects.get(jurisdiction=town, name="政策咨询")
    people = []
    for i in range(n):
        person = factories.person(f"王{i}")
        ticket, _ = desk.ticket_submit_public(
            jurisdiction=town, category=category, description="想了解补贴。", requester_name=person.name,
            requester_mobile=person.mobile,
        )  # fmt: skip
        type(ticket).objects.filter(pk=ticket.pk).update(person=person)
        people.append(person)
    return people


def survey(sample_size=4):
    leader = factories.user(role=Role.LEADER)
    return leader, services.survey_create(
        actor=leader, jurisdiction=factories.town(),
        data={"title": "2026 年创业服务满意度调查", "period_start": TODAY.replace(month=1, day=1), "period_end": TODAY,
              "closes_on": TODAY + datetime.timedelta(days=14), "sample_size": sample_size},
    )  # fmt: skip


def test_the_sample_comes_from_the_periods_service_users_and_each_is_texted_a_link(django_capture_on_commit_callbacks):
    people = users_of_the_desk(6)
    factories.person("没来办事的人")
    leader, s = survey(sample_size=4)
    sample = survey_sample_draw(s)
    assert sum(len(v) for v in sample.values()) == 4 and set(sample["咨询受理"]) <= {p.pk for p in people}
    LocmemSmsBackend.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.survey_open(actor=leader, survey=s) == 4
    texts = [text for _mobile, text in LocmemSmsBackend.outbox]
    tokens = {i.token for i in Invitation.objects.all()}
    assert len(texts) == 4 and all(re.search(r"/s/([\w-]+)/", t).group(1) in tokens for t in texts)
    with pytest.raises(DomainError, match="不能再次抽样"):
        services.survey_open(actor=leader, survey=s)


def test_an_invitation_answers_once_and_not_after_the_survey_closes(client):
    users_of_the_desk(3)
    leader, s = survey(sample_size=3)
    services.survey_open(actor=leader, survey=s)
    first, second, third = Invitation.objects.all()
    rating = s.questions.filter(kind=Question.Kind.RATING)
    answers = {str(q.pk): "4" for q in rating} | {str(s.questions.get(kind="choice").pk): "社区宣传"}
    page = client.get(reverse("survey_answer", args=[first.token]))
    assert page.status_code == 200 and "非常满意" in page.content.decode()
    bad = client.post(reverse("survey_answer", args=[first.token]), {**answers, str(rating[0].pk): "9"})
    assert bad.status_code == 400 and "请选择一个满意程度" in bad.content.decode()
    assert client.post(reverse("survey_answer", args=[first.token]), answers).status_code == 200
    with pytest.raises(DomainError, match="已经提交过"):
        services.survey_answer(token=first.token, answers=answers)
    with pytest.raises(ValidationError):
        services.survey_answer(token=second.token, answers={})  # required questions unanswered: nothing saved
    assert not second.answers.exists()
    services.survey_close(actor=leader, survey=s)
    with pytest.raises(DomainError, match="已结束"):
        services.survey_answer(token=third.token, answers=answers)
    assert client.get(reverse("survey_answer", args=["no-such-token"])).status_code == 404


def test_results_give_the_response_rate_and_a_confidence_interval_and_feed_the_indicator(client):
    users_of_the_desk(4)
    leader, s = survey(sample_size=4)
    services.survey_open(actor=leader, survey=s)
    overall = s.questions.filter(kind=Question.Kind.RATING).first()
    for invitation, score in zip(Invitation.objects.all()[:3], ("5", "4", "2")):
        given = {str(q.pk): score for q in s.questions.filter(kind=Question.Kind.RATING)}
        given[str(s.questions.get(kind="choice").pk)] = "朋友介绍"
        services.survey_answer(token=invitation.token, answers=given)
    results = survey_results(s)
    assert results["invited"] == 4 and results["answered"] == 3 and round(results["response_rate"]) == 75
    item = next(q for q in results["questions"] if q["question"] == overall)
    mean, low, high = mean_interval([5, 4, 2])
    assert item["mean"] == mean and item["low"] == low < mean < high == item["high"]
    assert round(item["satisfied"], 1) == 66.7

    seed_indicators(TODAY.year)
    services.compute_town_year(factories.town(), TODAY.year)
    value = Value.objects.get(indicator__code="survey_satisfaction", jurisdiction=factories.town(),
                              period_start=datetime.date(TODAY.year, 1, 1), period_end=datetime.date(TODAY.year, 12, 31))  # fmt: skip
    # three rating questions × three answers, two of three satisfied
    assert round(float(value.value), 1) == round(100 * 6 / 9, 1)
    client.force_login(leader)
    assert "回收率" in client.get(reverse("indicators:survey", args=[s.pk])).content.decode()
