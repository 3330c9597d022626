"""The anomaly check on the services' own events, with fakes: warnings, recipients, evidence,
re-delivery and rules switched off per item."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from pydantic import TypeAdapter

from sunlight.models.events import CaseTransitionedV1
from sunlight.models.requests import StaffAction
from sunlight.models.supervision import AnomalyRule, SupervisionRules
from sunlight.models.warnings import WarningLevel
from sunlight.services.anomalies import AnomalyService
from tests.fakes.cases import WeekdayCalendar
from tests.fakes.supervision import InMemoryWarnings, RecordingNotifier
from tests.unit.conftest import HANDLER, ITEM, REVIEWER, WINDOW

ACTION = TypeAdapter(StaffAction)


@dataclass
class Supervision:
    service: AnomalyService
    warnings: InMemoryWarnings
    notifier: RecordingNotifier


@pytest.fixture
def supervision(world) -> Supervision:
    warnings, notifier = InMemoryWarnings(), RecordingNotifier()
    service = AnomalyService(
        cases=world.cases, catalog=world.catalog, warnings=warnings, notifier=notifier, calendar=WeekdayCalendar(), clock=world.clock
    )
    return Supervision(service, warnings, notifier)


def accepted_on_saturday(world) -> tuple[str, CaseTransitionedV1]:
    """Received Monday 09:00; the window accepts on Saturday at 10:00."""
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    world.clock.advance(days=5, hours=1)
    world.staff.act(WINDOW, case_id, ACTION.validate_python({"action": "accept"}), None)
    world.enter(case_id, "handle")
    event = world.publisher.published[-1]
    assert (event.action, event.seq) == ("accept", 3)
    return case_id, event


def test_a_hit_becomes_one_warning_to_the_inspectors_with_evidence(world, supervision):
    case_id, event = accepted_on_saturday(world)
    world.clock.advance(minutes=1)

    [warning] = supervision.service.check(event)

    assert warning.warning_id == f"{case_id}-d20261128-anomaly-outside_working_hours"
    assert (warning.level, warning.rule, warning.step, warning.step_visit) == (WarningLevel.ANOMALY, "outside_working_hours", "accept", 2)
    assert warning.recipients == ("market#inspector", "city#inspector")
    assert warning.title == "非工作时间办理：2026-11-28（星期六）10:00" and "张敏" in warning.message
    assert (warning.department_id, warning.item_code, warning.item_name) == ("market", ITEM.item_code, ITEM.name)
    assert warning.issued_at == world.clock.now()
    evidence = warning.evidence
    assert evidence["working_day"] is False and evidence["event"]["seq"] == 3 and evidence["event"]["actor"]["name"] == "张敏"
    assert [e["action"] for e in evidence["timeline"]] == ["apply", "dispatch", "accept"]
    assert evidence["clock"]["status"] == "handle" and evidence["clock"]["step_due_at"] and "pauses" in evidence["clock"]
    assert evidence["clock"]["taken_at"] == world.clock.now().isoformat()
    # the limits with their units and start event, so the evidence says what the days counted
    assert {k: evidence["clock"][k] for k in ("promised_limit_unit", "legal_limit_unit", "limit_starts_at")} == {
        "promised_limit_unit": "working_days", "legal_limit_unit": "working_days", "limit_starts_at": "acceptance"}
    assert supervision.notifier.sent == [warning]
    assert supervision.warnings.get(warning.warning_id) == warning
    for inbox in ("market#inspector", "city#inspector"):
        assert supervision.warnings.inbox(inbox, limit=10, start_key=None)[0] == [warning]


def test_a_redelivered_event_issues_and_notifies_nothing_twice(world, supervision):
    _, event = accepted_on_saturday(world)
    first = supervision.service.check(event)
    world.clock.advance(hours=2)
    assert supervision.service.check(event) == []
    assert supervision.service.check(event.model_copy(update={"recorded_at": world.clock.now()})) == []
    assert len(first) == 1 and len(supervision.warnings.warnings) == 1 and supervision.notifier.sent == first


def test_the_same_rule_on_the_same_case_and_day_is_one_warning_with_its_occurrences(world, supervision):
    """A whole case handled on a Saturday: every staff action hits 非工作时间办理, the inspectors get
    one warning for the day, which lists each action once however often its event is delivered."""
    case_id, accepted = accepted_on_saturday(world)
    [warning] = supervision.service.check(accepted)
    world.clock.advance(hours=2)  # Saturday 12:00: the handler submits
    world.staff.act(HANDLER, case_id, ACTION.validate_python({"action": "submit", "opinion": "符合条件"}), None)
    world.enter(case_id, "review")
    submitted = world.publisher.published[-1]
    assert submitted.action == "submit" and submitted.seq > accepted.seq

    assert supervision.service.check(submitted) == []
    assert supervision.service.check(submitted) == []  # redelivered
    assert supervision.service.check(accepted) == []  # redelivered

    [stored] = supervision.warnings.warnings.values()
    assert stored.warning_id == warning.warning_id and stored.title == warning.title  # the first occurrence's
    assert [(o.seq, o.action) for o in stored.occurrences] == [(accepted.seq, "accept"), (submitted.seq, "submit")]
    assert stored.occurrences[1].actor_name != "" and stored.occurrence_count == 2
    assert supervision.notifier.sent == [warning]  # the inspectors are told once
    assert supervision.warnings.inboxes["city#inspector"] == [warning.warning_id]


def test_the_same_rule_on_another_day_is_another_warning(world, supervision):
    case_id, accepted = accepted_on_saturday(world)
    [saturday] = supervision.service.check(accepted)
    world.clock.advance(days=1)  # Sunday 10:00
    world.staff.act(HANDLER, case_id, ACTION.validate_python({"action": "submit", "opinion": "符合条件"}), None)
    world.enter(case_id, "review")
    [sunday] = supervision.service.check(world.publisher.published[-1])
    assert sunday.warning_id.endswith("-d20261129-anomaly-outside_working_hours") and sunday.warning_id != saturday.warning_id


def test_rules_disabled_for_the_item_issue_nothing(world, supervision):
    enabled = tuple(rule for rule in AnomalyRule if rule is not AnomalyRule.OUTSIDE_WORKING_HOURS)
    world.catalog.items[ITEM.item_code] = ITEM.model_copy(update={"supervision": SupervisionRules(enabled_rules=enabled)})
    _, event = accepted_on_saturday(world)
    assert supervision.service.check(event) == [] and supervision.notifier.sent == []


def test_office_hours_of_the_item_apply(world, supervision):
    weekend_office = SupervisionRules(office_hours=[{"start": "09:00", "end": "12:00"}])
    world.catalog.items[ITEM.item_code] = ITEM.model_copy(update={"supervision": weekend_office})
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    world.clock.advance(hours=4)  # Monday 13:00: outside the item's single morning period
    world.staff.act(WINDOW, case_id, ACTION.validate_python({"action": "accept"}), None)
    world.enter(case_id, "handle")
    [warning] = supervision.service.check(world.publisher.published[-1])
    assert "不在办公时间（09:00–12:00）内" in warning.message


def test_several_hits_are_several_warnings(world, supervision):
    risky = ITEM.model_copy(update={"supervision": SupervisionRules.model_validate(
        {"risk_points": [{"step": "handle", "control_material_id": "site-inspection-record", "name": "现场核查", "document_name": "现场核查记录"}]}
    )})
    world.catalog.items[ITEM.item_code] = risky
    case_id, _ = accepted_on_saturday(world)
    world.clock.advance(days=2, hours=10)  # Monday 20:00
    world.staff.act(HANDLER, case_id, ACTION.validate_python({"action": "submit", "opinion": "符合条件"}), None)
    world.enter(case_id, "review")
    warnings = supervision.service.check(world.publisher.published[-1])
    assert [w.rule for w in warnings] == ["risk_point_without_control_document", "outside_working_hours"]
    assert len({w.warning_id for w in warnings}) == 2 and all(w.step == "handle" and w.step_visit == 3 for w in warnings)
    assert "现场核查记录" in warnings[0].message


def test_ordinary_transitions_issue_nothing(world, supervision):
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    world.staff.act(WINDOW, case_id, ACTION.validate_python({"action": "accept"}), None)
    world.enter(case_id, "handle")
    for event in world.publisher.published:
        assert supervision.service.check(event) == []
    assert supervision.warnings.issue_calls == 0


def test_unknown_case_or_item_issues_nothing(world, supervision):
    _, event = accepted_on_saturday(world)
    assert supervision.service.check(event.model_copy(update={"case_id": "SL20260101999999"})) == []
    del world.catalog.items[ITEM.item_code]
    assert supervision.service.check(event) == []


def test_a_failed_notification_keeps_the_warning(world, supervision):
    _, event = accepted_on_saturday(world)
    supervision.notifier.fail_with = RuntimeError("SNS throttled")
    [warning] = supervision.service.check(event)
    assert supervision.warnings.get(warning.warning_id) == warning


def test_an_event_missing_from_the_stored_timeline_is_checked_from_the_event_itself(world, supervision):
    case_id, event = accepted_on_saturday(world)
    world.cases.events[case_id] = [e for e in world.cases.events[case_id] if e.seq != event.seq]
    [warning] = supervision.service.check(event)
    assert warning.rule == "outside_working_hours" and warning.evidence["timeline"][-1]["seq"] == 3


class RacingWarnings(InMemoryWarnings):
    """Runs other deliveries between a delivery's read of a warning and its conditional write, as
    concurrent Lambda invocations on the same warning would."""

    def __init__(self) -> None:
        super().__init__()
        self.between_read_and_write: list = []
        self.conflicts = 0

    def save(self, warning, *, expected_version: int) -> None:
        while self.between_read_and_write:
            self.between_read_and_write.pop(0)()
        current = self.warnings.get(warning.warning_id)
        if current is not None and current.version != expected_version:
            self.conflicts += 1
        super().save(warning, expected_version=expected_version)


def test_a_holiday_of_staff_actions_delivered_concurrently_and_repeatedly_is_one_warning_per_rule_case_and_day(world):
    """Saturday: the window accepts, the handler submits, the reviewer passes; each transition hits
    非工作时间办理 and is delivered many times, two of them at the same moment. The first delivery's
    conditional put issues the day's one warning; the others find it and add their occurrence with
    a version-conditional write that retries when another delivery wrote first, so none is lost or
    doubled, and the inspectors are told once (the old per-event ids issued a warning per action)."""
    warnings, notifier = RacingWarnings(), RecordingNotifier()
    service = AnomalyService(
        cases=world.cases, catalog=world.catalog, warnings=warnings, notifier=notifier, calendar=WeekdayCalendar(), clock=world.clock
    )
    case_id, accepted = accepted_on_saturday(world)
    world.clock.advance(hours=2)  # Saturday 12:00
    world.staff.act(HANDLER, case_id, ACTION.validate_python({"action": "submit", "opinion": "符合条件"}), None)
    world.enter(case_id, "review")
    submitted = world.publisher.published[-1]
    world.clock.advance(hours=2)  # Saturday 14:00
    world.staff.act(REVIEWER, case_id, ACTION.validate_python({"action": "pass", "opinion": "同意"}), None)
    world.enter(case_id, "approve")
    passed = world.publisher.published[-1]
    assert [e.action for e in (accepted, submitted, passed)] == ["accept", "submit", "pass"]

    [warning] = service.check(accepted)
    # The reviewer's event is delivered while the handler's is between reading and writing the warning.
    warnings.between_read_and_write.append(lambda: service.check(passed))
    assert service.check(submitted) == []
    assert warnings.conflicts == 1  # the handler's write lost the race and was retried
    for _ in range(11):  # at-least-once delivery, again and again
        for event in (passed, submitted, accepted):
            assert service.check(event) == []

    [stored] = warnings.for_case(case_id)
    assert stored.warning_id == f"{case_id}-d20261128-anomaly-outside_working_hours" == warning.warning_id
    assert sorted(o.seq for o in stored.occurrences) == sorted([accepted.seq, submitted.seq, passed.seq])
    assert {o.action for o in stored.occurrences} == {"accept", "submit", "pass"} and stored.version == 3
    assert notifier.sent == [warning] and warnings.inboxes["city#inspector"] == [warning.warning_id]
