"""The upload check (上传文件校验): the bytes of an upload against its declared type, the verdict on
the case views and downloads, and the slot a malware scanner plugs into."""

from __future__ import annotations

from pathlib import Path

import pytest

from sunlight.models.uploads import UploadCheckStatus
from sunlight.rules import file_signatures
from sunlight.services.applications import upload_key
from sunlight.services.errors import Conflict, InvalidInput
from sunlight.services.ports import UploadedContent
from sunlight.services.upload_check import FileSignatureInspector, UploadCheckService
from tests.unit.conftest import CITIZEN, HANDLER, WINDOW
from tests.unit.test_applications import application

DATA = Path(__file__).parents[1] / "data" / "uploads"
REAL_PDF = (DATA / "real.pdf").read_bytes()
REAL_PNG = (DATA / "real.png").read_bytes()
REAL_JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


# --- rules: file signatures ------------------------------------------------------------------


@pytest.mark.parametrize(
    "head, declared",
    [(REAL_PDF, "application/pdf"), (REAL_PNG, "image/png"), (REAL_JPEG, "image/jpeg")],
)
def test_a_file_of_its_declared_type_passes(head, declared):
    assert file_signatures.mismatch(head[: file_signatures.HEAD_BYTES], declared) is None


def test_html_declared_as_pdf_is_named_for_what_it_is():
    assert file_signatures.mismatch(HTML, "application/pdf") == "文件内容不是PDF 文档，实际为网页或脚本（HTML/SVG/XML）。"


def test_markup_after_a_byte_order_mark_and_blank_lines_is_still_markup():
    assert "网页或脚本" in file_signatures.mismatch(b"\xef\xbb\xbf\r\n  <svg onload=alert(1)>", "image/png")


@pytest.mark.parametrize(
    "head, declared, actual",
    [
        (REAL_PNG, "image/jpeg", "PNG 图片"),
        (REAL_PDF, "image/png", "PDF 文档"),
        (b"MZ\x90\x00\x03", "application/pdf", "可执行程序"),
        (b"PK\x03\x04\x14\x00", "application/pdf", "ZIP 压缩包或 Office 文档"),
    ],
)
def test_another_known_type_under_a_declared_type_fails(head, declared, actual):
    assert file_signatures.mismatch(head, declared).endswith(f"实际为{actual}。")


def test_unknown_bytes_fail_without_a_guess_and_empty_files_fail():
    assert file_signatures.mismatch(b"hello world", "application/pdf") == "文件内容不是PDF 文档。"
    assert file_signatures.mismatch(b"", "image/jpeg") == "文件内容不是JPG 图片。"


def test_a_type_outside_the_allowlist_is_refused():
    assert file_signatures.mismatch(REAL_PDF, "text/html") == "不支持的文件类型（text/html）。"


def test_a_pdf_that_quotes_html_inside_is_still_a_pdf():
    assert b"text/html" in REAL_PDF[:200]
    assert file_signatures.mismatch(REAL_PDF[:1024], "application/pdf") is None


# --- service: the check after upload ---------------------------------------------------------


def checker(world, *inspectors) -> UploadCheckService:
    return UploadCheckService(
        objects=world.attachments, checks=world.upload_checks,
        inspectors=inspectors or [FileSignatureInspector()], clock=world.clock,
    )


def stored(world, body: bytes, *, upload_id: str = "a" * 32, content_type: str = "application/pdf", name="营业执照.pdf"):
    world.uploaded(CITIZEN, upload_id, checked=False, body=body, content_type=content_type, file_name=name)
    return upload_key(CITIZEN.user_id, upload_id)


def test_a_real_pdf_passes_and_stays_downloadable(world):
    key = stored(world, REAL_PDF)
    assert checker(world).check(key) is UploadCheckStatus.PASSED
    assert world.upload_checks.checks[key].status is UploadCheckStatus.PASSED
    assert key in world.attachments.objects and not world.attachments.quarantined
    assert world.upload_checks.notifications == []


def test_html_declared_as_pdf_is_quarantined_marked_and_the_uploader_told(world):
    key = stored(world, HTML)
    assert checker(world).check(key) is UploadCheckStatus.FAILED

    verdict = world.upload_checks.checks[key]
    assert verdict.status is UploadCheckStatus.FAILED and verdict.inspector == "file-signature"
    assert "网页或脚本" in verdict.reason and verdict.owner_id == CITIZEN.user_id
    assert key not in world.attachments.objects
    assert world.attachments.quarantined == {"quarantine/" + key: HTML}
    [note] = world.upload_checks.notifications
    assert note.user_id == CITIZEN.user_id and note.subject_kind == "upload" and note.subject_id == "a" * 32
    assert note.title == "上传的文件未通过校验" and "“营业执照.pdf”" in note.body and "已被隔离" in note.body


