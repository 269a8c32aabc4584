"""``chuangfu api_token issue|list|revoke``: service accounts' API tokens from the shell."""

from django.core.management.base import BaseCommand, CommandError

from chuangfu.core import api_tokens
from chuangfu.core.errors import DomainError
from chuangfu.core.models import ApiToken, Jurisdiction


class Command(BaseCommand):
    help = "签发、列出或吊销接口令牌（服务账号）。 Issue, list or revoke API tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        issue = sub.add_parser("issue", help="签发令牌，只显示一次 (issue; the token is printed once)")
        issue.add_argument("--name", required=True, help="调用方名称，如：一网通办")
        issue.add_argument("--jurisdiction", required=True, help="区划代码，如 310115114")
        issue.add_argument("--role", required=True, choices=[r.value for r in api_tokens.SERVICE_ROLES])
        issue.add_argument("--operation", action="append", required=True, help="接口 operationId，可重复")
        issue.add_argument("--days", type=int, default=90)
        sub.add_parser("list", help="列出令牌 (list)")
        sub.add_parser("operations", help="列出可授权的接口 (list the operations a token may be given)")
        revoke = sub.add_parser("revoke", help="吊销令牌 (revoke)")
        revoke.add_argument("prefix", help="令牌前缀（cf_ 之后的 8 个字符）")

    def handle(self, *args, action, **options):
        from chuangfu.core.views.tokens import api_operations

        if action == "operations":
            for key, label in api_operations().items():
                self.stdout.write(f"{key}\t{label}")
        elif action == "list":
            for t in ApiToken.objects.select_related("jurisdiction", "account"):
                state = "revoked" if t.revoked_at else ("active" if t.is_active else "expired")
                used = t.last_used_at.isoformat() if t.last_used_at else "-"
                self.stdout.write(
                    f"cf_{t.prefix}_…\t{t.name}\t{t.jurisdiction.code}\t{t.account.role}\t{state}\t"
                    f"expires {t.expires_at:%Y-%m-%d}\tlast used {used}\t{','.join(t.operations)}"
                )
        elif action == "issue":
            jurisdiction = Jurisdiction.objects.filter(code=options["jurisdiction"]).first()
            if jurisdiction is None:
                raise CommandError(f"没有区划代码为 {options['jurisdiction']} 的区划。")
            try:
                _row, token = api_tokens.token_issue(
                    actor=None,
                    name=options["name"],
                    jurisdiction=jurisdiction,
                    role=options["role"],
                    operations=options["operation"],
                    days=options["days"],
                    known=set(api_operations()),
                )
            except DomainError as exc:
                raise CommandError(str(exc.message)) from None
            self.stdout.write(token)
            self.stderr.write("令牌只显示这一次，请妥善交付。 The token is shown only this once.")
        else:
            row = ApiToken.objects.filter(prefix=options["prefix"].removeprefix("cf_")[:8]).first()
            if row is None:
                raise CommandError("没有这个令牌。 No such token.")
            api_tokens.token_revoke(actor=None, token=row)
            self.stdout.write(f"revoked cf_{row.prefix}_…")
