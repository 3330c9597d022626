"""The documents' PDFs in the attachments bucket (under documents/, never under uploads/, so the
upload check does not see them); read through short-lived presigned links."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from .s3_attachments import FILE_NAME_META

PDF_MEDIA_TYPE = "application/pdf"


class S3DocumentFiles:
    def __init__(self, client: Any, bucket: str) -> None:
        self._client = client
        self._bucket = bucket

    def put_pdf(self, key: str, content: bytes, *, file_name: str) -> None:
        self._client.put_object(
            Bucket=self._bucket, Key=key, Body=content, ContentType=PDF_MEDIA_TYPE,
            Metadata={FILE_NAME_META: quote(file_name)},
        )

    def presign_download(self, key: str, *, file_name: str, expires_in: int) -> str:
        return self._client.generate_presigned_url(
            "get_object",
            Params={
                "Bucket": self._bucket,
                "Key": key,
                "ResponseContentDisposition": f"attachment; filename*=UTF-8''{quote(file_name)}",
                "ResponseContentType": PDF_MEDIA_TYPE,
            },
            ExpiresIn=expires_in,
        )
