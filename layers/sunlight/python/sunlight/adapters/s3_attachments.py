"""Attachments live in S3; browsers upload and download directly with short-lived presigned URLs."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, unquote

from botocore.exceptions import ClientError

from ..services.ports import StoredObject, UploadedContent

FILE_NAME_META = "file-name"
MATERIAL_META = "material-id"
QUARANTINE_PREFIX = "quarantine/"  # failed uploads, out of reach of the presigned downloads


class S3AttachmentStore:
    def __init__(self, client: Any, bucket: str) -> None:
        self._client = client
        self._bucket = bucket

    def presign_upload(
        self, key: str, *, content_type: str, max_bytes: int, expires_in: int, file_name: str, material_id: str | None
    ) -> tuple[str, dict[str, str]]:
        # S3 enforces every condition: the exact key, the type, the size range and the metadata.
        fields = {"Content-Type": content_type, f"x-amz-meta-{FILE_NAME_META}": quote(file_name)}
        if material_id:
            fields[f"x-amz-meta-{MATERIAL_META}"] = material_id
        conditions: list[Any] = [{name: value} for name, value in fields.items()]
        conditions.append(["content-length-range", 1, max_bytes])
        post = self._client.generate_presigned_post(
            Bucket=self._bucket, Key=key, Fields=fields, Conditions=conditions, ExpiresIn=expires_in
        )
        return post["url"], post["fields"]

    def stat(self, key: str) -> StoredObject | None:
        try:
            head = self._client.head_object(Bucket=self._bucket, Key=key)
        except ClientError as error:
            if error.response["Error"]["Code"] in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
        metadata = head.get("Metadata", {})
        return StoredObject(
            size_bytes=head["ContentLength"],
            content_type=head.get("ContentType", ""),
            file_name=unquote(metadata[FILE_NAME_META]) if FILE_NAME_META in metadata else None,
            material_id=metadata.get(MATERIAL_META),
        )

    def presign_download(self, key: str, *, file_name: str, expires_in: int) -> str:
        return self._client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self._bucket,
                "Key": key,
                "ResponseContentDisposition": f"attachment; filename*=UTF-8''{quote(file_name)}",
            },
            ExpiresIn=expires_in,
        )

    # --- the upload check (services/upload_check.py) ---------------------------------------

    def read(self, storage_key: str, head_bytes: int) -> UploadedContent | None:
        try:
            response = self._client.get_object(Bucket=self._bucket, Key=storage_key, Range=f"bytes=0-{head_bytes - 1}")
        except ClientError as error:
            code = error.response["Error"]["Code"]
            if code in ("404", "NoSuchKey", "NotFound"):
                return None
            if code != "InvalidRange":
                raise
            # An empty object has no byte 0 (S3 answers 416): read it whole, it is nothing.
            response = self._client.get_object(Bucket=self._bucket, Key=storage_key)
        with response["Body"] as body:
            head = body.read()
        metadata = response.get("Metadata", {})
        content_range = response.get("ContentRange", "")  # "bytes 0-1023/52314": the whole size after "/"
        size = int(content_range.rsplit("/", 1)[1]) if "/" in content_range else response["ContentLength"]
        return UploadedContent(
            storage_key=storage_key,
            declared_type=response.get("ContentType", ""),
            size_bytes=size,
            head=head,
            file_name=unquote(metadata[FILE_NAME_META]) if FILE_NAME_META in metadata else None,
            version_id=response.get("VersionId"),
        )

    def quarantine(self, content: UploadedContent) -> None:
        """Copies the object under quarantine/ (kept as evidence; no case or complaint points at
        that key, so nothing presigns a download of it) and deletes that version for good."""
        source: dict[str, str] = {"Bucket": self._bucket, "Key": content.storage_key}
        if content.version_id and content.version_id != "null":
            source["VersionId"] = content.version_id
        try:
            self._client.copy_object(
                Bucket=self._bucket, Key=QUARANTINE_PREFIX + content.storage_key, CopySource=source,
                MetadataDirective="COPY",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] not in ("404", "NoSuchKey", "NoSuchVersion"):
                raise
            return  # moved by an earlier delivery
        delete: dict[str, str] = {"Bucket": self._bucket, "Key": content.storage_key}
        if "VersionId" in source:
            delete["VersionId"] = source["VersionId"]
        self._client.delete_object(**delete)
