"""Private storage for citizens' uploads: on disk under ``PRIVATE_MEDIA_ROOT``, never by URL.

A plain ``FileSystemStorage(base_url=None)`` is not enough: Django then falls back to
``MEDIA_URL`` and ``url()`` happily builds a public-looking address. This storage has no
URL at all; files are served only by permission-checked views that open them.
"""

import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import cached_property


class PrivateFileSystemStorage(FileSystemStorage):
    """``FileSystemStorage`` rooted at ``settings.PRIVATE_MEDIA_ROOT``; ``url()`` refuses.

    Files are readable by the app's user only (0600, directories 0700).
    """

    def __init__(self, location=None):
        super().__init__(location=location, file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @cached_property
    def base_location(self):
        return str(self._value_or_setting(self._location, settings.PRIVATE_MEDIA_ROOT))

    @property
    def base_url(self):
        return None

    def url(self, name):
        raise ValueError("Private uploads have no URL; serve them through a permission-checked view.")

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)


private_storage = PrivateFileSystemStorage()


def store_upload(clean_upload, prefix: str) -> str:
    """Save a ``CleanUpload`` (see ``forms.fields``) privately; return the stored name.

    The stored name is ``<prefix>/<random>.<ext>``: the citizen's own file name may carry
    personal data (``CCCD Nguyen Van A.jpg``), so it is kept only in the submission's
    data, never in the path.
    """
    extension = clean_upload.name.rsplit(".", 1)[-1].lower() if "." in clean_upload.name else "bin"
    folder = "/".join(part for part in str(prefix).split("/") if part not in ("", ".", ".."))
    name = f"{uuid.uuid4().hex}.{extension}"
    clean_upload.file.seek(0)
    return private_storage.save(f"{folder}/{name}" if folder else name, clean_upload.file)


def get_private_storage():
    """For ``FileField(storage=get_private_storage)``: migrations record the callable only."""
    return private_storage
