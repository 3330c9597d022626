"""Inbound exchange: sequence and idempotency rules, validation messages, reports applied to
supervised cases, orders from above (services/inbound.py, rules/inbound.py) on fakes."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from sunlight.models.case import CaseStatus
from sunlight.models.evaluation_events import SUPERVISION_ORDER_ANSWERED, SUPERVISION_ORDER_CONCLUDED, OrderConclusion
from sunlight.models.flow import Step
from sunlight.models.orders import OrderAction, OrderActionRequest, SourceKind
from sunlight.models.roles import Principal, Role
from sunlight.models.views import CaseSummary
from sunlight.rules import inbound as rules
from sunlight.services.deadlines import DeadlineService
from sunlight.services.errors import Conflict, Forbidden, InvalidInput, Unavailable
from sunlight.services.inbound import InboundClient, InboundService
from sunlight.services.orders import CITY_INSPECTORS, OrderService
from tests.fakes.calendar import RecordingEvents
from tests.fakes.cases import FakeCatalog, FakeClock, FakePublisher, InMemoryCases, WeekdayCalendar
from tests.fakes.inbound import InMemoryInboundStore
from tests.fakes.orders import InMemoryOrders
from tests.fakes.supervision import InMemoryWarnings, RecordingNotifier
from tests.unit.conftest import DEPARTMENTS, ITEM

CHINA = timezone(timedelta(hours=8))
SAMPLE_ITEM = ITEM.model_copy(update={"item_code": "420700-XK-0201"})  # the code the samples in events/inbound name
SYSTEM = InboundClient.of("client-market", "exchange/report.market")
OTHER = InboundClient.of("client-planning", "exchange/report.planning")
UPPER = InboundClient.of("client-upper", "exchange/orders")
CITY_INSPECTOR = Principal(user_id="i-city", name="郑国华", roles=frozenset({Role.INSPECTOR}), government_id="420700")
MARKET_OFFICE = Principal(user_id="i-market", name="王立", roles=frozenset({Role.INSPECTOR}), department_id="market")


def message(sequence: int, message_type: str = "case_transitioned", *, message_id: str | None = None, entity: str = "ZJ-0001",
            at: datetime | None = None, **body) -> str:
    defaults: dict = {"item_code": ITEM.item_code, "department_id": "market"}
    if message_type == "case_received":
        defaults |= {"applicant_name": "张*", "step": "accept"}
    elif message_type in ("case_transitioned", "case_decided"):
        defaults |= {"from_step": "accept", "decision": "accept", "to_step": "handle", "actor_name": "窗口甲"}
    elif message_type == "case_completed":
        defaults |= {"from_step": "complete", "outcome": "completed", "actor_name": "窗口甲"}
    return json.dumps({
        "message_id": message_id or f"msg-{entity}-{sequence:04d}", "message_type": message_type, "schema_version": "1.0",
        "platform_id": "market-zjxt", "government_id": "420700", "entity_id": entity, "sequence": sequence,
        "occurred_at": (at or datetime(2026, 11, 23, 9, 0, tzinfo=CHINA) + timedelta(hours=sequence)).isoformat(),
        "body": {**defaults, **body},
    }, ensure_ascii=False)


class World:
    def __init__(self) -> None:
        self.cases = InMemoryCases()
        self.store = InMemoryInboundStore()
        self.publisher = FakePublisher()
        self.clock = FakeClock(datetime(2026, 11, 23, 10, 0, tzinfo=CHINA))
        self.orders = InMemoryOrders()
        self.events = RecordingEvents()
        ids = iter(range(1, 100))
        self.order_service = OrderService(orders=self.orders, warnings=InMemoryWarnings(), cases=self.cases, events=self.events,
                                          clock=self.clock, calendar=WeekdayCalendar(), new_id=lambda now: f"DB{next(ids):04d}")
        self.service = InboundService(store=self.store, cases=self.cases, catalog=FakeCatalog([ITEM, SAMPLE_ITEM], DEPARTMENTS),
                                      publisher=self.publisher, clock=self.clock, calendar=WeekdayCalendar(), orders=self.order_service)

    def case(self, entity: str = "ZJ-0001"):
        return self.cases.get(rules.reported_case_id("client-market", "market-zjxt", entity))


@pytest.fixture
def world() -> World:
    return World()


# --- pure rules ------------------------------------------------------------------------------------


def test_applicable_runs_up_to_the_first_gap_and_drops_what_is_applied_already():
    assert rules.applicable(0, [1, 2, 4]) == ([1, 2], [])
    assert rules.applicable(2, [1, 2, 3, 5]) == ([3], [1, 2])
    assert rules.applicable(1, [3, 4]) == ([], [])


def test_a_client_reports_only_for_the_departments_of_its_scopes():
    assert rules.reportable_departments(["exchange/report.echeng-market", "exchange/orders", "exchange/report."]) == {"echeng-market"}


def test_government_path_from_the_city_down():
    assert rules.government_path_of("420704001") == ("420700", "420704", "420704001")
    assert rules.government_path_of("420700") == ("420700",)


# --- reports -------------------------------------------------------------------------------------


def test_a_received_report_creates_a_supervised_case_with_its_step_deadline(world):
    ack = world.service.report(SYSTEM, message(1, "case_received"))
    case = world.case()
    assert (ack.status, ack.outcome, ack.case_id, ack.applied_sequence) == ("accepted", "applied", case.case_id, 1)
    assert case.source_system == "market-zjxt" and case.external_case_id == "ZJ-0001"
    assert case.status is CaseStatus.ACCEPT and case.flow is ITEM.flow and case.applicant.name == "张*"
    assert case.step_due_at is not None and case.next_alarm_at is not None  # the sweep watches it
    assert [e.action for e in world.publisher.published] == [rules.RECEIVE_ACTION]
    assert CaseSummary.of(case).source_system == "market-zjxt"  # staff pages mark it 对接系统上报


def test_a_duplicate_message_is_acknowledged_and_applied_once(world):
    world.service.report(SYSTEM, message(1, "case_received"))
    world.service.report(SYSTEM, message(2))
    again = world.service.report(SYSTEM, message(2))
    assert (again.status, again.outcome) == ("duplicate", "duplicate")
    assert len(world.cases.events[world.case().case_id]) == 2
    assert world.case().status is CaseStatus.HANDLE


def test_a_message_sent_again_after_a_failed_publication_is_published_again(world):
    world.service.report(SYSTEM, message(1, "case_received"))
    world.publisher.fail_next = True
    with pytest.raises(Unavailable):
        world.service.report(SYSTEM, message(2))
    assert world.case().status is CaseStatus.HANDLE and world.publisher.published[-1].action == rules.RECEIVE_ACTION
    assert world.service.report(SYSTEM, message(2)).status == "duplicate"
    assert world.publisher.published[-1].action == "accept"


def test_another_client_naming_the_same_platform_and_ids_cannot_touch_the_systems_case(world):
    world.service.report(SYSTEM, message(1, "case_received"))
    intruder = InboundClient.of("client-intruder", "exchange/report.market")
    forged = world.service.report(intruder, message(2, to_step="supplement", decision="request_supplement"))
    assert (forged.status, forged.outcome) == ("accepted", "held")  # its own stream, waiting for its own sequence 1
    assert world.service.report(SYSTEM, message(2)).outcome == "applied"  # the same message id, the system's own
    assert world.case().status is CaseStatus.HANDLE


def test_the_same_message_id_with_another_body_is_a_conflict(world):
    world.service.report(SYSTEM, message(1, "case_received"))
    with pytest.raises(Conflict):
        world.service.report(SYSTEM, message(1, "case_received", applicant_name="李*"))


def test_out_of_order_reports_are_held_and_applied_in_sequence(world):
    world.service.report(SYSTEM, message(1, "case_received"))
    held = world.service.report(SYSTEM, message(3, from_step="handle", decision="submit", to_step="review", actor_name="承办乙"))
    assert (held.outcome, held.waiting_for_sequence) == ("held", 2)
    assert world.case().status is CaseStatus.ACCEPT
    gaps = world.service.waiting(CITY_INSPECTOR, cursor=None, limit=10).items
    assert [(g.client_id, g.entity_id, g.sequence, g.message_type) for g in gaps] == [("client-market", "ZJ-0001", 3, "case_transitioned")]
    filled = world.service.report(SYSTEM, message(2))
    assert (filled.outcome, filled.applied_sequence) == ("applied", 3)
    assert world.service.waiting(CITY_INSPECTOR, cursor=None, limit=10).items == []
    case = world.case()
    assert case.status is CaseStatus.REVIEW and case.reported_sequence == 3
    assert [e.action for e in world.cases.events[case.case_id]] == [rules.RECEIVE_ACTION, "accept", "submit"]


def test_a_report_arriving_before_its_case_is_held_until_the_case_is_received(world):
    assert world.service.report(SYSTEM, message(2)).outcome == "held"
    assert world.case() is None
    assert world.service.report(SYSTEM, message(1, "case_received")).applied_sequence == 2
    assert world.case().status is CaseStatus.HANDLE


def test_a_late_report_of_an_applied_sequence_never_moves_the_case_back(world):
    world.service.report(SYSTEM, message(1, "case_received"))
    world.service.report(SYSTEM, message(2))
    late = world.service.report(SYSTEM, message(2, message_id="msg-late-0002", to_step="supplement", decision="request_supplement"))
    assert late.outcome == "stale"
    assert world.case().status is CaseStatus.HANDLE and world.case().reported_sequence == 2


def test_a_completed_report_closes_the_case_with_its_outcome(world):
    world.service.report(SYSTEM, message(1, "case_received", step="approve"))
    world.service.report(SYSTEM, message(2, "case_decided", from_step="approve", decision="approve", to_step="complete",
                                          decision_text="准予许可"))
    world.service.report(SYSTEM, message(3, "case_completed", result_text="已发证"))
    case = world.case()
    assert case.status is CaseStatus.COMPLETED and case.closed_at is not None and case.decision_text == "准予许可"
    assert case.next_alarm_at is None


def test_a_malformed_report_names_the_field_in_chinese_and_is_kept_not_applied(world):
    raw = message(1, "case_received")
    broken = json.loads(raw)
    del broken["body"]["item_code"]
    with pytest.raises(InvalidInput) as refused:
        world.service.report(SYSTEM, json.dumps(broken))
    assert refused.value.details["field"] == "body.item_code"
    assert "body.item_code" in refused.value.message and "缺少" in refused.value.message
    assert world.case() is None and world.store.messages == {}
    kept = world.store.kept[0]
    assert (kept.field, kept.client_id, kept.route) == ("body.item_code", "client-market", "/inbound/reports")


@pytest.mark.parametrize(("change", "field"), [
    (lambda m: m.update(sequence=0), "sequence"),
    (lambda m: m.update(message_type="case_lost"), "message_type"),
    (lambda m: m.update(occurred_at="2026-11-23 09:00"), "occurred_at"),
    (lambda m: m["body"].update(step="fly"), "body.step"),
    (lambda m: m["body"].update(item_code="420700-XK-9999"), "body.item_code"),
    (lambda m: m["body"].update(step="investigate"), "body.step"),  # not a step of the item's flow
    (lambda m: m.update(sequence=2), "sequence"),  # case_received is sequence 1, and only it
    (lambda m: m.update(government_id="420704"), "government_id"),  # the city's department, not the district's
])
def test_each_malformed_field_is_named(world, change, field):
    broken = json.loads(message(1, "case_received"))
    change(broken)
    with pytest.raises(InvalidInput) as refused:
        world.service.report(SYSTEM, json.dumps(broken))
    assert refused.value.details["field"] == field
    assert len(world.store.kept) == 1


def test_a_body_that_is_not_json_is_refused_and_kept(world):
    with pytest.raises(InvalidInput) as refused:
        world.service.report(SYSTEM, "{not json")
    assert refused.value.details["field"] == "body"
    assert world.store.kept[0].raw == "{not json"


def test_another_departments_report_is_refused(world):
    with pytest.raises(Forbidden):
        world.service.report(OTHER, message(1, "case_received"))
    assert world.case() is None and world.store.messages == {} and world.store.kept == []


def test_a_client_without_a_report_scope_is_refused_before_the_body_is_read(world):
    with pytest.raises(Forbidden):
        world.service.report(UPPER, "{not json")
    assert world.store.kept == []


def test_a_reported_case_overdue_gets_its_cards_from_the_deadline_sweep(world):
    world.service.report(SYSTEM, message(1, "case_received", step="handle"))
    warnings = InMemoryWarnings()
    sweep = DeadlineService(cases=world.cases, warnings=warnings, notifier=RecordingNotifier(), clock=world.clock)
    issued = sweep.check(world.case().case_id, world.clock.now() + timedelta(days=30))
    assert issued and {w.case_id for w in issued} == {world.case().case_id}


def test_a_step_reported_out_of_order_is_recorded_as_reported(world):
    """The entry keeps the step the system says it decided at, so the anomaly check sees the skip."""
    world.service.report(SYSTEM, message(1, "case_received"))
    world.service.report(SYSTEM, message(2, from_step="review", decision="pass", to_step="approve", actor_name="审核丙"))
    skipped = world.cases.events[world.case().case_id][-1]
    assert (skipped.from_state, skipped.to_state) == (CaseStatus.REVIEW, CaseStatus.APPROVE)
    assert world.case().step is Step.APPROVE


def test_inspectors_list_the_quarantine_and_others_may_not(world):
    with pytest.raises(InvalidInput):
        world.service.report(SYSTEM, "[]")
    page = world.service.quarantined(CITY_INSPECTOR, cursor=None, limit=10)
    assert [q.field for q in page.items] == ["body"]
    with pytest.raises(Forbidden):
        world.service.quarantined(Principal(user_id="h", name="李强", roles=frozenset({Role.HANDLER}), department_id="market"),
                                  cursor=None, limit=10)


# --- orders from above ---------------------------------------------------------------------------


def upstream(**overrides) -> str:
    return json.dumps({"message_id": "up-msg-0001", "upstream_order_id": "HB-DB-2026-001", "platform_id": "hubei",
                       "department_id": "market", "matter": "请核查市场监管局食品经营许可超期问题", "deadline_days": 5, **overrides},
                      ensure_ascii=False)


def test_an_order_from_above_lands_in_the_city_inspectors_inbox_once(world):
    order = world.service.order(UPPER, upstream())
    again = world.service.order(UPPER, upstream(message_id="up-msg-0002"))
    assert again.order_id == order.order_id
    assert (order.source_kind, order.upstream_order_id, order.department_id) == (SourceKind.UPSTREAM, "HB-DB-2026-001", "market")
    inbox = world.order_service.inbox(CITY_INSPECTOR, cursor=None, limit=10).items
    assert [(e.order.order_id, e.level) for e in inbox] == [(order.order_id, "upstream")]
    assert world.orders.inboxes[CITY_INSPECTORS]


def test_the_answer_and_conclusion_of_an_order_from_above_carry_the_upstream_id(world):
    order = world.service.order(UPPER, upstream())
    world.order_service.act(MARKET_OFFICE, order.order_id, OrderActionRequest(action=OrderAction.ANSWER, text="已核查并整改"))
    world.order_service.act(CITY_INSPECTOR, order.order_id,
                            OrderActionRequest(action=OrderAction.CONCLUDE, conclusion=OrderConclusion.CORRECTED))
    facts = {kind: fact for kind, fact, _ in world.events.published}
    assert facts[SUPERVISION_ORDER_ANSWERED]["upstream_order_id"] == "HB-DB-2026-001"
    assert facts[SUPERVISION_ORDER_ANSWERED]["answer"] == "已核查并整改"
    assert facts[SUPERVISION_ORDER_CONCLUDED]["upstream_order_id"] == "HB-DB-2026-001"


def test_an_order_needs_the_orders_scope_and_a_department_or_case(world):
    with pytest.raises(Forbidden):
        world.service.order(SYSTEM, upstream())
    with pytest.raises(InvalidInput) as refused:
        world.service.order(UPPER, upstream(department_id=None))
    assert refused.value.details["field"] == "department_id"
    with pytest.raises(InvalidInput) as missing:
        world.service.order(UPPER, upstream(matter=None))
    assert missing.value.details["field"] == "matter"
    assert [q.route for q in world.store.kept] == ["/inbound/orders", "/inbound/orders"]


# --- the samples in events/inbound ---------------------------------------------------------------

SAMPLES = Path(__file__).resolve().parents[2] / "events" / "inbound"


def test_the_report_samples_are_accepted_and_applied_in_order(world):
    for name in ("case_received", "case_transitioned", "case_decided", "case_completed"):
        ack = world.service.report(SYSTEM, (SAMPLES / f"{name}.json").read_text(encoding="utf-8"))
        assert ack.outcome == "applied", name
    case = world.cases.get(rules.reported_case_id("client-market", "market-zjxt", "ZJ20261123001"))
    assert case.status is CaseStatus.COMPLETED and case.result_text == "已发放许可证"


def test_the_order_sample_is_received(world):
    order = world.service.order(UPPER, (SAMPLES / "order.json").read_text(encoding="utf-8"))
    assert order.upstream_order_id == "HB-DB-2026-0117"


def test_a_quarantined_message_names_its_sender_only_by_the_catalogs_names():
    from sunlight.rules.inbound import sender_of

    governments, departments = {"420704": "鄂城区"}, {"echeng-market": "鄂城区市场监督管理局"}
    whole = json.dumps({"government_id": "420704", "body": {"department_id": "echeng-market"}})
    assert sender_of(whole, governments, departments) == "鄂城区 · 鄂城区市场监督管理局"
    assert sender_of(json.dumps({"government_id": "420704", "body": "x"}), governments, departments) == "鄂城区"
    assert sender_of(json.dumps({"government_id": "<script>", "body": {"department_id": "evil"}}), governments, departments) == ""
    assert sender_of("{not json", governments, departments) == ""
    assert sender_of("[1, 2]", governments, departments) == ""
