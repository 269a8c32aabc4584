"""Backup and restore of an embedded (SQLite) deployment: the database and the uploaded files.

The database is copied with SQLite's online backup API in one step, i.e. inside one read
transaction: the copy is the database as it stood at one instant, even while the server and
the queue worker keep writing (WAL mode lets them). Restoring writes through the same API, so
SQLite's own locking keeps every other connection safe; we still refuse to replace a database
that looks in use unless forced, because sessions and in-flight work would silently vanish.

The data key is deliberately *not* in the backup (a stolen backup must not decrypt itself).
The manifest records a fingerprint of the key, so a restore can tell when the key in use is
not the one the backup was made with.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .crypto import lookup_hash

FORMAT = 1
MANIFEST = "manifest.json"
DB_FILE = "db.sqlite3"
MEDIA_DIR = "media"


class BackupError(Exception):
    """Backup or restore cannot proceed; the message says why and what to do."""


@dataclass
class BackupResult:
    path: Path
    db_bytes: int
    media_files: int
    manifest: dict


@dataclass
class RestoreResult:
    db_path: Path
    media_files: int
    safety_copy: Path | None
    manifest: dict


def key_fingerprint() -> str:
    """Names the data key without revealing it: a keyed hash of a fixed text."""
    return lookup_hash("chuangfu-backup-key-fingerprint")[:16]


def integrity_problems(db_path: Path) -> list[str]:
    """``PRAGMA integrity_check`` of a database file: an empty list means it is sound."""
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    finally:
        conn.close()
    return [] if rows == ["ok"] else rows


def copy_database(source: Path, dest: Path) -> None:
    """A consistent copy of a live SQLite database into a new self-contained file."""
    if not Path(source).exists():
        raise BackupError(f"数据库文件不存在：{source}  Database file not found.")
    src = sqlite3.connect(source, timeout=30)
    dst = sqlite3.connect(dest)
    try:
        src.backup(dst)  # pages=-1: all pages in one step, under one read transaction
        dst.execute("PRAGMA journal_mode=DELETE")  # one file, no -wal beside it
    finally:
        dst.close()
        src.close()


def database_users(db_path: Path) -> list[str]:
    """Signs that a database is open elsewhere: WAL side files, other processes holding it."""
    db_path = Path(db_path).resolve()
    signs = [str(p) for p in (Path(f"{db_path}-wal"), Path(f"{db_path}-shm")) if p.exists()]
    proc = Path("/proc")
    if proc.is_dir():
        targets = {str(db_path), f"{db_path}-wal"}
        for pid_dir in proc.iterdir():
            if not pid_dir.name.isdigit() or int(pid_dir.name) == os.getpid():
                continue
            try:
                for fd in (pid_dir / "fd").iterdir():
                    if os.readlink(fd) in targets:
                        signs.append(f"pid {pid_dir.name}")
                        break
            except OSError:  # processes of other users, or gone meanwhile
                continue
    return signs


def backup_sqlite(*, db_path: Path, media_root: Path, dest: Path) -> BackupResult:
    """Write a backup to ``dest``: a ``.tar.gz`` archive, or else a new directory."""
    dest = Path(dest)
    archive = dest.name.endswith((".tar.gz", ".tgz"))
    if dest.exists() and (archive or any(dest.iterdir())):
        raise BackupError(f"目标已存在：{dest}  Destination exists; choose a new name.")
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest.parent, prefix=".chuangfu-backup-") as tmp:
        staging = Path(tmp)
        db_copy = staging / DB_FILE
        copy_database(Path(db_path), db_copy)
        problems = integrity_problems(db_copy)
        if problems:
            raise BackupError(f"数据库完整性检查未通过：{problems[:5]}  The database copy failed its integrity check.")
        media_files = _media_files(Path(media_root))
        manifest = {
            "format": FORMAT,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "vendor": "sqlite",
            "db_file": DB_FILE,
            "db_sha256": _sha256(db_copy),
            "db_bytes": db_copy.stat().st_size,
            "migrations": _latest_migrations(db_copy),
            "media_files": len(media_files),
            "data_key_fingerprint": key_fingerprint(),
            "data_key_included": False,
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        if archive:
            partial = dest.with_name(dest.name + ".partial")
            with tarfile.open(partial, "w:gz") as tar:
                tar.add(staging / MANIFEST, arcname=MANIFEST)
                tar.add(db_copy, arcname=DB_FILE)
                for path in media_files:
                    tar.add(path, arcname=f"{MEDIA_DIR}/{path.relative_to(media_root).as_posix()}")
            partial.rename(dest)
        else:
            if media_files:
                shutil.copytree(media_root, staging / MEDIA_DIR)
            else:
                (staging / MEDIA_DIR).mkdir()
            dest.mkdir(exist_ok=True)
            for item in staging.iterdir():
                shutil.move(str(item), dest / item.name)
    return BackupResult(path=dest, db_bytes=manifest["db_bytes"], media_files=len(media_files), manifest=manifest)


@contextmanager
def opened_backup(source: Path):
    """The backup as a directory (archives are unpacked into a temporary one) and its manifest."""
    source = Path(source)
    if not source.exists():
        raise BackupError(f"备份不存在：{source}  Backup not found.")
    if source.is_dir():
        yield source, _read_manifest(source)
        return
    with tempfile.TemporaryDirectory(prefix="chuangfu-restore-") as tmp:
        try:
            with tarfile.open(source, "r:*") as tar:
                tar.extractall(tmp, filter="data")  # refuses absolute paths and ../ escapes
        except (tarfile.TarError, OSError) as exc:
            raise BackupError(f"无法读取备份文件：{exc}  Cannot read the backup archive.") from exc
        yield Path(tmp), _read_manifest(Path(tmp))


def restore_sqlite(
    *, source: Path, db_path: Path, media_root: Path, force: bool = False, safety_dir: Path | None = None
) -> RestoreResult:
    """Replace the database and uploaded files with those of a backup.

    Refuses, unless ``force``: a database that looks in use, and a backup made with another
    data key. Always refuses a backup that fails its integrity check. Before overwriting, the
    current database and files are themselves backed up into ``safety_dir``.
    """
    db_path, media_root = Path(db_path), Path(media_root)
    with opened_backup(source) as (folder, manifest):
        if manifest.get("vendor") != "sqlite":
            raise BackupError("这不是 SQLite 备份。 Not a SQLite backup.")
        backup_db = folder / manifest.get("db_file", DB_FILE)
        problems = integrity_problems(backup_db)
        if problems:
            raise BackupError(
                f"备份中的数据库已损坏，未做任何改动：{problems[:5]}  The backup is damaged; nothing was changed."
            )
        if manifest.get("db_sha256") and _sha256(backup_db) != manifest["db_sha256"]:
            raise BackupError(
                "备份中的数据库与清单不符（文件被改动或不完整），未做任何改动。 Checksum mismatch; nothing was changed."
            )
        refusals = []
        if manifest.get("data_key_fingerprint") not in (None, key_fingerprint()):
            refusals.append(
                "备份使用的数据密钥与当前密钥不同：恢复后身份证号、手机号等个人数据将无法解密。请先把 CHUANGFU_DATA_KEY"
                "（或 var/data-key）设为备份时的密钥。 The backup was made with another data key."
            )
        users = database_users(db_path) if db_path.exists() else []
        if users:
            refusals.append(
                f"数据库正在使用中（{', '.join(users[:5])}）。请先停止网站和后台任务进程。"
                " The database is in use; stop the server and the worker first."
            )
        if refusals and not force:
            raise BackupError("\n".join(refusals) + "\n确认仍要恢复，请加 --force。 Add --force to restore anyway.")

        safety_copy = None
        if db_path.exists():
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
            safety_dir = Path(safety_dir or db_path.parent / "backups")
            safety_copy = backup_sqlite(
                db_path=db_path, media_root=media_root, dest=safety_dir / f"before-restore-{stamp}.tar.gz"
            ).path
        db_path.parent.mkdir(parents=True, exist_ok=True)
        src = sqlite3.connect(backup_db)
        dst = sqlite3.connect(db_path, timeout=30)
        try:
            src.backup(dst)
        finally:
            dst.close()
            src.close()
        problems = integrity_problems(db_path)
        if problems:
            raise BackupError(f"恢复后的数据库完整性检查未通过：{problems[:5]}；恢复前的副本：{safety_copy}")
        media_count = _replace_media(folder / MEDIA_DIR, media_root)
    return RestoreResult(db_path=db_path, media_files=media_count, safety_copy=safety_copy, manifest=manifest)


def postgres_commands(settings_dict: dict, media_root: Path, stamp: str) -> dict[str, str]:
    """The commands an operator runs for a PostgreSQL deployment (pg_dump does this job best)."""
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT") or 5432
    user = settings_dict.get("USER") or "postgres"
    url = f"postgresql://{user}@{host}:{port}/{settings_dict['NAME']}"
    dump = f"chuangfu-{stamp}.dump"
    media = f"chuangfu-media-{stamp}.tar.gz"
    return {
        "backup": f'pg_dump --format=custom --no-owner --file={dump} "{url}"',
        "backup_media": f"tar czf {media} -C {media_root} .",
        "restore": f'pg_restore --clean --if-exists --no-owner --single-transaction --dbname="{url}" {dump}',
        "restore_media": f"tar xzf {media} -C {media_root}",
    }


def _read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"备份缺少有效的 {MANIFEST}：{exc}  Not a Chuangfu backup.") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不支持的备份格式 {manifest.get('format')}。 Unsupported backup format.")
    return manifest


def _replace_media(source: Path, media_root: Path) -> int:
    """Put the backup's files in place of the current ones (which the safety copy holds)."""
    staged = media_root.with_name(media_root.name + ".restoring")
    shutil.rmtree(staged, ignore_errors=True)
    if source.is_dir():
        shutil.copytree(source, staged)
    else:
        staged.mkdir(parents=True)
    old = media_root.with_name(media_root.name + ".replaced")
    shutil.rmtree(old, ignore_errors=True)
    if media_root.exists():
        media_root.rename(old)
    staged.rename(media_root)
    shutil.rmtree(old, ignore_errors=True)
    return len(_media_files(media_root))


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    return sorted(p for p in media_root.rglob("*") if p.is_file())


def _latest_migrations(db_path: Path) -> dict[str, str]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall()
    except sqlite3.DatabaseError:
        return {}
    finally:
        conn.close()
    return dict(rows)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
