"""Complaints (投诉): citizens file, city inspectors accept, dispatch and conclude, the department
answers, the citizen rates the answer; every step is told to the citizen (notifications)."""

from __future__ import annotations

import hashlib
from datetime import datetime

from ..models.complaints import (
    ACTION_PARTY,
    DEPARTMENT_VISIBLE,
    Complaint,
    ComplaintAction,
    ComplaintActionRequest,
    ComplaintAttachment,
    ComplaintEvent,
    ComplaintLimits,
    ComplaintRating,
    ComplaintRequest,
    ComplaintStatus,
    ComplaintSummary,
    ComplaintView,
    Notification,
    Party,
    RatingRequest,
    actions_for,
    next_status,
    parties_of,
)
from ..models.evaluation_events import COMPLAINT_CONCLUDED, COMPLAINT_FILED, ComplaintConcludedV1, ComplaintFiledV1
from ..models.roles import Principal
from ..models.views import DOWNLOAD_TTL_SECONDS
from ..rules.workdays import WorkingCalendar, add_working_days, local_date
from .applications import UploadPolicy, collect_uploads
from .decisions import is_retry_of, request_id_of
from .errors import Conflict, Forbidden, InvalidInput, NotFound, Unavailable
from .pagination import Page, decode_cursor, encode_cursor
from .ports import (
    AttachmentStore,
    CaseRepository,
    CatalogReader,
    Clock,
    ComplaintRepository,
    ConcurrentModification,
    DomainEvents,
    DuplicateRequest,
    IdempotencyRecord,
    IdGenerator,
    NotificationRepository,
    UploadChecks,
)
from .scope import Levels, Scope, ScopeKind, page_across
from .upload_check import download_refusal

COMPLAINT_NOT_FOUND = "未找到该投诉，请核对投诉编号。"

_NOTICES = {
    ComplaintAction.FILE: ("投诉已提交", "您的投诉“{title}”已提交，市监察局将在{days}个工作日内决定是否受理。"),
    ComplaintAction.ACCEPT: ("投诉已受理", "您的投诉“{title}”已受理，将转交{department}办理。"),
    ComplaintAction.REJECT: ("投诉不予受理", "您的投诉“{title}”不予受理，理由：{note}"),
    ComplaintAction.DISPATCH: ("投诉已转办", "您的投诉“{title}”已转交{department}，该部门应在{days}个工作日内答复。"),
    ComplaintAction.ANSWER: ("投诉已答复", "{department}已答复您的投诉“{title}”，市监察局审核后办结。"),
    ComplaintAction.CONCLUDE: ("投诉已办结", "您的投诉“{title}”已办结（{founded}），欢迎对答复进行评价。"),
}


