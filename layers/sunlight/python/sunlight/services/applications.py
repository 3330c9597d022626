"""Citizens: upload attachments, apply, supply missing material (补正)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from pydantic import BaseModel

from ..models.case import Actor, Applicant, Attachment, Case, CaseStatus, PendingDecision, TimelineEvent
from ..models.catalog import CatalogItem
from ..models.flow import Decision, Step
from ..models.requests import ALLOWED_UPLOAD_TYPES, ApplicationRequest, SupplementRequest, UploadRequest, WindowApplicationRequest
from ..models.roles import Principal, Role
from ..models.uploads import UploadCheckStatus
from ..models.validation import upload_type_message
from ..models.views import ActionReceipt, ApplicationReceipt, UploadTicket
from ..rules.deadlines import due_on
from ..rules.workdays import WorkingCalendar
from . import decisions
from .clock import recompute_clock
from .errors import Conflict, Forbidden, InvalidInput, NotFound, Unavailable
from .ports import (
    AttachmentStore,
    CaseRepository,
    CatalogReader,
    Clock,
    DuplicateRequest,
    IdempotencyRecord,
    IdGenerator,
    UploadChecks,
    WorkflowEngine,
)
from .scope import Levels

CASE_NOT_FOUND = "未找到该办件，请核对办件编号。"
ONLINE_CHANNEL = "online"
WINDOW_CHANNEL = "window"  # 窗口代办: registered at the counter by a window clerk


def walk_in_owner(clerk_id: str) -> str:
    """Walk-in applicants have no account: their cases are owned by no citizen (nobody's
    "my cases"); they follow them with the case number and query code."""
    return f"WINDOW#{clerk_id}"


def _fingerprint(request: BaseModel) -> str:
    return hashlib.sha256(request.model_dump_json().encode()).hexdigest()


@dataclass(frozen=True)
class UploadPolicy:
    max_bytes: int
    url_ttl_seconds: int


def upload_key(owner_id: str, upload_id: str) -> str:
    """Keys are chosen by the server and scoped to the uploader, so nobody can claim another's file."""
    return f"uploads/{owner_id}/{upload_id}"


def collect_uploads(
    store: AttachmentStore,
    policy: UploadPolicy,
    principal: Principal,
    upload_ids: list[str],
    *,
    checks: UploadChecks,
    now: datetime,
    field: str = "upload_ids",
) -> tuple[Attachment, ...]:
    """The caller's own uploads, checked to be stored and within the policy, as case attachments.

    Used for applications and 补正 (citizens) and for documents attached to staff actions;
    `field` names the request field in the 422 details. An upload whose content check failed
    is refused; one not checked yet is accepted and shows 校验中 (services/upload_check.py)."""
    attachments = []
    unique_ids = list(dict.fromkeys(upload_ids))
    verdicts = checks.get_many([upload_key(principal.user_id, u) for u in unique_ids]) if unique_ids else {}
    for index, upload_id in enumerate(unique_ids):
        key = upload_key(principal.user_id, upload_id)
        verdict = verdicts.get(key)
        if verdict is not None and verdict.status is UploadCheckStatus.FAILED:
            raise InvalidInput(
                f"第{index + 1}个附件“{verdict.file_name}”未通过校验：{verdict.reason}请重新上传真实的文件。",
                details={"field": f"{field}.{index}"},
            )
        stored = store.stat(key)
        if stored is None:
            raise InvalidInput(f"第{index + 1}个附件尚未上传成功，请重新上传。", details={"field": f"{field}.{index}"})
        if stored.size_bytes > policy.max_bytes or stored.content_type not in ALLOWED_UPLOAD_TYPES:
            raise InvalidInput(f"第{index + 1}个附件的大小或格式不符合要求。{upload_type_message()}。")
        attachments.append(
            Attachment(
                attachment_id=upload_id,
                file_name=stored.file_name or f"附件{index + 1}",
                material_id=stored.material_id,
                content_type=stored.content_type,
                size_bytes=stored.size_bytes,
                storage_key=key,
                uploaded_at=now,
            )
        )
    return tuple(attachments)


