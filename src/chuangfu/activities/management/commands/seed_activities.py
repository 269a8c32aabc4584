"""``chuangfu seed-activities``: the demo activities of 唐镇 around today (idempotent)."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "载入唐镇的演示活动（今天进行中的服务日、培训、招聘会、已结束的宣讲会、创业大赛；已有的不重复载入）。"
        "需先运行 chuangfu seed。 "
        "Load 唐镇's demo activities around today (a service day in progress, a training, a job fair, a finished "
        "briefing, a competition; existing ones are kept). Needs `chuangfu seed` first."
    )

    def handle(self, *args, **options):
        from chuangfu.activities.demo import DemoDataMissing, seed_activities

        try:
            created = seed_activities()
        except DemoDataMissing as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(f"已载入 {len(created)} 场演示活动。 Loaded {len(created)} demo activities.")
        )
        for title in created:
            self.stdout.write(f"  {title}")
