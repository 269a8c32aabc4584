"""Long work as a ``Job`` on the task queue, with progress a page can poll.

An app registers a handler::

    @job_handler("registry.import")
    def run_import(job, progress): ...   # call progress(done, total) as it goes

and starts work with ``job_start(kind=..., title=..., actor=..., params=...)``; the queue runs
it and the job records status, progress, result and any output file.
"""

import logging
import traceback
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from huey.contrib.djhuey import db_task

from .errors import DomainError
from .models import Job

logger = logging.getLogger("chuangfu.jobs")
_HANDLERS: dict[str, Callable] = {}


def job_handler(kind: str):
    def register(fn):
        _HANDLERS[kind] = fn
        return fn

    return register


def job_start(*, kind: str, title: str, actor, params: dict | None = None, input_file=None, jurisdiction=None) -> Job:
    job = Job.objects.create(
        kind=kind,
        title=title,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        params=params or {},
        jurisdiction=jurisdiction,
    )
    if input_file is not None:
        job.input_file.save(getattr(input_file, "name", "upload"), input_file, save=True)
    transaction.on_commit(lambda: run_job(job.pk))
    return job


@db_task()
def run_job(job_id: int) -> None:
    """The queue's entry point for a job (defined here so that starting a job needs no import of core.tasks)."""
    job_execute(job_id)


def job_execute(job_id: int) -> None:
    """Run one job to completion in this process (the queue worker calls this)."""
    job = Job.objects.get(pk=job_id)
    if job.status not in (Job.Status.QUEUED, Job.Status.RUNNING):
        return
    handler = _HANDLERS.get(job.kind)
    if handler is None:
        _finish(job, Job.Status.FAILED, f"未知的任务类型 {job.kind}")
        return
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING)

    def progress(done: int, total: int | None = None) -> None:
        fields = {"done": done}
        if total is not None:
            fields["total"] = total
        Job.objects.filter(pk=job.pk).update(**fields)

    try:
        result = handler(job, progress) or {}
    except DomainError as exc:  # refused with a message for the user (a file without a header)
        job.refresh_from_db()
        _finish(job, Job.Status.FAILED, str(exc.message), {"code": exc.code})
        return
    except Exception as exc:  # the job records the failure; the worker keeps running
        logger.exception("job %s failed", job.pk)
        job.refresh_from_db()
        _finish(
            job, Job.Status.FAILED, f"{exc.__class__.__name__}: {exc}", {"traceback": traceback.format_exc()[-4000:]}
        )
        return
    job.refresh_from_db()
    _finish(job, Job.Status.DONE, job.message, result)


def _finish(job: Job, status: str, message: str, result: dict | None = None) -> None:
    job.status = status
    job.message = message
    if result is not None:
        job.result = result
    job.finished_at = timezone.now()
    if status == Job.Status.DONE and job.total:
        job.done = job.total
    job.save(update_fields=["status", "message", "result", "finished_at", "done"])
