"""Contracts of the ports stored in the Supervision table: supervision orders, complaints and
their notifications, satisfaction ratings and session revocation marks, each against its fake and
its DynamoDB adapter. Listings shared by the whole city (the city's queue, statuses, the alarm
partition) hold other tests' records too, so those tests look only at their own."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta

import boto3
import pytest

from sunlight.adapters.dynamodb_evaluation import DynamoEvaluationRepository
from sunlight.adapters.dynamodb_orders import DynamoOrderRepository
from sunlight.adapters.dynamodb_sessions import DynamoSessionRevocations
from sunlight.adapters.dynamodb_social import (
    DynamoComplaintRepository,
    DynamoNotificationRepository,
    DynamoRatingRepository,
    DynamoSurveyRepository,
)
from sunlight.models.complaints import Complaint, ComplaintStatus, Notification
from sunlight.models.evaluation import Figures, Weights
from sunlight.models.orders import Escalation, OrderStatus, Responsibility, SourceKind, SupervisionOrder
from sunlight.models.satisfaction import SatisfactionRating
from sunlight.models.surveys import QuestionKind, Survey, SurveyOption, SurveyQuestion, SurveyStatus, TextAnswer
from sunlight.services.ports import (
    ComplaintRepository,
    ConcurrentModification,
    DuplicateOrderRequest,
    DuplicateRequest,
    EvaluationRepository,
    FactEntry,
    FactRecord,
    IdempotencyRecord,
    NotificationRepository,
    OrderRepository,
    RatingRepository,
    SessionRevocations,
    SurveyRepository,
)
from tests.fakes.evaluation import InMemoryEvaluation
from tests.fakes.orders import InMemoryOrders
from tests.fakes.social import InMemoryComplaints, InMemoryNotifications, InMemoryRatings, InMemorySurveys
from tests.fakes.users import InMemorySessionRevocations

from .conftest import IMPLEMENTATIONS, read_all

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)


def supervision_table(request) -> tuple[object, str]:
    stack = request.getfixturevalue("aws_resources")
    return boto3.client("dynamodb"), stack["SupervisionTableName"]


# -- supervision orders ------------------------------------------------------------------------


@pytest.fixture(params=IMPLEMENTATIONS)
def orders(request) -> OrderRepository:
    if request.param == "fake":
        return InMemoryOrders()
    return DynamoOrderRepository(*supervision_table(request))


def an_order(unique: str, n: int, *, issued: datetime = NOW, department: str | None = None) -> SupervisionOrder:
    return SupervisionOrder(
        order_id=f"DB{unique}{n:02d}", department_id=department or f"dept{unique}", source_kind=SourceKind.CASE,
        source_id=f"SL{unique}{n:02d}", case_id=f"SL{unique}{n:02d}", matter="请说明超时原因", deadline_days=5,
        issued_by_id="inspector-1", issued_by_name="王监察", issued_at=issued,
        due_at=issued + timedelta(days=7), red_at=issued + timedelta(days=14),
    )


def responsible(order: SupervisionOrder, user_id: str, at: datetime) -> SupervisionOrder:
    return order.model_copy(update={
        "status": OrderStatus.RESPONSIBILITY_ESTABLISHED, "version": order.version + 1,
        "responsibility": Responsibility(staff_user_id=user_id, staff_name="张三", finding="未按时受理",
                                         established_by="inspector-1", established_at=at),
    })


def test_an_order_reads_back_and_its_idempotency_key_names_it(orders, unique):
    order = an_order(unique, 1)
    assert orders.get(order.order_id) is None
    key = IdempotencyRecord(owner_id=f"inspector-{unique}", key="k-1", case_id=order.order_id, fingerprint="f-1")
    orders.create(order, key)
    assert orders.get(order.order_id) == order
    other = an_order(unique, 2)
    with pytest.raises(DuplicateOrderRequest) as raised:
        orders.create(other, IdempotencyRecord(owner_id=key.owner_id, key="k-1", case_id=other.order_id, fingerprint="f-2"))
    assert (raised.value.order_id, raised.value.fingerprint) == (order.order_id, "f-1")
    assert orders.get(other.order_id) is None


def test_save_holds_only_on_the_expected_version(orders, unique):
    order = an_order(unique, 1)
    orders.create(order, None)
    changed = responsible(order, f"staff-{unique}", NOW + timedelta(days=1))
    with pytest.raises(ConcurrentModification):
        orders.save(changed, expected_version=2, previous=order)
    assert orders.get(order.order_id) == order
    orders.save(changed, expected_version=1, previous=order)
    assert orders.get(order.order_id) == changed


def test_department_and_city_listings_are_newest_first_by_status(orders, unique):
    mine = [an_order(unique, n, issued=NOW + timedelta(hours=n)) for n in range(5)]
    for order in mine:
        orders.create(order, None)
    orders.create(elsewhere := an_order(unique, 9, issued=NOW + timedelta(hours=9), department=f"other{unique}"), None)
    orders.save(answered := mine[1].model_copy(update={"status": OrderStatus.ANSWERED, "version": 2, "answer": "已整改"}),
                expected_version=1, previous=mine[1])
    newest_first = [o.order_id for o in reversed(mine)]
    for limit in (1, 2, 10):
        assert [o.order_id for o in read_all(
            lambda **page: orders.for_department(f"dept{unique}", status=None, **page), limit)] == newest_first
        assert [o.order_id for o in read_all(
            lambda **page: orders.for_department(f"dept{unique}", status="answered", **page), limit)] == [answered.order_id]
    ours = {o.order_id for o in mine} | {elsewhere.order_id}
    city = [o.order_id for o in read_all(lambda **page: orders.list_all(status=None, **page), 50) if o.order_id in ours]
    assert city == [elsewhere.order_id, *newest_first]


def test_orders_naming_a_person_come_newest_finding_first(orders, unique):
    staff = f"staff-{unique}"
    first, second, third = (an_order(unique, n) for n in range(3))
    for order in (first, second, third):
        orders.create(order, None)
    orders.save(responsible(first, staff, NOW + timedelta(days=1)), expected_version=1, previous=first)
    orders.save(responsible(second, staff, NOW + timedelta(days=2)), expected_version=1, previous=second)
    orders.save(responsible(third, f"someone-{unique}", NOW + timedelta(days=3)), expected_version=1, previous=third)
    for limit in (1, 5):
        assert [o.order_id for o in read_all(lambda **page: orders.naming(staff, **page), limit)] == [
            second.order_id, first.order_id]


def test_unanswered_orders_fall_due_earliest_first_and_leave_once_answered(orders, unique):
    early, late = an_order(unique, 1, issued=NOW - timedelta(days=30)), an_order(unique, 2, issued=NOW - timedelta(days=20))
    orders.create(late, None)
    orders.create(early, None)
    orders.create(not_yet := an_order(unique, 3, issued=NOW), None)
    ours = {early.order_id, late.order_id, not_yet.order_id}
    assert [i for i in orders.due(NOW, limit=1000) if i in ours] == [early.order_id, late.order_id]
    orders.save(early.model_copy(update={"status": OrderStatus.ANSWERED, "version": 2, "answer": "已整改"}),
                expected_version=1, previous=early)
    assert [i for i in orders.due(NOW, limit=1000) if i in ours] == [late.order_id]


def test_escalations_reach_the_inbox_newest_first(orders, unique):
    leader, inspectors = f"dept{unique}#leader", f"city{unique}#inspector"
    first, second = an_order(unique, 1), an_order(unique, 2)
    for order in (first, second):
        orders.create(order, None)
    to_leader = first.model_copy(update={"version": 2, "escalations": (
        Escalation(level="leader", at=NOW + timedelta(days=8), recipient=leader),)})
    orders.save(to_leader, expected_version=1, previous=first, inbox=(leader,))
    both = second.model_copy(update={"version": 2, "escalations": (
        Escalation(level="leader", at=NOW + timedelta(days=9), recipient=leader),
        Escalation(level="city", at=NOW + timedelta(days=15), recipient=inspectors))})
    orders.save(both, expected_version=1, previous=second, inbox=(leader, inspectors))
    entries = read_all(lambda **page: orders.inbox(leader, **page), 1)
    assert [(e.order.order_id, e.level, e.at, e.recipient) for e in entries] == [
        (second.order_id, "leader", NOW + timedelta(days=9), leader),
        (first.order_id, "leader", NOW + timedelta(days=8), leader),
    ]
    assert [e.order for e in entries] == [both, to_leader]
    assert [(e.order.order_id, e.level) for e in read_all(lambda **page: orders.inbox(inspectors, **page), 5)] == [
        (second.order_id, "city")]


# -- complaints and notifications --------------------------------------------------------------


@pytest.fixture(params=IMPLEMENTATIONS)
def social(request) -> tuple[ComplaintRepository, NotificationRepository]:
    if request.param == "fake":
        notifications = InMemoryNotifications()
        return InMemoryComplaints(notifications), notifications
    table = supervision_table(request)
    return DynamoComplaintRepository(*table), DynamoNotificationRepository(*table)


def a_complaint(unique: str, n: int, *, filed: datetime = NOW, due: date | None = date(2026, 12, 1),
                status: ComplaintStatus = ComplaintStatus.FILED, complainant: str | None = None) -> Complaint:
    return Complaint(
        complaint_id=f"TS{unique}{n:02d}", complainant_id=complainant or f"citizen-{unique}", complainant_name="李华",
        anonymous=False, case_id=None, department_id=f"dept{unique}", department_name="市市场监督管理局",
        title="办理超时", content="窗口未按承诺时限办结", status=status, filed_at=filed, updated_at=filed, due_on=due,
    )


def a_notification(user_id: str, notification_id: str, title: str = "投诉已受理") -> Notification:
    return Notification(notification_id=notification_id, user_id=user_id, at=NOW, title=title, body="您的投诉已受理",
                        subject_id="TS1")


def test_a_complaint_is_created_with_its_notification_once_per_key(social, unique):
    complaints, notifications = social
    complaint = a_complaint(unique, 1)
    assert complaints.get(complaint.complaint_id) is None
    key = IdempotencyRecord(owner_id=complaint.complainant_id, key="k-1", case_id=complaint.complaint_id, fingerprint="f-1")
    notice = a_notification(complaint.complainant_id, f"2026-11-23T01:00#{unique}")
    complaints.create(complaint, notice, key)
    assert complaints.get(complaint.complaint_id) == complaint
    assert read_all(lambda **page: notifications.for_user(complaint.complainant_id, **page), 5) == [notice]
    other = a_complaint(unique, 2)
    with pytest.raises(DuplicateRequest) as raised:
        complaints.create(other, notice, IdempotencyRecord(owner_id=key.owner_id, key="k-1", case_id=other.complaint_id,
                                                           fingerprint="f-2"))
    assert (raised.value.case_id, raised.value.fingerprint) == (complaint.complaint_id, "f-1")
    assert complaints.get(other.complaint_id) is None


def test_a_complaint_id_cannot_be_created_twice(social, unique):
    complaints, _ = social
    complaint = a_complaint(unique, 1)
    complaints.create(complaint, a_notification(complaint.complainant_id, f"N{unique}1"), None)
    with pytest.raises(ConcurrentModification):
        complaints.create(complaint.model_copy(update={"title": "另一件事"}),
                          a_notification(complaint.complainant_id, f"N{unique}2"), None)
    assert complaints.get(complaint.complaint_id) == complaint


def test_save_moves_the_complaint_between_queues_on_its_version(social, unique):
    complaints, notifications = social
    filed = a_complaint(unique, 1)
    complaints.create(filed, a_notification(filed.complainant_id, f"N{unique}1"), None)
    department = f"dept{unique}"
    assert read_all(lambda **page: complaints.queue(department, **page), 5) == []  # not dispatched yet
    dispatched = filed.model_copy(update={"status": ComplaintStatus.DISPATCHED, "due_on": date(2026, 12, 10), "version": 2})
    with pytest.raises(ConcurrentModification):
        complaints.save(dispatched, expected_version=2, previous=filed, notification=None)
    notice = a_notification(filed.complainant_id, f"N{unique}2", "投诉已转交")
    complaints.save(dispatched, expected_version=1, previous=filed, notification=notice)
    assert complaints.get(filed.complaint_id) == dispatched
    assert read_all(lambda **page: complaints.queue(department, **page), 5) == [dispatched]
    city = [c for c in read_all(lambda **page: complaints.queue("city", **page), 100) if c.complaint_id == filed.complaint_id]
    assert city == [dispatched]  # moved, not copied
    assert notice in read_all(lambda **page: notifications.for_user(filed.complainant_id, **page), 5)
    ours = [c for c in read_all(lambda **page: complaints.by_status("dispatched", **page), 100)
            if c.complaint_id == filed.complaint_id]
    assert ours == [dispatched]
    assert [c for c in read_all(lambda **page: complaints.by_status("filed", **page), 100)
            if c.complaint_id == filed.complaint_id] == []


def test_queues_come_earliest_due_first_closed_last(social, unique):
    complaints, _ = social
    made = [
        a_complaint(unique, 1, due=date(2026, 12, 9), status=ComplaintStatus.DISPATCHED),
        a_complaint(unique, 2, due=None, status=ComplaintStatus.CONCLUDED),
        a_complaint(unique, 3, due=date(2026, 12, 2), status=ComplaintStatus.ANSWERED),
        a_complaint(unique, 4, due=date(2026, 12, 1), status=ComplaintStatus.ACCEPTED),  # not the department's yet
    ]
    for complaint in made:
        complaints.create(complaint, a_notification(complaint.complainant_id, f"N{complaint.complaint_id}"), None)
    expected = [made[2].complaint_id, made[0].complaint_id, made[1].complaint_id]
    for limit in (1, 10):
        assert [c.complaint_id for c in read_all(lambda **page: complaints.queue(f"dept{unique}", **page), limit)] == expected
    ours = {c.complaint_id for c in made}
    assert [c.complaint_id for c in read_all(lambda **page: complaints.queue("city", **page), 100) if c.complaint_id in ours] == [
        made[3].complaint_id, *expected]


def test_a_complainants_complaints_come_newest_first(social, unique):
    complaints, _ = social
    made = [a_complaint(unique, n, filed=NOW + timedelta(hours=n)) for n in range(4)]
    for complaint in made:
        complaints.create(complaint, a_notification(complaint.complainant_id, f"N{complaint.complaint_id}"), None)
    complaints.create(other := a_complaint(unique, 9, complainant=f"someone-{unique}"),
                      a_notification(f"someone-{unique}", f"N{unique}9"), None)
    for limit in (1, 3):
        assert read_all(lambda **page: complaints.by_complainant(f"citizen-{unique}", **page), limit) == list(reversed(made))
    assert read_all(lambda **page: complaints.by_complainant(f"someone-{unique}", **page), 3) == [other]


def test_notifications_are_stored_once_per_id_newest_first_and_marked_read(social, unique):
    _, notifications = social
    user = f"citizen-{unique}"
    older, newer = a_notification(user, "2026-11-23T01:00:00#a"), a_notification(user, "2026-11-24T01:00:00#b")
    notifications.add(older)
    notifications.add(newer)
    notifications.add(a_notification(user, older.notification_id, "重复投递"))  # a retried grant
    assert read_all(lambda **page: notifications.for_user(user, **page), 1) == [newer, older]
    assert notifications.mark_read(user, older.notification_id) == older.model_copy(update={"read": True})
    assert notifications.mark_read(user, older.notification_id) == older.model_copy(update={"read": True})
    assert notifications.mark_read(user, "2026-01-01T00:00:00#missing") is None
    assert notifications.mark_read(f"someone-{unique}", newer.notification_id) is None
    assert read_all(lambda **page: notifications.for_user(user, **page), 5) == [newer, older.model_copy(update={"read": True})]


# -- satisfaction ratings ----------------------------------------------------------------------


@pytest.fixture(params=IMPLEMENTATIONS)
def ratings(request) -> RatingRepository:
    if request.param == "fake":
        return InMemoryRatings()
    return DynamoRatingRepository(*supervision_table(request))


def test_a_case_is_rated_once(ratings, unique):
    rating = SatisfactionRating(case_id=f"SL{unique}", item_code="420700-XK-0201", item_name="食品经营许可",
                                department_id=f"dept{unique}", rater_id="citizen-1", score=4, comment="办事快", rated_at=NOW)
    assert ratings.get(rating.case_id) is None
    assert ratings.add(rating) is True
    assert ratings.add(rating.model_copy(update={"rated_at": NOW + timedelta(days=1)})) is False
    assert ratings.get(rating.case_id) == rating


# -- session revocation marks ------------------------------------------------------------------


@pytest.fixture(params=IMPLEMENTATIONS)
def revocations(request) -> SessionRevocations:
    if request.param == "fake":
        return InMemorySessionRevocations()
    return DynamoSessionRevocations(*supervision_table(request))


def test_the_revocation_mark_only_moves_forward(revocations, unique):
    user = f"user-{unique}"
    assert revocations.revoked_before(user) is None
    revocations.revoke(user, 1_000, "disabled")
    assert revocations.revoked_before(user) == 1_000
    revocations.revoke(user, 900, "password reset")  # an older action arriving late
    assert revocations.revoked_before(user) == 1_000
    revocations.revoke(user, 1_000, "signed out")
    assert revocations.revoked_before(user) == 1_000
    revocations.revoke(user, 2_000, "roles changed")
    assert revocations.revoked_before(user) == 2_000
    assert revocations.revoked_before(f"other-{unique}") is None


# -- performance evaluation: facts, counters, drill-down, weights ------------------------------

_MONTHS = itertools.count(1)


@pytest.fixture(params=IMPLEMENTATIONS)
def evaluation(request) -> EvaluationRepository:
    if request.param == "fake":
        return InMemoryEvaluation()
    return DynamoEvaluationRepository(*supervision_table(request))


@pytest.fixture
def month() -> str:
    """A month no other test of the module counts in (the adapters' counters are shared)."""
    n = next(_MONTHS)
    return f"{2040 + n // 12}-{n % 12 + 1:02d}"


def a_fact(month: str, subject: str, *, department: str = "market", item: str | None = "420700-XK-0201",
           metrics: tuple[str, ...] = ("received",), increments: dict[str, int] | None = None) -> FactEntry:
    return FactEntry(
        event_id=f"evt-{subject}", department_id=department, month=month, subject_id=subject, item_code=item,
        metrics=metrics, increments=increments if increments is not None else {"received": 1},
        occurred_at=NOW, details={"case_name": "食品经营许可"},
    )


def test_a_fact_counts_once_for_its_department_and_item(evaluation, month):
    done = a_fact(month, "SL0001", metrics=("completed", "on_time"), increments={"completed": 1, "on_time": 1, "days_used": 4})
    assert evaluation.record_fact(a_fact(month, "SL0001")) is True
    assert evaluation.record_fact(a_fact(month, "SL0001")) is False  # a redelivered event
    assert evaluation.record_fact(done) is True
    assert evaluation.record_fact(a_fact(month, "SL0002", department="planning", item=None)) is True
    assert evaluation.month_figures(month) == {
        "market": Figures(received=1, completed=1, on_time=1, days_used=4), "planning": Figures(received=1)}
    assert evaluation.month_item_figures(month) == {("market", "420700-XK-0201"): Figures(received=1, completed=1, on_time=1, days_used=4)}
    assert evaluation.month_item_figures(month, "planning") == {}
    assert evaluation.month_figures(f"{month}x") == {}


def test_a_revoked_fact_stops_counting_and_a_revocation_before_its_fact_keeps_it_out(evaluation, month):
    fact = a_fact(month, "SL0001")
    evaluation.record_fact(fact)
    assert evaluation.revoke_fact(fact) is True
    assert evaluation.revoke_fact(fact) is False
    assert evaluation.month_figures(month)["market"] == Figures()
    early = a_fact(month, "SL0002")
    assert evaluation.revoke_fact(early) is True
    assert evaluation.record_fact(early) is False  # the fact arriving after its revocation never counts
    assert evaluation.month_figures(month)["market"] == Figures()
    assert read_all(lambda **page: evaluation.fact_records("market", month, "received", **page), 5) == []


def test_the_records_behind_a_figure_exclude_revoked_ones(evaluation, month):
    facts = [a_fact(month, f"SL{n:04d}") for n in (3, 1, 4, 2)]
    for fact in facts:
        evaluation.record_fact(fact)
    evaluation.revoke_fact(facts[2])
    for limit in (1, 2, 10):
        records = read_all(lambda **page: evaluation.fact_records("market", month, "received", **page), limit)
        assert [r.subject_id for r in records] == ["SL0001", "SL0002", "SL0003"]  # in subject id order
    assert records[0] == FactRecord(metric="received", subject_id="SL0001", event_id="evt-SL0001", occurred_at=NOW,
                                    item_code="420700-XK-0201", details={"case_name": "食品经营许可"})


def test_weights_are_replaced_only_at_their_version(evaluation):
    assert evaluation.get_weights() is None
    first = Weights.default().model_copy(update={"version": 1, "updated_by": "admin-1", "updated_at": NOW, "note": "首次设置"})
    with pytest.raises(ConcurrentModification):
        evaluation.put_weights(first, expected_version=1)
    evaluation.put_weights(first, expected_version=0)
    assert evaluation.get_weights() == first
    second = first.model_copy(update={"version": 2, "note": "调整"})
    with pytest.raises(ConcurrentModification):
        evaluation.put_weights(second, expected_version=0)
    evaluation.put_weights(second, expected_version=1)
    assert evaluation.get_weights() == second


# -- surveys -----------------------------------------------------------------------------------


@pytest.fixture(params=IMPLEMENTATIONS)
def surveys(request) -> SurveyRepository:
    if request.param == "fake":
        return InMemorySurveys()
    return DynamoSurveyRepository(*supervision_table(request))


def a_survey(unique: str, n: int = 1, *, closes_on: date = date(2026, 12, 31),
             status: SurveyStatus = SurveyStatus.PUBLISHED) -> Survey:
    return Survey(
        survey_id=f"WJ{unique}{n:02d}", title="政务服务满意度调查", opens_on=date(2026, 11, 1), closes_on=closes_on,
        questions=(
            SurveyQuestion(question_id="q1", kind=QuestionKind.SINGLE, title="总体是否满意",
                           options=(SurveyOption(option_id="o1", label="满意"), SurveyOption(option_id="o2", label="不满意"))),
            SurveyQuestion(question_id="q2", kind=QuestionKind.TEXT, title="意见建议", required=False),
        ),
        status=status, created_by="admin-1", created_at=NOW,
    )


def test_a_survey_is_created_once_per_id_and_per_idempotency_key(surveys, unique):
    survey = a_survey(unique)
    assert surveys.get(survey.survey_id) is None
    key = IdempotencyRecord(owner_id="admin-1", key=f"k-{unique}", case_id=survey.survey_id, fingerprint="f-1")
    surveys.create(survey, key)
    assert surveys.get(survey.survey_id) == survey
    other = a_survey(unique, 2)
    with pytest.raises(DuplicateRequest) as raised:
        surveys.create(other, IdempotencyRecord(owner_id="admin-1", key=f"k-{unique}", case_id=other.survey_id, fingerprint="f-2"))
    assert (raised.value.case_id, raised.value.fingerprint) == (survey.survey_id, "f-1")
    with pytest.raises(ConcurrentModification):
        surveys.create(survey.model_copy(update={"title": "另一份问卷"}), None)
    assert surveys.get(survey.survey_id) == survey


def test_save_holds_only_on_the_expected_version_and_moves_the_listing(surveys, unique):
    draft = a_survey(unique, status=SurveyStatus.DRAFT)
    surveys.create(draft, None)
    published = draft.model_copy(update={"status": SurveyStatus.PUBLISHED, "published_at": NOW, "version": 2})
    with pytest.raises(ConcurrentModification):
        surveys.save(published, expected_version=2, previous_status="draft")
    surveys.save(published, expected_version=1, previous_status="draft")
    assert surveys.get(draft.survey_id) == published

    def listed(status: str) -> list[str]:
        found = read_all(lambda **page: surveys.by_status(status, closing_from=None, **page), 100)
        return [s.survey_id for s in found if s.survey_id == draft.survey_id]

    assert (listed("draft"), listed("published")) == ([], [draft.survey_id])


def test_surveys_of_a_status_come_earliest_closing_first(surveys, unique):
    made = [a_survey(unique, n, closes_on=closes) for n, closes in
            ((1, date(2027, 3, 1)), (2, date(2027, 1, 15)), (3, date(2027, 2, 1)))]
    for survey in made:
        surveys.create(survey, None)
    ours = {s.survey_id for s in made}
    for limit in (1, 100):
        listed = read_all(lambda **page: surveys.by_status("published", closing_from=None, **page), limit)
        assert [s.survey_id for s in listed if s.survey_id in ours] == [made[1].survey_id, made[2].survey_id, made[0].survey_id]
    later = read_all(lambda **page: surveys.by_status("published", closing_from=date(2027, 2, 1), **page), 100)
    assert [s.survey_id for s in later if s.survey_id in ours] == [made[2].survey_id, made[0].survey_id]


def test_each_user_answers_once_and_the_counters_add_up(surveys, unique):
    survey = a_survey(unique)
    surveys.create(survey, None)
    first = TextAnswer(question_id="q2", text="窗口服务很好", answered_at=NOW)
    second = TextAnswer(question_id="q2", text="希望延长办公时间", answered_at=NOW + timedelta(hours=1))
    assert surveys.add_answer(survey, "citizen-1", ["q1_o1"], [first], NOW) is True
    assert surveys.add_answer(survey, "citizen-1", ["q1_o2"], [], NOW + timedelta(minutes=1)) is False
    assert surveys.add_answer(survey, "citizen-2", ["q1_o1"], [second], NOW + timedelta(hours=1)) is True
    assert surveys.add_answer(survey, "citizen-3", ["q1_o2"], [], NOW + timedelta(hours=2)) is True
    assert surveys.counters(survey.survey_id) == {"answers": 3, "q1_o1": 2, "q1_o2": 1}
    assert surveys.counters(f"WJ{unique}99") == {}
    for limit in (1, 5):
        assert read_all(lambda **page: surveys.text_answers(survey.survey_id, "q2", **page), limit) == [second, first]


def test_answers_are_refused_once_the_survey_is_no_longer_published(surveys, unique):
    survey = a_survey(unique)
    surveys.create(survey, None)
    closed = survey.model_copy(update={"status": SurveyStatus.CLOSED, "closed_at": NOW, "version": 2})
    surveys.save(closed, expected_version=1, previous_status="published")
    with pytest.raises(ConcurrentModification):
        surveys.add_answer(survey, "citizen-1", ["q1_o1"], [], NOW)  # the caller's copy is stale
    assert surveys.counters(survey.survey_id) == {}
    with pytest.raises(ConcurrentModification):
        surveys.add_answer(a_survey(unique, 9), "citizen-1", ["q1_o1"], [], NOW)  # never created


def test_orders_issued_at_the_same_moment_list_by_id_descending(orders, unique):
    """Newest first breaks ties as the index's sort key "{time}#{id}" does (a batch issued at once)."""
    for n in (1, 3, 2):
        orders.create(an_order(unique, n), None)
    assert [o.order_id for o in read_all(lambda **page: orders.for_department(f"dept{unique}", status=None, **page), 10)] == [
        f"DB{unique}03", f"DB{unique}02", f"DB{unique}01"]


def test_complaints_filed_at_the_same_moment_list_by_id_descending(social, unique):
    complaints, _ = social
    for n in (1, 3, 2):
        complaint = a_complaint(unique, n)
        complaints.create(complaint, a_notification(complaint.complainant_id, f"N{complaint.complaint_id}"), None)
    assert [c.complaint_id for c in read_all(lambda **page: complaints.by_complainant(f"citizen-{unique}", **page), 10)] == [
        f"TS{unique}03", f"TS{unique}02", f"TS{unique}01"]
