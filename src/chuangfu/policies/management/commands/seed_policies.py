"""``chuangfu seed-policies``: load the demo policies (idempotent) and, with --match, match them."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "载入演示政策（上海市创业政策及唐镇镇级政策示例，已有的不重复载入），可选立即匹配名录。 "
        "Load the demo policies (Shanghai policies and a 唐镇 example; existing ones are kept) and optionally match."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--match", action="store_true", help="载入后立即匹配全部名录。 Match the registry afterwards."
        )

    def handle(self, *args, match, **options):
        from chuangfu.core.errors import DomainError
        from chuangfu.policies.demo import ALL_DEMO_POLICIES, seed_policies
        from chuangfu.policies.models import Policy
        from chuangfu.policies.services.matching import policy_match

        created = seed_policies(ALL_DEMO_POLICIES)
        self.stdout.write(self.style.SUCCESS(f"已载入 {created} 项演示政策。 Loaded {created} demo policies."))
        if match:
            from django.utils import timezone

            for policy in Policy.objects.order_by("id"):
                try:
                    counts = policy_match(policy=policy, on=timezone.localdate())
                except DomainError as exc:  # no version in force: reported, the others still match
                    self.stdout.write(f"  {policy.title}: {exc.message}")
                    continue
                self.stdout.write(f"  {policy.title}: {counts}")
