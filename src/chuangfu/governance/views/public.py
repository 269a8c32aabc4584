"""The public 工作计划进展 page: the tasks the office marked public, by plan, with their status and
figure (in the manner of Decidim's accountability pages). No names of people, no report texts, no
supervision notes: a task's title, lead unit, status, figure and due date only."""

from django.shortcuts import render
from django.utils import timezone

from .. import selectors


def progress(request):
    plans = selectors.public_progress()
    return render(request, "governance/public/progress.html", {"plans": plans, "as_of": timezone.localtime()})
