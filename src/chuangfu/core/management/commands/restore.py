"""``chuangfu restore PATH``: put a backup made by ``chuangfu backup`` back in place."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.db.migrations.executor import MigrationExecutor

from chuangfu.core import backup

from .backup import key_source


class Command(BaseCommand):
    help = (
        "从备份恢复数据库和上传的文件。恢复前自动备份当前数据；数据库正在使用或密钥不符时拒绝，除非加 --force。"
        " Restore the database and uploaded files from a backup."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="chuangfu backup 生成的 .tar.gz 或目录")
        parser.add_argument(
            "--force",
            action="store_true",
            help="数据库正在使用或数据密钥不符时仍然恢复。 Restore even if in use or keyed differently.",
        )

    def handle(self, *args, path, force, **options):
        db = connections["default"]
        if db.vendor == "postgresql":
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
            commands = backup.postgres_commands(db.settings_dict, settings.MEDIA_ROOT, stamp)
            self.stdout.write(
                "PostgreSQL 数据库请用 pg_restore 恢复（本命令未做任何改动）。 Nothing was restored; run:\n\n"
                f"  {commands['restore']}\n  {commands['restore_media']}\n\n详见 docs/operations.md。"
            )
            raise CommandError("未执行恢复：PostgreSQL 需使用 pg_restore。 Nothing restored.", returncode=2)
        if db.vendor != "sqlite":
            raise CommandError(f"不支持的数据库：{db.vendor}。 Unsupported database.")
        connections.close_all()  # our own connection must not count as "in use"
        try:
            result = backup.restore_sqlite(
                source=Path(path),
                db_path=Path(db.settings_dict["NAME"]),
                media_root=Path(settings.MEDIA_ROOT),
                force=force,
                safety_dir=settings.VAR_DIR / "backups",
            )
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        if result.safety_copy:
            self.stdout.write(f"恢复前的数据已另存为 {result.safety_copy}。 The previous data was saved first.")
        self.stdout.write(
            self.style.SUCCESS(
                f"已从 {path}（{result.manifest.get('created_at', '?')}）恢复数据库和 {result.media_files} 个文件，"
                "完整性检查通过。 Restored."
            )
        )
        self.stdout.write(f"数据密钥：{key_source()}。 Data key in use.")
        pending = self._pending_migrations()
        if pending:
            self.stdout.write(
                self.style.WARNING(
                    f"备份比当前代码旧：还有 {len(pending)} 个迁移未执行，请运行 chuangfu migrate。"
                    " The backup predates this code; run `chuangfu migrate`."
                )
            )

    def _pending_migrations(self) -> list:
        connection = connections["default"]
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        connection.close()
        return plan
