"""``chuangfu seed --scale N [--if-empty] [--seed 42] [--workers W]``: load demo data."""

from django.core.management.base import BaseCommand, CommandError

from chuangfu.registry import seeding


class Command(BaseCommand):
    help = (
        "生成确定性的演示数据：N 家企业、约 2N 名人员，以及演示村居、单位、载体、导师和每个角色的演示账号"
        "（后者只生成一次）。同样的 N 和 --seed 总是得到同样的数据。演示数据直接写入数据库，不产生审计记录；"
        "每次运行记为一条“后台任务”。 "
        "Generate deterministic demo data: N enterprises and about 2N people, plus demo villages, units, "
        "carriers, mentors and one demo account per role (created once). The same N and --seed always give "
        "the same data. Demo data is written directly and leaves no audit entries; each run is recorded as a Job."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=200, help="企业数量 N（人员约 2N）。 Number of enterprises.")
        parser.add_argument("--seed", type=int, default=42, help="随机种子。 Random seed.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="已有企业时什么也不做（make demo 使用）。 Do nothing when any enterprise exists.",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=None,
            help="生成数据的进程数，默认为 CPU 核数。 Generator processes (default: CPU count).",
        )

    def handle(self, *args, scale, seed: int, if_empty, workers, verbosity, **options):
        if scale < 0:
            raise CommandError("--scale 不能为负数。 --scale must not be negative.")
        step = max(scale // 20, 1)
        next_report = step

        def progress(done: int, total: int) -> None:
            nonlocal next_report
            if verbosity >= 1 and total >= 20_000 and done >= next_report:
                self.stdout.write(f"  {done:,} / {total:,} 家企业 enterprises")
                next_report = done + step

        try:
            result = seeding.seed(scale=scale, seed=seed, if_empty=if_empty, workers=workers, progress=progress)
        except seeding.SeedCapacityError as exc:
            raise CommandError(str(exc)) from exc
        if result.skipped:
            self.stdout.write("数据库中已有企业，未生成演示数据。 Enterprises exist; demo data not loaded.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"已生成演示数据：{result.enterprises:,} 家企业、{result.people:,} 名人员，共 {result.rows:,} 行，"
                f"用时 {result.seconds:.1f} 秒（{result.rows_per_second:,.0f} 行/秒）。 "
                f"Seeded {result.enterprises:,} enterprises and {result.people:,} people: {result.rows:,} rows in "
                f"{result.seconds:.1f} s ({result.rows_per_second:,.0f} rows/s)."
            )
        )
