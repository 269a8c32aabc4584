"""``chuangfu seed-ecosystem``: the ecosystem's demo data (idempotent)."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "载入创业生态的演示数据（区地理范围、载体坐标、居住区和门牌地址）；已有的不重复载入。需先运行 chuangfu seed。 "
        "Load the ecosystem's demo data (district bounds, carrier coordinates, residential areas and addresses); "
        "existing rows are kept. Needs `chuangfu seed` first."
    )

    def handle(self, *args, **options):
        from chuangfu.ecosystem.demo import DemoDataMissing, seed_ecosystem

        try:
            counts = seed_ecosystem()
        except DemoDataMissing as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"已载入 Loaded: {counts}"))
