"""In-memory documents (文书): records, 文号 counters and PDFs."""

from __future__ import annotations

from sunlight.models.documents import CaseDocument, document_number


class InMemoryDocumentRegistry:
    def __init__(self) -> None:
        self.documents: dict[tuple[str, str], CaseDocument] = {}
        self.counters: dict[tuple[str, int, str], int] = {}
        self.claims = 0  # how many numbers were taken

    def get(self, case_id: str, document_id: str) -> CaseDocument | None:
        return self.documents.get((case_id, document_id))

    def claim(self, draft: CaseDocument, *, prefix: str) -> CaseDocument:
        existing = self.get(draft.case_id, draft.document_id)
        if existing is not None:
            return existing
        counter = (draft.department_id, draft.year, draft.kind.value)
        number = self.counters.get(counter, 0) + 1
        self.counters[counter] = number
        self.claims += 1
        document = draft.model_copy(update={"number": number, "number_text": document_number(prefix, draft.kind, draft.year, number)})
        self.documents[(draft.case_id, draft.document_id)] = document
        return document

    def mark_stored(self, document: CaseDocument) -> CaseDocument:
        current = self.documents[(document.case_id, document.document_id)]
        assert current.number == document.number, "the number never changes once taken"
        self.documents[(document.case_id, document.document_id)] = document
        return document

    def list_for_case(self, case_id: str) -> list[CaseDocument]:
        return [d for (c, _), d in self.documents.items() if c == case_id]


class InMemoryDocumentFiles:
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.names: dict[str, str] = {}
        self.puts = 0

    def put_pdf(self, key: str, content: bytes, *, file_name: str) -> None:
        self.files[key] = content
        self.names[key] = file_name
        self.puts += 1

    def presign_download(self, key: str, *, file_name: str, expires_in: int) -> str:
        return f"https://documents.example/{key}?name={file_name}&expires={expires_in}"
