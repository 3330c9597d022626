"""Satisfaction ratings: once per closed case, by its applicant; staff and inspectors read it."""

from __future__ import annotations

import pytest

from sunlight.models.case import CaseStatus
from sunlight.models.complaints import RatingRequest
from sunlight.services.errors import Conflict, Forbidden, NotFound
from sunlight.services.satisfaction import SatisfactionService
from tests.fakes.calendar import RecordingEvents
from tests.fakes.social import InMemoryRatings
from tests.unit.conftest import CITIZEN, FOREIGN_WINDOW, INSPECTOR, OTHER_CITIZEN, WINDOW


@pytest.fixture
def rated(world):
    events = RecordingEvents()
    service = SatisfactionService(ratings=InMemoryRatings(), cases=world.cases, events=events, clock=world.clock)
    return service, events


def _close(world, case_id: str, status: CaseStatus = CaseStatus.COMPLETED) -> None:
    world.cases.cases[case_id] = world.cases.cases[case_id].model_copy(update={"status": status})


def test_the_applicant_rates_a_closed_case_once(world, rated):
    service, events = rated
    case_id = world.submitted_case()
    with pytest.raises(Conflict, match="办结后才能评价"):
        service.rate(CITIZEN, case_id, RatingRequest(score=5), None)
    assert service.my_rating(CITIZEN, case_id).rateable is False
    _close(world, case_id)
    assert service.my_rating(CITIZEN, case_id).rateable is True

    view = service.rate(CITIZEN, case_id, RatingRequest(score=5, comment="很快"), "rating-key-1")
    assert (view.score, view.comment, view.rateable) == (5, "很快", False)
    with pytest.raises(Conflict, match="只能评价一次"):
        service.rate(CITIZEN, case_id, RatingRequest(score=1), "rating-key-2")
    # the same request retried: answered again, the same fact published again (counted once by id)
    assert service.rate(CITIZEN, case_id, RatingRequest(score=5, comment="很快"), "rating-key-1").score == 5
    assert [(t, d["event_id"], d["rating"], d["department_id"]) for t, d, _ in events.published] == [
        ("SatisfactionRated", f"{case_id}:rated", 5, "market")
    ] * 2


@pytest.mark.parametrize("status", [CaseStatus.DENIED, CaseStatus.REJECTED])
def test_denied_and_rejected_cases_may_be_rated(world, rated, status):
    service, _ = rated
    case_id = world.submitted_case()
    _close(world, case_id, status)
    assert service.rate(CITIZEN, case_id, RatingRequest(score=2), None).score == 2


def test_who_may_rate_and_read(world, rated):
    service, _ = rated
    case_id = world.submitted_case()
    _close(world, case_id, CaseStatus.WITHDRAWN)
    with pytest.raises(Conflict):
        service.rate(CITIZEN, case_id, RatingRequest(score=3), None)
    with pytest.raises(Forbidden):
        service.rate(OTHER_CITIZEN, case_id, RatingRequest(score=3), None)
    with pytest.raises(Forbidden):
        service.rate(WINDOW, case_id, RatingRequest(score=3), None)
    with pytest.raises(NotFound):
        service.my_rating(CITIZEN, "SL20990101000000")
    assert service.case_rating(WINDOW, case_id).score is None
    assert service.case_rating(INSPECTOR, case_id).case_id == case_id
    with pytest.raises(Forbidden):
        service.case_rating(FOREIGN_WINDOW, case_id)
