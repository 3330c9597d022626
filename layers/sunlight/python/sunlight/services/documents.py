"""Documents (文书): the steps that issue a document produce it as a PDF in Chinese, numbered per
department, year and kind (文号), stored with the case and listed on its timeline.

Issuing follows the CaseTransitioned events, delivered at least once: the number is taken with
the document's record in one conditional write keyed on the issuing event (case, seq, kind), so a
redelivered event finds its record and renders the same document under the same number again
(the PDF's key is fixed by the record, so a second put only replaces it with the same text).
"""

from __future__ import annotations

import logging

from ..models.case import Case
from ..models.documents import CaseDocument, DocumentKind, DocumentList, DocumentView, document_id
from ..models.events import CaseTransitionedV1
from ..models.roles import Principal
from ..models.views import DOWNLOAD_TTL_SECONDS, DownloadLink
from ..rules.documents import IssuingEvent, document_for, document_text, document_year
from .applications import CASE_NOT_FOUND
from .errors import Forbidden, NotFound
from .ports import CaseRepository, CatalogReader, Clock, DocumentFiles, DocumentRegistry, DocumentRenderer
from .staff import require_case_visible

log = logging.getLogger(__name__)

DOCUMENTS_PREFIX = "documents/"  # in the attachments bucket, beside (never under) uploads/


def document_key(case_id: str, seq: int, kind: DocumentKind) -> str:
    return f"{DOCUMENTS_PREFIX}{case_id}/{seq:06d}-{kind.value}.pdf"


class DocumentService:
    def __init__(
        self,
        *,
        cases: CaseRepository,
        catalog: CatalogReader,
        registry: DocumentRegistry,
        files: DocumentFiles,
        renderer: DocumentRenderer | None,
        clock: Clock,
    ) -> None:
        self._cases = cases
        self._catalog = catalog
        self._registry = registry
        self._files = files
        self._renderer = renderer  # only the issuing function renders; the API only lists and links
        self._clock = clock

    # --- issuing (the documents function) ------------------------------------------------------

    def issue(self, transition: CaseTransitionedV1) -> CaseDocument | None:
        """Issues the document the transition calls for (None: it issues none)."""
        kind = document_for(transition.action, transition.to_state)
        if kind is None:
            return None
        existing = self._registry.get(transition.case_id, document_id(transition.seq, kind))
        if existing is not None and existing.stored_at is not None:
            return existing  # issued by an earlier delivery
        case = self._cases.get(transition.case_id)
        if case is None:
            raise LookupError(f"case {transition.case_id} of event {transition.event_id} not found")
        department = self._catalog.get_department(case.department_id)
        # The 文号 names the department's short name (市场监管局); the document is signed with its full name.
        prefix, issuer = (department.short_name, department.name) if department else (case.department_name, case.department_name)
        draft = CaseDocument(  # number and 文号 are taken by the registry
            case_id=case.case_id, seq=transition.seq, kind=kind, department_id=case.department_id,
            year=document_year(transition.occurred_at), number=1, number_text="",
            storage_key=document_key(case.case_id, transition.seq, kind), issued_at=transition.occurred_at,
        )
        # Numbered but not stored (an earlier delivery failed after the claim): rendered under that number.
        document = existing or self._registry.claim(draft, prefix=prefix)
        content = self._render(kind, case, transition, document, issuer)
        self._files.put_pdf(document.storage_key, content, file_name=document.file_name)
        return self._registry.mark_stored(document.model_copy(update={"stored_at": self._clock.now()}))

    def _render(self, kind: DocumentKind, case: Case, transition: CaseTransitionedV1, document: CaseDocument, issuer: str) -> bytes:
        if self._renderer is None:
            raise RuntimeError("this service was built without a renderer")
        event = IssuingEvent(seq=transition.seq, action=transition.action, occurred_at=transition.occurred_at,
                             opinion=transition.opinion, details=dict(transition.details))
        return self._renderer.render(document_text(kind, case=case, event=event, number_text=document.number_text, issuer=issuer))

    # --- reading (the API) ---------------------------------------------------------------------

    def for_staff(self, principal: Principal, case_id: str) -> DocumentList:
        self._visible_case(principal, case_id)
        return DocumentList(items=self._views(case_id))

    def for_applicant(self, principal: Principal, case_id: str) -> DocumentList:
        self._own_case(principal, case_id)
        return DocumentList(items=self._views(case_id))

    def staff_link(self, principal: Principal, case_id: str, document_id: str) -> DownloadLink:
        self._visible_case(principal, case_id)
        return self._link(case_id, document_id)

    def applicant_link(self, principal: Principal, case_id: str, document_id: str) -> DownloadLink:
        self._own_case(principal, case_id)
        return self._link(case_id, document_id)

    def _views(self, case_id: str) -> list[DocumentView]:
        documents = sorted(self._registry.list_for_case(case_id), key=lambda d: (d.seq, d.kind.value))
        return [DocumentView.of(d) for d in documents if d.stored_at is not None]

    def _link(self, case_id: str, document_id: str) -> DownloadLink:
        document = self._registry.get(case_id, document_id)
        if document is None or document.stored_at is None:
            raise NotFound("未找到该文书。")
        url = self._files.presign_download(document.storage_key, file_name=document.file_name, expires_in=DOWNLOAD_TTL_SECONDS)
        return DownloadLink(url=url, expires_in_seconds=DOWNLOAD_TTL_SECONDS)

    def _visible_case(self, principal: Principal, case_id: str) -> Case:
        case = self._cases.get(case_id)
        if case is None:
            raise NotFound(CASE_NOT_FOUND)
        require_case_visible(principal, case)
        return case

    def _own_case(self, principal: Principal, case_id: str) -> Case:
        """A citizen's own case only (the same rule as their case view and attachments)."""
        if not principal.is_citizen:
            raise Forbidden("请使用申请人账号登录。")
        case = self._cases.get(case_id)
        if case is None:
            raise NotFound(CASE_NOT_FOUND)
        if case.applicant_user_id != principal.user_id:
            raise Forbidden("您只能查看和办理本人提交的办件。")
        return case
