"""Contract of the inspection plans and published results (Cases table), against the fake and the
DynamoDB adapter: a plan is stored once per idempotency key, listed per department newest first,
and a result stored again is not listed twice."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import boto3
import pytest

from sunlight.adapters.dynamodb_inspections import DynamoInspectionRepository
from sunlight.models.case import Actor
from sunlight.models.inspection import InspectionDraw, InspectionPlan, InspectionResult, InspectionSubject, Officer, PublishedResult
from sunlight.rules import inspection_draw
from sunlight.services.ports import DuplicatePlanRequest, IdempotencyRecord, InspectionRepository
from tests.fakes.inspections import InMemoryInspections

from .conftest import IMPLEMENTATIONS, read_all

NOW = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
SUBJECTS = tuple(InspectionSubject(name=f"第{n}食品店", id_number=f"91420700MA4K0000{n:02d}", address="鄂州市古楼街",
                                   phone="13800138000") for n in range(4))
OFFICERS = (Officer(name="张执法", certificate_number="4207001"), Officer(name="李执法", certificate_number="4207002"))


@pytest.fixture(params=IMPLEMENTATIONS)
def plans(request) -> InspectionRepository:
    if request.param == "fake":
        return InMemoryInspections()
    stack = request.getfixturevalue("aws_resources")
    return DynamoInspectionRepository(boto3.client("dynamodb"), stack["CasesTableName"])


def a_plan(plan_id: str, department: str, created_at: datetime = NOW) -> InspectionPlan:
    seed = inspection_draw.new_seed()
    return InspectionPlan(
        plan_id=plan_id, name="双随机抽查", department_id=department, department_name="市市场监督管理局",
        item_code="420700-JC-0201", item_name="食品经营者监督检查（双随机抽查）",
        draw=InspectionDraw(seed=seed, algorithm=inspection_draw.ALGORITHM, subjects=SUBJECTS, officers=OFFICERS, count=2,
                            picks=inspection_draw.draw(seed, 4, 2, 2), drawn_by=Actor(user_id="l-1", name="赵刚", role="leader"),
                            drawn_at=created_at),
        cases=(), created_at=created_at,
    )


def test_a_plan_is_stored_once_per_idempotency_key(plans, unique):
    key = IdempotencyRecord(owner_id="l-1", key=f"k{unique}", case_id="", fingerprint="f1")
    first = a_plan(f"JC{unique}A", f"d{unique}")
    plans.create_plan(first, key)
    with pytest.raises(DuplicatePlanRequest) as duplicate:
        plans.create_plan(a_plan(f"JC{unique}B", f"d{unique}"), key)
    assert (duplicate.value.plan_id, duplicate.value.fingerprint) == (f"JC{unique}A", "f1")
    assert plans.get_plan(f"JC{unique}A") == first
    assert plans.get_plan(f"JC{unique}B") is None


def test_a_department_s_plans_are_listed_newest_first_and_only_its_own(plans, unique):
    for n in range(5):
        plans.create_plan(a_plan(f"JC{unique}{n}", f"d{unique}", NOW + timedelta(minutes=n)), None)
    plans.create_plan(a_plan(f"JC{unique}X", f"other{unique}"), None)
    listed = read_all(lambda **kw: plans.department_plans(f"d{unique}", **kw), limit=2)
    assert [p.plan_id for p in listed] == [f"JC{unique}{n}" for n in (4, 3, 2, 1, 0)]


def test_a_result_stored_again_is_listed_once(plans, unique):
    result = PublishedResult(case_id=f"SL{unique}", plan_name="双随机抽查", item_name="食品经营者监督检查", department_name="市市场监督管理局",
                             subject_name="第1食品店", credit_code="91420700MA4K000001", address="鄂州市古楼街",
                             result=InspectionResult.QUALIFIED, result_label=InspectionResult.QUALIFIED.label,
                             inspected_on=date(2026, 11, 20), published_on=date(2026, 11, 23))
    moment = datetime(2099, 1, 1, tzinfo=UTC)  # newest of every test's results: first on the list
    plans.put_result(result, published_at=moment)
    plans.put_result(result, published_at=moment)
    listed, _ = plans.results(limit=5, start_key=None)
    assert [r.case_id for r in listed].count(f"SL{unique}") == 1 and listed[0] == result
