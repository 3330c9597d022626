"""Contract of the attachment store as case handling (AttachmentStore) and the upload check
(UploadContentStore) use it, against the fake and the S3 adapter on the stack's bucket in moto.
Objects get in as a browser puts them: the fake's `put`, or a POST to the adapter's presigned form."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import boto3
import pytest
import requests

from sunlight.adapters.s3_attachments import S3AttachmentStore
from sunlight.services.ports import StoredObject
from tests.fakes.cases import FakeAttachments

from .conftest import IMPLEMENTATIONS

PDF = b"%PDF-1.7\n" + b"x" * 2000


@dataclass
class Store:
    store: FakeAttachments | S3AttachmentStore
    upload: Callable[..., None]  # (key, body, content_type, file_name, material_id)


@pytest.fixture(params=IMPLEMENTATIONS)
def attachments(request) -> Store:
    if request.param == "fake":
        fake = FakeAttachments()

        def put(key: str, body: bytes, content_type: str, file_name: str, material_id: str | None) -> None:
            fake.put(key, content_type=content_type, file_name=file_name, material_id=material_id, body=body)

        return Store(fake, put)
    bucket = request.getfixturevalue("aws_resources")["AttachmentsBucketName"]
    s3 = S3AttachmentStore(boto3.client("s3"), bucket)

    def post(key: str, body: bytes, content_type: str, file_name: str, material_id: str | None) -> None:
        url, fields = s3.presign_upload(key, content_type=content_type, max_bytes=10_000, expires_in=300,
                                        file_name=file_name, material_id=material_id)
        response = requests.post(url, data=fields, files={"file": ("upload", body)}, timeout=10)
        assert response.status_code in (200, 204), response.text

    return Store(s3, post)


def test_an_upload_is_stat_with_its_declared_type_name_and_material(attachments, unique):
    key = f"uploads/citizen-1/{unique}"
    assert attachments.store.stat(key) is None
    attachments.upload(key, PDF, "application/pdf", "营业执照 (副本).pdf", "license")
    assert attachments.store.stat(key) == StoredObject(size_bytes=len(PDF), content_type="application/pdf",
                                                       file_name="营业执照 (副本).pdf", material_id="license")
    attachments.upload(other := f"{key}-2", b"\x89PNG", "image/png", "照片.png", None)
    assert attachments.store.stat(other) == StoredObject(size_bytes=4, content_type="image/png", file_name="照片.png")


def test_the_upload_check_reads_the_head_and_the_whole_size(attachments, unique):
    key = f"uploads/citizen-1/{unique}"
    assert attachments.store.read(key, 16) is None
    attachments.upload(key, PDF, "application/pdf", "申请书.pdf", "application")
    content = attachments.store.read(key, 16)
    assert (content.storage_key, content.declared_type, content.size_bytes, content.head, content.file_name) == (
        key, "application/pdf", len(PDF), PDF[:16], "申请书.pdf")
    whole = attachments.store.read(key, 100_000)
    assert (whole.size_bytes, whole.head) == (len(PDF), PDF)


def test_a_quarantined_upload_is_out_of_reach_and_quarantining_again_is_harmless(attachments, unique):
    key = f"uploads/citizen-1/{unique}"
    attachments.upload(key, b"MZ\x90\x00 not a pdf", "application/pdf", "伪装.pdf", None)
    content = attachments.store.read(key, 16)
    attachments.store.quarantine(content)
    assert attachments.store.stat(key) is None
    assert attachments.store.read(key, 16) is None
    attachments.store.quarantine(content)  # a redelivered check
    assert attachments.store.stat(key) is None
