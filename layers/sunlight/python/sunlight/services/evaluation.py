"""Department scores and rankings (绩效评估), period snapshots, and statistics.

Closed periods are read from their immutable snapshots; the open period (or a past one nobody has
closed yet) is computed live from the monthly counters and marked provisional. Computing a period
reads the counters of its months (one Query each), the departments, the catalog items and the
weights: its cost follows the departments and items, never the cases.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from ..models.catalog import CatalogItem, Department
from ..models.evaluation import (
    FIGURE_FIELDS,
    FIGURE_LABELS,
    INDICATOR_LABELS,
    STATUS_METRICS,
    BureauReport,
    CloseResult,
    Comparison,
    DepartmentEvaluation,
    DepartmentHistory,
    DepartmentScore,
    Dimension,
    DrilldownRecord,
    Figures,
    Formula,
    HistoryPoint,
    Indicator,
    Metric,
    PublicWeights,
    RankingRow,
    Rankings,
    Snapshot,
    StatisticsTable,
    Weights,
    WeightsRequest,
)
from ..models.exchange import EVALUATION_SNAPSHOT_TAKEN, DepartmentScoreBody, EvaluationSnapshotTakenV1
from ..models.levels import CITY_GOVERNMENT_ID, Government, GovernmentLevel, within
from ..models.roles import Principal, Role
from ..rules import rollup, scoring
from ..rules.periods import Granularity, Period, month_just_ended, periods_closing_with
from .errors import Conflict, Forbidden, InvalidCursor, InvalidInput, NotFound
from .pagination import Page, decode_cursor, encode_cursor
from .ports import CatalogRepository, Clock, ConcurrentModification, DomainEvents, EvaluationRepository
from .scope import Levels, Scope, ScopeKind

ITEM_PAGE = 100
HISTORY_LENGTH = {Granularity.MONTH: 12, Granularity.QUARTER: 8, Granularity.YEAR: 5}
DEPARTMENT_NOT_FOUND = "未找到该部门。"
# Fixed forever: an EvaluationSnapshotTaken's event id is uuid5 of the period and its weights version.
SNAPSHOT_EVENT_NAMESPACE = uuid5(NAMESPACE_URL, "https://sunlight.example.gov.cn/evaluation/snapshots")


def parse_period(text: str, now: datetime) -> Period:
    try:
        period = Period.parse(text)
    except ValueError as error:
        raise InvalidInput(str(error), details={"field": "period"}) from error
    if not period.has_started(now):
        raise InvalidInput(f"{period.label}尚未开始，没有考核数据。", details={"field": "period"})
    return period


def _is_city_wide(principal: Principal) -> bool:
    """The city's inspectors (市监察局) and admins see every department (services/scope.py)."""
    return principal.has_role(Role.ADMIN) or Scope.of(principal).city_wide


# Before the government tree is stored every department is the city's (Department.government_id's default).
CITY_ONLY = Government(government_id=CITY_GOVERNMENT_ID, name="本市", level=GovernmentLevel.CITY)
BUREAUS_CITY_ONLY = "下级监察机构的监督情况仅供市监察局查看。"
DISTRICT_ONLY = "您只能查看本级及下级政府部门的考核和统计数据。"


def _government_scope(principal: Principal) -> str | None:
    """The government whose level and below the caller's overview covers; None: all of it.
    A district's 监察局 sees its own district and below, never another district (services/scope.py)."""
    scope = Scope.of(principal)
    return scope.government_id if scope.kind is ScopeKind.LEVEL else None


COMPLAINT_METRICS = frozenset({"complaints", "complaints_concluded", "complaints_founded"})


def _details_for(principal: Principal, metric: str, details: Mapping[str, Any]) -> dict:
    """A complaint's record names its complaint, never its case, except to the city's inspectors:
    the case names its applicant, and an anonymous complainant stays anonymous (facts stored
    before events left the case out of anonymous complaints still carry it)."""
    if metric in COMPLAINT_METRICS and not Scope.of(principal).city_wide:
        return {k: v for k, v in details.items() if k != "case_id"}
    return dict(details)


def snapshot_taken(snapshot: Snapshot) -> EvaluationSnapshotTakenV1:
    """The bus fact of a stored snapshot (sent upward as evaluation_snapshot). Built from the stored
    snapshot only, so every close of the period (a rerun, a retry) makes the same id and body.
    A department without a total (no data in the period) has no score to report and is left out."""
    return EvaluationSnapshotTakenV1(
        event_id=str(uuid5(SNAPSHOT_EVENT_NAMESPACE, f"{snapshot.period}/{snapshot.weights.version}")),
        period=snapshot.period, closed_at=snapshot.closed_at,
        scores=[DepartmentScoreBody(department_id=d.department_id, score=d.total, rank=d.rank)
                for d in snapshot.departments if d.total is not None],
    )


