"""Import pages: upload → dry run (a job) → row-by-row preview → confirm → import job → result.

Both runs are ``registry.import`` jobs on the queue, so a 100,000-row file never holds a
request open; the pages poll their progress with htmx. A job is visible to registry editors of
its town (404 otherwise). Confirming twice starts one import.
"""

import os

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from chuangfu.core.bounds import BoundedInputsMixin
from chuangfu.core.errors import DomainError
from chuangfu.core.exporters import Column, ListExporter
from chuangfu.core.forms import apply_service_error
from chuangfu.core.jobs import job_start
from chuangfu.core.models import Job, Jurisdiction
from chuangfu.core.scoping import assignable_jurisdictions, scope_by_jurisdiction

from .. import selectors
from ..importers import IMPORTERS, JOB_KIND, KIND_LABELS, Action, check_import_allowed, check_import_file
from .records import staff_view

BY_USCC = ("enterprise", "premises")  # kinds whose rows name an enterprise
ACTION_TONES = {
    Action.CREATE: "success",
    Action.UPDATE: "primary",
    Action.UNCHANGED: "secondary",
    Action.REJECT: "danger",
}


class ImportForm(BoundedInputsMixin, forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("导入内容"),
        choices=list(KIND_LABELS.items()),
        widget=forms.RadioSelect,
        initial="enterprise",
    )
    town = forms.ModelChoiceField(label=gettext_lazy("导入到"), queryset=Jurisdiction.objects.none(), empty_label=None)
    file = forms.FileField(
        label=gettext_lazy("文件"),
        help_text=gettext_lazy(
            "Excel 表格（.xlsx/.xls）或 CSV（UTF-8 或 GBK），不超过 20 MB。表头可在标题行下方，合计行会被跳过。"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.xls,.csv,.txt"}),
        error_messages={
            "required": gettext_lazy("请选择要导入的文件。"),
            "empty": gettext_lazy("文件是空的，没有可导入的内容。"),
        },
    )

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        towns = assignable_jurisdictions(actor).filter(level=Jurisdiction.Level.TOWN).order_by("code")
        self.fields["town"].queryset = towns
        if len(towns) == 1:
            self.fields["town"].initial = towns[0]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("文件超过 %(mb)d MB 的上限，请拆分成几个较小的文件后分别导入。")
                % {"mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


def _require_importer(request) -> None:
    if not selectors.can_edit_registry(request.user):
        raise PermissionDenied


def _import_job(request, job_id) -> Job:
    """An import job of a town the user may import into; anything else is simply not found."""
    _require_importer(request)
    job = scope_by_jurisdiction(Job.objects.filter(kind=JOB_KIND), request.user).filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


@staff_view
def import_start(request):
    _require_importer(request)
    too_big = int(request.META.get("CONTENT_LENGTH") or 0) > settings.MAX_UPLOAD_BYTES + 1024 * 1024
    form = ImportForm(
        None if too_big else (request.POST or None), None if too_big else request.FILES or None, actor=request.user
    )
    if too_big:  # the body is not read: the form stays unbound, with the reason above it
        form.cleaned_data = {}
        form.add_error(
            None,
            _("文件超过 %(mb)d MB 的上限，请拆分成几个较小的文件后分别导入。")
            % {"mb": settings.MAX_UPLOAD_BYTES // (1024 * 1024)},
        )
    elif request.method == "POST" and form.is_valid():
        kind, town, upload = form.cleaned_data["kind"], form.cleaned_data["town"], form.cleaned_data["file"]
        try:
            check_import_allowed(actor=request.user, town=town)
            check_import_file(upload)  # size, type, unpacked size, rows: told now; the job reads the cells
        except DomainError as exc:
            apply_service_error(form, exc, {"town": "town", "forbidden": None}.get(exc.code, "file"))
        else:
            upload.seek(0)
            filename = os.path.basename(upload.name)
            job = job_start(
                kind=JOB_KIND,
                actor=request.user,
                jurisdiction=town,
                input_file=upload,
                keep_input=True,  # until confirmed (the real import then deletes it) or a day has passed
                title=_("%(kind)s导入检查：%(file)s") % {"kind": KIND_LABELS[kind], "file": filename},
                params={"kind": kind, "town": town.code, "dry_run": True, "filename": filename},
            )
            return redirect("registry:import_status", job.pk)
    recent = scope_by_jurisdiction(Job.objects.filter(kind=JOB_KIND), request.user).select_related("created_by")[:10]
    return render(request, "registry/import_start.html", {"form": form, "recent": recent, "kinds": KIND_LABELS})


@staff_view
def import_status(request, job_id):
    job = _import_job(request, job_id)
    finished_dry_run = job.status == Job.Status.DONE and job.params.get("dry_run")
    if finished_dry_run:
        preview = reverse("registry:import_preview", args=[job.pk])
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = preview
            return response
        return redirect(preview)
    template = "registry/import_progress.html" if request.htmx else "registry/import_status.html"
    return render(request, template, _job_context(job))


def _job_context(job: Job) -> dict:
    result = job.result or {}
    return {
        "job": job,
        "kind_label": KIND_LABELS.get(job.params.get("kind"), ""),
        "counts": [(Action.LABELS[a], ACTION_TONES[a], (result.get("counts") or {}).get(a, 0)) for a in Action.ORDER],
        "key_label": _("统一社会信用代码") if job.params.get("kind") in BY_USCC else _("身份证号码"),
        "name_label": _("企业名称") if job.params.get("kind") in BY_USCC else _("姓名"),
    }


@staff_view
def import_preview(request, job_id):
    job = _import_job(request, job_id)
    if not job.params.get("dry_run") or job.status != Job.Status.DONE:
        return redirect("registry:import_status", job.pk)
    result = job.result
    show = request.GET.get("show", "")
    rows = result["rejected"] if show == Action.REJECT else result["rows"]
    if show in (Action.CREATE, Action.UPDATE, Action.UNCHANGED):
        rows = [r for r in rows if r["action"] == show]
    counts = result["counts"]
    context = {
        **_job_context(job),
        "result": result,
        "rows": [{**r, "label": Action.LABELS[r["action"]], "tone": ACTION_TONES[r["action"]]} for r in rows],
        "show": show,
        "filters": [("", _("全部"), result["total"])] + [(a, Action.LABELS[a], counts[a]) for a in Action.ORDER],
        "shown_limit": len(result["rows"]),
        "writes": counts[Action.CREATE] + counts[Action.UPDATE],
        "rejected": counts[Action.REJECT],
        "applied": Job.objects.filter(pk=job.params.get("applied_job")).first(),
        "town": Jurisdiction.objects.filter(code=job.params.get("town")).first(),
    }
    return render(request, "registry/import_preview.html", context)


@staff_view
@require_POST
def import_confirm(request, job_id):
    """Start the real import of a checked file, once: a second click goes to the same job."""
    checked = _import_job(request, job_id)
    with transaction.atomic():
        checked = Job.objects.select_for_update().get(pk=checked.pk)
        if not checked.params.get("dry_run") or checked.status != Job.Status.DONE:
            raise Http404
        if checked.params.get("applied_job"):
            return redirect("registry:import_status", checked.params["applied_job"])
        town = Jurisdiction.objects.get(code=checked.params["town"])
        try:
            check_import_allowed(actor=request.user, town=town)
        except DomainError:
            raise PermissionDenied from None
        if not checked.input_file:
            messages.error(request, _("检查过的文件已按规定删除（保留 1 天），请重新上传后再导入。"))
            return redirect("registry:import_start")
        params = {**checked.params, "dry_run": False, "checked_job": checked.pk}
        job = job_start(
            kind=JOB_KIND,
            actor=request.user,
            jurisdiction=town,
            params=params,
            input_from=checked,  # the same encrypted file: not stored a second time
            title=_("%(kind)s导入：%(file)s") % {"kind": KIND_LABELS[params["kind"]], "file": params["filename"]},
        )
        checked.params = {**checked.params, "applied_job": job.pk}
        checked.save(update_fields=["params"])
    return redirect("registry:import_status", job.pk)


@staff_view
def import_report(request, job_id):
    job = _import_job(request, job_id)
    if job.status != Job.Status.DONE or not job.output_file:
        raise Http404
    return FileResponse(job.output_file.open("rb"), as_attachment=True, filename=os.path.basename(job.output_file.name))


@staff_view
def import_template(request, kind):
    """An empty workbook with the header the importer reads best (any synonym works too)."""
    _require_importer(request)
    if kind not in IMPORTERS:
        raise Http404

    class TemplateExporter(ListExporter):
        title = str(KIND_LABELS[kind])
        columns = [Column(str(c.label), c.key, 18) for c in IMPORTERS[kind].columns]

    return TemplateExporter().response([], filename=_("%(kind)s导入模板") % {"kind": KIND_LABELS[kind]})
