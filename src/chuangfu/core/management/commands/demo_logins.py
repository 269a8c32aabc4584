"""``chuangfu demo-logins``: print the demo account of every role and the shared demo password.

Demo accounts are the ones ``chuangfu seed`` creates; their e-mail address is in the reserved
``.invalid`` domain below, which is how this command finds them without knowing the seed.
"""

import unicodedata

from django.core.management.base import BaseCommand

from chuangfu.core.models import Role, User

DEMO_PASSWORD = "Chuangfu2026"
DEMO_EMAIL_DOMAIN = "demo.invalid"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


class Command(BaseCommand):
    help = "列出演示账号（每个角色一个）及演示密码。 List the demo account of every role and the demo password."

    def handle(self, *args, **options):
        order = {role: n for n, role in enumerate(Role.values)}
        users = sorted(
            User.objects.filter(email__endswith=f"@{DEMO_EMAIL_DOMAIN}", is_active=True).select_related(
                "unit", "jurisdiction"
            ),
            key=lambda u: (order.get(u.role, 99), u.jurisdiction.path if u.jurisdiction else "", u.username),
        )
        if not users:
            self.stdout.write(
                self.style.WARNING(
                    "还没有演示账号：请先运行 chuangfu seed --scale 200。 No demo accounts yet: run `chuangfu seed` first."
                )
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"演示账号（密码均为 {DEMO_PASSWORD}）。 Demo logins (password for all: {DEMO_PASSWORD}):"
            )
        )
        rows = [("角色 role", "账号 username（/ 手机号 mobile）", "姓名 name", "单位 unit", "范围 scope")]
        for user in users:
            scope = user.jurisdiction.name if user.jurisdiction else ("全平台" if user.is_superuser else "本人")
            rows.append(
                (
                    f"{user.get_role_display()} {user.role}" + ("（超级管理员）" if user.is_superuser else ""),
                    f"{user.username} / {user.mobile}" if user.mobile_verified_at and user.mobile else user.username,
                    user.display_name,
                    user.unit.name if user.unit else "—",
                    scope,
                )
            )
        widths = [max(_width(row[i]) for row in rows) + 2 for i in range(len(rows[0]))]
        for n, row in enumerate(rows):
            line = "".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip()
            self.stdout.write(line if n else self.style.MIGRATE_HEADING(line))
