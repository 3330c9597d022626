"""Scores, snapshots, rankings, roles, drill-down, weights and statistics on in-memory fakes."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime, timedelta, timezone

import pytest

from sunlight.models.evaluation import DEFAULT_WEIGHTS, Indicator, Metric, WeightsRequest
from sunlight.models.exchange import EVALUATION_SNAPSHOT_TAKEN
from sunlight.models.roles import Principal, Role
from sunlight.rules.exchange import EXCHANGED_DETAIL_TYPES, message_for
from sunlight.rules.periods import Granularity, Period
from sunlight.services import exports
from sunlight.services.errors import Conflict, Forbidden, InvalidInput, NotFound
from sunlight.services.evaluation import Dimension, EvaluationService
from sunlight.services.ports import FactEntry
from tests.fakes.cases import FakeClock, FakePublisher
from tests.fakes.catalog import InMemoryCatalogRepository, make_department, make_item
from tests.fakes.evaluation import InMemoryEvaluation

CST = timezone(timedelta(hours=8))
ADMIN = Principal(user_id="a", name="谢文博", roles=frozenset({Role.ADMIN}))
CITY_INSPECTOR = Principal(user_id="i", name="郑国华", roles=frozenset({Role.INSPECTOR}), government_id="420700")
MARKET_LEADER = Principal(user_id="l", name="刘建国", roles=frozenset({Role.LEADER}), department_id="market")
MARKET_HANDLER = Principal(user_id="h", name="李强", roles=frozenset({Role.HANDLER}), department_id="market")


class World:
    def __init__(self) -> None:
        self.clock = FakeClock(datetime(2026, 11, 20, 10, 0, tzinfo=CST))
        self.facts = InMemoryEvaluation()
        self.catalog = InMemoryCatalogRepository(
            [make_department("market", "市市场监督管理局"), make_department("planning", "市自然资源和规划局")],
            [make_item("420700-XK-0201", "market", form_fields=[{"field_id": "n", "label": "名称"}]),
             make_item("420700-QR-0101", "planning", category="行政确认")],
        )
        self.events = FakePublisher()
        self.service = EvaluationService(evaluation=self.facts, catalog=self.catalog, clock=self.clock, events=self.events)
        self._n = 0

    def case(self, month: str, department: str, *, on_time: bool = True, item: str | None = None) -> str:
        """A received and completed case, as the consumer counts it."""
        self._n += 1
        case_id = f"SL{self._n:04d}"
        at = datetime.fromisoformat(f"{month}-10T10:00:00+08:00")
        item = item or ("420700-XK-0201" if department == "market" else "420700-QR-0101")
        metrics = ("received", "completed", "closed_completed", "on_time" if on_time else "overdue")
        self.facts.record_fact(FactEntry(
            event_id=f"{case_id}#9", department_id=department, month=month, subject_id=case_id, item_code=item,
            metrics=metrics, increments={m: 1 for m in metrics} | {"days_used": 5, "days_promised": 10},
            occurred_at=at, details={"case_id": case_id}))
        return case_id


def test_live_rankings_are_provisional_and_ranked():
    world = World()
    for _ in range(3):
        world.case("2026-11", "market")
    world.case("2026-11", "planning", on_time=False)
    result = world.service.rankings(CITY_INSPECTOR, None)
    assert result.period == "2026-11" and result.provisional and result.closed_at is None
    assert [(r.department_id, r.rank) for r in result.rows] == [("market", 1), ("planning", 2)]
    assert result.rows[0].sub_scores[Indicator.ON_TIME] == 100.0 and result.rows[1].sub_scores[Indicator.ON_TIME] == 0.0


def test_close_stores_a_snapshot_once_and_later_edits_never_change_it():
    world = World()
    world.case("2026-10", "market")
    world.case("2026-10", "planning", on_time=False)
    with pytest.raises(Conflict, match="尚未结束"):
        world.service.close(Period.parse("2026-11"))
    first = world.service.close(Period.parse("2026-10"))
    assert first.created and first.snapshot.weights.version == 0
    stored = world.facts.snapshots["2026-10"]

    # A late fact for October, and new weights, after the close:
    world.case("2026-10", "planning", on_time=True)
    world.service.put_weights(ADMIN, WeightsRequest(weights={**DEFAULT_WEIGHTS, Indicator.ON_TIME: 5, Indicator.DISCLOSURE: 25}))
    again = world.service.close(Period.parse("2026-10"))
    assert not again.created and again.snapshot == stored == world.facts.snapshots["2026-10"]
    ranking = world.service.rankings(CITY_INSPECTOR, "2026-10")
    assert not ranking.provisional and ranking.weights_version == 0
    assert [r.total for r in ranking.rows] == [d.total for d in stored.departments]
    # The live figures do see the late fact.
    assert world.service.compute(Period.parse("2026-10"))[1].figures.completed == 2


def test_closing_a_period_publishes_its_scores_and_a_rerun_publishes_the_same_fact():
    world = World()
    world.case("2026-10", "market")
    world.case("2026-10", "planning", on_time=False)
    first = world.service.close(Period.parse("2026-10"))
    assert [t for t, _ in world.events.details] == [EVALUATION_SNAPSHOT_TAKEN]
    fact = world.events.details[0][1]
    assert fact.period == "2026-10" and fact.closed_at == first.snapshot.closed_at
    assert [(s.department_id, s.score, s.rank) for s in fact.scores] == [
        (d.department_id, d.total, d.rank) for d in first.snapshot.departments]
    assert [s.department_id for s in fact.scores] == ["market", "planning"] and fact.scores[0].score > fact.scores[1].score

    # Later: a late fact, new weights, another clock; the rerun republishes the stored snapshot.
    world.case("2026-10", "planning", on_time=True)
    world.service.put_weights(ADMIN, WeightsRequest(weights={**DEFAULT_WEIGHTS, Indicator.ON_TIME: 5, Indicator.DISCLOSURE: 25}))
    world.clock.current += timedelta(days=3)
    world.service.close(Period.parse("2026-10"))
    assert len(world.events.details) == 2
    again = world.events.details[1][1]
    assert again.event_id == fact.event_id and again.model_dump() == fact.model_dump()
    # Another period is another fact; the outbox rule listens to it and maps it to one message id.
    world.service.close(Period.parse("2026-09"))
    assert world.events.details[2][1].event_id != fact.event_id
    assert EVALUATION_SNAPSHOT_TAKEN in EXCHANGED_DETAIL_TYPES
    messages = [message_for(EVALUATION_SNAPSHOT_TAKEN, d.model_dump(mode="json"), platform_id="420700",
                           government_of=lambda _: "420700") for _, d in world.events.details[:2]]
    assert messages[0] is not None and messages[0].message_type.value == "evaluation_snapshot"
    assert messages[0] == messages[1]


def test_a_period_that_has_not_ended_publishes_nothing():
    world = World()
    with pytest.raises(Conflict):
        world.service.close(Period.parse("2026-11"))
    assert world.events.details == []


def test_close_due_closes_the_month_and_its_quarter_on_the_first():
    world = World()
    world.clock.current = datetime(2026, 10, 1, 0, 30, tzinfo=CST)
    world.case("2026-09", "market")
    results = world.service.close_due()
    assert [(r.period, r.created) for r in results] == [("2026-09", True), ("2026-Q3", True)]
    assert [(r.period, r.created) for r in world.service.close_due()] == [("2026-09", False), ("2026-Q3", False)]
    # The quarter is the sum of its three months' counters.
    assert set(world.facts.month_reads[-3:]) == {"2026-07", "2026-08", "2026-09"}


def test_rankings_compare_with_the_previous_period_and_a_year_earlier():
    world = World()
    world.clock.current = datetime(2025, 11, 5, tzinfo=CST)
    world.case("2025-10", "market", on_time=False)
    world.service.close(Period.parse("2025-10"))
    world.clock.current = datetime(2026, 11, 20, tzinfo=CST)
    world.case("2026-09", "market")
    world.service.close(Period.parse("2026-09"))
    world.case("2026-10", "market")
    world.service.close(Period.parse("2026-10"))

    market = next(r for r in world.service.rankings(CITY_INSPECTOR, "2026-10").rows if r.department_id == "market")
    assert market.comparison.previous_period == "2026-09" and market.comparison.year_earlier_period == "2025-10"
    assert market.comparison.change_from_previous == 0.0
    assert market.comparison.year_earlier_total is not None
    assert market.comparison.change_from_year_earlier == round(market.total - market.comparison.year_earlier_total, 2)
    assert market.comparison.change_from_year_earlier > 0

    detail = world.service.department(MARKET_LEADER, "market", "2026-10")
    assert detail.previous is not None and detail.year_earlier is not None and not detail.provisional

    history = world.service.history(CITY_INSPECTOR, "market", Granularity.MONTH)
    assert len(history.points) == 12 and history.points[-1].period == "2026-11" and history.points[-1].provisional
    assert [p.period for p in history.points if not p.provisional] == ["2026-09", "2026-10"]


def test_roles():
    world = World()
    with pytest.raises(Forbidden):
        world.service.rankings(MARKET_LEADER, None)
    with pytest.raises(Forbidden):
        world.service.department(MARKET_LEADER, "planning", None)
    with pytest.raises(Forbidden):
        world.service.department(MARKET_HANDLER, "market", None)
    with pytest.raises(NotFound):
        world.service.department(CITY_INSPECTOR, "nowhere", None)
    with pytest.raises(InvalidInput, match="2026-10（月）"):
        world.service.department(CITY_INSPECTOR, "market", "2026-13")
    with pytest.raises(InvalidInput, match="尚未开始"):
        world.service.rankings(CITY_INSPECTOR, "2027-01")
    with pytest.raises(Forbidden):
        world.service.get_weights(CITY_INSPECTOR)
    with pytest.raises(Forbidden):
        world.service.close_by_admin(CITY_INSPECTOR, "2026-10")
    with pytest.raises(Forbidden):
        world.service.statistics(MARKET_LEADER, "2026-11", Dimension.DEPARTMENT, "planning")
    assert world.service.department(MARKET_LEADER, "market", None).score.department_id == "market"


def test_public_rankings_only_for_closed_periods():
    world = World()
    with pytest.raises(NotFound, match="2026年10月的考核结果尚未公布"):
        world.service.public_rankings(None)  # defaults to the month just ended
    world.service.close(Period.parse("2026-10"))
    assert world.service.public_rankings(None).period == "2026-10"


def test_weights_are_versioned():
    world = World()
    assert world.service.get_weights(ADMIN).version == 0
    first = world.service.put_weights(ADMIN, WeightsRequest(weights=DEFAULT_WEIGHTS, base_version=0, note="首版"))
    assert first.version == 1 and first.updated_by == "谢文博"
    with pytest.raises(Conflict, match="第1版"):
        world.service.put_weights(ADMIN, WeightsRequest(weights=DEFAULT_WEIGHTS, base_version=0))
    assert world.service.put_weights(ADMIN, WeightsRequest(weights=DEFAULT_WEIGHTS, base_version=1)).version == 2
    assert [w.version for w in world.facts.weights_history] == [1, 2]
    assert world.service.formula().weights.version == 2


def test_drilldown_pages_across_the_months_of_a_quarter():
    world = World()
    ids = [world.case(month, "market") for month in ("2026-07", "2026-07", "2026-08", "2026-09", "2026-09")]
    seen, cursor = [], None
    while True:
        page = world.service.drilldown(CITY_INSPECTOR, "market", "2026-Q3", Metric.COMPLETED, cursor=cursor, limit=2)
        seen += [r.subject_id for r in page.items]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert seen == ids
    assert world.service.drilldown(CITY_INSPECTOR, "market", "2026-Q3", Metric.OVERDUE, cursor=None, limit=5).items == []


def test_statistics_by_every_dimension():
    world = World()
    world.case("2026-11", "market")
    world.case("2026-11", "planning", on_time=False)
    by_department = world.service.statistics(CITY_INSPECTOR, "2026-11", Dimension.DEPARTMENT, None)
    assert [(r["department_id"], r["completed"], r["on_time_rate"]) for r in by_department.rows] == [
        ("market", 1, 100.0), ("planning", 1, 0.0)]
    by_category = world.service.statistics(CITY_INSPECTOR, "2026-11", Dimension.CATEGORY, None)
    assert {r["category"]: r["completed"] for r in by_category.rows} == {"行政许可": 1, "行政确认": 1}
    by_item = world.service.statistics(MARKET_LEADER, "2026-11", Dimension.ITEM, None)  # a leader: own department
    assert [(r["item_code"], r["received"]) for r in by_item.rows] == [("420700-XK-0201", 1)]
    by_status = world.service.statistics(ADMIN, "2026-11", Dimension.STATUS, None)
    assert {r["status"]: r["count"] for r in by_status.rows}["closed_completed"] == 2


def test_csv_has_a_bom_and_xlsx_is_a_workbook():
    world = World()
    world.case("2026-11", "market")
    table = world.service.statistics(CITY_INSPECTOR, "2026-11", Dimension.DEPARTMENT, None)
    headers, rows = exports.table_cells(table)
    text = exports.to_csv(headers, rows)
    assert text.startswith("\ufeff".encode())
    parsed = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert parsed[0][:2] == ["部门编号", "部门"] and parsed[1][0] == "market"
    book = zipfile.ZipFile(io.BytesIO(exports.to_xlsx(headers, rows)))
    assert {"[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml", "xl/styles.xml"} <= set(book.namelist())
    sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert '<c r="B1" s="1" t="inlineStr"><is><t xml:space="preserve">部门</t></is></c>' in sheet
    assert '<c r="A2" t="inlineStr"><is><t xml:space="preserve">market</t></is></c>' in sheet
    assert exports._column_letter(0) == "A" and exports._column_letter(26) == "AA"
