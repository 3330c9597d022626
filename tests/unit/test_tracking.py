from __future__ import annotations

import pytest

from sunlight.models.requests import TrackRequest
from sunlight.services.errors import Forbidden, NotFound
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
