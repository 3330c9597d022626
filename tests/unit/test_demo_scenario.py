"""Pure parts of the `make run` demo scenario: the day it starts on, the resident ids it applies
with, and the form values it fills in."""

from __future__ import annotations

from datetime import date, datetime

from infra.local.demo_scenario import APPLICANTS, _form_value, first_demo_day, last_working_day, resident_id
from sunlight.rules.workdays import CHINA_TZ


def test_the_story_starts_on_a_working_day_with_enough_of_its_month_left():
    # Sunday afternoon: Monday would leave only five working days in November → early December.
    assert first_demo_day(datetime(2026, 11, 22, 15, 0, tzinfo=CHINA_TZ)) == date(2026, 12, 1)
    assert first_demo_day(datetime(2026, 11, 2, 8, 0, tzinfo=CHINA_TZ)) == date(2026, 11, 2)  # before 09:00: today
    assert first_demo_day(datetime(2026, 11, 2, 10, 0, tzinfo=CHINA_TZ)) == date(2026, 11, 3)
    # The National Day holiday (1–7 October 2026): the first working day after it.
    assert first_demo_day(datetime(2026, 9, 30, 10, 0, tzinfo=CHINA_TZ)) == date(2026, 10, 8)


def test_the_month_ends_on_its_last_working_day():
    assert last_working_day(date(2026, 11, 5)) == date(2026, 11, 30)
    assert last_working_day(date(2026, 10, 5)) == date(2026, 10, 30)  # the 31st is a Saturday


def test_resident_ids_carry_their_check_digit():
    assert resident_id("11010519491231002") == "11010519491231002X"
    assert resident_id("42070019800312301")[-1] != resident_id("42070019800312302")[-1]


def test_form_values_follow_the_label_and_fit_the_field():
    applicant = APPLICANTS[0]
    assert _form_value({"label": "统一社会信用代码", "max_length": 18}, applicant) == applicant.credit_code
    assert _form_value({"label": "设备类别（电梯/锅炉/压力容器）", "max_length": 40}, applicant) == "电梯"
    assert _form_value({"label": "床位（张）", "max_length": 6}, applicant) == "20"
    assert len(_form_value({"label": "某个很长很长的未知字段名称", "max_length": 4}, applicant)) == 4


def test_the_demo_reports_cases_up_to_the_seeded_items_deciding_department():
    """上报件: a demo step on the upper part is done by the staff of the department the seeded item
    names as deciding (upper_department_id), and the demo has one at the city and one issued."""
    import json
    from pathlib import Path

    from infra.local.demo_scenario import REPORTED_AT_CITY, REPORTED_DONE, demo_cases

    seed = json.loads((Path(__file__).resolve().parents[2] / "infra" / "seed" / "catalog.json").read_text(encoding="utf-8"))
    items = {item["item_code"]: item for item in seed["items"]}
    reported = [c for c in demo_cases() if any(s.upper for steps in c.steps_by_phase.values() for s in steps)]
    assert sorted(c.label for c in reported) == sorted([REPORTED_AT_CITY, REPORTED_DONE])
    for case in reported:
        item = items[case.item_code]
        assert (item["flow"], item["department_id"], item["upper_department_id"]) == ("reported", case.department, case.upper_department)
    done = next(c for c in reported if c.label == REPORTED_DONE)
    last = [s for steps in done.steps_by_phase.values() for s in steps][-1]
    assert (last.upper, last.role, last.status) == (False, "window", "complete")  # issued below (办结)
