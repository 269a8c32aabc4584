"""Job postings (staff and public) and the jobs created through them."""

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncMonth

from chuangfu.core.errors import NotFound
from chuangfu.core.models import Jurisdiction
from chuangfu.core.scoping import scope_by_jurisdiction

from ..models import Hire, JobPosting
from .activities import can_manage


def job_postings_for(actor) -> QuerySet:
    if not can_manage(actor):
        return JobPosting.objects.none()
    return (
        scope_by_jurisdiction(JobPosting.objects.select_related("enterprise", "activity"), actor)
        .annotate(
            interest_count=Count("interests", distinct=True),
            hire_count=Count("hires", distinct=True),
        )
        .order_by("-created_at", "-id")
    )


def get_job_posting_for(actor, pk) -> JobPosting:
    try:
        return job_postings_for(actor).get(pk=pk)
    except (JobPosting.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def public_job_postings(*, town: int | None = None, activity: int | None = None) -> QuerySet:
    qs = JobPosting.objects.filter(closed_at__isnull=True).select_related("enterprise", "activity", "jurisdiction")
    if town:
        jurisdiction = Jurisdiction.objects.filter(pk=town).first()
        qs = qs.filter(jurisdiction__path__startswith=jurisdiction.path) if jurisdiction else qs.none()
    if activity:
        qs = qs.filter(activity_id=activity)
    return qs.annotate(hire_count=Count("hires")).order_by("-created_at", "-id")


def get_public_job_posting(pk) -> JobPosting:
    try:
        return JobPosting.objects.select_related("enterprise").get(pk=pk, closed_at__isnull=True)
    except (JobPosting.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


JOBS_DIMENSIONS = {"enterprise": "posting__enterprise__name", "activity": "posting__activity__title", "month": "month"}


def jobs_created(*, actor, dimension: str) -> list[dict]:
    """Jobs created (hires recorded) per enterprise, activity or month, in the actor's scope."""
    if dimension not in JOBS_DIMENSIONS:
        raise NotFound()
    hires = Hire.objects.filter(posting__in=job_postings_for(actor).values("pk"))
    if dimension == "month":
        hires = hires.annotate(month=TruncMonth("hired_on"))
    key = JOBS_DIMENSIONS[dimension]
    rows = hires.order_by().values(key).annotate(jobs=Count("id")).order_by(key)
    return [
        {"label": row[key].strftime("%Y-%m") if dimension == "month" and row[key] else row[key], "jobs": row["jobs"]}
        for row in rows
    ]