class ApplicationService:
    def __init__(
        self,
        *,
        cases: CaseRepository,
        catalog: CatalogReader,
        workflow: WorkflowEngine,
        attachments: AttachmentStore,
        clock: Clock,
        ids: IdGenerator,
        calendar: WorkingCalendar,
        uploads: UploadPolicy,
        upload_checks: UploadChecks, levels: Levels | None = None,
    ) -> None:
        self._upload_checks = upload_checks
        self._cases = cases
        self._catalog = catalog
        self._levels = levels or Levels(catalog)  # a new case's government chain (行政层级)
        self._workflow = workflow
        self._attachments = attachments
        self._clock = clock
        self._ids = ids
        self._calendar = calendar
        self._uploads = uploads

    # --- uploads ---------------------------------------------------------------------------

    def create_upload(self, principal: Principal, request: UploadRequest) -> UploadTicket:
        """Citizens upload their materials; staff upload documents they attach to an action
        (e.g. the control document of a risk point). Either way the key is the uploader's."""
        if not (principal.is_citizen or principal.is_staff):
            raise Forbidden("请使用申请人或部门工作人员账号登录后再上传附件。")
        if request.content_type not in ALLOWED_UPLOAD_TYPES:
            raise InvalidInput(upload_type_message(), details={"field": "content_type"})
        if request.size_bytes > self._uploads.max_bytes:
            raise InvalidInput(
                f"文件不能超过 {self._uploads.max_bytes // (1024 * 1024)} MB，请压缩后再上传。",
                details={"field": "size_bytes"},
            )
        upload_id = self._ids.token()
        url, fields = self._attachments.presign_upload(
            upload_key(principal.user_id, upload_id),
            content_type=request.content_type,
            max_bytes=self._uploads.max_bytes,
            expires_in=self._uploads.url_ttl_seconds,
            file_name=request.file_name,
            material_id=request.material_id,
        )
        return UploadTicket(
            upload_id=upload_id,
            url=url,
            fields=fields,
            expires_in_seconds=self._uploads.url_ttl_seconds,
            max_bytes=self._uploads.max_bytes,
        )

    def _collect_uploads(self, principal: Principal, upload_ids: list[str]) -> tuple[Attachment, ...]:
        return collect_uploads(
            self._attachments, self._uploads, principal, upload_ids, checks=self._upload_checks, now=self._clock.now()
        )

    # --- apply -----------------------------------------------------------------------------

    def apply(self, principal: Principal, request: ApplicationRequest, idempotency_key: str | None) -> ApplicationReceipt:
        _require_citizen(principal)
        item = self._published_item(request.item_code)
        if not item.category.on_application:
            raise InvalidInput(
                f"“{item.name}”属于{item.category.value}事项，由部门依职权立案办理，不接受网上申请。"
                "如需办理或陈述申辩，请联系实施部门。",
                details={"field": "item_code"},
            )
        return self._register(
            principal, item, request.applicant, request.form, request.upload_ids, idempotency_key,
            fingerprint=_fingerprint(request), applicant_user_id=principal.user_id, actor_role=Role.CITIZEN,
            channel=ONLINE_CHANNEL,
        )

    def apply_at_window(self, principal: Principal, request: WindowApplicationRequest, idempotency_key: str | None) -> ApplicationReceipt:
        """窗口代办: a window clerk registers a walk-in applicant's application for one of the
        department's own items. The case starts like an online one and waits at 受理, where the
        same clerk accepts it (or asks for the missing material) through the fixed flow. This is
        also how an ex officio case (立案: a penalty, an inspection...) enters the flow, with the
        party concerned (当事人) as the applicant: such items take no online applications."""
        if not (principal.is_staff and principal.has_role(Role.WINDOW)):
            raise Forbidden("只有窗口受理人员可以代为登记申请。")
        item = self._published_item(request.item_code)
        if item.department_id != principal.department_id:
            raise Forbidden("只能代为登记本部门的事项，请引导申请人到该事项的办理部门窗口。")
        return self._register(
            principal, item, request.applicant.to_applicant(), request.form, request.upload_ids, idempotency_key,
            fingerprint=_fingerprint(request), applicant_user_id=walk_in_owner(principal.user_id), actor_role=Role.WINDOW,
            channel=WINDOW_CHANNEL,
        )

    def _published_item(self, item_code: str) -> CatalogItem:
        item = self._catalog.get_item(item_code)
        if item is None or not item.published:
            raise NotFound("未找到该事项，请核对事项编码。")
        return item

    def _register(
        self,
        principal: Principal,
        item: CatalogItem,
        applicant: Applicant,
        raw_form: dict[str, str],
        upload_ids: list[str],
        idempotency_key: str | None,
        *,
        fingerprint: str,
        applicant_user_id: str,
        actor_role: Role,
        channel: str,
    ) -> ApplicationReceipt:
        department = self._catalog.get_department(item.department_id)
        government_id, government_path = self._levels.stamp(department)
        form = _validated_form(item, raw_form)
        attachments = self._collect_uploads(principal, upload_ids)

        now = self._clock.now()
        case = Case(
            case_id=self._ids.case_id(now),
            query_code=self._ids.query_code(),
            item_code=item.item_code,
            item_name=item.name,
            flow=item.flow,
            department_id=item.department_id,
            department_name=department.name if department else item.department_id,
            government_id=government_id, government_path=government_path,
            applicant=applicant,
            applicant_user_id=applicant_user_id,
            form=form,
            attachments=attachments,
            status=CaseStatus.SUBMITTED,
            step_limit_days=item.step_limit_days,
            promised_limit_days=item.promised_limit_days,
            legal_limit_days=item.legal_limit_days,
            step_limit_units=item.step_limit_units,
            promised_limit_unit=item.promised_limit_unit,
            legal_limit_unit=item.legal_limit_unit,
            limit_starts_at=item.limit_starts_at,
            warning_rules=item.warning_rules,
            # Every start event is now (receipt, registration, or acceptance not yet given);
            # recompute_clock below moves them with the case's start.
            promised_due_on=due_on(now, item.promised_limit_days, extra_days=0, calendar=self._calendar, unit=item.promised_limit_unit),
            legal_due_on=due_on(now, item.legal_limit_days, extra_days=0, calendar=self._calendar, unit=item.legal_limit_unit),
            submitted_at=now,
            updated_at=now,
            fee_yuan=str(item.total_fee_yuan.quantize(Decimal("0.01"))),
        )
        case = recompute_clock(case, now=now, calendar=self._calendar)  # e.g. the 日历未确认 mark
        details: dict[str, object] = {"attachment_ids": [a.attachment_id for a in attachments]}
        if channel != ONLINE_CHANNEL:
            details["channel"] = channel
        event = TimelineEvent(
            case_id=case.case_id,
            seq=1,
            occurred_at=now,
            actor=Actor.of(principal, actor_role),
            action="apply",
            from_state=None,
            to_state=CaseStatus.SUBMITTED,
            details=details,
        )
        idempotency = (
            IdempotencyRecord(owner_id=principal.user_id, key=idempotency_key, case_id=case.case_id, fingerprint=fingerprint)
            if idempotency_key
            else None
        )
        try:
            self._cases.create(case, event, idempotency)
        except DuplicateRequest as duplicate:
            return self._replayed_application(duplicate, fingerprint, applicant_user_id)
        try:
            self._workflow.start(case.case_id, item.flow)
        except Exception as error:
            # No half-written case: without a running flow the case must not exist.
            self._cases.delete_new(case, idempotency)
            raise Unavailable("系统繁忙，申请未提交成功，请稍后重试。") from error
        return _application_receipt(case)

    def _replayed_application(self, duplicate: DuplicateRequest, fingerprint: str, applicant_user_id: str) -> ApplicationReceipt:
        if duplicate.fingerprint != fingerprint:
            raise InvalidInput("该幂等键（Idempotency-Key）已用于另一份不同的申请，请更换后重试。")
        case = self._cases.get(duplicate.case_id)
        if case is None or case.applicant_user_id != applicant_user_id:
            raise Unavailable("上一次提交仍在处理中，请稍后重试。")
        if case.status is CaseStatus.SUBMITTED:
            # The first attempt may have died between writing the case and starting its flow;
            # starting is idempotent per case id, so make sure the flow runs.
            self._workflow.start(case.case_id, case.flow)
        return _application_receipt(case)

    # --- supplement (补正) --------------------------------------------------------------------

    def supplement(self, principal: Principal, case_id: str, request: SupplementRequest, idempotency_key: str | None) -> ActionReceipt:
        request_id = decisions.request_id_of(idempotency_key, request)
        case = self._own_case(principal, case_id)
        if decisions.is_replay(case, request_id):
            return decisions.resend(workflow=self._workflow, case=case)
        if case.step is not Step.SUPPLEMENT:
            raise Conflict("该办件当前不需要补正材料。")
        attachments = self._collect_uploads(principal, request.upload_ids)
        pending = PendingDecision(
            decision=Decision.RESUBMIT,
            step=Step.SUPPLEMENT,
            actor=Actor.of(principal, Role.CITIZEN),
            decided_at=self._clock.now(),
            opinion=request.note,
            attachment_ids=tuple(a.attachment_id for a in attachments),
            request_id=request_id,
        )
        return decisions.hand_over(
            cases=self._cases, workflow=self._workflow, clock=self._clock, case=case, pending=pending, new_attachments=attachments
        )

    def _own_case(self, principal: Principal, case_id: str) -> Case:
        _require_citizen(principal)
        case = self._cases.get(case_id)
        if case is None or case.parent_case_id is not None:  # a co-department's part is not the applicant's
            raise NotFound(CASE_NOT_FOUND)
        if case.applicant_user_id != principal.user_id:
            raise Forbidden("您只能查看和办理本人提交的办件。")
        return case