def test_a_repeated_delivery_after_quarantine_changes_nothing(world):
    key = stored(world, HTML)
    service = checker(world)
    service.check(key)
    assert service.check(key) is None
    assert len(world.upload_checks.notifications) == 1


def test_a_failure_is_final_even_if_the_key_is_uploaded_again_with_real_bytes(world):
    key = stored(world, HTML)
    checker(world).check(key)
    stored(world, REAL_PDF)  # the presigned POST is still valid: same key, new bytes
    checker(world).check(key)
    assert world.upload_checks.checks[key].status is UploadCheckStatus.FAILED


def test_keys_that_are_not_uploads_are_ignored(world):
    world.attachments.put("quarantine/uploads/citizen-1/" + "a" * 32, body=HTML)
    assert checker(world).check("quarantine/uploads/citizen-1/" + "a" * 32) is None
    assert world.upload_checks.checks == {}


class NamedScanner:
    """A second inspector in the slot a malware scanner takes: fails what its list names."""

    name = "malware-scan"

    def __init__(self, infected: set[bytes]) -> None:
        self.infected = infected
        self.seen: list[str] = []

    def inspect(self, content: UploadedContent) -> str | None:
        self.seen.append(content.storage_key)
        return "文件含有恶意代码。" if content.head in self.infected else None


def test_every_inspector_in_the_list_runs_and_the_first_failure_is_the_verdict(world):
    scanner = NamedScanner(infected={REAL_PDF[:1024]})
    key = stored(world, REAL_PDF)
    assert checker(world, FileSignatureInspector(), scanner).check(key) is UploadCheckStatus.FAILED
    verdict = world.upload_checks.checks[key]
    assert (verdict.inspector, verdict.reason) == ("malware-scan", "文件含有恶意代码。")
    assert scanner.seen == [key]


def test_the_scanner_is_not_asked_about_a_file_that_already_failed_its_signature(world):
    scanner = NamedScanner(infected=set())
    key = stored(world, HTML)
    checker(world, FileSignatureInspector(), scanner).check(key)
    assert world.upload_checks.checks[key].inspector == "file-signature" and scanner.seen == []


# --- the verdict on the case: views, downloads, new applications -----------------------------


def case_with(world, body: bytes) -> tuple[str, str]:
    key = stored(world, body)
    receipt = world.applications.apply(CITIZEN, application(upload_ids=["a" * 32]), None)
    return receipt.case_id, key


def test_before_the_check_both_sides_see_checking_and_nobody_downloads(world):
    case_id, _ = case_with(world, REAL_PDF)
    [mine] = world.tracking.my_case(CITIZEN, case_id).attachments
    [theirs] = world.staff.case_detail(WINDOW, case_id).attachments
    assert (mine.check_status, mine.check_status_label) == (UploadCheckStatus.CHECKING, "校验中")
    assert theirs.check_status_label == "校验中"
    with pytest.raises(Conflict, match="正在校验"):
        world.staff.attachment_link(WINDOW, case_id, "a" * 32)


def test_after_a_pass_both_sides_see_passed_and_staff_download(world):
    case_id, key = case_with(world, REAL_PDF)
    checker(world).check(key)
    assert world.tracking.my_case(CITIZEN, case_id).attachments[0].check_status_label == "已校验"
    assert world.staff.case_detail(HANDLER, case_id).attachments[0].check_status is UploadCheckStatus.PASSED
    assert key in world.staff.attachment_link(WINDOW, case_id, "a" * 32).url


def test_after_a_failure_both_sides_see_why_and_the_file_cannot_be_downloaded(world):
    case_id, key = case_with(world, HTML)
    checker(world).check(key)
    for view in (world.tracking.my_case(CITIZEN, case_id), world.staff.case_detail(WINDOW, case_id)):
        [attachment] = view.attachments
        assert (attachment.check_status, attachment.check_status_label) == (UploadCheckStatus.FAILED, "校验未通过")
        assert "网页或脚本" in attachment.check_reason
    with pytest.raises(Conflict, match="未通过校验.*已被隔离"):
        world.staff.attachment_link(WINDOW, case_id, "a" * 32)


def test_an_upload_that_failed_is_refused_in_a_new_application(world):
    key = stored(world, HTML)
    checker(world).check(key)
    world.attachments.put(key, body=HTML)  # even if the bytes were somehow back under the key
    with pytest.raises(InvalidInput, match="“营业执照.pdf”未通过校验") as refused:
        world.applications.apply(CITIZEN, application(upload_ids=["a" * 32]), None)
    assert refused.value.details == {"field": "upload_ids.0"}
