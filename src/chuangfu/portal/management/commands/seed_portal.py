"""``chuangfu seed-portal``: the portal's demo content (idempotent)."""

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "载入门户的演示内容（创业典型、新闻、媒体报道、宣传活动、开放数据集）；已有的不重复载入。需先运行 chuangfu seed。 "
        "Load the portal's demo content (model cases, news, media coverage, a campaign, open datasets); "
        "existing items are kept. Needs `chuangfu seed` first."
    )

    def handle(self, *args, **options):
        from chuangfu.portal.demo import DemoDataMissing, seed_portal

        try:
            counts = seed_portal()
        except DemoDataMissing as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"已载入 Loaded: {counts}"))
