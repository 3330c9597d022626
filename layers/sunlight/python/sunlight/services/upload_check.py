"""The upload check (上传文件校验): after a file lands in S3, its bytes are checked against the type
the uploader declared; a file that fails is quarantined, marked 校验未通过 and the uploader told.

Until a verdict exists an upload is 校验中: an application or action may reference it (the check
usually lands within a second), but nobody can download it. Staff and the applicant see each
attachment's status on the case; new applications refuse an upload that has failed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..models.complaints import Notification
from ..models.uploads import UploadCheck, UploadCheckStatus
from ..rules import file_signatures
from .ports import Clock, ContentInspector, UploadChecks, UploadContentStore, UploadedContent

# upload_key() in services/applications.py: uploads/{owner}/{upload id}
_UPLOAD_KEY = re.compile(r"^uploads/(?P<owner>[^/]+)/(?P<upload_id>[0-9a-f]{32})$")


class FileSignatureInspector:
    """The file's first bytes must be the signature of its declared type (PDF, PNG, JPG)."""

    name = "file-signature"

    def inspect(self, content: UploadedContent) -> str | None:
        return file_signatures.mismatch(content.head, content.declared_type)


def failed_message(file_name: str, reason: str) -> str:
    return (
        f"您上传的文件“{file_name}”未通过校验：{reason}该文件已被隔离，不能作为办件材料使用，"
        "请上传真实的文件。若已用它提交了申请，请留意办件中的补正通知，或到办事窗口咨询。"
    )


class UploadCheckService:
    def __init__(
        self, *, objects: UploadContentStore, checks: UploadChecks, inspectors: Sequence[ContentInspector], clock: Clock
    ) -> None:
        self._objects = objects
        self._checks = checks
        self._inspectors = tuple(inspectors)
        self._clock = clock

    def check(self, storage_key: str) -> UploadCheckStatus | None:
        """Checks the object stored under the key now; None if there is nothing to check (not an
        upload, or already gone: a repeated delivery after quarantine)."""
        match = _UPLOAD_KEY.match(storage_key)
        if match is None:
            return None
        content = self._objects.read(storage_key, file_signatures.HEAD_BYTES)
        if content is None:
            return None
        failure = next(((i.name, r) for i in self._inspectors if (r := i.inspect(content)) is not None), None)
        now = self._clock.now()
        file_name = content.file_name or "附件"
        check = UploadCheck(
            storage_key=storage_key,
            owner_id=match["owner"],
            upload_id=match["upload_id"],
            status=UploadCheckStatus.PASSED if failure is None else UploadCheckStatus.FAILED,
            declared_type=content.declared_type,
            file_name=file_name,
            checked_at=now,
            inspector=failure[0] if failure else None,
            reason=failure[1] if failure else None,
        )
        if failure is None:
            self._checks.record_passed(check)
            return UploadCheckStatus.PASSED
        notification = Notification(
            notification_id=f"{now.strftime('%Y%m%d%H%M%S')}-upload-{check.upload_id}",
            user_id=check.owner_id,
            at=now,
            title="上传的文件未通过校验",
            body=failed_message(file_name, failure[1]),
            subject_kind="upload",
            subject_id=check.upload_id,
        )
        # Verdict first, then the move: a retry after a failed move finds the verdict and moves.
        self._checks.record_failed(check, notification)
        self._objects.quarantine(content)
        return UploadCheckStatus.FAILED


def download_refusal(check: UploadCheck | None) -> str | None:
    """Why an attachment cannot be downloaded (yet), or None: only checked files leave S3."""
    if check is None:
        return "该附件正在校验，请稍后再试。"
    if check.status is UploadCheckStatus.FAILED:
        return f"该附件未通过校验（{check.reason}）已被隔离，不能下载。"
    return None
