"""``chuangfu dossier --town CODE --year YYYY --out FILE.docx``: the town's assessment dossier and its annex."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "生成镇（街道）年度创建评估自评报告（.docx）及数据明细附件（同名 .xlsx）。 "
        "Write the town's assessment dossier (.docx) and its annex of records (.xlsx beside it)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--town", required=True, help="区划代码 jurisdiction code, e.g. 310115114")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--out", required=True, help="FILE.docx")
        parser.add_argument("--no-compute", action="store_true", help="use the stored values as they are")

    def handle(self, *args, town, year, out, no_compute, **options):
        from chuangfu.core.models import Jurisdiction
        from chuangfu.indicators import dossier
        from chuangfu.indicators.services import compute_town_year

        jurisdiction = Jurisdiction.objects.filter(code=town, level=Jurisdiction.Level.TOWN).first()
        if jurisdiction is None:
            raise CommandError(f"没有代码为 {town} 的镇（街道）。 No town with code {town}.")
        if not 2000 <= year <= 2100:
            raise CommandError("年度应在 2000–2100 之间。 The year must be within 2000–2100.")
        path = Path(out)
        if path.suffix.lower() != ".docx":
            raise CommandError("--out 应为 .docx 文件。 --out must name a .docx file.")
        if not no_compute:
            compute_town_year(jurisdiction, year)
        path.write_bytes(dossier.build_docx(jurisdiction, year))
        annex = path.with_suffix(".xlsx")
        annex.write_bytes(dossier.build_annex(jurisdiction, year))
        self.stdout.write(self.style.SUCCESS(f"{path} {annex}"))
