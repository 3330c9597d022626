"""Documents (文书): which transition issues which document, the 文号, the text of the rendered PDF
(extracted with pypdf), and the issuing service's idempotence."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from pypdf import PdfReader

from sunlight.adapters.pdf_reportlab import ReportLabRenderer
from sunlight.models.case import Actor, Applicant, Case, CaseStatus, TimelineEvent
from sunlight.models.documents import DOCUMENT_CODES, CaseDocument, DocumentKind, document_number
from sunlight.models.events import CaseTransitionedV1
from sunlight.models.roles import Principal, Role
from sunlight.rules.documents import IssuingEvent, document_for, document_text, document_year
from sunlight.services.documents import DocumentService, document_key
from sunlight.services.errors import Forbidden, NotFound
from tests.fakes.cases import FakeCatalog, FakeClock, InMemoryCases
from tests.fakes.catalog import make_department
from tests.fakes.documents import InMemoryDocumentFiles, InMemoryDocumentRegistry

CHINA = timezone(timedelta(hours=8))
CASE_ID = "SL20260302000012"
APPLICANT_ID = "citizen-1"
WINDOW = Actor(user_id="window-1", name="王窗口", role="window")


def make_case(**overrides) -> Case:
    fields = dict(
        case_id=CASE_ID, query_code="246810", item_code="SC-001", item_name="食品经营许可", department_id="market",
        department_name="市市场监督管理局",
        applicant=Applicant(name="李华", id_type="resident_id", id_number="11010519491231002X", phone="13800138000"),
        applicant_user_id=APPLICANT_ID, form={}, status=CaseStatus.HANDLE, step_limit_days={},
        promised_due_on=date(2026, 3, 13), legal_due_on=date(2026, 3, 27),
        submitted_at=datetime(2026, 3, 2, 9, 0, tzinfo=CHINA), updated_at=datetime(2026, 3, 2, 9, 0, tzinfo=CHINA),
    )
    return Case(**fields | overrides)


def transition(action: str, to_state: str, *, seq: int = 3, opinion: str | None = None, case: Case | None = None,
               occurred_at: datetime = datetime(2026, 3, 2, 10, 30, tzinfo=CHINA), **details) -> CaseTransitionedV1:
    case = case or make_case()
    event = TimelineEvent(case_id=case.case_id, seq=seq, occurred_at=occurred_at, actor=WINDOW, action=action,
                          from_state=CaseStatus.ACCEPT, to_state=CaseStatus.HANDLE, opinion=opinion, details=details)
    # to_state is a plain string on the bus: other flows' states are not members of this branch's enum.
    return CaseTransitionedV1.of(case, event, recorded_at=occurred_at).model_copy(update={"to_state": to_state})


def pdf_text(content: bytes) -> str:
    assert content.startswith(b"%PDF-")
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).replace("\n", "")


# --- which transition issues which document ------------------------------------------------------

@pytest.mark.parametrize(("action", "to_state", "kind"), [
    ("accept", "handle", DocumentKind.ACCEPTANCE),
    ("accept", "opinion", DocumentKind.ACCEPTANCE),  # joint: the lead accepts, the co-departments give opinions
    ("reject", "rejected", DocumentKind.REJECTION),
    ("request_supplement", "supplement", DocumentKind.SUPPLEMENT_NOTICE),
    ("approve", "complete", DocumentKind.LICENCE_GRANTED),
    ("approve", "completed", DocumentKind.LICENCE_GRANTED),  # 即办件: decided on the spot
    ("deny", "denied", DocumentKind.LICENCE_DENIED),
    ("notify", "statement", DocumentKind.PENALTY_PRIOR_NOTICE),
    ("schedule_hearing", "hearing", DocumentKind.HEARING_NOTICE),
    ("penalize", "deliver", DocumentKind.PENALTY_DECISION),
    ("penalize", "execute", DocumentKind.PENALTY_DECISION),  # simple procedure: on the spot
    ("delivered", "execute", DocumentKind.SERVICE_RECEIPT),
    ("rectify", "rectification", DocumentKind.RECTIFICATION_ORDER),
])
def test_each_issuing_transition_maps_to_its_document(action, to_state, kind):
    assert document_for(action, to_state) is kind


@pytest.mark.parametrize(("action", "to_state"), [
    ("apply", "submitted"), ("dispatch", "accept"), ("submit", "review"), ("pass", "approve"), ("return", "handle"),
    ("resubmit", "accept"), ("complete", "completed"), ("withdraw", "withdrawn"), ("suspend", "suspended"),
    ("request_supplement", "gather"),  # a co-department's request joins the lead's one notice
    ("approve", "review"),
])
def test_other_transitions_issue_nothing(action, to_state):
    assert document_for(action, to_state) is None


# --- 文号 --------------------------------------------------------------------------------------

def test_document_number_names_department_kind_year_and_number():
    assert document_number("市场监管局", DocumentKind.ACCEPTANCE, 2026, 12) == "市场监管局受字〔2026〕第12号"
    assert len(set(DOCUMENT_CODES.values())) == len(DocumentKind), "two kinds must never share a 文号 code"


def test_year_is_the_city_year_of_the_decision():
    # 2026-12-31 17:00 UTC is 2027-01-01 01:00 in the city: numbered in 2027.
    assert document_year(datetime(2026, 12, 31, 17, 0, tzinfo=UTC)) == 2027
    assert document_year(datetime(2026, 12, 31, 15, 0, tzinfo=UTC)) == 2026


# --- the rendered text -------------------------------------------------------------------------------

def render(kind: DocumentKind, *, case: Case | None = None, opinion: str | None = None, **details) -> str:
    event = IssuingEvent(seq=3, action="x", occurred_at=datetime(2026, 3, 4, 15, 0, tzinfo=CHINA), opinion=opinion, details=details)
    text = document_text(kind, case=case or make_case(), event=event, number_text="市场监管局受字〔2026〕第12号",
                         issuer="市市场监督管理局")
    return pdf_text(ReportLabRenderer().render(text))


def test_acceptance_notice_pdf_says_title_number_applicant_item_decision_and_dates():
    text = render(DocumentKind.ACCEPTANCE)
    for expected in ("受理通知书", "市场监管局受字〔2026〕第12号", "李华", "食品经营许可", CASE_ID, "决定予以受理",
                     "第三十二条", "2026年3月2日", "2026年3月13日", "2026年3月4日", "市市场监督管理局"):
        assert expected in text, expected


def test_supplement_notice_lists_every_missing_item_at_once():
    case = make_case(supplement_due_at=datetime(2026, 3, 11, 23, 59, tzinfo=CHINA))
    text = render(DocumentKind.SUPPLEMENT_NOTICE, case=case, opinion="复印件须加盖公章",
                  missing_materials=["营业执照复印件", "食品安全管理制度", "经营场所平面图"])
    for expected in ("补正告知书", "一次性告知", "共3项", "1. 营业执照复印件", "2. 食品安全管理制度", "3. 经营场所平面图",
                     "复印件须加盖公章", "2026年3月11日", "视为撤回申请"):
        assert expected in text, expected


@pytest.mark.parametrize(("kind", "opinion", "details", "expected"), [
    (DocumentKind.REJECTION, "申请事项不属于本机关职权范围", {}, ("不予受理决定书", "申请事项不属于本机关职权范围", "决定不予受理", "行政复议")),
    (DocumentKind.LICENCE_GRANTED, "同意许可，有效期五年", {}, ("准予行政许可决定书", "决定准予行政许可", "同意许可，有效期五年", "第三十八条")),
    (DocumentKind.LICENCE_DENIED, "经营场所不符合卫生要求", {}, ("不予行政许可决定书", "经营场所不符合卫生要求", "决定不予行政许可", "行政诉讼")),
    (DocumentKind.PENALTY_PRIOR_NOTICE, None, {"penalty_yuan": "5000.00"}, ("行政处罚事先告知书", "罚款人民币5000.00元", "陈述和申辩", "听证", "五个工作日")),
    (DocumentKind.HEARING_NOTICE, None, {"hearing_at": "2026年3月12日上午9时", "hearing_place": "本局三楼听证室"},
     ("听证通知书", "2026年3月12日上午9时", "本局三楼听证室", "第六十四条")),
    (DocumentKind.PENALTY_DECISION, "销售过期食品", {"penalty_yuan": "5000.00"}, ("行政处罚决定书", "销售过期食品", "罚款人民币5000.00元", "十五日内缴纳罚款")),
    (DocumentKind.SERVICE_RECEIPT, None, {"delivery_method": "邮寄送达"}, ("送达回证", "行政处罚决定书", "李华", "邮寄送达", "2026年3月4日")),
    (DocumentKind.RECTIFICATION_ORDER, "后厨未设防蝇设施", {"rectification_due_on": "2026-03-20"},
     ("责令整改通知书", "后厨未设防蝇设施", "于2026年3月20日前整改完毕")),
])
def test_each_document_says_its_decision(kind, opinion, details, expected):
    text = render(kind, opinion=opinion, **details)
    for phrase in (*expected, "市场监管局受字〔2026〕第12号", "李华"):
        assert phrase in text, phrase


def test_markup_characters_in_an_opinion_are_text_not_markup():
    text = render(DocumentKind.LICENCE_DENIED, opinion="面积<30平方米 & 无排烟设施")
    assert "面积<30平方米 & 无排烟设施" in text


# --- the issuing service -------------------------------------------------------------------------------

class Fixture:
    def __init__(self) -> None:
        self.cases = InMemoryCases()
        self.cases.cases[CASE_ID] = make_case()
        self.registry = InMemoryDocumentRegistry()
        self.files = InMemoryDocumentFiles()
        self.service = DocumentService(
            cases=self.cases, catalog=FakeCatalog([], [make_department(short_name="市场监管局")]), registry=self.registry,
            files=self.files, renderer=ReportLabRenderer(), clock=FakeClock(),
        )


def test_issuing_numbers_stores_and_records_the_document():
    fx = Fixture()
    document = fx.service.issue(transition("accept", "handle"))
    assert document is not None and document.stored_at is not None
    assert document.number_text == "市场监管局受字〔2026〕第1号"
    assert document.storage_key == document_key(CASE_ID, 3, DocumentKind.ACCEPTANCE)
    assert "市场监管局受字〔2026〕第1号" in pdf_text(fx.files.files[document.storage_key])
    assert fx.files.names[document.storage_key] == "受理通知书（市场监管局受字〔2026〕第1号）.pdf"


def test_a_redelivered_event_takes_no_second_number():
    fx = Fixture()
    first = fx.service.issue(transition("accept", "handle"))
    again = fx.service.issue(transition("accept", "handle"))
    assert again == first and fx.registry.claims == 1 and fx.files.puts == 1


def test_a_retry_after_a_failed_store_renders_under_the_number_already_taken():
    fx = Fixture()

    def failing_put(key, content, *, file_name):
        raise ConnectionError("S3 unavailable")

    working_put = fx.files.put_pdf
    fx.files.put_pdf = failing_put  # type: ignore[method-assign]
    with pytest.raises(ConnectionError):
        fx.service.issue(transition("accept", "handle"))
    fx.files.put_pdf = working_put  # type: ignore[method-assign]
    document = fx.service.issue(transition("accept", "handle"))
    assert document is not None and document.number == 1 and fx.registry.claims == 1


def test_numbers_run_per_department_year_and_kind():
    fx = Fixture()
    fx.cases.cases["SL2"] = make_case(case_id="SL2")
    a = fx.service.issue(transition("accept", "handle"))
    b = fx.service.issue(transition("accept", "handle", case=make_case(case_id="SL2")))
    c = fx.service.issue(transition("request_supplement", "supplement", seq=4, missing_materials=["营业执照"]))
    d = fx.service.issue(transition("accept", "handle", seq=9, occurred_at=datetime(2027, 1, 4, 9, 0, tzinfo=CHINA)))
    assert [x.number_text for x in (a, b, c, d) if x] == [
        "市场监管局受字〔2026〕第1号", "市场监管局受字〔2026〕第2号", "市场监管局补字〔2026〕第1号", "市场监管局受字〔2027〕第1号",
    ]


def test_a_transition_that_issues_nothing_stores_nothing():
    fx = Fixture()
    assert fx.service.issue(transition("submit", "review")) is None
    assert fx.files.files == {} and fx.registry.documents == {}


# --- reading: who may list and download --------------------------------------------------------------

def principal(user_id: str, *roles: Role, department_id: str | None = None) -> Principal:
    return Principal(user_id=user_id, name="某人", roles=frozenset(roles), department_id=department_id)


def test_the_applicant_lists_and_downloads_their_own_documents_and_no_one_elses():
    fx = Fixture()
    fx.service.issue(transition("accept", "handle"))
    own = principal(APPLICANT_ID, Role.CITIZEN)
    [view] = fx.service.for_applicant(own, CASE_ID).items
    assert (view.title, view.number_text, view.document_id) == ("受理通知书", "市场监管局受字〔2026〕第1号", "3-acceptance")
    link = fx.service.applicant_link(own, CASE_ID, view.document_id)
    assert document_key(CASE_ID, 3, DocumentKind.ACCEPTANCE) in link.url and link.expires_in_seconds == 300
    other = principal("citizen-2", Role.CITIZEN)
    with pytest.raises(Forbidden):
        fx.service.for_applicant(other, CASE_ID)
    with pytest.raises(Forbidden):
        fx.service.applicant_link(other, CASE_ID, view.document_id)
    with pytest.raises(NotFound):
        fx.service.applicant_link(own, CASE_ID, "4-acceptance")


def test_staff_of_the_department_read_the_documents_other_departments_do_not():
    fx = Fixture()
    fx.service.issue(transition("accept", "handle"))
    assert [v.kind for v in fx.service.for_staff(principal("h", Role.HANDLER, department_id="market"), CASE_ID).items] == [DocumentKind.ACCEPTANCE]
    with pytest.raises(Forbidden):
        fx.service.staff_link(principal("h2", Role.HANDLER, department_id="tax"), CASE_ID, "3-acceptance")


def test_a_document_whose_pdf_is_not_stored_yet_is_not_listed():
    fx = Fixture()
    fx.registry.claim(_draft(), prefix="市场监管局")  # numbered, its PDF not yet put
    assert fx.service.for_applicant(principal(APPLICANT_ID, Role.CITIZEN), CASE_ID).items == []


def _draft() -> CaseDocument:
    return CaseDocument(case_id=CASE_ID, seq=3, kind=DocumentKind.ACCEPTANCE, department_id="market", year=2026, number=1,
                        number_text="", storage_key=document_key(CASE_ID, 3, DocumentKind.ACCEPTANCE),
                        issued_at=datetime(2026, 3, 2, 10, 30, tzinfo=CHINA))
