"""Upload check (上传文件校验): the bytes of an upload against its declared type, and verdicts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sunlight.models.complaints import Notification
from sunlight.models.uploads import UploadCheck


@dataclass(frozen=True)
class UploadedContent:
    """One stored upload as the inspectors see it. `head` holds its first bytes; an inspector
    that needs the whole object (a malware scanner) reads it by `storage_key` and `version_id`."""

    storage_key: str
    declared_type: str
    size_bytes: int
    head: bytes
    file_name: str | None = None
    version_id: str | None = None


class ContentInspector(Protocol):
    """One check of an upload's content. The file-signature check is the first; a malware
    scanner plugs in as another (bootstrap: Container.content_inspectors)."""

    name: str

    def inspect(self, content: UploadedContent) -> str | None:
        """Why the content must not be accepted (Chinese, shown to the uploader and the staff),
        or None if it passes this check."""


class UploadContentStore(Protocol):
    def read(self, storage_key: str, head_bytes: int) -> UploadedContent | None:
        """The upload's metadata and first bytes; None if no object is stored under the key."""

    def quarantine(self, content: UploadedContent) -> None:
        """Moves the object out of reach of downloads (idempotent: nothing left to move is fine)."""


class UploadChecks(Protocol):
    def get_many(self, storage_keys: list[str]) -> dict[str, UploadCheck]:
        """The verdicts recorded for these keys (keys without one are absent: not checked yet)."""

    def record_passed(self, check: UploadCheck) -> bool:
        """Records a pass unless a verdict exists already; True if it was recorded."""

    def record_failed(self, check: UploadCheck, notification: Notification) -> bool:
        """Records a failure (over a pass, never over a failure) together with the uploader's
        notification, atomically; True if recorded, False if it had failed already."""
