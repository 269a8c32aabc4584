"""`chuangfu backup` / `restore`: consistent while the server writes; refusals that protect data."""

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path

import pytest

from chuangfu.core import backup


class Writer(threading.Thread):
    """Plays the running server: commits an order with its three lines, again and again."""

    def __init__(self, db_path: Path):
        super().__init__(daemon=True)
        self.db_path = db_path
        self.stop = threading.Event()
        self.committed = 0

    def run(self):
        conn = sqlite3.connect(self.db_path, timeout=30, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        while not self.stop.is_set():
            conn.execute("BEGIN IMMEDIATE")
            order = conn.execute("INSERT INTO orders (note) VALUES ('唐镇')").lastrowid
            for n in range(3):
                conn.execute("INSERT INTO lines (order_id, n) VALUES (?, ?)", (order, n))
            conn.execute("COMMIT")
            self.committed += 1
        conn.close()


def make_live_db(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE orders (id INTEGER PRIMARY KEY, note TEXT)")
    conn.execute("CREATE TABLE lines (id INTEGER PRIMARY KEY, order_id INTEGER REFERENCES orders(id), n INTEGER)")
    conn.commit()
    conn.close()
    return path


def counts(db_path: Path) -> tuple[int, int]:
    conn = sqlite3.connect(db_path)
    try:
        return (
            conn.execute("SELECT count(*) FROM orders").fetchone()[0],
            conn.execute("SELECT count(*) FROM lines").fetchone()[0],
        )
    finally:
        conn.close()


def make_media(root: Path) -> Path:
    (root / "jobs/in/2026/11").mkdir(parents=True)
    (root / "jobs/in/2026/11/企业名单.xlsx").write_bytes(b"PK\x03\x04 fake workbook")
    (root / "avatar.png").write_bytes(b"\x89PNG")
    return root


def wait_for(condition, timeout=10):
    deadline = time.monotonic() + timeout
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert condition()


def test_backup_taken_while_another_thread_writes_restores_a_consistent_database(tmp_path):
    live = make_live_db(tmp_path / "live.sqlite3")
    media = make_media(tmp_path / "media")
    writer = Writer(live)
    writer.start()
    try:
        wait_for(lambda: writer.committed >= 50)
        result = backup.backup_sqlite(db_path=live, media_root=media, dest=tmp_path / "out" / "b.tar.gz")
        assert writer.is_alive()
        at_backup = writer.committed
        wait_for(lambda: writer.committed >= at_backup + 50)
    finally:
        writer.stop.set()
        writer.join()

    assert result.media_files == 2 and result.manifest["data_key_included"] is False
    with tarfile.open(result.path) as tar:
        assert "data-key" not in " ".join(tar.getnames())

    restored = backup.restore_sqlite(
        source=result.path, db_path=tmp_path / "restored.sqlite3", media_root=tmp_path / "restored-media"
    )
    assert restored.safety_copy is None  # nothing was there to save
    assert backup.integrity_problems(restored.db_path) == []
    orders, lines = counts(restored.db_path)
    assert 50 <= orders < writer.committed
    assert lines == 3 * orders  # no half-committed order: one instant, not a smear
    assert (tmp_path / "restored-media/jobs/in/2026/11/企业名单.xlsx").read_bytes() == b"PK\x03\x04 fake workbook"


def test_restore_over_a_database_in_use_is_refused_unless_forced(tmp_path):
    source_db = make_live_db(tmp_path / "source.sqlite3")
    writer = Writer(source_db)
    writer.start()
    wait_for(lambda: writer.committed >= 5)
    writer.stop.set()
    writer.join()
    snapshot = backup.backup_sqlite(db_path=source_db, media_root=make_media(tmp_path / "m1"), dest=tmp_path / "snap")

    live = make_live_db(tmp_path / "live.sqlite3")
    media = tmp_path / "media"
    media.mkdir()
    (media / "current.txt").write_text("现在的文件")
    server = sqlite3.connect(live)  # the "running server" holds the database open
    server.execute("INSERT INTO orders (note) VALUES ('在用')")
    server.commit()
    try:
        with pytest.raises(backup.BackupError, match="数据库正在使用中"):
            backup.restore_sqlite(source=snapshot.path, db_path=live, media_root=media)
        assert counts(live) == (1, 0)
        assert (media / "current.txt").exists()

        result = backup.restore_sqlite(source=snapshot.path, db_path=live, media_root=media, force=True)
        assert server.execute("SELECT count(*) FROM orders").fetchone()[0] == counts(source_db)[0]
    finally:
        server.close()
    assert not (media / "current.txt").exists() and (media / "avatar.png").exists()

    # what was there before is kept in the safety copy, and restores
    assert result.safety_copy.exists()
    back = backup.restore_sqlite(
        source=result.safety_copy, db_path=tmp_path / "undo.sqlite3", media_root=tmp_path / "undo-media"
    )
    assert counts(back.db_path) == (1, 0)
    assert (tmp_path / "undo-media/current.txt").read_text() == "现在的文件"


def test_damaged_backup_is_refused_and_nothing_changes(tmp_path):
    db = make_live_db(tmp_path / "db.sqlite3")
    folder = backup.backup_sqlite(db_path=db, media_root=tmp_path / "none", dest=tmp_path / "folder").path
    copy = folder / backup.DB_FILE
    data = bytearray(copy.read_bytes())
    data[4096 + 100 : 4096 + 400] = b"\xff" * 300  # scribble over the first table's page
    copy.write_bytes(bytes(data))

    target = make_live_db(tmp_path / "target.sqlite3")
    with pytest.raises(backup.BackupError, match="未做任何改动"):
        backup.restore_sqlite(source=folder, db_path=target, media_root=tmp_path / "media")
    assert counts(target) == (0, 0) and not (tmp_path / "backups").exists()


def test_backup_made_with_another_data_key_is_refused(tmp_path):
    db = make_live_db(tmp_path / "db.sqlite3")
    folder = backup.backup_sqlite(db_path=db, media_root=tmp_path / "none", dest=tmp_path / "folder").path
    manifest = json.loads((folder / backup.MANIFEST).read_text())
    manifest["data_key_fingerprint"] = "0123456789abcdef"
    (folder / backup.MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(backup.BackupError, match="数据密钥与当前密钥不同"):
        backup.restore_sqlite(source=folder, db_path=tmp_path / "new.sqlite3", media_root=tmp_path / "media")
    assert not (tmp_path / "new.sqlite3").exists()


def test_something_that_is_not_a_backup_is_refused(tmp_path):
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"this is not gzip")
    with pytest.raises(backup.BackupError, match="无法读取备份文件"):
        backup.restore_sqlite(source=bogus, db_path=tmp_path / "x.sqlite3", media_root=tmp_path / "m")


E2E_SCRIPT = """
import django
django.setup()
from django.core.management import call_command
from chuangfu.core.models import User

call_command("migrate", verbosity=0)
User.objects.create_user(username="cy00000001", password="x", mobile="13800138000")
call_command("backup", BACKUP)
User.objects.all().delete()
call_command("restore", BACKUP)
print("MOBILE=" + User.objects.get(username="cy00000001").mobile)
"""


def test_backup_and_restore_commands_round_trip_the_platform_database(tmp_path):
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CHUANGFU_DATA_KEY")}
    environment.update(
        {
            "CHUANGFU_VAR_DIR": str(tmp_path / "var"),
            "MEDIA_ROOT": str(tmp_path / "var/media"),
            "DJANGO_SETTINGS_MODULE": "chuangfu.settings",
        }
    )
    script = f"BACKUP = {str(tmp_path / 'nightly.tar.gz')!r}\n" + E2E_SCRIPT
    result = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "备份完成" in out
    assert "数据密钥不在备份中" in out and "data key is NOT in the backup" in out
    assert "恢复前的数据已另存为" in out and "完整性检查通过" in out
    assert "MOBILE=13800138000" in out.splitlines()  # decrypts after the restore: same key
    with tarfile.open(tmp_path / "nightly.tar.gz") as tar:
        names = tar.getnames()
    assert sorted(names)[:2] == [backup.DB_FILE, backup.MANIFEST]
    assert not any("data-key" in name for name in names)


class FakePostgres:
    vendor = "postgresql"
    settings_dict = {"NAME": "chuangfu", "USER": "chuangfu", "HOST": "db.internal", "PORT": 5432}


def test_postgresql_deployments_get_the_pg_dump_commands_not_a_pretend_backup(tmp_path, monkeypatch, settings):
    from django.core.management import CommandError, call_command

    from chuangfu.core.management.commands import backup as backup_command
    from chuangfu.core.management.commands import restore as restore_command

    settings.VAR_DIR = tmp_path
    for module in (backup_command, restore_command):
        monkeypatch.setattr(module, "connections", {"default": FakePostgres()})
    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("backup", stdout=out)
    assert exc.value.returncode == 2
    printed = out.getvalue()
    assert "pg_dump --format=custom --no-owner --file=chuangfu-" in printed
    assert '"postgresql://chuangfu@db.internal:5432/chuangfu"' in printed
    assert "本命令未做任何备份" in printed and "data key is NOT in the backup" in printed
    assert not list(tmp_path.glob("backups/*"))

    out = io.StringIO()
    with pytest.raises(CommandError) as exc:
        call_command("restore", "chuangfu-20261127.dump", stdout=out)
    assert exc.value.returncode == 2 and "pg_restore --clean --if-exists" in out.getvalue()
