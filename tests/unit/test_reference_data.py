"""One contract for the SPA: the reference data it names things by (GET /reference) comes from the
domain's enums, and GET /me, the applicant staff see and a timeline entry's details are typed
models in the OpenAPI document the SPA's types are generated from."""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import TypeAdapter

from sunlight.models.case import CLOSED_STATUSES, CaseStatus
from sunlight.models.catalog import EX_OFFICIO_CATEGORIES, Category
from sunlight.models.clock import PauseReason
from sunlight.models.flow import STAFF_STEPS, STEP_ROLE, Outcome, Step
from sunlight.models.reference import reference_data
from sunlight.models.requests import StaffAction
from sunlight.models.roles import STAFF_ROLES, MeView, Principal, Role
from sunlight.models.users import MANAGED_ROLES
from sunlight.models.views import TimelineEntry
from tests.unit.conftest import CITIZEN, HANDLER, ITEM, LEADER, REVIEWER, WINDOW

ACTION = TypeAdapter(StaffAction)


def test_reference_data_is_built_from_the_domains_enums():
    data = reference_data()
    assert [(r.value, r.label, r.staff) for r in data.roles] == [(r, r.label, r in STAFF_ROLES) for r in Role]
    assert tuple(r.value for r in data.roles if r.managed) == MANAGED_ROLES
    assert [r.label for r in data.roles][:3] == ["申请人", "窗口受理人员", "承办人"]
    # The flow's order: 补正 is the applicant's loop between 受理 and 承办, not a staff step.
    assert [s.value for s in data.steps][:6] == ["accept", "supplement", "handle", "review", "approve", "complete"]
    assert [(f.value, f.label) for f in data.flow_patterns][:3] == [("instant", "即办件"), ("standard", "承诺件"), ("joint", "并联审批")]
    assert [s.value for s in data.steps if s.staff] == list(STAFF_STEPS)
    assert all(s.role is STEP_ROLE[s.value] and s.label == Step(s.value).label for s in data.steps)
    assert {s.value for s in data.statuses if s.closed} == CLOSED_STATUSES
    assert [s.value for s in data.statuses] == list(CaseStatus) and data.statuses[0].label == "已提交"
    assert [c.value for c in data.categories] == list(Category)
    assert {c.value for c in data.categories if not c.on_application} == EX_OFFICIO_CATEGORIES
    assert [(d.value, d.label) for d in data.due_states] == [("overdue", "已超期"), ("near", "临近时限"), ("normal", "正常"), ("none", "不计时")]
    assert [(i.value, i.label) for i in data.id_types] == [("resident_id", "居民身份证"), ("credit_code", "统一社会信用代码"), ("passport", "护照")]
    assert [p.value for p in data.pause_reasons if not p.special] == [PauseReason.SUPPLEMENT]
    assert (data.system_actor.value, data.system_actor.label) == ("system", "系统")
    assert [g.label for g in data.government_levels] == ["市级", "县（市、区）级", "乡镇（街道）级", "村（社区）级"]


