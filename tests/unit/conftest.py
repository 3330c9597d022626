from __future__ import annotations

import pytest

from sunlight.bootstrap import Container
from sunlight.config import Settings
from sunlight.models.catalog import CatalogItem, Department
from sunlight.models.roles import Principal, Role
from sunlight.services.applications import UploadPolicy, upload_key
from tests.fakes.cases import (
    FakeAttachments,
    FakeCatalog,
    FakeClock,
    FakePublisher,
    FakeWorkflow,
    InMemoryCases,
    InMemoryTrackingGuard,
    InMemoryUploadChecks,
    SequentialIds,
    WeekdayCalendar,
)
from tests.fakes.supervision import InMemoryWarnings, RecordingNotifier

ITEM = CatalogItem(
    item_code="330100-XK-0001",
    name="食品经营许可",
    category="行政许可",
    department_id="market",
    legal_basis="《中华人民共和国食品安全法》第三十五条",
    conditions="有与经营的食品品种、数量相适应的经营场所",
    materials=[{"material_id": "application", "name": "食品经营许可申请书"}],
    fees=[],
    legal_limit_days=20,
    promised_limit_days=10,
    step_limit_days={"accept": 1, "handle": 4, "review": 2, "approve": 2, "complete": 1},
    form_fields=[{"field_id": "companyName", "label": "企业名称"}, {"field_id": "remark", "label": "备注", "required": False}],
)
DEPARTMENTS = [Department(department_id="market", name="市市场监督管理局", short_name="市场监管局")]

CITIZEN = Principal(user_id="citizen-1", name="李华", roles=frozenset({Role.CITIZEN}))
OTHER_CITIZEN = Principal(user_id="citizen-2", name="王芳", roles=frozenset({Role.CITIZEN}))
WINDOW = Principal(user_id="w-1", name="张敏", roles=frozenset({Role.WINDOW}), department_id="market")
HANDLER = Principal(user_id="h-1", name="刘强", roles=frozenset({Role.HANDLER}), department_id="market")
REVIEWER = Principal(user_id="r-1", name="陈静", roles=frozenset({Role.REVIEWER}), department_id="market")
LEADER = Principal(user_id="l-1", name="赵刚", roles=frozenset({Role.LEADER}), department_id="market")
FOREIGN_WINDOW = Principal(user_id="w-9", name="周涛", roles=frozenset({Role.WINDOW}), department_id="planning")
INSPECTOR = Principal(user_id="i-1", name="孙监察", roles=frozenset({Role.INSPECTOR}), government_id="420700")

UPLOAD_POLICY = UploadPolicy(max_bytes=10 * 1024 * 1024, url_ttl_seconds=300)
# As a deployed function's: uploads per UPLOAD_POLICY, domain events on a bus (the fake publisher).
WORLD_SETTINGS = Settings(UPLOAD_MAX_BYTES=UPLOAD_POLICY.max_bytes, UPLOAD_URL_TTL_SECONDS=UPLOAD_POLICY.url_ttl_seconds,
                          EVENT_BUS_NAME="sunlight-test-bus")

APPLICANT = {"name": "李华", "id_type": "resident_id", "id_number": "11010519491231002X", "phone": "13800138000"}


class World:
    """The real services, built by the composition root on fakes, plus a stand-in for the state
    machine's callbacks."""

    def __init__(self, calendar=None) -> None:
        self.cases = InMemoryCases()
        self.catalog = FakeCatalog([ITEM], DEPARTMENTS)
        self.workflow = FakeWorkflow()
        self.attachments = FakeAttachments()
        self.clock = FakeClock()
        self.ids = SequentialIds()
        self.publisher = FakePublisher()
        self.upload_checks = InMemoryUploadChecks()
        self.tracking_guard = InMemoryTrackingGuard()
        self.warnings = InMemoryWarnings()
        self.notifier = RecordingNotifier()
        self.services = Container(
            WORLD_SETTINGS, cases=self.cases, catalog=self.catalog, workflow=self.workflow, attachments=self.attachments,
            clock=self.clock, ids=self.ids, publisher=self.publisher, calendar=calendar or WeekdayCalendar(),
            warnings=self.warnings, notifier=self.notifier, upload_checks=self.upload_checks,
            tracking_guard=self.tracking_guard,
        )
        self.applications = self.services.applications
        self.staff = self.services.staff
        self.tracking = self.services.tracking
        self.flow = self.services.flow
        self.deadlines = self.services.deadlines
        self.procedures = self.services.procedures
        self.cards = self.services.cards
        self._tokens = 0

    def uploaded(self, principal: Principal = CITIZEN, upload_id: str = "a" * 32, *, checked: bool = True, **kwargs) -> str:
        """An upload stored in S3 and, unless `checked=False`, passed by the upload check."""
        key = upload_key(principal.user_id, upload_id)
        self.attachments.put(key, **kwargs)
        if checked:
            from sunlight.models.uploads import UploadCheck, UploadCheckStatus

            stored = self.attachments.stat(key)
            self.upload_checks.record_passed(UploadCheck(
                storage_key=key, owner_id=principal.user_id, upload_id=upload_id, status=UploadCheckStatus.PASSED,
                declared_type=stored.content_type, file_name=stored.file_name or "附件", checked_at=self.clock.now(),
            ))
        return upload_id

    def enter(self, case_id: str, step: str) -> str:
        """What the state machine does when it reaches a human step."""
        self._tokens += 1
        token = f"token-{self._tokens}"
        from sunlight.models.flow import Step

        self.flow.enter_step(case_id, Step(step), token)
        return token

    def submitted_case(self, **request) -> str:
        from sunlight.models.requests import ApplicationRequest

        body = {"item_code": ITEM.item_code, "applicant": APPLICANT, "form": {"companyName": "杭州味道餐饮有限公司"}} | request
        receipt = self.applications.apply(CITIZEN, ApplicationRequest.model_validate(body), None)
        return receipt.case_id


@pytest.fixture
def world() -> World:
    return World()