class EvaluationService:
    def __init__(
        self, *, evaluation: EvaluationRepository, catalog: CatalogRepository, clock: Clock, events: DomainEvents | None = None, levels: Levels | None = None,
    ) -> None:
        self._repo = evaluation
        self._catalog = catalog
        self._clock = clock
        self._events = events  # None where no bus is configured: then nothing is published
        self._levels = levels or Levels(catalog)  # a district 监察局's departments

    # --- authorization ---------------------------------------------------------------------

    @staticmethod
    def _require_overview(principal: Principal) -> None:
        if not (principal.is_inspector or principal.has_role(Role.ADMIN)):
            raise Forbidden("部门考核排名仅限监察人员和系统管理员查看；已公布的排名可在公示页面查看。")
        scope = Scope.of(principal)
        if scope.unleveled_inspector:  # neither department nor government: sees nothing (services/scope.py)
            raise Forbidden(scope.refusal())

    def _require_department(self, principal: Principal, department_id: str) -> Department:
        scope = Scope.of(principal, self._levels)
        if scope.kind is ScopeKind.LEVEL:
            scope.require_department(department_id)  # a district's 监察局: its levels only
        elif scope.unleveled_inspector:
            raise Forbidden(scope.refusal())
        elif not (_is_city_wide(principal) or (
            principal.department_id == department_id and (principal.is_inspector or principal.has_role(Role.LEADER))
        )):
            raise Forbidden("您只能查看本部门的考核结果（限分管领导和监察人员）。")
        visible = self._district_departments(principal)
        if visible is not None and department_id not in visible:
            raise Forbidden(DISTRICT_ONLY)
        department = self._catalog.get_department(department_id)
        if department is None:
            raise NotFound(DEPARTMENT_NOT_FOUND)
        return department

    @staticmethod
    def _under(principal: Principal, governments: Mapping[str, Government], government: str | None) -> str | None:
        """The government whose level and below is asked for (or the caller's district); None: all."""
        scope = _government_scope(principal)
        if government is not None:
            if government not in governments:
                raise InvalidInput(f"未知的行政区划代码：{government}", details={"field": "government"})
            if scope is not None and not within(rollup.department_path(government, governments), scope):
                raise Forbidden(DISTRICT_ONLY)
        return government or scope

    def _district_departments(self, principal: Principal) -> set[str] | None:
        """The departments a district's 监察局 may see: its district's and those below (services/scope.py);
        None for everyone else (their own checks apply)."""
        scope = Scope.of(principal, self._levels)
        if scope.kind is not ScopeKind.LEVEL:
            return None
        return set(scope.departments_in() or ())

    @staticmethod
    def _require_admin(principal: Principal) -> None:
        if not principal.has_role(Role.ADMIN):
            raise Forbidden("仅系统管理员可以执行此操作。")

    # --- computing -------------------------------------------------------------------------

    def weights(self) -> Weights:
        return self._repo.get_weights() or Weights.default()

    def _items_by_department(self) -> dict[str, list[CatalogItem]]:
        items: dict[str, list[CatalogItem]] = defaultdict(list)
        start_key = None
        while True:
            page, start_key = self._catalog.list_items(None, ITEM_PAGE, start_key)
            for item in page:
                items[item.department_id].append(item)
            if start_key is None:
                return items

    def _figures(self, period: Period) -> dict[str, Figures]:
        by_department: dict[str, Figures] = defaultdict(Figures)
        for month in period.months():
            for department_id, figures in self._repo.month_figures(str(month)).items():
                by_department[department_id] = by_department[department_id] + figures
        return by_department

    def compute(self, period: Period, weights: Weights | None = None) -> list[DepartmentScore]:
        """Every department's score for the period, live from the counters, ranked."""
        weights = weights or self.weights()
        figures = self._figures(period)
        items = self._items_by_department()
        scores = [
            scoring.score_department(
                d.department_id, d.name, figures.get(d.department_id, Figures()),
                scoring.disclosure_rate(items.get(d.department_id, [])), weights,
            )
            for d in self._catalog.list_departments()
        ]
        return scoring.ranked(scores)

    def _scores(self, period: Period) -> tuple[list[DepartmentScore], Snapshot | None, Weights]:
        snapshot = self._repo.get_snapshot(str(period))
        if snapshot is not None:
            return snapshot.departments, snapshot, snapshot.weights
        weights = self.weights()
        return self.compute(period, weights), None, weights

    def _comparisons(
        self, period: Period, scores: Sequence[DepartmentScore], peers: set[str] | None = None
    ) -> dict[str, Comparison]:
        """Against the stored earlier periods; with `peers`, the earlier ranks among those peers."""
        previous, year_earlier = period.previous(), period.year_earlier()
        stored = self._repo.get_snapshots([str(previous), str(year_earlier)])
        earlier_scores: dict[str, dict[str, DepartmentScore]] = {}
        for key, snapshot in stored.items():
            chosen = snapshot.departments if peers is None else scoring.ranked(
                [d for d in snapshot.departments if d.department_id in peers])
            earlier_scores[key] = {d.department_id: d for d in chosen}
        result = {}
        for score in scores:
            before = earlier_scores.get(str(previous), {}).get(score.department_id)
            earlier = earlier_scores.get(str(year_earlier), {}).get(score.department_id)
            result[score.department_id] = Comparison(
                previous_period=str(previous),
                previous_total=before.total if before else None,
                previous_rank=before.rank if before else None,
                change_from_previous=scoring.change(score.total, before.total if before else None),
                year_earlier_period=str(year_earlier),
                year_earlier_total=earlier.total if earlier else None,
                year_earlier_rank=earlier.rank if earlier else None,
                change_from_year_earlier=scoring.change(score.total, earlier.total if earlier else None),
            )
        return result

    def _rankings(
        self, period: Period, scores: list[DepartmentScore], snapshot: Snapshot | None, weights: Weights,
        *, peers: set[str] | None = None, government_names: Mapping[str, tuple[str, str]] | None = None,
    ) -> Rankings:
        comparisons = self._comparisons(period, scores, peers)
        names = government_names or {}
        return Rankings(
            period=str(period),
            period_label=period.label,
            provisional=snapshot is None,
            closed_at=snapshot.closed_at if snapshot else None,
            weights_version=weights.version,
            rows=[
                RankingRow(
                    department_id=s.department_id, department_name=s.department_name,
                    government_id=names[s.department_id][0] if s.department_id in names else None,
                    government_name=names[s.department_id][1] if s.department_id in names else None,
                    rank=s.rank, total=s.total, sub_scores=s.sub_scores, indicators=s.indicators, comparison=comparisons[s.department_id],
                )
                for s in scores
            ],
        )

    # --- queries ---------------------------------------------------------------------------

    def governments(self) -> dict[str, Government]:
        return {g.government_id: g for g in self._catalog.list_governments()} or {CITY_ONLY.government_id: CITY_ONLY}

    def rankings(
        self, principal: Principal, period_text: str | None,
        *, level: GovernmentLevel | None = None, government: str | None = None,
    ) -> Rankings:
        """Every department ranked, or (by `level` and/or `government`) among its peers only:
        the departments of one level (同级比较) and/or at and below one government; with each
        government's figures rolled up (本级及下级合计). A district's 监察局 sees its district only."""
        self._require_overview(principal)
        governments = self.governments()
        under = self._under(principal, governments, government)
        now = self._clock.now()
        period = parse_period(period_text, now) if period_text else Period.month_of(now)
        scores, snapshot, weights = self._scores(period)
        department_governments: dict[str, str | None] = {d.department_id: d.government_id for d in self._catalog.list_departments()}
        for score in scores:  # a department gone from the catalog since the snapshot counts at the top
            department_governments.setdefault(score.department_id, None)
        names = {}
        for department_id, government_id in department_governments.items():
            own = governments[rollup.department_path(government_id, governments)[-1]]
            names[department_id] = (own.government_id, own.name)
        rolled = rollup.roll_up(governments, department_governments, {s.department_id: s.figures for s in scores})
        peers = None
        if level is not None or under is not None:
            peers = rollup.peers(department_governments, governments, level=level, under=under)
            scores = scoring.ranked([s for s in scores if s.department_id in peers])
        shown = [
            r for r in rolled
            if (under is None or within(rollup.department_path(r.government_id, governments), under))
            and (level is None or r.level is level)
        ]
        result = self._rankings(period, scores, snapshot, weights, peers=peers, government_names=names)
        return result.model_copy(update={"level": level, "government_id": government, "rollup": shown})

    def bureaus(self, principal: Principal, period_text: str | None) -> BureauReport:
        """监督下级监察机构: how each district's 监察局 supervises, for the city's 监察局 only."""
        governments = self.governments()
        if not Scope.of(principal).city_wide:
            raise Forbidden(BUREAUS_CITY_ONLY)
        now = self._clock.now()
        period = parse_period(period_text, now) if period_text else Period.month_of(now)
        scores, snapshot, _ = self._scores(period)
        department_governments: dict[str, str | None] = {d.department_id: d.government_id for d in self._catalog.list_departments()}
        rolled = rollup.roll_up(governments, department_governments, {s.department_id: s.figures for s in scores})
        return BureauReport(
            period=str(period), period_label=period.label, provisional=snapshot is None,
            bureaus=[rollup.bureau_supervision(r) for r in sorted(rollup.districts(rolled), key=lambda r: r.government_id)],
            city_total=rollup.bureau_supervision(rolled[0]),
        )

    def public_rankings(self, period_text: str | None) -> Rankings:
        """公示: closed periods only (the latest closed month when none is named)."""
        now = self._clock.now()
        period = parse_period(period_text, now) if period_text else month_just_ended(now)
        snapshot = self._repo.get_snapshot(str(period))
        if snapshot is None:
            raise NotFound(f"{period.label}的考核结果尚未公布。")
        return self._rankings(period, snapshot.departments, snapshot, snapshot.weights)

    def department(self, principal: Principal, department_id: str, period_text: str | None) -> DepartmentEvaluation:
        self._require_department(principal, department_id)
        now = self._clock.now()
        period = parse_period(period_text, now) if period_text else Period.month_of(now)
        scores, snapshot, weights = self._scores(period)
        score = next(s for s in scores if s.department_id == department_id) if any(
            s.department_id == department_id for s in scores) else None
        if score is None:  # a department added after the period was closed
            raise NotFound(f"{period.label}的考核结果中没有该部门。")
        stored = self._repo.get_snapshots([str(period.previous()), str(period.year_earlier())])
        previous = stored.get(str(period.previous()))
        earlier = stored.get(str(period.year_earlier()))
        return DepartmentEvaluation(
            period=str(period),
            period_label=period.label,
            provisional=snapshot is None,
            closed_at=snapshot.closed_at if snapshot else None,
            weights_version=weights.version,
            score=score,
            departments_ranked=sum(1 for s in scores if s.rank is not None),
            comparison=self._comparisons(period, [score])[department_id],
            previous=previous.department(department_id) if previous else None,
            year_earlier=earlier.department(department_id) if earlier else None,
        )

    def history(self, principal: Principal, department_id: str, granularity: Granularity) -> DepartmentHistory:
        """The department's totals over the recent periods (for charts): closed periods from their
        snapshots, the open one live."""
        department = self._require_department(principal, department_id)
        now = self._clock.now()
        current = Period.month_of(now)
        if granularity is Granularity.QUARTER:
            current = current.quarter()
        elif granularity is Granularity.YEAR:
            current = current.year_period()
        periods = current.recent(HISTORY_LENGTH[granularity])
        stored = self._repo.get_snapshots([str(p) for p in periods])
        points = []
        for period in periods:
            snapshot = stored.get(str(period))
            score = snapshot.department(department_id) if snapshot else None
            if snapshot is None and period == current:
                score = next((s for s in self.compute(period) if s.department_id == department_id), None)
            points.append(HistoryPoint(
                period=str(period), period_label=period.label, provisional=snapshot is None,
                total=score.total if score else None, rank=score.rank if score else None,
                sub_scores=score.sub_scores if score else None, indicators=score.indicators if score else None,
            ))
        return DepartmentHistory(department_id=department_id, department_name=department.name,
                                 granularity=granularity.value, points=points)

    def drilldown(
        self, principal: Principal, department_id: str, period_text: str, metric: Metric, *, cursor: str | None, limit: int
    ) -> Page[DrilldownRecord]:
        """The records (case, card, complaint, rating or order ids) behind one figure, month by month."""
        self._require_department(principal, department_id)
        period = parse_period(period_text, self._clock.now())
        months = [str(m) for m in period.months()]
        position = decode_cursor(cursor) or {"m": months[0]}
        if position.get("m") not in months:
            raise InvalidCursor()
        month, start_key = position["m"], position.get("k")
        items: list[DrilldownRecord] = []
        while True:
            records, start_key = self._repo.fact_records(
                department_id, month, metric.value, limit=limit - len(items), start_key=start_key)
            items += [DrilldownRecord(metric=r.metric, subject_id=r.subject_id, occurred_at=r.occurred_at, month=month,
                                      item_code=r.item_code, details=_details_for(principal, r.metric, r.details)) for r in records]
            if start_key is None:
                following = months.index(month) + 1
                if following == len(months):
                    return Page[DrilldownRecord](items=items, next_cursor=None)
                month = months[following]
            if len(items) >= limit:
                return Page[DrilldownRecord](items=items, next_cursor=encode_cursor({"m": month, "k": start_key}))

    # --- closing periods -------------------------------------------------------------------

    def close(self, period: Period) -> CloseResult:
        """Stores the period's snapshot once; a second close (a rerun) changes nothing. Every close
        publishes EvaluationSnapshotTaken of the stored snapshot: a retry after a failed publish
        sends it then, with the same event id and body (the exchange de-duplicates on its id)."""
        now = self._clock.now()
        if not period.has_ended(now):
            raise Conflict(f"{period.label}尚未结束，结束后才能生成考核结果。")
        result = self._store(period, now)
        if self._events is not None:
            self._events.publish_detail(EVALUATION_SNAPSHOT_TAKEN, snapshot_taken(result.snapshot),
                                        resources=[f"evaluation/{result.period}"])
        return result

    def _store(self, period: Period, now: datetime) -> CloseResult:
        existing = self._repo.get_snapshot(str(period))
        if existing is not None:
            return CloseResult(period=str(period), created=False, snapshot=existing)
        weights = self.weights()
        snapshot = Snapshot(period=str(period), granularity=period.granularity.value, closed_at=now, weights=weights,
                            departments=self.compute(period, weights))
        if self._repo.put_snapshot(snapshot):
            return CloseResult(period=str(period), created=True, snapshot=snapshot)
        stored = self._repo.get_snapshot(str(period))  # a concurrent close stored it first
        assert stored is not None
        return CloseResult(period=str(period), created=False, snapshot=stored)

    def close_by_admin(self, principal: Principal, period_text: str) -> CloseResult:
        self._require_admin(principal)
        return self.close(parse_period(period_text, self._clock.now()))

    def close_due(self) -> list[CloseResult]:
        """The monthly close (on the 1st, city time): the month just ended, and its quarter and
        year when they end with it."""
        return [self.close(period) for period in periods_closing_with(month_just_ended(self._clock.now()))]

    # --- weights and formula ---------------------------------------------------------------

    def get_weights(self, principal: Principal) -> Weights:
        self._require_admin(principal)
        return self.weights()

    def put_weights(self, principal: Principal, request: WeightsRequest) -> Weights:
        self._require_admin(principal)
        current = self.weights()
        if request.base_version is not None and request.base_version != current.version:
            raise Conflict(f"权重已被他人修改（当前为第{current.version}版），请刷新后重试。")
        updated = Weights(version=current.version + 1, weights=request.weights, updated_at=self._clock.now(),
                          updated_by=principal.name, note=request.note)
        try:
            self._repo.put_weights(updated, expected_version=current.version)
        except ConcurrentModification as error:
            raise Conflict("权重已被他人修改，请刷新后重试。") from error
        return updated

    def formula(self) -> Formula:
        weights = self.weights()
        return Formula(
            title="部门绩效考核计分办法",
            text=scoring.formula_text(weights),
            weights=PublicWeights(version=weights.version, weights=weights.weights, updated_at=weights.updated_at),
            indicators={indicator: INDICATOR_LABELS[indicator] for indicator in Indicator},
        )

    # --- statistics (多维统计) ---------------------------------------------------------------

    def statistics(
        self, principal: Principal, period_text: str, dimension: Dimension, department_id: str | None,
        *, level: GovernmentLevel | None = None, government: str | None = None,
    ) -> StatisticsTable:
        """多维统计, of every department the caller may see, or (by `level` and/or `government`) of
        one level's departments and/or those at and below one government."""
        if not (principal.is_inspector or principal.has_role(Role.ADMIN) or principal.has_role(Role.LEADER)):
            raise Forbidden("统计数据仅限监察人员、部门分管领导和系统管理员查看。")
        scope = Scope.of(principal, self._levels)
        if scope.unleveled_inspector:
            raise Forbidden(scope.refusal())
        if scope.kind is not ScopeKind.LEVEL and not _is_city_wide(principal):  # a district's: its levels, below
            if department_id and department_id != principal.department_id:
                raise Forbidden("您只能查看本部门的统计数据。")
            department_id = principal.department_id
        visible = self._district_departments(principal)
        if visible is not None and department_id and department_id not in visible:
            raise Forbidden(DISTRICT_ONLY)
        departments = {d.department_id: d for d in self._catalog.list_departments()}
        if level is not None or government is not None:
            governments = self.governments()
            under = self._under(principal, governments, government)
            peers = rollup.peers({d: dept.government_id for d, dept in departments.items()}, governments, level=level, under=under)
            visible = peers if visible is None else visible & peers
        if department_id and department_id not in departments:
            raise NotFound(DEPARTMENT_NOT_FOUND)

        def shown(dept: str) -> bool:
            return (not department_id or dept == department_id) and (visible is None or dept in visible)

        now = self._clock.now()
        period = parse_period(period_text, now)
        provisional = self._repo.get_snapshot(str(period)) is None
        figure_columns = [{"key": name, "label": FIGURE_LABELS[name]} for name in FIGURE_FIELDS]
        rows: list[dict[str, str | int | float | None]] = []
        if dimension is Dimension.DEPARTMENT:
            figures = self._figures(period)
            columns = [{"key": "department_id", "label": "部门编号"}, {"key": "department_name", "label": "部门"},
                       *figure_columns, *_RATE_COLUMNS]
            for d in departments.values():
                if not shown(d.department_id):
                    continue
                f = figures.get(d.department_id, Figures())
                rows.append({"department_id": d.department_id, "department_name": d.name, **f.model_dump(), **_rates(f)})
        elif dimension is Dimension.STATUS:
            figures = self._figures(period)
            chosen = [f for dept, f in figures.items() if shown(dept)]
            total = Figures.total(chosen)
            columns = [{"key": "status", "label": "状态"}, {"key": "status_name", "label": "状态名称"},
                       {"key": "count", "label": "件数"}]
            rows = [{"status": key, "status_name": label, "count": getattr(total, key)} for key, label in STATUS_METRICS.items()]
        else:
            per_item: dict[tuple[str, str], Figures] = defaultdict(Figures)
            for month in period.months():
                for key, f in self._repo.month_item_figures(str(month), department_id).items():
                    if shown(key[0]):
                        per_item[key] = per_item[key] + f
            items = {i.item_code: i for dept_items in self._items_by_department().values() for i in dept_items}
            if dimension is Dimension.ITEM:
                columns = [{"key": "item_code", "label": "权力编码"}, {"key": "item_name", "label": "事项名称"},
                           {"key": "category", "label": "权力类别"}, {"key": "department_name", "label": "部门"},
                           *figure_columns, *_RATE_COLUMNS]
                codes = sorted({code for _, code in per_item} | {
                    code for code, i in items.items() if shown(i.department_id)})
                for code in codes:
                    item = items.get(code)
                    dept = item.department_id if item else next(d for d, c in per_item if c == code)
                    f = per_item.get((dept, code), Figures())
                    rows.append({"item_code": code, "item_name": item.name if item else "", "category": item.category.value if item else "",
                                 "department_name": departments[dept].name if dept in departments else dept,
                                 **f.model_dump(), **_rates(f)})
            else:
                by_category: dict[str, Figures] = defaultdict(Figures)
                for (_, code), f in per_item.items():
                    item = items.get(code)
                    by_category[item.category.value if item else "其他"] += f
                columns = [{"key": "category", "label": "权力类别"}, *figure_columns, *_RATE_COLUMNS]
                rows = [{"category": c, **f.model_dump(), **_rates(f)} for c, f in sorted(by_category.items())]
        return StatisticsTable(period=str(period), dimension=dimension.value, provisional=provisional, columns=columns, rows=rows)


_RATE_COLUMNS = [
    {"key": "on_time_rate", "label": "按时办结率（%）"},
    {"key": "early_rate", "label": "提前办结率（%）"},
    {"key": "avg_days_used", "label": "平均用时（工作日）"},
    {"key": "avg_satisfaction", "label": "平均满意度"},
]


def _rates(figures: Figures) -> dict[str, float | None]:
    values = scoring.indicator_values(figures, None)
    return {"on_time_rate": values.on_time_rate, "early_rate": values.early_rate,
            "avg_days_used": values.avg_days_used, "avg_satisfaction": values.avg_satisfaction}
