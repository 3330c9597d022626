"""Documents (文书): their numbers and records with the case, their PDFs, and the renderer."""

from __future__ import annotations

from typing import Protocol

from sunlight.models.documents import CaseDocument, DocumentText


class DocumentRegistry(Protocol):
    """The documents' records (with their case) and the 文号 counters."""

    def get(self, case_id: str, document_id: str) -> CaseDocument | None: ...

    def claim(self, draft: CaseDocument, *, prefix: str) -> CaseDocument:
        """Records the document with the next number of its department, year and kind, taken
        atomically with the record: no two documents share a number, and no number is skipped.
        If the document (case, event, kind) is already recorded, returns that record unchanged:
        a retried event never takes a second number. `draft.number` and `number_text` are
        ignored: the returned record holds the number taken, its 文号 made with `prefix`."""
        ...

    def mark_stored(self, document: CaseDocument) -> CaseDocument: ...

    def list_for_case(self, case_id: str) -> list[CaseDocument]: ...


class DocumentFiles(Protocol):
    """Where the PDFs live, and the short-lived links that download them."""

    def put_pdf(self, key: str, content: bytes, *, file_name: str) -> None: ...

    def presign_download(self, key: str, *, file_name: str, expires_in: int) -> str: ...


class DocumentRenderer(Protocol):
    def render(self, text: DocumentText) -> bytes:
        """The document as a PDF (Chinese text, A4)."""
        ...