def test_reference_route_is_public_and_typed_in_the_document():
    from http_api import access
    from http_api.reference_routes import reference
    from infra.tools import openapi_export

    assert access.POLICY[("GET", "/reference")].public
    assert reference() == reference_data()
    document = openapi_export.openapi_document()
    answer = document["paths"]["/reference"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer == {"$ref": "#/components/schemas/ReferenceData"}
    assert set(document["components"]["schemas"]["ReferenceData"]["properties"]) >= {"roles", "steps", "statuses", "due_states"}


def test_me_is_a_model_in_the_document():
    from infra.tools import openapi_export

    leader = Principal(user_id="u-1", name="赵刚", roles=frozenset({Role.WINDOW, Role.LEADER}), department_id="market")
    me = MeView.of(leader).model_dump(mode="json")
    assert me == {"user_id": "u-1", "name": "赵刚", "roles": ["leader", "window"], "role_labels": ["分管领导", "窗口受理人员"],
                  "department_id": "market", "government_id": None, "bureau": None}
    bureau = Principal(user_id="u-2", name="蔡文杰", roles=frozenset({Role.INSPECTOR}), government_id="420704")
    assert MeView.of(bureau).government_id == "420704"
    assert MeView.of(bureau).bureau == "level"  # the SPA tells a district's 监察局 from the city's by this
    assert MeView.of(bureau.model_copy(update={"government_id": "420700"})).bureau == "city"
    assert MeView.of(bureau.model_copy(update={"government_id": None})).bureau is None  # no level: no 监察局
    document = openapi_export.openapi_document()
    answer = document["paths"]["/me"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert answer == {"$ref": "#/components/schemas/MeView"}
    staff_view = document["components"]["schemas"]["StaffCaseView"]["properties"]
    assert staff_view["applicant"] == {"$ref": "#/components/schemas/StaffApplicant"}
    timeline = document["components"]["schemas"]["TimelineEntry"]["properties"]["details"]
    assert "TimelineDetails" in str(timeline)


def test_staff_see_the_applicant_typed_with_the_id_number_masked(world):
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    applicant = world.staff.case_detail(WINDOW, case_id).applicant
    assert (applicant.name, applicant.id_type, applicant.id_number) == ("李华", "resident_id", "110***********002X")


def test_timeline_details_model_every_key_the_use_cases_write(world):
    """Every detail a use case records shows in the view unchanged: a new key a service writes
    and the model lacks fails here (the view would drop it)."""
    act = lambda principal, case_id, **body: world.staff.act(principal, case_id, ACTION.validate_python(body), None)  # noqa: E731
    from sunlight.models.requests import SupplementRequest, WindowApplicationRequest

    walk_in = WindowApplicationRequest.model_validate({
        "item_code": ITEM.item_code, "form": {"companyName": "王记小吃店"}, "upload_ids": [world.uploaded(WINDOW)],
        "applicant": {"name": "王建国", "id_number": "11010519491231002X", "phone": "13912345678"},
    })
    walk_in_id = world.applications.apply_at_window(WINDOW, walk_in, "walkin-key-0001").case_id  # channel
    case_id = world.submitted_case()
    world.enter(case_id, "accept")
    act(WINDOW, case_id, action="request_supplement", missing_materials=["营业执照副本"])
    world.enter(case_id, "supplement")
    supplement = world.uploaded(CITIZEN, upload_id="c" * 32)
    world.applications.supplement(CITIZEN, case_id, SupplementRequest(upload_ids=[supplement]), None)
    world.enter(case_id, "accept")
    act(WINDOW, case_id, action="accept")
    world.enter(case_id, "handle")
    world.procedures.start_special_procedure(HANDLER, case_id, PauseReason.EXPERT_REVIEW, "专家评审")
    world.procedures.end_special_procedure(HANDLER, case_id, "评审结束")
    world.procedures.request_extension(HANDLER, case_id, 2, "需现场核查")
    world.procedures.decide_extension(LEADER, case_id, 1, True, "同意")
    act(HANDLER, case_id, action="submit", opinion="符合条件")
    world.enter(case_id, "review")
    act(REVIEWER, case_id, action="pass")
    world.enter(case_id, "approve")
    act(LEADER, case_id, action="approve", opinion="准予许可", penalty_yuan="100")
    world.enter(case_id, "complete")
    act(WINDOW, case_id, action="complete", opinion="证书编号 JY001", fee_charged_yuan=80)
    world.flow.finalize(case_id, Outcome.COMPLETED)

    deemed_id = world.submitted_case()
    world.enter(deemed_id, "accept")
    world.clock.current += timedelta(days=14)
    world.deadlines.sweep(world.clock.current)  # nobody accepted it in time: 视为受理

    events = world.cases.events[walk_in_id] + world.cases.events[case_id] + world.cases.events[deemed_id]
    written = {key for event in events for key in event.details}
    assert written >= {"channel", "attachment_ids", "missing_materials", "reason", "days", "extension_id",
                       "penalty_yuan", "fee_charged_yuan", "accepted_as_of", "basis"}
    for event in events:
        shown = TimelineEntry.of(event, reveal_people=True).details.model_dump(mode="json", exclude_none=True)
        assert set(shown) == set(event.details), event.action
        for key, value in event.details.items():
            if key == "accepted_as_of":
                assert datetime.fromisoformat(shown[key]) == datetime.fromisoformat(value)
            else:
                assert shown[key] == value, (event.action, key)


def test_an_unknown_detail_of_an_older_event_is_left_out():
    from sunlight.models.case import Actor, TimelineEvent

    event = TimelineEvent(case_id="c", seq=1, occurred_at=datetime.fromisoformat("2026-12-07T09:00:00+08:00"),
                          actor=Actor.of(CITIZEN, Role.CITIZEN), action="apply", from_state=None, to_state=CaseStatus.SUBMITTED,
                          details={"attachment_ids": ["a"], "retired_key": 1})
    assert TimelineEntry.of(event, reveal_people=False).details.model_dump(exclude_none=True) == {"attachment_ids": ["a"]}
