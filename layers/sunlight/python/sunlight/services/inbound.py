"""Inbound exchange (系统对接·接入): reports from departments' own systems (自建系统) and district
platforms, and 督办 from the higher-level platform.

A report is authorized (the client must hold a report scope) before its body is read, validated
completely (envelope, typed body, item, department, steps) before anything is stored, and refused
with a 4xx naming the field otherwise; the refused message is kept in the quarantine for
inspectors. A valid report is recorded under its message id and held in its case's stream in one
conditional write, then the stream is drained in sequence order (rules/inbound.py): each report
is one atomic case write with its timeline entry, published like a native transition, so reported
cases get deadlines, cards, anomalies and scores as native ones do.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import ValidationError

from ..models.case import Case, TimelineEvent
from ..models.events import CaseTransitionedV1
from ..models.inbound import (
    ORDERS_ROUTE_LABEL,
    ORDERS_SCOPE,
    REPORT_BODIES,
    REPORTS_ROUTE_LABEL,
    UPPER_PLATFORM_LABEL,
    InboundAck,
    InboundReport,
    InboundStatus,
    QuarantinedMessage,
    QuarantinedMessageView,
    ReceivedBody,
    ReportEnvelope,
    ReportType,
    UpstreamOrderRequest,
    WaitingReport,
)
from ..models.orders import SupervisionOrder
from ..models.roles import Principal, Role
from ..rules import inbound as rules
from ..rules.workdays import WorkingCalendar
from .clock import recompute_clock
from .errors import Conflict, Forbidden, InvalidInput, Unavailable
from .orders import OrderService
from .pagination import Page, decode_cursor, encode_cursor
from .ports import CaseRepository, CatalogReader, Clock, ConcurrentModification, EventPublisher, InboundStore

REPORTS_ROUTE = "/inbound/reports"
ORDERS_ROUTE = "/inbound/orders"
MAX_RAW_KEPT = 64 * 1024
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class InboundClient:
    """The calling system: its app client id and the scopes of its access token."""

    client_id: str
    scopes: frozenset[str]

    @classmethod
    def of(cls, client_id: str, scope_claim: str) -> InboundClient:
        return cls(client_id=client_id, scopes=frozenset(scope_claim.split()))

    @property
    def report_departments(self) -> frozenset[str]:
        return rules.reportable_departments(self.scopes)


class Malformed(InvalidInput):
    """A message that cannot be applied as sent (→ 422, kept in the quarantine)."""


def _fingerprint(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class InboundService:
    def __init__(
        self, *, store: InboundStore, cases: CaseRepository, catalog: CatalogReader, publisher: EventPublisher,
        clock: Clock, calendar: WorkingCalendar, orders: OrderService | None = None,
        new_id: Callable[[], str] = lambda: secrets.token_hex(8),
    ) -> None:
        self._store = store
        self._cases = cases
        self._catalog = catalog
        self._publisher = publisher
        self._clock = clock
        self._calendar = calendar
        self._orders = orders
        self._new_id = new_id

    # --- reports --------------------------------------------------------------------------------

    def report(self, client: InboundClient, raw: str) -> InboundAck:
        if not client.report_departments:
            raise Forbidden("该系统未获授权上报办件。")  # before the body is read
        try:
            report = self._parse_report(client, raw)
        except Malformed as error:
            self._keep(client, REPORTS_ROUTE, raw, error)
            raise
        department_id = report.body.department_id
        if department_id not in client.report_departments:
            raise Forbidden(f"该系统无权上报部门“{department_id}”的办件。", details={"field": "body.department_id"})
        envelope = report.envelope
        case_id = rules.reported_case_id(client.client_id, envelope.platform_id, envelope.entity_id)
        existing = self._cases.get(case_id)
        try:
            self._check_against_case(report, existing)
        except Malformed as error:
            self._keep(client, REPORTS_ROUTE, raw, error)
            raise
        stale = existing is not None and envelope.sequence <= existing.reported_sequence
        # Message ids are the sender's: recorded per client, so no client can take another's.
        stored = self._store.receive(f"{client.client_id}:{envelope.message_id}", fingerprint=report.fingerprint, stream=report.stream,
                                     sequence=envelope.sequence, raw=None if stale else report.envelope.model_dump_json(),
                                     received_at=self._clock.now())
        if stored is not None and stored != report.fingerprint:
            raise Conflict("该消息编号已用于另一条内容不同的消息，请更换消息编号。", details={"field": "message_id"})
        applied = self._drain(report.stream, case_id, client)
        if stored is not None:
            self._republish(case_id, envelope.message_id)
        if stored is not None:
            outcome = InboundStatus.DUPLICATE
        elif stale:
            outcome = InboundStatus.STALE
        elif envelope.sequence <= applied:
            outcome = InboundStatus.APPLIED
        else:
            outcome = InboundStatus.HELD
        return InboundAck(
            message_id=envelope.message_id, status="duplicate" if stored is not None else "accepted", outcome=outcome,
            case_id=case_id if applied else None, applied_sequence=applied,
            waiting_for_sequence=applied + 1 if outcome is InboundStatus.HELD else None,
        )

    def _parse_report(self, client: InboundClient, raw: str) -> InboundReport:
        try:
            document = json.loads(raw)
        except ValueError as error:
            raise Malformed("消息不是有效的 JSON。", details={"field": "body"}) from error
        if not isinstance(document, dict):
            raise Malformed("消息应为 JSON 对象。", details={"field": "body"})
        try:
            envelope = ReportEnvelope.model_validate(document)
        except ValidationError as error:
            field, message = rules.first_error(error)
            raise Malformed(message, details={"field": field}) from error
        try:
            body = REPORT_BODIES[envelope.message_type].model_validate(envelope.body)
        except ValidationError as error:
            field, message = rules.first_error(error, "body")
            raise Malformed(message, details={"field": field}) from error
        report = InboundReport(envelope=envelope, body=body, client_id=client.client_id, fingerprint=_fingerprint(raw))  # type: ignore[arg-type]
        self._check_semantics(report)
        return report

    def _check_semantics(self, report: InboundReport) -> None:
        envelope, body = report.envelope, report.body
        if (envelope.sequence == 1) != (envelope.message_type is ReportType.CASE_RECEIVED):
            raise Malformed("字段 sequence：序号1须为 case_received（收件），之后的消息序号从2起。", details={"field": "sequence"})
        item = self._catalog.get_item(body.item_code)
        if item is None:
            raise Malformed(f"字段 body.item_code：未找到事项 {body.item_code}。", details={"field": "body.item_code"})
        if item.department_id != body.department_id:
            raise Malformed(f"字段 body.department_id：事项 {body.item_code} 不属于部门 {body.department_id}。",
                            details={"field": "body.department_id"})
        department = self._catalog.get_department(body.department_id)
        if department is not None and department.government_id != envelope.government_id:
            raise Malformed(f"字段 government_id：部门 {body.department_id} 属于 {department.government_id}，不是 {envelope.government_id}。",
                            details={"field": "government_id"})
        problem = rules.step_problem(item, report) or rules.acting_role_problem(getattr(body, "actor_role", None))
        if problem is not None:
            raise Malformed(problem[1], details={"field": problem[0]})

    def _check_against_case(self, report: InboundReport, case: Case | None) -> None:
        if case is not None and case.item_code != report.body.item_code:
            raise Malformed(f"字段 body.item_code：该办件的事项为 {case.item_code}。", details={"field": "body.item_code"})

    def _keep(self, client: InboundClient, route: str, raw: str, error: InvalidInput) -> None:
        message_id = None
        try:
            document = json.loads(raw)
            message_id = str(document.get("message_id"))[:100] if isinstance(document, dict) and document.get("message_id") else None
        except ValueError:
            pass
        now = self._clock.now()
        self._store.quarantine(QuarantinedMessage(
            quarantine_id=f"{now:%Y%m%d%H%M%S}-{self._new_id()}", received_at=now, client_id=client.client_id, route=route,
            field=str(error.details.get("field", "body")), message=error.message, message_id=message_id,
            raw=raw[:MAX_RAW_KEPT]))

    # --- applying in sequence -------------------------------------------------------------------

    def _drain(self, stream: str, case_id: str, client: InboundClient) -> int:
        """Applies the stream's held reports in sequence order up to the first gap; returns the
        last applied sequence. Safe to run concurrently and again (each step is conditional)."""
        for _ in range(MAX_ATTEMPTS):
            case = self._cases.get(case_id)
            applied = case.reported_sequence if case else 0
            held = {h.sequence: h for h in self._store.held(stream)}
            run, stale = rules.applicable(applied, list(held))
            for sequence in stale:
                self._store.release(stream, sequence)
            try:
                for sequence in run:
                    report = self._held_report(held[sequence].raw, client)
                    case = self._apply(case, case_id, report)
                    applied = sequence
                    self._store.release(stream, sequence)
            except ConcurrentModification:
                continue  # another request applied some of them: read again
            return applied
        raise Unavailable("该办件的上报消息正在处理，请稍后重试（不会重复记录）。")

    def _republish(self, case_id: str, message_id: str) -> None:
        """A message sent again may be the retry of one whose publication failed after its case was
        written: publish its entry again (consumers de-duplicate on the event id), as the flow does."""
        found = self._cases.get_with_timeline(case_id)
        if found is None:
            return
        case, timeline = found
        entries = [e for e in timeline if e.details.get("message_id") == message_id]
        if entries:
            self._publisher.publish([CaseTransitionedV1.of(case, e, recorded_at=self._clock.now()) for e in entries])

    def _held_report(self, raw: str, client: InboundClient) -> InboundReport:
        envelope = ReportEnvelope.model_validate_json(raw)
        body = REPORT_BODIES[envelope.message_type].model_validate(envelope.body)
        return InboundReport(envelope=envelope, body=body, client_id=client.client_id, fingerprint="")  # type: ignore[arg-type]

    def _apply(self, case: Case | None, case_id: str, report: InboundReport) -> Case:
        now = self._clock.now()
        if isinstance(report.body, ReceivedBody):
            item = self._catalog.get_item(report.body.item_code)
            if item is None:  # checked on receipt; the catalog lost it since
                raise Unavailable(f"事项 {report.body.item_code} 暂不可用，请稍后重试。")
            department = self._catalog.get_department(item.department_id)
            created, event = rules.received_case(report, case_id=case_id, query_code=f"{secrets.randbelow(1_000_000):06d}",
                                                 item=item, department_name=department.name if department else item.department_id,
                                                 calendar=self._calendar)
            created = recompute_clock(created, now=now, calendar=self._calendar)
            self._cases.create(created, event, None)  # ConcurrentModification: a concurrent request created it
            self._publish(created, event)
            return created
        assert case is not None  # sequence > 1 applies only after sequence 1
        updated, event = rules.reported_transition(case, report, now=now)
        updated = recompute_clock(updated, now=now, calendar=self._calendar)
        self._cases.save(updated, expected_version=case.version, events=(event,))
        self._publish(updated, event)
        return updated

    def _publish(self, case: Case, event: TimelineEvent) -> None:
        try:
            self._publisher.publish([CaseTransitionedV1.of(case, event, recorded_at=self._clock.now())])
        except Exception as error:  # any bus failure: the write stands; the same message again re-publishes
            raise Unavailable("消息已记录，但监察通知未能送达，请重发同一消息（不会重复记录）。") from error

    # --- quarantine (inspectors) ----------------------------------------------------------------

    def quarantined(self, principal: Principal, *, cursor: str | None, limit: int) -> Page[QuarantinedMessage]:
        if not (principal.is_inspector or principal.has_role(Role.ADMIN)):
            raise Forbidden("待核查的上报消息仅供监察人员查看。")
        items, last = self._store.quarantined(limit=limit, start_key=decode_cursor(cursor))
        return Page[QuarantinedMessage](items=items, next_cursor=encode_cursor(last))

    def quarantined_view(self, principal: Principal, *, cursor: str | None, limit: int) -> Page[QuarantinedMessageView]:
        """The quarantine as people read it (the staff API's 数据交换 page): authorized as
        `quarantined`, before anything is read; each message's kind and sender in words."""
        page = self.quarantined(principal, cursor=cursor, limit=limit)
        governments = {g.government_id: g.name for g in self._catalog.list_governments()}
        departments = {d.department_id: d.name for d in self._catalog.list_departments()}
        items = [
            QuarantinedMessageView(
                **message.model_dump(),
                route_label=ORDERS_ROUTE_LABEL if message.route == ORDERS_ROUTE else REPORTS_ROUTE_LABEL,
                sender=UPPER_PLATFORM_LABEL if message.route == ORDERS_ROUTE else rules.sender_of(message.raw, governments, departments),
            )
            for message in page.items
        ]
        return Page[QuarantinedMessageView](items=items, next_cursor=page.next_cursor)

    def waiting(self, principal: Principal, *, cursor: str | None, limit: int) -> Page[WaitingReport]:
        """Reports held for an earlier sequence that has not arrived (gaps), oldest first."""
        if not (principal.is_inspector or principal.has_role(Role.ADMIN)):
            raise Forbidden("待核查的上报消息仅供监察人员查看。")
        held, last = self._store.waiting(limit=limit, start_key=decode_cursor(cursor))
        items = []
        for report in held:
            envelope = ReportEnvelope.model_validate_json(report.raw)
            items.append(WaitingReport(
                client_id=report.stream.split("#", 1)[0], platform_id=envelope.platform_id, entity_id=envelope.entity_id,
                sequence=report.sequence, message_id=envelope.message_id, message_type=envelope.message_type.value,
                received_at=report.received_at))
        return Page[WaitingReport](items=items, next_cursor=encode_cursor(last))

    # --- orders from above ----------------------------------------------------------------------

    def order(self, client: InboundClient, raw: str) -> SupervisionOrder:
        if ORDERS_SCOPE not in client.scopes:
            raise Forbidden("该系统未获授权下达督办。")  # before the body is read
        if self._orders is None:
            raise Unavailable("督办服务暂不可用，请稍后重试。")
        try:
            try:
                request = UpstreamOrderRequest.model_validate_json(raw)
            except ValidationError as error:
                if error.errors()[0]["type"] == "json_invalid":
                    raise Malformed("消息不是有效的 JSON。", details={"field": "body"}) from error
                field, message = rules.first_error(error)
                raise Malformed(message, details={"field": field}) from error
            return self._orders.receive_upstream(request)
        except InvalidInput as error:
            self._keep(client, ORDERS_ROUTE, raw, error)
            raise
