"""``chuangfu seed-governance``: 唐镇's leadership group, office, joint meeting and working group (idempotent)."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "载入唐镇的领导小组、办公室、联席会议成员单位和创建工作小组（已有的不重复载入）。需先运行 chuangfu seed。 "
        "Load 唐镇's leadership group, office, joint meeting member units and working group (existing ones are "
        "kept). Needs `chuangfu seed` first."
    )

    def handle(self, *args, **options):
        from chuangfu.governance.demo import DemoDataMissing, seed_governance

        try:
            created = seed_governance()
        except DemoDataMissing as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"已载入 {len(created)} 项。 Loaded {len(created)} items."))
        for name in created:
            self.stdout.write(f"  {name}")
