"""Long work as a ``Job`` on the task queue, with progress a page can poll.

An app registers a handler::

    @job_handler("registry.import")
    def run_import(job, progress): ...   # call progress(done, total) as it goes

and starts work with ``job_start(kind=..., title=..., actor=..., params=...)``; the queue runs
it and the job records status, progress, result and any output file.

Input and output files are encrypted at rest (``core.storage``). An input file is deleted as
soon as its job is done, unless the job keeps it for a next step (``keep_input``: an import's
dry run, until it is confirmed or ``KEEP_INPUT_FOR`` has passed); ``purge_expired`` (daily)
deletes those and output files older than ``KEEP_OUTPUT_FOR``.
"""

import datetime
import logging
import traceback
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from .errors import DomainError
from .models import Job, OutgoingSms

KEEP_INPUT_FOR = datetime.timedelta(days=1)
KEEP_OUTPUT_FOR = datetime.timedelta(days=7)
KEEP_SENT_SMS_FOR = datetime.timedelta(days=30)

logger = logging.getLogger("chuangfu.jobs")
_HANDLERS: dict[str, Callable] = {}


def job_handler(kind: str):
    def register(fn):
        _HANDLERS[kind] = fn
        return fn

    return register


def job_start(
    *,
    kind: str,
    title: str,
    actor,
    params: dict | None = None,
    input_file=None,
    input_from: Job | None = None,
    keep_input: bool = False,
    jurisdiction=None,
) -> Job:
    """Record a job and queue it after the commit. ``input_file`` is stored encrypted;
    ``input_from`` reuses an earlier job's stored input instead of storing it again."""
    job = Job.objects.create(
        kind=kind,
        title=title,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        params={**(params or {}), "keep_input": keep_input},
        jurisdiction=jurisdiction,
    )
    if input_file is not None:
        job.input_file.save(getattr(input_file, "name", "upload"), input_file, save=True)
    elif input_from is not None and input_from.input_file:
        job.input_file.name = input_from.input_file.name
        job.save(update_fields=["input_file"])
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
    if not (status == Job.Status.DONE and job.params.get("keep_input")):
        discard_input(job)


def discard_input(job: Job) -> None:
    """Delete the job's input file, and forget it on every job that shares it."""
    name = job.input_file.name
    if not name:
        return
    job.input_file.storage.delete(name)
    Job.objects.filter(input_file=name).update(input_file="")
    job.input_file.name = ""


def purge_expired(now=None) -> dict:
    """Delete kept inputs past ``KEEP_INPUT_FOR``, outputs past ``KEEP_OUTPUT_FOR`` and the
    records of texts sent more than ``KEEP_SENT_SMS_FOR`` ago."""
    now = now or timezone.now()
    finished = Job.objects.exclude(status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
    inputs = 0
    for job in finished.exclude(input_file="").filter(finished_at__lt=now - KEEP_INPUT_FOR):
        # A confirmed import's real run shares this file and deletes it when it ends.
        in_use = Job.objects.filter(input_file=job.input_file.name, status__in=[Job.Status.QUEUED, Job.Status.RUNNING])
        if not in_use.exists():
            discard_input(job)
            inputs += 1
    outputs = 0
    for job in finished.exclude(output_file="").filter(finished_at__lt=now - KEEP_OUTPUT_FOR):
        job.output_file.storage.delete(job.output_file.name)
        Job.objects.filter(pk=job.pk).update(output_file="")
        outputs += 1
    texts, _ = OutgoingSms.objects.filter(created_at__lt=now - KEEP_SENT_SMS_FOR).delete()
    return {"inputs": inputs, "outputs": outputs, "texts": texts}


@db_periodic_task(crontab(hour="3", minute="40"))
def purge_personal_files() -> dict:
    """Daily: delete import files left unconfirmed, old reports and exports, and sent texts."""
    return purge_expired()
