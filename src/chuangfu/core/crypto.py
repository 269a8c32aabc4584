"""Personal data at rest: Fernet encryption, a keyed lookup hash, and masking for display.

The key comes from ``CHUANGFU_DATA_KEY``; a development key is generated on first run into
``var/data-key`` (git-ignored). Lookups never decrypt: they compare ``lookup_hash(value)``.
"""

import base64
import functools
import hashlib
import hmac
import os

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models


@functools.cache
def _key() -> bytes:
    if settings.DATA_KEY:
        return settings.DATA_KEY.encode()
    path = settings.VAR_DIR / "data-key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(Fernet.generate_key())
    return path.read_bytes().strip()


@functools.cache
def _fernet() -> Fernet:
    return Fernet(_key())


@functools.cache
def _hash_key() -> bytes:
    # A separate key derived from the data key, so the hash reveals nothing about the cipher key.
    return hashlib.sha256(b"chuangfu-lookup:" + base64.urlsafe_b64decode(_key())).digest()


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:  # a wrong key must be loud, never silently show garbage
        raise ValueError("无法解密个人数据：数据密钥与数据库不匹配。") from exc


FERNET_PREFIX = b"gAAAAA"  # every Fernet token (version byte 0x80, base64) starts so


def encrypt_bytes(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def decrypt_bytes(data: bytes) -> bytes:
    """The plaintext of ``encrypt_bytes``. Bytes that are not a Fernet token (a file stored
    before files were encrypted) come back as they are."""
    if not data.startswith(FERNET_PREFIX):
        return data
    try:
        return _fernet().decrypt(data)
    except InvalidToken as exc:
        raise ValueError("无法解密文件：数据密钥与文件不匹配。") from exc


def lookup_hash(value: str) -> str:
    return hmac.new(_hash_key(), value.encode(), hashlib.sha256).hexdigest()


def mask_id_number(value: str) -> str:
    if not value:
        return ""
    return value[:6] + "*" * (len(value) - 10) + value[-4:] if len(value) > 10 else "*" * len(value)


def mask_mobile(value: str) -> str:
    if not value:
        return ""
    return value[:3] + "****" + value[-4:] if len(value) == 11 else "*" * len(value)


def mask_name(value: str) -> str:
    """张三 → 张*, 欧阳娜娜 → 欧**娜 (the public-notice convention)."""
    if not value:
        return ""
    if len(value) <= 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]


class EncryptedCharField(models.TextField):
    """Stores a Fernet token; the Python value is the plaintext. Not filterable: use the hash."""

    def from_db_value(self, value, expression, connection):
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(value)


class LookupHashField(models.CharField):
    """Keyed hash of another field's plaintext, refreshed on every save (bulk_create included)."""

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        plain = getattr(model_instance, self.source)
        value = lookup_hash(plain) if plain else None
        setattr(model_instance, self.attname, value)
        return value
