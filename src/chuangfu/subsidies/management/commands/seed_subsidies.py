"""``chuangfu seed-subsidies``: application forms for the demo policies, and one demo application."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "为演示政策设置申请表，并为演示创业者提交一份申请（已有的不重复）。 "
        "Set up application forms for the demo policies and submit one demo application (idempotent)."
    )

    def handle(self, *args, **options):
        from chuangfu.subsidies.demo import seed_demo_application, seed_forms

        forms = seed_forms()
        self.stdout.write(self.style.SUCCESS(f"已设置 {forms} 张申请表。 Created {forms} application forms."))
        app = seed_demo_application()
        if app is not None:
            self.stdout.write(f"  演示申请 demo application: {app.number}（{app.get_status_display()}）")
