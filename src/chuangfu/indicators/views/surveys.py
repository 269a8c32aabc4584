"""The 工作满意度 survey: the office's pages (create, send, results, close) and the public answer page
a sampled resident opens from the SMS link."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chuangfu.core.bounds import BoundedInputsMixin
from chuangfu.core.errors import DomainError

from .. import selectors, services
from ..models import Invitation, Survey
from ..services.surveys import SCALE
from .dashboard import _town, leaders_only

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"})


class SurveyForm(BoundedInputsMixin, forms.ModelForm):
    class Meta:
        model = Survey
        fields = ["title", "period_start", "period_end", "closes_on", "sample_size"]
        widgets = {"title": forms.TextInput(attrs={"class": "form-control"}), "period_start": DATE, "period_end": DATE,
                   "closes_on": DATE, "sample_size": forms.NumberInput(attrs={"class": "form-control", "min": 1, "max": 5000})}  # fmt: skip
        help_texts = {"sample_size": gettext_lazy("按各项服务的使用人数分层、按比例抽取。")}


def _surveys(request):
    return Survey.objects.filter(jurisdiction__in=selectors.towns_for(request.user))


@leaders_only
def survey_list(request):
    town = _town(request)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = services.survey_create(actor=request.user, jurisdiction=town, data=form.cleaned_data)
        except (DomainError, ValidationError) as exc:
            for field, errors in getattr(exc, "message_dict", {None: [str(getattr(exc, "message", exc))]}).items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            return redirect("indicators:survey", survey.pk)
    return render(
        request,
        "indicators/surveys.html",
        {"surveys": _surveys(request).filter(jurisdiction=town), "form": form, "town": town},
    )


@leaders_only
def survey_detail(request, pk: int):
    survey = _surveys(request).filter(pk=pk).first()
    if survey is None:
        raise Http404
    return render(
        request,
        "indicators/survey.html",
        {"survey": survey, "results": selectors.survey_results(survey), "scale": SCALE},
    )


@leaders_only
@require_POST
def survey_action(request, pk: int, action: str):
    survey = _surveys(request).filter(pk=pk).first()
    if survey is None or action not in ("open", "close"):
        raise Http404
    try:
        if action == "open":
            n = services.survey_open(actor=request.user, survey=survey)
            messages.success(request, _("已向 %(n)d 人发送调查短信。") % {"n": n})
        else:
            services.survey_close(actor=request.user, survey=survey)
            messages.success(request, _("调查已结束。"))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("indicators:survey", survey.pk)


def answer(request, token: str):
    """Public: the questionnaire behind one SMS link. One answer; none after the closing date."""
    invitation = Invitation.objects.select_related("survey").filter(token=token[:32]).first()
    if invitation is None:
        raise Http404
    survey, errors, done = invitation.survey, {}, False
    if request.method == "POST":
        try:
            services.survey_answer(token=token, answers=request.POST.dict())
            done = True
        except ValidationError as exc:
            errors = {k: v[0] for k, v in exc.message_dict.items()}
        except DomainError as exc:
            messages.error(request, exc.message)
    elif invitation.answered_at is not None:
        messages.info(request, _("您已经提交过本次调查，感谢参与。"))
    return render(
        request,
        "indicators/answer.html",
        {"survey": survey, "invitation": invitation, "questions": survey.questions.all(), "errors": errors,
         "done": done or invitation.answered_at is not None, "values": request.POST, "scale": sorted(SCALE.items(), reverse=True)},
        status=400 if errors else 200,
    )  # fmt: skip
