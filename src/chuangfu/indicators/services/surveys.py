"""The 工作满意度 survey: a sample drawn from the people who used each service in the period
(stratified, proportional, at least one per non-empty stratum, reproducible for the survey), an SMS
link to each, one answer per invitation while the survey is open, results with 95% confidence
intervals. Its satisfied share feeds the indicators (``indicators.survey_*`` sources)."""

import random

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action
from chuangfu.core.errors import DomainError
from chuangfu.core.notifications import Message, send_on_commit
from chuangfu.core.scopes import every_town
from chuangfu.registry.models import Person

from .. import sources
from ..models import Answer, Invitation, Question, Survey
from .schemes import TARGET_SETTERS, _require

DEFAULT_QUESTIONS = [
    (Question.Kind.RATING, "您对唐镇创业服务的总体满意程度如何？", []),
    (Question.Kind.RATING, "工作人员的服务态度和专业程度如何？", []),
    (Question.Kind.RATING, "办理（咨询、活动）的及时程度如何？", []),
    (
        Question.Kind.CHOICE,
        "您是通过什么渠道了解到创业服务的？",
        ["社区宣传", "朋友介绍", "网站或公众号", "12345 热线", "其他"],
    ),
    (Question.Kind.TEXT, "您对我们的服务还有什么建议？", []),
]
SCALE = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}


def survey_create(*, actor, jurisdiction, data: dict) -> Survey:
    _require(actor, TARGET_SETTERS)
    survey = Survey(jurisdiction=jurisdiction, created_by=actor, **data)
    survey.full_clean(exclude=["created_by"])
    if survey.closes_on < timezone.localdate():
        raise ValidationError({"closes_on": _("截止日期不能早于今天。")})
    with transaction.atomic():
        survey.save()
        for position, (kind, text, choices) in enumerate(DEFAULT_QUESTIONS):
            Question.objects.create(
                survey=survey,
                position=position,
                kind=kind,
                text=text,
                choices=choices,
                required=kind != Question.Kind.TEXT,
            )
        log_action(actor=actor, action="indicators.survey.created", obj=survey)
    return survey


def survey_sample_draw(survey: Survey) -> dict[str, list[int]]:
    """Person ids by stratum: proportional to each stratum's size, at least one where it has anyone."""
    period = sources.Period(survey.period_start, survey.period_end)
    frames, seen = {}, set()
    for stratum, fn in sorted(sources.registry().frames.items()):
        ids = sorted(set(fn(survey.jurisdiction, period)) - seen)
        seen |= set(ids)
        if ids:
            frames[stratum] = ids
    total = sum(len(ids) for ids in frames.values())
    rng = random.Random(f"survey-{survey.pk}")
    sample = {}
    for stratum, ids in frames.items():
        share = max(1, round(survey.sample_size * len(ids) / total)) if total else 0
        sample[stratum] = rng.sample(ids, min(share, len(ids)))
    return sample


def survey_open(*, actor, survey: Survey) -> int:
    """Draw the sample and text each person their link; returns how many were invited."""
    _require(actor, TARGET_SETTERS)
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.status != Survey.Status.DRAFT:
            raise DomainError("survey_not_draft", _("调查已发出，不能再次抽样。"), status=409)
        sample = survey_sample_draw(survey)
        if not any(sample.values()):
            raise DomainError("survey_empty", _("该期间没有可抽样的服务对象。"), status=409)
        with every_town("the people the town's own service records name, wherever they are registered"):
            people = Person.objects.in_bulk([pid for ids in sample.values() for pid in ids])
        now, base = timezone.now(), settings.PUBLIC_BASE_URL.rstrip("/")
        count = 0
        for stratum, ids in sample.items():
            for pid in ids:
                person = people.get(pid)
                if person is None or not person.mobile:
                    continue
                invitation = Invitation.objects.create(survey=survey, person=person, stratum=stratum, sent_at=now)
                link = base + reverse("survey_answer", args=[invitation.token])
                send_on_commit(
                    Message(
                        title=_("创业服务满意度调查"),
                        body=_("请点击 %(link)s 作答，约需 2 分钟，%(day)s 截止。")
                        % {"link": link, "day": survey.closes_on},
                        mobile=person.mobile,
                        channels=("sms",),
                    )
                )
                count += 1
        survey.status = Survey.Status.OPEN
        survey.save(update_fields=["status"])
        log_action(actor=actor, action="indicators.survey.opened", obj=survey, after={"invited": count})
    return count


def survey_answer(*, token: str, answers: dict) -> Invitation:
    """Record one invitation's answers (question id → score or text), once, while the survey is open."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("survey").filter(token=token[:32]).first()
        if invitation is None:
            raise DomainError("not_found", _("调查链接无效。"), status=404)
        survey = invitation.survey
        if invitation.answered_at is not None:
            raise DomainError("answered", _("您已经提交过本次调查，感谢参与。"), status=409)
        if survey.status != Survey.Status.OPEN or timezone.localdate() > survey.closes_on:
            raise DomainError("closed", _("本次调查已结束，感谢关注。"), status=409)
        errors, rows = {}, []
        for question in survey.questions.all():
            raw = str(answers.get(str(question.pk), "")).strip()
            if not raw:
                if question.required:
                    errors[str(question.pk)] = _("请回答此题。")
                continue
            if question.kind == Question.Kind.RATING:
                if raw not in {"1", "2", "3", "4", "5"}:
                    errors[str(question.pk)] = _("请选择一个满意程度。")
                    continue
                rows.append(Answer(invitation=invitation, question=question, score=int(raw)))
            elif question.kind == Question.Kind.CHOICE:
                if raw not in question.choices:
                    errors[str(question.pk)] = _("请从选项中选择。")
                    continue
                rows.append(Answer(invitation=invitation, question=question, text=raw))
            else:
                rows.append(Answer(invitation=invitation, question=question, text=raw[:500]))
        if errors:
            raise ValidationError(errors)
        try:
            Answer.objects.bulk_create(rows)
        except IntegrityError:
            raise DomainError("answered", _("您已经提交过本次调查，感谢参与。"), status=409) from None
        invitation.answered_at = timezone.now()
        invitation.save(update_fields=["answered_at"])
    return invitation


def survey_close(*, actor, survey: Survey) -> Survey:
    _require(actor, TARGET_SETTERS)
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.status != Survey.Status.OPEN:
            raise DomainError("survey_not_open", _("只有调查中的问卷可以结束。"), status=409)
        survey.status = Survey.Status.CLOSED
        survey.save(update_fields=["status"])
        log_action(actor=actor, action="indicators.survey.closed", obj=survey)
    return survey
