from __future__ import annotations

import pytest

from sunlight.models.requests import TrackRequest
from sunlight.services.errors import Forbidden, NotFound, TooManyAttempts
from sunlight.services.tracking import TRACK_NOT_FOUND
from tests.unit.conftest import CITIZEN, OTHER_CITIZEN, WINDOW


def test_track_with_case_number_and_query_code(world):
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    view = world.tracking.track(TrackRequest(case_id=case_id, query_code="246810"))
    assert view.status_label == "待受理" and view.applicant_name == "李*"
    assert [e.actor_name for e in view.timeline] == ["申请人", "系统"]


def test_wrong_code_and_unknown_case_give_the_same_answer(world):
    case_id = world.submitted_case()
    with pytest.raises(NotFound) as wrong_code:
        world.tracking.track(TrackRequest(case_id=case_id, query_code="000000"))
    with pytest.raises(NotFound) as unknown:
        world.tracking.track(TrackRequest(case_id="SL20990101ZZZZZZ", query_code="246810"))
    assert wrong_code.value.message == unknown.value.message == TRACK_NOT_FOUND


def test_applicant_sees_own_cases_only(world):
    case_id = world.submitted_case()
    assert [c.case_id for c in world.tracking.my_cases(CITIZEN, cursor=None, limit=10).items] == [case_id]
    assert world.tracking.my_case(CITIZEN, case_id).query_code == "246810"
    assert world.tracking.my_cases(OTHER_CITIZEN, cursor=None, limit=10).items == []
    with pytest.raises(Forbidden):
        world.tracking.my_case(OTHER_CITIZEN, case_id)
    with pytest.raises(Forbidden):
        world.tracking.my_case(WINDOW, case_id)


# --- lockout after wrong query codes (brute force of the 6-digit code) ------------------------


def _track(world, case_id: str, code: str):
    return world.tracking.track(TrackRequest(case_id=case_id, query_code=code))


def _wrong_codes(world, case_id: str, count: int) -> list[str]:
    """What each of `count` wrong codes is answered: the error class names."""
    answers = []
    for n in range(count):
        try:
            _track(world, case_id, f"{900000 + n:06d}")
        except (NotFound, TooManyAttempts) as error:
            answers.append(type(error).__name__)
    return answers


def test_five_wrong_codes_lock_tracking_even_for_the_right_code(world):
    case_id = world.submitted_case()
    assert _wrong_codes(world, case_id, 5) == ["NotFound"] * 4 + ["TooManyAttempts"]
    with pytest.raises(TooManyAttempts) as locked:
        _track(world, case_id, "246810")  # the right code is refused while locked
    # 09:00 (Beijing) + 30 minutes; the way back: the applicant's account or the window.
    assert "11月23日 09:30" in locked.value.message
    assert "我的办件" in locked.value.message and "窗口" in locked.value.message
    assert locked.value.retry_after_seconds == 30 * 60
    # The applicant signed in still sees the case.
    assert world.tracking.my_case(CITIZEN, case_id).case_id == case_id


def test_lock_ends_after_thirty_minutes_and_counting_starts_again(world):
    case_id = world.submitted_case()
    _wrong_codes(world, case_id, 5)
    world.clock.advance(minutes=29, seconds=59)
    with pytest.raises(TooManyAttempts):
        _track(world, case_id, "246810")
    world.clock.advance(seconds=1)
    assert _track(world, case_id, "246810").case_id == case_id
    assert _wrong_codes(world, case_id, 5) == ["NotFound"] * 4 + ["TooManyAttempts"]


def test_wrong_codes_spread_beyond_the_window_do_not_lock(world):
    case_id = world.submitted_case()
    assert _wrong_codes(world, case_id, 4) == ["NotFound"] * 4
    world.clock.advance(minutes=15)
    assert _wrong_codes(world, case_id, 4) == ["NotFound"] * 4
    assert _track(world, case_id, "246810").case_id == case_id


def test_unknown_case_numbers_lock_alike(world):
    """Otherwise a 6th try answering 429 would tell that a case number exists."""
    real = world.submitted_case()
    assert _wrong_codes(world, "SL20990101ZZZZZZ", 6) == _wrong_codes(world, real, 6)


def test_a_lock_is_per_case_number(world):
    first = world.submitted_case()
    second = world.submitted_case(form={"companyName": "杭州第二餐饮有限公司"})
    _wrong_codes(world, first, 5)
    assert _track(world, second.lower(), "246810").case_id == second  # typed in lower case: same key
    _wrong_codes(world, second.lower(), 5)
    with pytest.raises(TooManyAttempts):
        _track(world, second, "246810")
