"""``chuangfu import-registry FILE --kind enterprise|person [--town CODE] [--dry-run] [--report OUT.xlsx]``

Imports an .xlsx/.xls/.csv export as the import pages do, without the queue, and prints the
counts. Without ``--town`` every row must name its own town (a 所属街镇 column or the address).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from chuangfu.core.errors import DomainError
from chuangfu.core.models import Jurisdiction
from chuangfu.registry.importers import Action, run_import


class Command(BaseCommand):
    help = "从 .xlsx/.csv 批量导入企业或人员。 Import enterprises or people from an .xlsx/.csv file."
    requires_system_checks = []  # a data command: the checks cost seconds and guard nothing here

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--kind", required=True, choices=["enterprise", "person"])
        parser.add_argument("--town", help="镇（街道）区划代码，如 310115114（唐镇）")
        parser.add_argument("--dry-run", action="store_true", help="只检查，不写入")
        parser.add_argument("--report", type=Path, help="把逐行结果写到这个 .xlsx 文件")
        parser.add_argument("--show", type=int, default=20, help="列出前 N 条被拒绝的行（默认 20）")

    def handle(
        self, *args, file: Path, kind: str, town: str | None, dry_run: bool, report: Path | None, show: int, **options
    ):
        if not file.is_file():
            raise CommandError(_("找不到文件 %(path)s。") % {"path": file})
        town_obj = None
        if town:
            town_obj = Jurisdiction.objects.filter(code=town).first()
            if town_obj is None:
                raise CommandError(_("没有区划代码为 %(code)s 的镇（街道）。") % {"code": town})
        note = _("命令行批量导入（文件 %(file)s）") % {"file": file.name}
        try:
            result = run_import(kind=kind, source=file, town=town_obj, actor=None, dry_run=dry_run, note=note)
        except DomainError as exc:
            raise CommandError(str(exc.message)) from None
        if report is not None:
            with report.open("wb") as fh:
                result.write_xlsx(fh)
        rejected = [o for o in result.outcomes if o.action == Action.REJECT]
        for outcome in rejected[:show]:
            self.stderr.write(
                _("第 %(row)d 行（%(key)s）被拒绝：%(reason)s")
                % {
                    "row": outcome.row,
                    "key": outcome.key or "—",
                    "reason": outcome.detail,
                }
            )
        if len(rejected) > show:
            self.stderr.write(_("……另有 %(n)d 行被拒绝，用 --report 导出全部。") % {"n": len(rejected) - show})
        self.stdout.write(result.summary())