class ComplaintService:
    def __init__(
        self,
        *,
        complaints: ComplaintRepository,
        notifications: NotificationRepository,
        cases: CaseRepository,
        catalog: CatalogReader,
        attachments: AttachmentStore,
        uploads: UploadPolicy,
        events: DomainEvents,
        clock: Clock,
        ids: IdGenerator,
        calendar: WorkingCalendar,
        upload_checks: UploadChecks,
        limits: ComplaintLimits = ComplaintLimits(), levels: Levels | None = None,
    ) -> None:
        self._upload_checks = upload_checks
        self._complaints = complaints
        self._notifications = notifications
        self._cases = cases
        self._catalog = catalog
        self._levels = levels or Levels(catalog)  # a district 监察局's departments
        self._attachments = attachments
        self._uploads = uploads
        self._events = events
        self._clock = clock
        self._ids = ids
        self._calendar = calendar
        self._limits = limits

    # --- citizens ---------------------------------------------------------------------------

    def file(self, principal: Principal, request: ComplaintRequest, idempotency_key: str | None) -> ComplaintView:
        _require_citizen(principal)
        fingerprint = hashlib.sha256(request.model_dump_json().encode()).hexdigest()
        now = self._clock.now()
        case_id, item_name, department_id = None, None, request.department_id
        if request.case_id:
            case = self._cases.get(request.case_id.strip().upper())
            if case is None or case.applicant_user_id != principal.user_id:
                raise NotFound("未找到您的这个办件，请核对办件编号。")
            case_id, item_name, department_id = case.case_id, case.item_name, case.department_id
        department = self._catalog.get_department(department_id or "")
        if department is None:
            raise InvalidInput("未找到被投诉的部门，请重新选择。", details={"field": "department_id"})
        uploaded = collect_uploads(
            self._attachments, self._uploads, principal, request.upload_ids, checks=self._upload_checks, now=now
        )
        complaint_id = "TS" + self._ids.case_id(now)[2:]
        event = ComplaintEvent(
            action=ComplaintAction.FILE, party=Party.COMPLAINANT, actor_id=principal.user_id, actor_name=principal.name,
            at=now, from_status=None, to_status=ComplaintStatus.FILED, request_id=idempotency_key,
        )
        complaint = Complaint(
            complaint_id=complaint_id,
            complainant_id=principal.user_id,
            complainant_name=principal.name,
            anonymous=request.anonymous,
            case_id=case_id,
            item_name=item_name,
            department_id=department.department_id,
            department_name=department.name,
            title=request.title,
            content=request.content,
            attachments=tuple(
                ComplaintAttachment(
                    attachment_id=a.attachment_id, file_name=a.file_name, content_type=a.content_type,
                    size_bytes=a.size_bytes, storage_key=a.storage_key,
                )
                for a in uploaded
            ),
            status=ComplaintStatus.FILED,
            filed_at=now,
            updated_at=now,
            due_on=self._due(ComplaintStatus.FILED, now),
            history=(event,),
        )
        idempotency = (
            IdempotencyRecord(owner_id=principal.user_id, key=idempotency_key, case_id=complaint_id, fingerprint=fingerprint)
            if idempotency_key
            else None
        )
        try:
            self._complaints.create(complaint, self._notice(complaint, event), idempotency)
        except DuplicateRequest as duplicate:
            if duplicate.fingerprint != fingerprint:
                raise InvalidInput("该幂等键（Idempotency-Key）已用于另一份不同的投诉，请更换后重试。") from None
            stored = self._complaints.get(duplicate.case_id)
            if stored is None or stored.complainant_id != principal.user_id:
                raise Unavailable("上一次提交仍在处理中，请稍后重试。") from None
            complaint = stored
        self._publish_filed(complaint)  # a replay publishes again: the consumer counts the id once
        return self._view(complaint, Party.COMPLAINANT)

    def my_complaints(self, principal: Principal, *, cursor: str | None, limit: int) -> Page[ComplaintSummary]:
        _require_citizen(principal)
        items, last = self._complaints.by_complainant(principal.user_id, limit=limit, start_key=decode_cursor(cursor))
        today = local_date(self._clock.now())
        return Page[ComplaintSummary](items=[ComplaintSummary.of(c, today=today, reader=Party.COMPLAINANT) for c in items], next_cursor=encode_cursor(last))

    def my_complaint(self, principal: Principal, complaint_id: str) -> ComplaintView:
        return self._view(self._own(principal, complaint_id), Party.COMPLAINANT)

    def rate(self, principal: Principal, complaint_id: str, request: RatingRequest) -> ComplaintView:
        complaint = self._own(principal, complaint_id)
        if complaint.rating is not None:
            raise Conflict("您已评价过这次答复，每件投诉只能评价一次。")
        if next_status(complaint.status, ComplaintAction.RATE) is None:
            raise Conflict(f"投诉当前为“{complaint.status.label}”，办结后才能评价答复。")
        now = self._clock.now()
        rating = ComplaintRating(score=request.score, comment=request.comment, rated_at=now)
        event = ComplaintEvent(
            action=ComplaintAction.RATE, party=Party.COMPLAINANT, actor_id=principal.user_id, actor_name=principal.name,
            at=now, from_status=complaint.status, to_status=complaint.status, note=f"{request.score}分" + (f"：{request.comment}" if request.comment else ""),
        )
        updated = complaint.model_copy(
            update={"rating": rating, "history": complaint.history + (event,), "updated_at": now, "version": complaint.version + 1}
        )
        self._save(updated, complaint, None, "您已评价过这次答复，每件投诉只能评价一次。")
        return self._view(updated, Party.COMPLAINANT)

    # --- inspectors and departments ----------------------------------------------------------

    def list(self, principal: Principal, *, status: ComplaintStatus | None, cursor: str | None, limit: int) -> Page[ComplaintSummary]:
        city = principal.is_city_bureau
        scope = Scope.of(principal, self._levels)
        start_key = decode_cursor(cursor)
        if city:
            reader = Party.CITY_INSPECTOR
            if status is None:
                items, last = self._complaints.queue("city", limit=limit, start_key=start_key)
            else:
                items, last = self._complaints.by_status(status.value, limit=limit, start_key=start_key)
        elif Party.DEPARTMENT in parties_of(principal, principal.department_id or ""):
            reader = Party.DEPARTMENT
            if status is not None and status not in DEPARTMENT_VISIBLE:
                raise InvalidInput("部门只能查看已转办、已答复和已办结的投诉。", details={"field": "status"})
            items, last = self._complaints.queue(principal.department_id or "", limit=limit, start_key=start_key)
            if status is not None:  # a department has few complaints: filter its page
                items = [c for c in items if c.status is status]
        elif scope.kind is ScopeKind.LEVEL:
            # A district 监察局 reads, as the departments do, what was dispatched to its levels' departments.
            reader = Party.DEPARTMENT
            if status is not None and status not in DEPARTMENT_VISIBLE:
                raise InvalidInput("只能查看已转办、已答复和已办结的投诉。", details={"field": "status"})
            items, last = page_across(
                sorted(scope.departments_in() or ()),
                lambda d, n, key: self._complaints.queue(d, limit=n, start_key=key), limit=limit, cursor=start_key,
            )
            if status is not None:
                items = [c for c in items if c.status is status]
        else:
            raise Forbidden("投诉由市监察局、被投诉部门的分管领导和监察室处理。")
        today = local_date(self._clock.now())
        return Page[ComplaintSummary](items=[ComplaintSummary.of(c, today=today, reader=reader) for c in items], next_cursor=encode_cursor(last))

    def detail(self, principal: Principal, complaint_id: str) -> ComplaintView:
        complaint, party = self._visible(principal, complaint_id)
        return self._view(complaint, party, reads_only=not parties_of(principal, complaint.department_id))

    def attachment_link(self, principal: Principal, complaint_id: str, attachment_id: str) -> str:
        complaint, party = self._visible(principal, complaint_id)
        attachment = next((a for a in complaint.attachments if a.attachment_id == attachment_id), None)
        if attachment is None:
            raise NotFound("未找到该附件。")
        if party is Party.DEPARTMENT and complaint.anonymous:
            # The storage key names the uploader: anonymous complaints' files go through the inspectors.
            raise Forbidden("匿名投诉的附件由市监察局核查，部门不能直接下载。")
        refusal = download_refusal(self._upload_checks.get_many([attachment.storage_key]).get(attachment.storage_key))
        if refusal:
            raise Conflict(refusal)
        return self._attachments.presign_download(attachment.storage_key, file_name=attachment.file_name, expires_in=DOWNLOAD_TTL_SECONDS)

    def act(self, principal: Principal, complaint_id: str, request: ComplaintActionRequest, idempotency_key: str | None) -> ComplaintView:
        complaint, party = self._visible(principal, complaint_id)
        action = ComplaintAction(request.action)
        # The same key with another action or body is refused (422), not taken for a retry.
        request_id = request_id_of(idempotency_key, request)
        last = complaint.history[-1] if complaint.history else None
        if last is not None and last.from_status is not None and is_retry_of(request_id, last.request_id):  # not the filing's key
            self._publish_after(complaint, action)  # a retry: the step is done, its event goes out again
            return self._view(complaint, party)
        required = ACTION_PARTY[action]
        if required not in parties_of(principal, complaint.department_id):
            who = "市监察局" if required is Party.CITY_INSPECTOR else "被投诉部门的分管领导或监察室"
            raise Forbidden(f"“{action.label}”须由{who}办理。")
        transition = next_status(complaint.status, action)
        if transition is None:
            raise Conflict(f"投诉当前为“{complaint.status.label}”，不能{action.label}。")
        target = transition[0]
        now = self._clock.now()
        changes: dict = {}
        note = getattr(request, "note", None)
        if action is ComplaintAction.REJECT:
            changes["reason"] = note = request.reason  # type: ignore[union-attr]  # the action decides the request type
        elif action is ComplaintAction.ANSWER:
            changes["answer"] = note = request.answer  # type: ignore[union-attr]  # the action decides the request type
        elif action is ComplaintAction.CONCLUDE:
            changes["founded"] = request.founded  # type: ignore[union-attr]  # the action decides the request type
            changes["conclusion"] = request.conclusion  # type: ignore[union-attr]  # the action decides the request type
            note = f"{'投诉属实' if request.founded else '投诉不属实'}：{request.conclusion}"  # type: ignore[union-attr]  # the action decides the request type
        event = ComplaintEvent(
            action=action, party=required, actor_id=principal.user_id, actor_name=principal.name, at=now,
            from_status=complaint.status, to_status=target, note=note, request_id=request_id,
        )
        updated = complaint.model_copy(
            update=changes
            | {
                "status": target,
                "due_on": self._due(target, now),
                "updated_at": now,
                "history": complaint.history + (event,),
                "version": complaint.version + 1,
            }
        )
        self._save(updated, complaint, self._notice(updated, event), "该投诉已被他人处理，请刷新后重试。")
        self._publish_after(updated, action)
        return self._view(updated, party)

    # --- notifications ----------------------------------------------------------------------

    def notifications(self, principal: Principal, *, cursor: str | None, limit: int) -> Page[Notification]:
        items, last = self._notifications.for_user(principal.user_id, limit=limit, start_key=decode_cursor(cursor))
        return Page[Notification](items=items, next_cursor=encode_cursor(last))

    def mark_read(self, principal: Principal, notification_id: str) -> Notification:
        notification = self._notifications.mark_read(principal.user_id, notification_id)
        if notification is None:
            raise NotFound("未找到该通知。")
        return notification

    # --- helpers ----------------------------------------------------------------------------

    def _own(self, principal: Principal, complaint_id: str) -> Complaint:
        _require_citizen(principal)
        complaint = self._complaints.get(complaint_id)
        if complaint is None or complaint.complainant_id != principal.user_id:
            raise NotFound(COMPLAINT_NOT_FOUND)  # not yours: the same answer as unknown
        return complaint

    def _visible(self, principal: Principal, complaint_id: str) -> tuple[Complaint, Party]:
        complaint = self._complaints.get(complaint_id)
        if complaint is None:
            raise NotFound(COMPLAINT_NOT_FOUND)
        parties = parties_of(principal, complaint.department_id)
        if Party.CITY_INSPECTOR in parties:
            return complaint, Party.CITY_INSPECTOR
        if Party.DEPARTMENT in parties and complaint.status in DEPARTMENT_VISIBLE:
            return complaint, Party.DEPARTMENT
        scope = Scope.of(principal, self._levels)
        if scope.kind is ScopeKind.LEVEL and scope.sees_department(complaint.department_id):
            if complaint.status in DEPARTMENT_VISIBLE:  # read as the department reads it; acts on none
                return complaint, Party.DEPARTMENT
            raise NotFound(COMPLAINT_NOT_FOUND)
        if principal.department_id and principal.department_id != complaint.department_id:
            raise Forbidden("您只能查看转办给本部门的投诉。")
        if Party.DEPARTMENT in parties:
            raise NotFound(COMPLAINT_NOT_FOUND)  # not dispatched to the department (yet)
        raise Forbidden("投诉由市监察局、被投诉部门的分管领导和监察室处理。")

    def _view(self, complaint: Complaint, party: Party, *, reads_only: bool = False) -> ComplaintView:
        parties = frozenset({party})
        actions = [] if reads_only else actions_for(complaint.status, parties)
        if party is Party.COMPLAINANT and complaint.rating is not None:
            actions = [a for a in actions if a is not ComplaintAction.RATE]
        return ComplaintView.build(complaint, today=local_date(self._clock.now()), reader=party, actions=actions)

    def _due(self, status: ComplaintStatus, now: datetime):
        days = self._limits.for_status(status)
        return add_working_days(local_date(now), days, self._calendar) if days else None

    def _notice(self, complaint: Complaint, event: ComplaintEvent) -> Notification:
        title, template = _NOTICES[event.action]
        days = self._limits.for_status(complaint.status)
        body = template.format(
            title=complaint.title, department=complaint.department_name, days=days, note=event.note or "",
            founded="投诉属实" if complaint.founded else "投诉不属实",
        )
        stamp = event.at.strftime("%Y%m%d%H%M%S")
        return Notification(
            notification_id=f"{stamp}-{complaint.complaint_id}-{len(complaint.history)}",
            user_id=complaint.complainant_id, at=event.at, title=title, body=body, subject_id=complaint.complaint_id,
        )

    def _save(self, updated: Complaint, previous: Complaint, notification: Notification | None, conflict: str) -> None:
        try:
            self._complaints.save(updated, expected_version=previous.version, previous=previous, notification=notification)
        except ConcurrentModification as error:
            raise Conflict(conflict) from error

    def _publish_filed(self, complaint: Complaint) -> None:
        self._events.publish_detail(
            COMPLAINT_FILED,
            ComplaintFiledV1(
                event_id=f"{complaint.complaint_id}:filed", department_id=complaint.department_id,
                complaint_id=complaint.complaint_id, case_id=_traceable_case(complaint), filed_at=complaint.filed_at,
            ),
            resources=[f"complaint/{complaint.complaint_id}"],
        )

    def _publish_after(self, complaint: Complaint, action: ComplaintAction) -> None:
        if action is not ComplaintAction.CONCLUDE:
            return
        self._events.publish_detail(
            COMPLAINT_CONCLUDED,
            ComplaintConcludedV1(
                event_id=f"{complaint.complaint_id}:concluded", department_id=complaint.department_id,
                complaint_id=complaint.complaint_id, case_id=_traceable_case(complaint), founded=bool(complaint.founded),
                filed_at=complaint.filed_at,
                concluded_at=next(e.at for e in reversed(complaint.history) if e.action is ComplaintAction.CONCLUDE),
            ),
            resources=[f"complaint/{complaint.complaint_id}"],
        )


def _traceable_case(complaint: Complaint) -> str | None:
    """The case an event may name: none for an anonymous complaint. Events feed the evaluation
    facts and drill-downs the department reads, and the case names its applicant."""
    return None if complaint.anonymous else complaint.case_id


def _require_citizen(principal: Principal) -> None:
    if not principal.is_citizen:
        raise Forbidden("请使用申请人账号登录后再投诉。")
