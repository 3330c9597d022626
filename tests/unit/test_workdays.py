"""The working-day clock against the real Chinese calendar (holidays and 调休 adjusted workdays)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from sunlight.rules.workdays import ChinaCalendar, add_working_days, due_after, local_date

CALENDAR = ChinaCalendar()


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        # National Day 2025: 1–8 Oct off; Sun 28 Sep and Sat 11 Oct are working days.
        (date(2025, 9, 26), 1, date(2025, 9, 28)),
        (date(2025, 9, 26), 3, date(2025, 9, 30)),
        (date(2025, 9, 30), 1, date(2025, 10, 9)),
        (date(2025, 10, 9), 2, date(2025, 10, 11)),
        # Spring Festival 2026: 15–23 Feb off; Sat 14 Feb and Sat 28 Feb are working days.
        (date(2026, 2, 13), 1, date(2026, 2, 14)),
        (date(2026, 2, 14), 1, date(2026, 2, 24)),
        (date(2026, 2, 27), 1, date(2026, 2, 28)),
        # Spring Festival 2024: 10–17 Feb off; Sun 4 Feb and Sun 18 Feb are working days.
        (date(2024, 2, 2), 1, date(2024, 2, 4)),
        (date(2024, 2, 8), 1, date(2024, 2, 9)),  # 除夕 2024 was a working day
        (date(2024, 2, 9), 1, date(2024, 2, 18)),
        # An ordinary week, and zero days.
        (date(2026, 11, 20), 1, date(2026, 11, 23)),
        (date(2026, 11, 23), 0, date(2026, 11, 23)),
    ],
)
def test_add_working_days_on_the_chinese_calendar(start, days, expected):
    assert add_working_days(start, days, CALENDAR) == expected


def test_days_are_counted_in_china_time():
    # 2026-11-22 17:00 UTC is already Monday 23 Nov 01:00 in Beijing.
    moment = datetime(2026, 11, 22, 17, 0, tzinfo=UTC)
    assert local_date(moment) == date(2026, 11, 23)
    assert due_after(moment, 1, CALENDAR).isoformat() == "2026-11-24T23:59:59+08:00"


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 5), -1, CALENDAR)
