"""The documents (文书) a case's steps issue: what kinds there are, their titles and 文号 codes, the
record kept with the case, and the text a document says (rendered as a PDF by an adapter).

A document is issued by one recorded transition (rules/documents.py says which) and numbered per
department, year and kind: 市场监管局受字〔2026〕第12号.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import AwareDatetime, ConfigDict, Field

from .base import DomainModel


class DocumentKind(StrEnum):
    ACCEPTANCE = "acceptance"  # 受理通知书 (行政许可法 第三十二条)
    REJECTION = "rejection"  # 不予受理决定书 (第三十二条)
    SUPPLEMENT_NOTICE = "supplement_notice"  # 补正告知书: every missing item at once (第三十二条 一次性告知)
    LICENCE_GRANTED = "licence_granted"  # 准予行政许可决定书 (第三十八条)
    LICENCE_DENIED = "licence_denied"  # 不予行政许可决定书 (第三十八条: reasons, the right to review or sue)
    PENALTY_PRIOR_NOTICE = "penalty_prior_notice"  # 行政处罚事先告知书 (行政处罚法 第四十四条)
    HEARING_NOTICE = "hearing_notice"  # 听证通知书 (第六十四条: seven days ahead)
    PENALTY_DECISION = "penalty_decision"  # 行政处罚决定书 (第五十九条)
    SERVICE_RECEIPT = "service_receipt"  # 送达回证 (第六十一条)
    RECTIFICATION_ORDER = "rectification_order"  # 责令整改通知书

    @property
    def label(self) -> str:
        """The document's title (受理通知书)."""
        return DOCUMENT_TITLES[self]

    @property
    def code(self) -> str:
        """The kind's character in the 文号 (受 in 市场监管局受字〔2026〕第12号)."""
        return DOCUMENT_CODES[self]


DOCUMENT_TITLES = {
    DocumentKind.ACCEPTANCE: "受理通知书",
    DocumentKind.REJECTION: "不予受理决定书",
    DocumentKind.SUPPLEMENT_NOTICE: "补正告知书",
    DocumentKind.LICENCE_GRANTED: "准予行政许可决定书",
    DocumentKind.LICENCE_DENIED: "不予行政许可决定书",
    DocumentKind.PENALTY_PRIOR_NOTICE: "行政处罚事先告知书",
    DocumentKind.HEARING_NOTICE: "听证通知书",
    DocumentKind.PENALTY_DECISION: "行政处罚决定书",
    DocumentKind.SERVICE_RECEIPT: "送达回证",
    DocumentKind.RECTIFICATION_ORDER: "责令整改通知书",
}

# One character per kind, distinct, so that two kinds never share a sequence or a 文号.
DOCUMENT_CODES = {
    DocumentKind.ACCEPTANCE: "受",
    DocumentKind.REJECTION: "不受",
    DocumentKind.SUPPLEMENT_NOTICE: "补",
    DocumentKind.LICENCE_GRANTED: "许",
    DocumentKind.LICENCE_DENIED: "不许",
    DocumentKind.PENALTY_PRIOR_NOTICE: "罚告",
    DocumentKind.HEARING_NOTICE: "听",
    DocumentKind.PENALTY_DECISION: "罚",
    DocumentKind.SERVICE_RECEIPT: "送",
    DocumentKind.RECTIFICATION_ORDER: "责改",
}


def document_number(prefix: str, kind: DocumentKind, year: int, number: int) -> str:
    """The 文号: the department's short name, the kind's code, the year in 〔〕, the number."""
    return f"{prefix}{kind.code}字〔{year}〕第{number}号"


def document_id(seq: int, kind: DocumentKind) -> str:
    """A document's id within its case: the timeline event that issued it and its kind."""
    return f"{seq}-{kind.value}"


class CaseDocument(DomainModel):
    """A document issued on a case: its number is taken once, when the issuing event is first
    handled; the PDF is stored under `storage_key` (`stored_at` set once it is there)."""

    model_config = ConfigDict(frozen=True)

    case_id: str
    seq: int = Field(ge=1, description="The timeline event that issued it")
    kind: DocumentKind
    department_id: str
    year: int
    number: int = Field(ge=1)
    number_text: str = Field(description="文号")
    storage_key: str
    issued_at: AwareDatetime
    stored_at: AwareDatetime | None = None

    @property
    def document_id(self) -> str:
        return document_id(self.seq, self.kind)

    @property
    def title(self) -> str:
        return self.kind.label

    @property
    def file_name(self) -> str:
        return f"{self.kind.label}（{self.number_text}）.pdf"


class DocumentText(DomainModel):
    """What a document says, laid out by the renderer: title, 文号, addressee, body paragraphs,
    the table of items (e.g. the missing materials), the issuer and the date."""

    model_config = ConfigDict(frozen=True)

    title: str
    number_text: str
    addressee: str
    paragraphs: tuple[str, ...]
    items: tuple[str, ...] = ()
    issuer: str
    date_text: str
    footer: tuple[str, ...] = ()


class DocumentView(DomainModel):
    """A document as the case views list it (the link comes from the download route)."""

    model_config = ConfigDict(frozen=True)

    document_id: str = Field(description="文书编号（办件内）")
    kind: DocumentKind
    title: str = Field(description="文书名称")
    number_text: str = Field(description="文号")
    seq: int = Field(description="签发该文书的办理记录序号")
    issued_at: AwareDatetime

    @classmethod
    def of(cls, document: CaseDocument) -> DocumentView:
        return cls(document_id=document.document_id, kind=document.kind, title=document.title,
                   number_text=document.number_text, seq=document.seq, issued_at=document.issued_at)


class DocumentList(DomainModel):
    """A case's documents, in the order they were issued."""

    items: list[DocumentView]