def _require_citizen(principal: Principal) -> None:
    if not principal.is_citizen:
        raise Forbidden("请使用申请人账号登录后再提交。")


def _validated_form(item: CatalogItem, form: dict[str, str]) -> dict[str, str]:
    known = {f.field_id: f for f in item.form_fields}
    unknown = sorted(set(form) - set(known))
    if unknown:
        raise InvalidInput(f"申请表中有本事项不需要的栏目：{'、'.join(unknown)}", details={"field": "form"})
    cleaned = {key: value.strip() for key, value in form.items()}
    for field in item.form_fields:
        value = cleaned.get(field.field_id, "")
        if field.required and not value:
            raise InvalidInput(f"请填写申请表的“{field.label}”", details={"field": f"form.{field.field_id}"})
        if len(value) > field.max_length:
            raise InvalidInput(f"申请表的“{field.label}”不能超过{field.max_length}个字符", details={"field": f"form.{field.field_id}"})
    return {key: value for key, value in cleaned.items() if value}


def _application_receipt(case: Case) -> ApplicationReceipt:
    return ApplicationReceipt(
        case_id=case.case_id,
        query_code=case.query_code,
        status=case.status,
        status_label=case.status.label,
        promised_due_on=case.promised_due_on,
        submitted_at=case.submitted_at,
    )

