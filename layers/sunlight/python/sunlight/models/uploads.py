"""The content check of an uploaded file (上传文件校验): its status and, when it failed, why."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import ConfigDict

from .base import DomainModel


class UploadCheckStatus(StrEnum):
    CHECKING = "checking"  # stored, not checked yet: may be referenced, cannot be downloaded
    PASSED = "passed"
    FAILED = "failed"  # quarantined: never downloadable, refused in new applications

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    UploadCheckStatus.CHECKING: "校验中",
    UploadCheckStatus.PASSED: "已校验",
    UploadCheckStatus.FAILED: "校验未通过",
}


class UploadCheck(DomainModel):
    """The verdict on one upload (its storage key). A failed verdict is final: a later upload to
    the same key (while its presigned POST is still valid) never turns it back to passed."""

    model_config = ConfigDict(frozen=True)

    storage_key: str
    owner_id: str
    upload_id: str
    status: UploadCheckStatus
    declared_type: str
    file_name: str
    checked_at: datetime
    reason: str | None = None  # why it failed, for the uploader and the staff (Chinese)
    inspector: str | None = None  # which check failed it (e.g. "file-signature")
