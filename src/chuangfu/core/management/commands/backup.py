"""``chuangfu backup [PATH]``: a consistent copy of the database and uploaded files."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from chuangfu.core import backup

KEY_WARNING = (
    "注意：数据密钥不在备份中。恢复时需要同一把密钥（{source}），否则身份证号、手机号等个人数据无法解密。"
    "请把密钥与备份分开、妥善保管。\n"
    "Note: the data key is NOT in the backup. Restoring needs the same key ({source}); without it "
    "personal data cannot be decrypted. Keep the key safe, apart from the backups."
)


def key_source() -> str:
    return "环境变量 CHUANGFU_DATA_KEY" if settings.DATA_KEY else f"{settings.VAR_DIR / 'data-key'}"


def default_path(stamp: str) -> Path:
    return settings.VAR_DIR / "backups" / f"chuangfu-{stamp}.tar.gz"


class Command(BaseCommand):
    help = (
        "备份数据库和上传的文件（SQLite 在线备份，网站运行中也一致）。PATH 以 .tar.gz 结尾时写成压缩包，否则写成目录。"
        " Back up the database and uploaded files."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="默认 var/backups/chuangfu-<时间>.tar.gz")

    def handle(self, *args, path=None, **options):
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        db = connections["default"]
        if db.vendor == "postgresql":
            commands = backup.postgres_commands(db.settings_dict, settings.MEDIA_ROOT, stamp)
            self.stdout.write(
                "PostgreSQL 数据库请用 pg_dump 备份（本命令未做任何备份）。 This command made NO backup; run:\n\n"
                f"  {commands['backup']}\n  {commands['backup_media']}\n\n"
                "密码通过 PGPASSWORD 环境变量或 ~/.pgpass 提供。详见 docs/operations.md。"
            )
            self.stdout.write(KEY_WARNING.format(source=key_source()))
            raise CommandError("未执行备份：PostgreSQL 需使用 pg_dump。 No backup made.", returncode=2)
        if db.vendor != "sqlite":
            raise CommandError(f"不支持的数据库：{db.vendor}。 Unsupported database.")
        db.close()
        dest = Path(path) if path else default_path(stamp)
        try:
            result = backup.backup_sqlite(
                db_path=Path(db.settings_dict["NAME"]), media_root=Path(settings.MEDIA_ROOT), dest=dest
            )
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"备份完成：{result.path}（数据库 {result.db_bytes / 1e6:.1f} MB，文件 {result.media_files} 个，完整性检查通过）。"
                f" Backup written."
            )
        )
        self.stdout.write(self.style.WARNING(KEY_WARNING.format(source=key_source())))
