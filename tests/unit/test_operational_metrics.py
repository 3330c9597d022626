"""Domain events → operational metrics (rules/operational_metrics.py), and their EMF document."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from pydantic import ValidationError

from sunlight.models import evaluation_events as ev
from sunlight.models.monitoring import OperationalMetric as M
from sunlight.observability import flush_operational_metrics
from sunlight.rules.operational_metrics import MEASURED_DETAIL_TYPES, metrics_of

CST = timezone(timedelta(hours=8))
AT = datetime(2026, 12, 2, 9, 30, tzinfo=CST)


SAMPLE = Path(__file__).resolve().parents[2] / "events" / "eventbridge" / "case_transitioned.json"


def transition(**changes) -> dict:
    return json.loads(SAMPLE.read_text())["detail"] | changes


def test_leaving_submitted_is_a_case_received():
    batch = metrics_of("CaseTransitioned", transition(from_state="submitted", to_state="accept", action="dispatch"))
    assert batch.department_id == "market"
    assert batch.values == {M.CASES_RECEIVED: 1}
    assert batch.at == datetime(2026, 11, 28, 10, 0, tzinfo=CST)


def test_a_step_in_the_middle_adds_nothing():
    assert metrics_of("CaseTransitioned", transition(from_state="accept", to_state="handle")) is None


def test_completed_on_the_promised_day_is_not_late():
    detail = transition(from_state="complete", to_state="completed", occurred_at="2026-11-30T23:30:00+08:00",
                        promised_due_on="2026-11-30")
    assert metrics_of("CaseTransitioned", detail).values == {M.CASES_COMPLETED: 1}


def test_closed_after_the_promised_day_counts_late_by_the_city_calendar_day():
    # 16:30 UTC on the 30th is already 1 December in China.
    late = transition(from_state="complete", to_state="completed", occurred_at="2026-11-30T16:30:00Z", promised_due_on="2026-11-30")
    assert metrics_of("CaseTransitioned", late).values == {M.CASES_COMPLETED: 1, M.CASES_OVERDUE: 1}
    denied = transition(from_state="approve", to_state="denied", occurred_at="2026-12-03T10:00:00+08:00", promised_due_on="2026-11-30")
    assert metrics_of("CaseTransitioned", denied).values == {M.CASES_OVERDUE: 1}
    withdrawn = transition(from_state="supplement", to_state="withdrawn", occurred_at="2026-12-03T10:00:00+08:00")
    assert metrics_of("CaseTransitioned", withdrawn) is None  # the applicant's doing


@pytest.mark.parametrize(("level", "metric"), [("reminder", M.REMINDERS), ("yellow", M.YELLOW_CARDS), ("red", M.RED_CARDS),
                                                ("anomaly", M.ANOMALIES)])
def test_a_warning_counts_by_level_at_its_issue_time(level, metric):
    detail = ev.WarningIssuedV1(event_id="w:issued", department_id="planning", warning_id="w", case_id="c", level=level, issued_at=AT)
    batch = metrics_of(ev.WARNING_ISSUED, detail.model_dump(mode="json"))
    assert (batch.department_id, batch.at, batch.values) == ("planning", AT, {metric: 1})


def test_social_and_order_facts():
    later = AT + timedelta(days=2)
    facts = {
        ev.WARNING_REVOKED: (ev.WarningRevokedV1(event_id="e", department_id="d1", warning_id="w", case_id="c", level="red",
                                                 issued_at=AT, revoked_at=later), {M.CARDS_REVOKED: 1}),
        ev.COMPLAINT_FILED: (ev.ComplaintFiledV1(event_id="e", department_id="d1", complaint_id="p", case_id=None, filed_at=later),
                             {M.COMPLAINTS_FILED: 1}),
        ev.COMPLAINT_CONCLUDED: (ev.ComplaintConcludedV1(event_id="e", department_id="d1", complaint_id="p", case_id=None, founded=True,
                                                         filed_at=AT, concluded_at=later), {M.COMPLAINTS_CONCLUDED: 1}),
        ev.SATISFACTION_RATED: (ev.SatisfactionRatedV1(event_id="e", department_id="d1", case_id="c", item_code="i", rating=4,
                                                       rated_at=later), {M.RATINGS: 1, M.RATING_SCORE: 4}),
        ev.SUPERVISION_ORDER_ISSUED: (ev.SupervisionOrderIssuedV1(event_id="e", department_id="d1", order_id="o", source_kind="warning",
                                                                  source_id="w", issued_at=later, due_at=later), {M.ORDERS_ISSUED: 1}),
        ev.SUPERVISION_ORDER_ANSWERED: (ev.SupervisionOrderAnsweredV1(event_id="e", department_id="d1", order_id="o", issued_at=AT, due_at=AT,
                                                                      answered_at=later, working_days_to_answer=2, on_time=False),
                                        {M.ORDERS_ANSWERED: 1}),
        ev.SUPERVISION_ORDER_CONCLUDED: (ev.SupervisionOrderConcludedV1(event_id="e", department_id="d1", order_id="o",
                                                                        conclusion="corrected", issued_at=AT, concluded_at=later),
                                         {M.ORDERS_CONCLUDED: 1}),
    }
    for detail_type, (fact, values) in facts.items():
        batch = metrics_of(detail_type, fact.model_dump(mode="json"))
        assert (batch.department_id, batch.at, batch.values) == ("d1", later, values), detail_type
    # A decided card appeal counts in the bureaus' figures only, not in the live overview.
    assert set(MEASURED_DETAIL_TYPES) == {"CaseTransitioned", *ev.EVALUATION_DETAIL_TYPES} - {ev.WARNING_APPEAL_DECIDED}


def test_other_detail_types_add_nothing_and_malformed_details_raise():
    assert metrics_of("CalendarChanged", {"anything": 1}) is None
    with pytest.raises(ValidationError):
        metrics_of(ev.WARNING_ISSUED, {"event_id": "x", "department_id": "market", "level": "purple"})


def test_the_emf_document_has_a_department_and_a_city_dimension_set_at_the_fact_time(monkeypatch, capsys):
    monkeypatch.delenv("POWERTOOLS_METRICS_NAMESPACE", raising=False)
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "sunlight")  # must not become a dimension
    batch = metrics_of(ev.WARNING_ISSUED, ev.WarningIssuedV1(event_id="e", department_id="market", warning_id="w", case_id="c",
                                                             level="red", issued_at=AT).model_dump(mode="json"))
    document = flush_operational_metrics(batch)
    printed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert printed == document
    directive = document["_aws"]["CloudWatchMetrics"][0]
    assert directive["Namespace"] == "Sunlight"
    assert directive["Dimensions"] == [["Scope"], ["Department"]]
    assert directive["Metrics"] == [{"Name": "RedCards", "Unit": "Count"}]
    assert (document["Scope"], document["Department"], document["RedCards"]) == ("city", "market", [1.0])
    assert document["_aws"]["Timestamp"] == int(AT.timestamp() * 1000)
