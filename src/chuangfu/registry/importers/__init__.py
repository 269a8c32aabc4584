"""Bulk import of enterprises and people from other systems' exports (issue 2, point 9).

``run_import`` reads a file through ``core.imports``, decides for every row whether it would
create, update, leave unchanged or reject a record (with the reason in Chinese), and — unless
it is a dry run — writes the result in batches:

* rows are matched to existing records by USCC or by the keyed hash of the ID number, with one
  query per batch, so importing the same file again finds everything "unchanged";
* a blank cell never clears what the registry already holds; tags and priority groups are added,
  never removed;
* each batch is one transaction (records, tags/groups and one audit entry per record); if the
  database refuses it, the batch is retried row by row, each row in its own savepoint, so a bad
  row is rejected whole and never half-saved;
* only rows of the chosen town (or its villages) are accepted; a record already registered in
  another town is not touched.

The ``registry.import`` job handler runs the same thing on the task queue with progress, and
stores the row report (.xlsx) as the job's output file.
"""

import io
import itertools

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chuangfu.core.errors import DomainError
from chuangfu.core.imports import check_file, open_table
from chuangfu.core.jobs import job_handler
from chuangfu.core.models import Job, Jurisdiction

from ..selectors import can_edit_registry, jurisdiction_is_visible
from .base import BATCH_SIZE, Action, ImportReport, RowOutcome
from .credit import CreditImporter
from .enterprises import EnterpriseImporter, enterprise_pinyin
from .insurance import InsuranceImporter
from .people import PersonImporter, person_pinyin
from .premises import PremisesImporter

__all__ = [
    "IMPORTERS",
    "JOB_KIND",
    "KIND_LABELS",
    "Action",
    "CreditImporter",
    "EnterpriseImporter",
    "ImportReport",
    "InsuranceImporter",
    "PersonImporter",
    "PremisesImporter",
    "RowOutcome",
    "check_import_allowed",
    "check_import_file",
    "enterprise_pinyin",
    "person_pinyin",
    "run_import",
]

JOB_KIND = "registry.import"
IMPORTERS = {
    "enterprise": EnterpriseImporter,
    "person": PersonImporter,
    "insurance": InsuranceImporter,
    "credit": CreditImporter,
    "premises": PremisesImporter,
}
KIND_LABELS = {
    "enterprise": gettext_lazy("企业"),
    "person": gettext_lazy("人员"),
    "insurance": gettext_lazy("社保缴费明细"),
    "credit": gettext_lazy("失信名单"),
    "premises": gettext_lazy("经营场地与租赁"),
}


def check_import_allowed(*, actor, town: Jurisdiction | None) -> None:
    """Only registry editors import, and only into a town of their own jurisdiction."""
    if actor is not None and getattr(actor, "is_authenticated", False):
        if not can_edit_registry(actor):
            raise DomainError("forbidden", _("您没有导入名录的权限。"), status=403)
        if town is None or not jurisdiction_is_visible(actor, town.pk):
            raise DomainError("town", _("请选择您管辖范围内的镇（街道）。"))
    if town is not None and town.level != Jurisdiction.Level.TOWN:
        raise DomainError("town", _("“%(name)s”不是镇（街道），请选择要导入到的镇（街道）。") % {"name": town.name})


def check_import_file(source) -> None:
    """Size, type, unpacked size and row count, before a job starts (raises ``ImportFileError``).
    No cell is read here: the job reads the file, on the queue, and reports a missing header."""
    check_file(source)


def run_import(
    *, kind: str, source, town: Jurisdiction | None, actor, dry_run: bool, note: str = "", progress=None
) -> ImportReport:
    """Import an enterprise, person, insurance, credit or premises file into ``town`` (``None``: each
    row's own town column).

    Raises ``ImportFileError`` for a file that cannot be read and ``DomainError`` when the actor
    may not import there. A dry run writes nothing. Otherwise every accepted row is written
    whole with its audit entry, batch by batch; rerunning the same file changes nothing.
    """
    check_import_allowed(actor=actor, town=town)
    importer = IMPORTERS[kind](town=town, actor=actor, dry_run=dry_run, note=note)
    table = open_table(source, importer.columns)
    report = ImportReport(kind=kind, dry_run=dry_run, table=table)
    rows = iter(table)
    while batch := list(itertools.islice(rows, BATCH_SIZE)):
        report.outcomes.extend(importer.process(batch, table))
        if progress is not None:
            progress(
                len(report.outcomes) + table.skipped, max(table.estimated_rows, len(report.outcomes) + table.skipped)
            )
    return report


@job_handler(JOB_KIND)
def import_job(job: Job, progress) -> dict:
    """Run an import (or its dry run) for a job started by the import pages."""
    params = job.params
    town = Jurisdiction.objects.get(code=params["town"]) if params.get("town") else None
    note = _("批量导入（任务 #%(id)d，文件 %(file)s）") % {"id": job.pk, "file": params.get("filename", "")}
    with job.input_file.open("rb") as fh:
        report = run_import(
            kind=params["kind"],
            source=fh,
            town=town,
            actor=job.created_by,
            dry_run=params.get("dry_run", True),
            note=note,
            progress=progress,
        )
    buffer = io.BytesIO()
    report.write_xlsx(buffer)
    stem = _("导入报告") if not report.dry_run else _("试导入报告")
    job.output_file.save(f"{stem}-{job.pk}.xlsx", ContentFile(buffer.getvalue()), save=False)
    # Update only these columns: the job row's status and progress belong to the job runner.
    Job.objects.filter(pk=job.pk).update(output_file=job.output_file.name, message=report.summary())
    return report.as_result()
