"""What a file's first bytes say it is (magic numbers), for the upload check.

Only the types the upload allowlist accepts (models/requests.py ALLOWED_UPLOAD_TYPES) are
accepted; a few others are recognized only to tell the uploader what the file really was.
"""

from __future__ import annotations

HEAD_BYTES = 1024  # enough for every signature below

# Declared type → the signatures its files start with.
ACCEPTED_SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "application/pdf": (b"%PDF-",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
}

# Recognized so the message can say what the file is (label, signatures at offset 0).
_OTHER_SIGNATURES: tuple[tuple[str, tuple[bytes, ...]], ...] = (
    ("GIF 图片", (b"GIF87a", b"GIF89a")),
    ("ZIP 压缩包或 Office 文档", (b"PK\x03\x04",)),
    ("RAR 压缩包", (b"Rar!\x1a\x07",)),
    ("7z 压缩包", (b"7z\xbc\xaf\x27\x1c",)),
    ("可执行程序", (b"MZ", b"\x7fELF")),
    ("旧版 Office 文档", (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)),
)
_TYPE_LABELS = {"application/pdf": "PDF 文档", "image/png": "PNG 图片", "image/jpeg": "JPG 图片"}
_MARKUP_MARKERS = (b"<!doctype html", b"<html", b"<script", b"<svg", b"<?xml", b"<body", b"<head", b"<iframe")


def type_label(content_type: str) -> str:
    return _TYPE_LABELS.get(content_type, content_type)


def detected_label(head: bytes) -> str | None:
    """A Chinese name of what the bytes are, when recognizable."""
    for content_type, signatures in ACCEPTED_SIGNATURES.items():
        if head.startswith(signatures):
            return _TYPE_LABELS[content_type]
    for label, signatures in _OTHER_SIGNATURES:
        if head.startswith(signatures):
            return label
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if any(text.startswith(marker) or marker in text[:HEAD_BYTES] for marker in _MARKUP_MARKERS):
        return "网页或脚本（HTML/SVG/XML）"
    return None


def mismatch(head: bytes, declared_type: str) -> str | None:
    """Why the bytes are not a file of the declared type (Chinese), or None if they are."""
    signatures = ACCEPTED_SIGNATURES.get(declared_type)
    expected = type_label(declared_type)
    if signatures is None:
        return f"不支持的文件类型（{declared_type}）。"
    if head.startswith(signatures):
        return None
    actual = detected_label(head)
    return f"文件内容不是{expected}" + (f"，实际为{actual}" if actual else "") + "。"
