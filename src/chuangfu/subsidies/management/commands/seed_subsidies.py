"""``chuangfu seed-subsidies``: application forms for the demo policies, one demo application, the
obligations, a breach and a recovery of paid demo grants (``demo_aftercare``), and the 免申即享 demo
lists (``demo_entitlements``)."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "为演示政策设置申请表，为演示创业者提交一份申请，生成已拨付补贴的履约义务、违约和追回示例，"
        "并生成免申即享示例名单（已有的不重复）。 "
        "Set up application forms for the demo policies, submit one demo application, pay demo grants "
        "with obligations, a breach and a recovery, and build the automatic-grant demo lists (idempotent)."
    )

    def handle(self, *args, **options):
        from chuangfu.subsidies.demo import seed_demo_application, seed_forms
        from chuangfu.subsidies.demo_aftercare import seed_aftercare
        from chuangfu.subsidies.demo_entitlements import seed_entitlements

        forms = seed_forms()
        self.stdout.write(self.style.SUCCESS(f"已设置 {forms} 张申请表。 Created {forms} application forms."))
        app = seed_demo_application()
        if app is not None:
            self.stdout.write(f"  演示申请 demo application: {app.number}（{app.get_status_display()}）")
        aftercare = seed_aftercare()
        if aftercare is not None:
            self.stdout.write(
                f"  履约与追回 obligations and recovery: {aftercare['breached']}（追回 {aftercare['recovery']}）, "
                f"{aftercare['pending']}, {aftercare['mine']}"
            )
        batches = seed_entitlements()
        if batches:
            self.stdout.write(f"  免申即享名单 automatic-grant lists: {', '.join(batches)}")
