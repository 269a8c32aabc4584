from django.core.management.base import BaseCommand

from chuangfu.core import workdays


class Command(BaseCommand):
    help = "从 chinesecalendar 载入节假日安排（管理员录入的年份保持不变）。 Load holidays from chinesecalendar."

    def handle(self, *args, **options):
        years = workdays.sync_from_package()
        self.stdout.write(f"已载入 {len(years)} 个年份：{years[0]}–{years[-1]}" if years else "没有需要载入的年份。")
        missing = workdays.uncovered_years()
        if missing:
            self.stdout.write(self.style.WARNING(f"尚未录入：{missing}（按周一至周五计算，请管理员录入）。"))
