"""The dossier as a background job: the button queues it; the job recomputes the town's year,
writes the .docx and its .xlsx annex, and leaves both in one .zip on core's export page, where only
the person who asked can download it (``core.views.exports``). ``chuangfu dossier`` writes the same
two files in the foreground."""

import tempfile
import zipfile
from pathlib import Path

from django.core.files import File
from django.utils import timezone
from django.utils.translation import gettext as _

from chuangfu.core.audit import log_action
from chuangfu.core.exporters import export_job
from chuangfu.core.jobs import job_start
from chuangfu.core.models import Job, Jurisdiction

from .. import dossier
from .computing import compute_town_year

JOB_KIND = "indicators.dossier"


def dossier_names(town, year: int) -> tuple[str, str, str]:
    """The names of the .docx, the annex and the .zip holding both."""
    stem = f"{town.name}{year}年度创建评估"
    return f"{stem}自评报告.docx", f"{stem}数据明细.xlsx", f"{stem}材料-{timezone.localdate():%Y%m%d}.zip"


def dossier_start(*, actor, jurisdiction, year: int) -> Job:
    """Queue the dossier of ``jurisdiction`` (a town the actor may see) for ``year``. A second click
    while the first is still queued or running answers with that same job."""
    params = {"jurisdiction": jurisdiction.pk, "year": year}
    waiting = Job.objects.filter(
        kind=JOB_KIND, created_by=actor, status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
        params__jurisdiction=jurisdiction.pk, params__year=year,
    ).first()  # fmt: skip
    if waiting is not None:
        return waiting
    log_action(actor=actor, action="indicators.dossier.generated", obj=jurisdiction, note=str(year),
               jurisdiction=jurisdiction)  # fmt: skip
    return job_start(
        kind=JOB_KIND,
        title=_("生成 %(town)s %(year)s 年度创建评估报告") % {"town": jurisdiction.name, "year": year},
        actor=actor,
        params=params,
        jurisdiction=jurisdiction,
    )


def write_dossier(town, year: int, target: Path, *, progress=None) -> int:
    """Recompute ``town``'s ``year`` and write the .docx and the annex into the .zip ``target``;
    returns the number of records the annex lists."""
    compute_town_year(town, year, progress=progress)
    docx_name, annex_name, _zip = dossier_names(town, year)
    with tempfile.TemporaryDirectory(prefix="dossier-") as tmp:
        annex = Path(tmp) / "annex.xlsx"
        rows = dossier.write_annex(town, year, annex)
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
            bundle.writestr(docx_name, dossier.build_docx(town, year))
            # an .xlsx is a zip already: deflating it again only costs time
            bundle.write(annex, annex_name, compress_type=zipfile.ZIP_STORED)
    return rows


@export_job(JOB_KIND)
def run_dossier(job, progress) -> dict:
    town = Jurisdiction.objects.get(pk=job.params["jurisdiction"])
    year = int(job.params["year"])
    _docx, _annex, name = dossier_names(town, year)
    with tempfile.TemporaryDirectory(prefix="dossier-") as tmp:
        target = Path(tmp) / "dossier.zip"
        rows = write_dossier(town, year, target, progress=progress)
        with target.open("rb") as fh:
            job.output_file.save(name, File(fh), save=True)
    return {"rows": rows, "filename": name}
