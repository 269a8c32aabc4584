"""The one page of an export that runs as a background job: its progress, then its file.

Apps start the job (``core.exporters.export_job``); only the person who asked sees it, whatever
the app (another person's job id is a 404)."""

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render

from ..exporters import EXPORT_KINDS
from ..models import Job


def _own_export(request, job_id) -> Job:
    job = Job.objects.filter(pk=job_id, kind__in=EXPORT_KINDS, created_by=request.user).first()
    if job is None:
        raise Http404
    return job


@login_required
def export_status(request, job_id):
    job = _own_export(request, job_id)
    template = "core/_export_progress.html" if request.htmx else "core/export_status.html"
    return render(request, template, {"job": job})


@login_required
def export_download(request, job_id):
    job = _own_export(request, job_id)
    if job.status != Job.Status.DONE or not job.output_file:
        raise Http404
    return FileResponse(job.output_file.open("rb"), as_attachment=True, filename=job.result.get("filename"))
