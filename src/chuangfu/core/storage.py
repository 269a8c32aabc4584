"""Files holding personal data (imports, reports, exports) are encrypted at rest.

``EncryptedStorage`` wraps the default storage (the filesystem, or S3 at scale): what it writes
is a Fernet token made with the data key, so the files under ``MEDIA_ROOT``, in a backup or
served by mistake under ``/media/`` are ciphertext; ``open()`` gives the plaintext back. It has
no URL: such files are only ever sent by a view that checks who asks.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, storages
from django.utils.deconstruct import deconstructible

from .crypto import decrypt_bytes, encrypt_bytes


@deconstructible(path="chuangfu.core.storage.EncryptedStorage")
class EncryptedStorage(Storage):
    @property
    def inner(self) -> Storage:
        # Looked up on each use: the default storage (and MEDIA_ROOT) may change, e.g. in tests.
        return storages.create_storage(storages.backends["default"])

    def _open(self, name, mode="rb"):
        if "w" in mode or "a" in mode:
            raise ValueError("encrypted files are written with save(), never opened for writing")
        with self.inner.open(name, "rb") as fh:
            data = decrypt_bytes(fh.read())
        return ContentFile(data, name=name)

    def _save(self, name, content):
        if hasattr(content, "seek"):
            content.seek(0)
        data = b"".join(content.chunks()) if hasattr(content, "chunks") else content.read()
        return self.inner.save(name, ContentFile(encrypt_bytes(data)))

    def get_available_name(self, name, max_length=None):
        return self.inner.get_available_name(name, max_length=max_length)

    def delete(self, name):
        self.inner.delete(name)

    def exists(self, name):
        return self.inner.exists(name)

    def size(self, name):
        return self.inner.size(name)

    def listdir(self, path):
        return self.inner.listdir(path)

    def get_modified_time(self, name):
        return self.inner.get_modified_time(name)

    def url(self, name):
        raise NotImplementedError("encrypted files have no public URL; serve them through a view")


def encrypted_storage() -> EncryptedStorage:
    return EncryptedStorage()
