"""``chuangfu seed-indicators``: the demo indicator scheme, targets for 唐镇 and a first computation."""

from django.core.management.base import BaseCommand
from django.utils import timezone


class Command(BaseCommand):
    help = "载入示例指标体系和唐镇本年度目标值，并计算一次。 Load the example scheme, 唐镇's targets for this year, and compute once."

    def handle(self, *args, **options):
        from chuangfu.core.models import Jurisdiction
        from chuangfu.indicators.demo import seed_indicators
        from chuangfu.indicators.services import compute_town_year

        counts = seed_indicators()
        rows = compute_town_year(Jurisdiction.objects.get(code="310115114"), timezone.localdate().year)
        self.stdout.write(self.style.SUCCESS(f"已载入 Loaded: {counts}; computed {rows} values"))
