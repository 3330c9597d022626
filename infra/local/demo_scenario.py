"""A realistic month of a city's approvals for `make run` (演示数据), driven through the real HTTP API.

Every figure the inspectors see afterwards comes from the running system itself: demo users sign
in with Cognito (USER_PASSWORD_AUTH), citizens apply and upload through presigned POSTs, staff act
on their worklists, Step Functions moves the cases, the demo clock moves forward so that the real
deadline check issues the cards, and an administrator closes the month. Nothing is written to a
table directly.

The story, in Asia/Shanghai time:
1. a working day at 09:00 at least six working days before the end of a month (today, or the next
   working day, or early next month when this month is nearly over): 14 applications over five
   departments (one an instant item decided at the window on the spot); most are accepted, some go further, one waits for 补正 (supplement);
   two 上报件 (行政许可法 第三十五条) are received, first reviewed and reported up by 鄂城区市场监管局
   to the city's 市场监管局, whose handler works its part case;
2. two working days later: cases are completed (one 不予批准), rated by their applicants, an
   extension (延期) is requested, a complaint is filed and dispatched, a survey is published and
   answered; one 上报件 is at the city's 审核 with an extension waiting for the city's leader
   (第四十二条), the other is approved by the city and issued by the district's window (办结);
3. the last working day of the month, 17:30: the deadline check has issued yellow/red cards; a
   supervision order (督办) is issued from a card and answered; the first complaint is concluded
   属实, a second one is dispatched and waits for the department's answer;
4. 08:30 on the 1st of the next month: the month is closed (rankings published) and three fresh
   applications arrive "today".
Alongside, two penalties (行政处罚法): on the first day the market department registers (立案) a food
safety case, investigates and notifies the party, who finds it online and asks for a hearing; the
hearing is notified 7 working days ahead and held on the 1st, followed by 法制审核, 集体讨论, the
decision, 送达, payment and 结案. A traffic police officer fines a pedestrian on the spot (简易程序).

`run_demo_scenario(system)` returns a DemoReport; `start_demo_thread(system)` runs it in the
background for `python -m infra.local` and logs progress in Chinese, ending with "演示数据已就绪"
(a failure is logged and the system keeps running). Tests never run it unless they ask.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import boto3
import requests

from sunlight.rules.workdays import CHINA_TZ, ChinaCalendar, add_working_days

log = logging.getLogger("sunlight.demo")

USERS_FILE = Path(__file__).resolve().parents[1] / "seed" / "users.json"
READY_LINE = "演示数据已就绪"
POLL_SECONDS = 0.1
STEP_TIMEOUT_SECONDS = 30.0
# A month needs this many working days after the demo's first day for cards to fall due in it
# (受理 1 working day + the 2-day supervision period for a red card, with room for 承办 steps).
MIN_WORKING_DAYS_LEFT = 6
# How far past the demo's last day its cases' dates can reach: the longest legal limit with its
# extension (行政许可法 第四十二条: 45 + 15 working days for unified or joint handling).
LONGEST_LIMIT_WORKING_DAYS = 60


class DemoError(RuntimeError):
    """The scenario could not go on; the message says which step failed and what the API answered."""


# --- people and HTTP ------------------------------------------------------------------------


class ApiUser:
    """One signed-in demo user (or the public) calling the API."""

    def __init__(self, api_url: str, username: str | None, token: str | None) -> None:
        self.api_url = api_url.rstrip("/")
        self.username = username or "public"
        self.session = requests.Session()
        if token:
            self.session.headers["Authorization"] = token

    def call(self, method: str, path: str, body: Any = None, *, expect: tuple[int, ...] = (200, 201),
             key: str | None = None, params: dict[str, Any] | None = None) -> Any:
        headers = {"Idempotency-Key": key} if key else {}
        response = self.session.request(method, self.api_url + path, json=body, params=params, headers=headers, timeout=30)
        if response.status_code not in expect:
            raise DemoError(f"{self.username} {method} {path} → {response.status_code}: {response.text[:500]}")
        return response.json() if response.content else None

    def get(self, path: str, **params: Any) -> Any:
        return self.call("GET", path, params=params or None)

    def post(self, path: str, body: Any = None, *, key: str | None = None) -> Any:
        return self.call("POST", path, body, key=key)

    def try_get(self, path: str) -> requests.Response:
        return self.session.get(self.api_url + path, timeout=30)


class People:
    """Signs each demo user in once (Cognito USER_PASSWORD_AUTH, like the SPA)."""

    def __init__(self, api_url: str, moto_url: str, client_id: str, region: str = "us-east-1") -> None:
        users = json.loads(USERS_FILE.read_text(encoding="utf-8"))
        self.password = users["password"]
        self.names = {u["username"]: u["name"] for u in users["users"]}
        self.api_url = api_url
        self.client_id = client_id
        self._cognito = boto3.client("cognito-idp", endpoint_url=moto_url, region_name=region,
                                     aws_access_key_id="testing", aws_secret_access_key="testing")
        self._users: dict[str, ApiUser] = {}
        self.public = ApiUser(api_url, None, None)

    def __call__(self, username: str) -> ApiUser:
        if username not in self._users:
            result = self._cognito.initiate_auth(
                ClientId=self.client_id, AuthFlow="USER_PASSWORD_AUTH",
                AuthParameters={"USERNAME": username, "PASSWORD": self.password})
            self._users[username] = ApiUser(self.api_url, username, result["AuthenticationResult"]["IdToken"])
        return self._users[username]


def _until(check: Callable[[], Any], what: str, timeout: float = STEP_TIMEOUT_SECONDS) -> Any:
    """Polls `check` until it returns something truthy (the system is asynchronous: Step Functions,
    the bus, the fact consumer)."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise DemoError(f"等待超时：{what}")
        time.sleep(POLL_SECONDS)


def _key() -> str:
    return uuid.uuid4().hex


# --- the demo clock -----------------------------------------------------------------------


class DemoTime:
    """Moves the local system's demo clock (POST {web}/__local/clock) to chosen city times."""

    def __init__(self, web_url: str) -> None:
        self.url = web_url.rstrip("/") + "/__local/clock"

    def _post(self, body: dict[str, float]) -> datetime:
        response = requests.post(self.url, json=body, timeout=60)
        if response.status_code != 200:
            raise DemoError(f"无法调整演示时钟：{response.status_code} {response.text[:200]}")
        return datetime.fromisoformat(response.json()["now"]).astimezone(CHINA_TZ)

    def now(self) -> datetime:
        return self._post({})

    def move_to(self, moment: datetime) -> datetime:
        """Forward only (the clock never goes back); a moment already passed leaves it."""
        hours = (moment - self.now()).total_seconds() / 3600
        return self._post({"advance_hours": hours}) if hours > 0 else self.now()


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, clock_time(hour, minute), CHINA_TZ)


def _month_end(day: date) -> date:
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


def _working_days_after(day: date, last: date, calendar: ChinaCalendar) -> int:
    return sum(1 for n in range(1, (last - day).days + 1) if calendar.is_working_day(day + timedelta(days=n)))


def first_demo_day(now_local: datetime, calendar: ChinaCalendar | None = None) -> date:
    """The working day the story starts on: today if it is before 09:00, else the next working day;
    when that leaves fewer than MIN_WORKING_DAYS_LEFT working days in its month, the first working
    day of the next month (so cards fall due, and are counted, in the month that is closed)."""
    calendar = calendar or ChinaCalendar()
    day = now_local.date() if now_local.time() < clock_time(9) else now_local.date() + timedelta(days=1)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    if _working_days_after(day, _month_end(day), calendar) < MIN_WORKING_DAYS_LEFT:
        day = _month_end(day) + timedelta(days=1)
        while not calendar.is_working_day(day):
            day += timedelta(days=1)
    return day


def last_working_day(month_day: date, calendar: ChinaCalendar | None = None) -> date:
    calendar = calendar or ChinaCalendar()
    day = _month_end(month_day)
    while not calendar.is_working_day(day):
        day -= timedelta(days=1)
    return day


# --- the applications ---------------------------------------------------------------------


@dataclass(frozen=True)
class Applicant:
    name: str
    id_number: str
    phone: str
    company: str
    credit_code: str
    address: str


def resident_id(prefix17: str) -> str:
    """An 18-digit resident id with its GB 11643 check digit (the API checks it)."""
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    total = sum(int(d) * w for d, w in zip(prefix17, weights, strict=True))
    return prefix17 + "10X98765432"[total % 11]


APPLICANTS = [
    Applicant("王建华", resident_id("42070019800312301"), "13971100001", "鄂州市百味餐饮管理有限公司", "91420700MA49A1B2C3", "鄂州市鄂城区南浦路18号"),
    Applicant("刘晓燕", resident_id("42070019850724402"), "13971100002", "鄂州市康宁大药房连锁有限公司", "91420700MA49D4E5F6", "鄂州市鄂城区寒溪路66号"),
    Applicant("陈志刚", resident_id("42070019780105503"), "13971100003", "湖北鄂东建设集团有限公司", "91420700MA49G7H8J9", "鄂州市华容区葛店大道9号"),
    Applicant("张丽", resident_id("42070019920918604"), "13971100004", "鄂州市悦居房地产开发有限公司", "91420700MA49K1L2M3", "鄂州市梁子湖区涂家垴镇新街1号"),
    Applicant("李明", resident_id("42070019881130705"), "13971100005", "鄂州市明德诊所有限公司", "91420700MA49N4P5Q6", "鄂州市鄂城区滨湖北路120号"),
    Applicant("赵德福", resident_id("42070019830415806"), "13971100006", "鄂州市武昌鱼食品有限公司", "91420700MA49R7S8T9", "鄂州市鄂城区吴都大道88号"),
]


FORM_VALUES = [  # label keyword → value; the first keyword found in a field's label wins
    ("信用代码", "{credit_code}"), ("电话", "{phone}"), ("身份号码", "{id_number}"), ("法定代表人", "{name}"),
    ("联系人", "{name}"), ("姓名", "{name}"), ("医疗机构名称", "{company}"), ("企业（单位）名称", "{company}"),
    ("项目名称", "{company}新建项目"), ("施工单位", "湖北鄂东建设集团有限公司"), ("地址", "{address}"),
    ("地点", "{address}"), ("住所", "{address}"), ("面积", "1200"), ("床位", "20"), ("价格", "3500"),
    ("预售楼栋", "1#、2#楼"), ("产品编号", "DT2026-0458"), ("经营项目", "热食类食品制售、冷食类食品制售"),
    ("食品类别", "糕点、速冻食品"), ("诊疗科目", "内科、外科、预防保健科"), ("医疗机构类别", "诊所"),
    ("申请事由", "旅游"), ("前往国家", "新加坡"), ("拟执业机构", "鄂州市中心医院"), ("执业类别", "临床"),
    ("执业范围", "内科专业"), ("医师资格证书", "202642110420700198803"), ("使用性质", "商业"),
]


def _form_value(field: dict[str, Any], applicant: Applicant) -> str:
    """A plausible value for a catalog form field, chosen by its label; a label listing choices in
    brackets ("设备类别（电梯/锅炉/…）") gets the first choice."""
    label = field["label"]
    if "（" in label and "/" in label:
        value = label.split("（", 1)[1].split("/", 1)[0]
    else:
        template = next((v for keyword, v in FORM_VALUES if keyword in label), label)
        value = template.format(**vars(applicant))
    return value[: field.get("max_length") or len(value)]


@dataclass(frozen=True)
class Step:
    """One thing the department does to a case: `role` of the case's department acts when the case
    is at `status` (POST /cases/{id}/{path} with `body`)."""

    role: str
    status: str
    body: dict[str, Any]
    path: str = "actions"
    upper: bool = False  # 上报件: on the upper department's part case, by its staff


def _full_flow(result: str) -> list[Step]:
    return [Step("window", "accept", {"action": "accept", "opinion": "材料齐全，予以受理"}),
            Step("handler", "handle", {"action": "submit", "opinion": "经审查，申请材料和现场情况符合法定条件"}),
            Step("reviewer", "review", {"action": "pass", "opinion": "审核通过"}),
            Step("leader", "approve", {"action": "approve", "opinion": "准予许可"}),
            Step("window", "complete", {"action": "complete", "opinion": result, "fee_charged_yuan": 0})]


@dataclass
class DemoCase:
    label: str
    department: str
    item_code: str
    citizen: str
    applicant: Applicant
    steps_by_phase: dict[int, list[Step]]
    apply_phase: int = 1
    rating: tuple[int, str] | None = None
    upper_department: str = ""  # 上报件: the deciding department one level up
    case_id: str = ""
    query_code: str = ""

    def steps(self, phase: int) -> list[Step]:
        return self.steps_by_phase.get(phase, [])


PENALTY_ITEM = "420700-CF-0206"  # 行政处罚（普通程序）: food safety, with a hearing
SIMPLE_PENALTY_ITEM = "420700-CF-1102"  # 行政处罚（简易程序）: a pedestrian fined on the spot


def demo_cases() -> list[DemoCase]:
    full = _full_flow
    a = APPLICANTS
    return [
        DemoCase("食品经营许可（已办结）", "market", "420700-XK-0201", "citizen1", a[0],
                 {1: full("许可证编号 JY14207000012345，已邮寄送达")[:4], 2: full("许可证编号 JY14207000012345，已邮寄送达")[4:]},
                 rating=(5, "窗口一次性告知，办理很快")),
        DemoCase("特种设备使用登记（已办结）", "market", "420700-XK-0205", "citizen2", a[1],
                 {1: full("使用登记证编号 容3EE鄂G00123，已当场领取")[:3], 2: full("使用登记证编号 容3EE鄂G00123，已当场领取")[3:]},
                 rating=(4, "流程清楚")),
        DemoCase("建设用地规划许可（不予批准）", "planning", "420700-XK-0101", "citizen1", a[2],
                 {1: full("")[:2], 2: [full("")[2], Step("leader", "approve", {"action": "deny", "opinion": "用地位置与控制性详细规划不符，不予批准"})]},
                 rating=(2, "希望提前说明规划条件")),
        DemoCase("建筑工程施工许可（当日办结）", "housing", "420700-XK-0401", "citizen2", a[3],
                 {1: full("施工许可证编号 420700202600001，已电子送达")}, rating=(5, "当天就拿到了许可证")),
        DemoCase("公共场所卫生许可（已办结）", "health", "420700-XK-0702", "citizen1", a[4],
                 {1: full("卫生许可证编号 鄂卫公证字〔2026〕第0088号")[:1], 2: full("卫生许可证编号 鄂卫公证字〔2026〕第0088号")[1:]},
                 rating=(3, "现场核查等待时间较长")),
        DemoCase("普通护照签发（已办结）", "police", "420700-XK-1101", "citizen2", a[0],
                 {1: full("护照已制证，邮政速递送达")}, rating=(5, "服务热情")),
        DemoCase("食品经营许可证遗失补办（即办件，当场办结）", "market", "420700-QT-0207", "citizen2", a[1],
                 {1: [Step("window", "instant", {"action": "approve", "opinion": "材料齐全，当场补发食品经营许可证"})]},
                 rating=(5, "当场就补好了")),
        DemoCase("食品生产许可（待受理）", "market", "420700-XK-0202", "citizen1", a[0], {}),
        DemoCase("建设工程规划许可（承办中，申请延期）", "planning", "420700-XK-0102", "citizen2", a[2],
                 {1: full("")[:1], 2: [Step("handler", "handle", {"days": 3, "reason": "需组织现场踏勘和专家论证"}, path="extensions")]}),
        DemoCase("商品房预售许可（待审核）", "housing", "420700-XK-0402", "citizen1", a[3], {1: full("")[:2]}),
        DemoCase("医疗机构执业登记（待批准）", "health", "420700-XK-0701", "citizen2", a[4], {1: full("")[:2], 2: full("")[2:3]}),
        DemoCase("户口迁入审批（待补正）", "police", "420700-XK-1103", "citizen1", a[1],
                 {1: [Step("window", "accept", {"action": "request_supplement", "missing_materials": ["人才引进证明", "房屋产权证明"],
                                                 "opinion": "请一次性补齐以下材料"})]}),
        DemoCase("建设项目用地预审与选址意见书（承办中）", "planning", "420700-XK-0104", "citizen2", a[2], {2: full("")[:1]}),
        DemoCase("往来港澳通行证签发（待批准）", "police", "420700-XK-1102", "citizen1", a[1], {2: full("")[:3]}),
        DemoCase("特殊建设工程消防设计审查（待受理）", "housing", "420700-XK-0403", "citizen2", a[3], {}, apply_phase=2),
        # 并联审批: housing leads; planning and urban give their opinions in time, ecology late (its card).
        DemoCase(JOINT_LABEL, "housing", "420700-XK-0404", "citizen2", a[2],
                 {1: full("")[:1], JOINT_LEAD_PHASE: full("施工许可证编号 420700202600002，已电子送达")[1:]}),
        # 上报件: 鄂城区市场监管局 receives and reviews first, the city's 市场监管局 decides (第三十五条).
        DemoCase(REPORTED_AT_CITY, "echeng-market", REPORTED_ITEM, "citizen1", a[0],
                 {1: _reported_up(), 2: [Step("reviewer", "review", {"days": 3, "reason": "需组织专家对生产工艺和设备布局进行评审"},
                                            path="extensions", upper=True)]},
                 upper_department="market"),
        DemoCase(REPORTED_DONE, "echeng-market", REPORTED_ITEM, "citizen2", a[5],
                 {1: _reported_up(), 2: [Step("reviewer", "review", {"action": "pass", "opinion": "审核通过"}, upper=True),
                                        Step("leader", "approve", {"action": "approve", "opinion": "准予食品生产许可"}, upper=True),
                                        Step("window", "complete", {"action": "complete", "opinion": "食品生产许可证 SC10642070400002，已电子送达"})]},
                 upper_department="market"),
    ]


REPORTED_ITEM = "420704-XK-0251"  # 食品生产许可: 鄂城区市场监管局 receives and reviews, the city's decides
REPORTED_AT_CITY = "上报件·食品生产许可（市局审核中，申请延期）"
REPORTED_DONE = "上报件·食品生产许可（市局批准，区局办结）"


def _reported_up() -> list[Step]:
    """受理, 初审 and 上报 by the district, then the city's handler on its part case (承办)."""
    return [Step("window", "accept", {"action": "accept", "opinion": "材料齐全，予以受理"}),
            Step("handler", "preliminary_review", {"action": "submit", "opinion": "经现场核查，生产场所、设备布局和工艺流程符合要求，建议准予许可"}),
            Step("leader", "report", {"action": "report", "opinion": "同意初审意见，连同全部申请材料报市市场监督管理局审批"}),
            Step("handler", "handle", {"action": "submit", "opinion": "初审意见和申请材料齐全，符合食品生产许可条件"}, upper=True)]


JOINT_LABEL = "建筑工程施工许可·并联审批（生态环境局会签逾期）"
JOINT_ON_TIME = ("planning", "urban")  # give their opinions on the second day
JOINT_LATE = "ecology"  # gives its opinion only after its yellow card, on the month's last day
JOINT_LEAD_PHASE = 5  # the lead handles and decides for all once every opinion is in


def fresh_cases() -> list[DemoCase]:
    """Applications of the new month's first morning, so the overview's today has figures."""
    full = _full_flow
    return [
        DemoCase("食品经营许可（今日受理）", "market", "420700-XK-0201", "citizen2", APPLICANTS[1], {4: full("")[:1]}, apply_phase=4),
        DemoCase("普通护照签发（今日承办）", "police", "420700-XK-1101", "citizen1", APPLICANTS[0], {4: full("")[:2]}, apply_phase=4),
        DemoCase("医师执业注册（今日申请）", "health", "420700-XK-0704", "citizen1", APPLICANTS[4], {}, apply_phase=4),
    ]


# --- the scenario -------------------------------------------------------------------------


@dataclass
class DemoReport:
    closed_period: str = ""
    cases: dict[str, str] = field(default_factory=dict)  # label → case id
    cards: int = 0
    complaints: list[str] = field(default_factory=list)
    order_id: str = ""
    survey_id: str = ""
    seconds: float = 0.0
    unconfirmed_years: list[int] = field(default_factory=list)  # 日历未确认 years the demo's dates reach
    inspection_plan_id: str = ""  # 双随机抽查计划 (3 of 8 food businesses)
    enforcement_case_id: str = ""  # the penalty case opened by an inspection's 移送立案
    joint_case: str = ""  # the joint case (并联审批) run to completion
    joint_card: dict[str, str] = field(default_factory=dict)  # its late co-department's card: case id, department, level


class DemoScenario:
    def __init__(self, api_url: str, web_url: str, moto_url: str, client_id: str) -> None:
        self.people = People(api_url, moto_url, client_id)
        self.clock = DemoTime(web_url)
        self.calendar = ChinaCalendar()
        self.cases = demo_cases()
        self.fresh = fresh_cases()
        self.report = DemoReport()
        self._items: dict[str, dict[str, Any]] = {}
        self.penalty_case: tuple[str, str] = ("", "")  # the ordinary-procedure penalty: case id, query code
        self.hearing_day: date = date.min

    # - helpers -

    def _item(self, item_code: str) -> dict[str, Any]:
        if item_code not in self._items:
            self._items[item_code] = self.people.public.get(f"/catalog/{item_code}")
        return self._items[item_code]

    def _upload(self, citizen: ApiUser, name: str) -> str:
        content = f"%PDF-1.4 演示材料：{name}".encode()
        ticket = citizen.post("/uploads", {"file_name": name, "content_type": "application/pdf", "size_bytes": len(content)})
        stored = requests.post(ticket["url"], data=ticket["fields"], files={"file": (name, content, "application/pdf")}, timeout=30)
        if stored.status_code not in (200, 201, 204):
            raise DemoError(f"上传材料失败：{stored.status_code} {stored.text[:200]}")
        return ticket["upload_id"]

    def _apply(self, case: DemoCase) -> None:
        item = self._item(case.item_code)
        citizen = self.people(case.citizen)
        a = case.applicant
        form = {f["field_id"]: _form_value(f, a) for f in item["form_fields"]}
        uploads = [self._upload(citizen, f"{m['name'][:40]}.pdf") for m in item.get("materials", [])[:2]]
        receipt = citizen.post("/applications", {
            "item_code": case.item_code, "form": form, "upload_ids": uploads,
            "applicant": {"name": a.name, "id_type": "resident_id", "id_number": a.id_number, "phone": a.phone},
        }, key=_key())
        case.case_id, case.query_code = receipt["case_id"], receipt["query_code"]
        self.report.cases[case.label] = case.case_id

    def _drive(self, cases: list[DemoCase], phase: int) -> None:
        """Does every case's steps of this phase, each as soon as its case reaches the step's
        status, all cases side by side (Step Functions answers asynchronously)."""
        pending = {c.case_id: list(c.steps(phase)) for c in cases if c.steps(phase)}
        by_id = {c.case_id: c for c in cases}
        deadline = time.monotonic() + STEP_TIMEOUT_SECONDS * 2
        while pending:
            progressed = False
            for case_id, steps in list(pending.items()):
                step, case = steps[0], by_id[case_id]
                # 上报件: the upper department's staff on its part case (sunlight.models.reported.upper_case_id)
                target = f"{case_id}_up" if step.upper else case_id
                staff = self.people(f"{case.upper_department if step.upper else case.department}.{step.role}")
                view = staff.try_get(f"/cases/{target}")
                if view.status_code != 200:
                    continue
                body = view.json()
                if body["status"] != step.status or not body.get("actionable", True):
                    continue
                staff.post(f"/cases/{target}/{step.path}", step.body)
                steps.pop(0)
                progressed = True
                if not steps:
                    del pending[case_id]
            if pending and not progressed:
                if time.monotonic() > deadline:
                    raise DemoError(f"办件未按预期流转：{[by_id[i].label for i in pending]}")
                time.sleep(POLL_SECONDS)

    def _wait_closed(self, case: DemoCase) -> dict[str, Any]:
        citizen = self.people(case.citizen)
        return _until(lambda: (lambda v: v if v["status"] in ("completed", "denied") else None)(
            citizen.get(f"/my/cases/{case.case_id}")), f"{case.label} 办结")

    def _case(self, label_start: str) -> DemoCase:
        return next(c for c in self.cases if c.label.startswith(label_start))

    # - the story -

    def run(self) -> DemoReport:
        started = time.monotonic()
        first = first_demo_day(self.clock.now(), self.calendar)
        second = add_working_days(first, 2, self.calendar)
        last = last_working_day(first, self.calendar)
        next_first = _month_end(first) + timedelta(days=1)
        self.report.closed_period = f"{first:%Y-%m}"
        self._say_if_unconfirmed(first, add_working_days(next_first, LONGEST_LIMIT_WORKING_DAYS, self.calendar))

        self.clock.move_to(_at(first, 9))
        log.info("演示：%s 上午，群众在线提交 %d 件申请（市场监管、自然资源和规划、住建、卫健、公安、鄂城区市场监管）", first,
                 sum(1 for case in self.cases if case.apply_phase == 1))
        for case in self.cases:
            if case.apply_phase == 1:
                self._apply(case)
        self._drive(self.cases, 1)
        log.info("演示：窗口受理、承办、审核、批准已按流程推进；一件办件要求一次性补正")
        self._penalties_opened(first)

        self.clock.move_to(_at(second, 10))
        log.info("演示：%s，继续办理：办结、不予批准、申请延期", second)
        for case in self.cases:
            if case.apply_phase == 2:
                self._apply(case)
        self._drive(self.cases, 2)
        log.info("演示：上报件（%s）由鄂城区市场监管局受理初审后上报，市市场监管局审核中，审核人已申请延期，待市局分管领导审批；"
                 "上报件（%s）已由市局批准、区局窗口办结", self._case(REPORTED_AT_CITY).case_id, self._case(REPORTED_DONE).case_id)
        for case in self.cases:
            if case.rating:
                self._wait_closed(case)
                score, comment = case.rating
                self.people(case.citizen).post(f"/my/cases/{case.case_id}/rating", {"score": score, "comment": comment}, key=_key())
        log.info("演示：申请人对 %d 件已办结办件作出满意度评价", sum(1 for c in self.cases if c.rating))
        self._inspections(second)
        self._joint_opinions(JOINT_ON_TIME, "agree", "经核验，项目符合建设工程规划许可，同意核发")
        log.info("演示：并联审批办件已由住建局受理并转告，自然资源和规划局、城管局按时出具会签意见，生态环境局尚未出具")
        founded_complaint = self._file_complaint("citizen2", {"department_id": "market", "title": "窗口人员推诿",
                                                              "content": "办理食品生产许可时，窗口工作人员以系统故障为由多次让我改日再来。"})
        self._survey(second, next_first)

        self.clock.move_to(_at(last, 17, 30))
        log.info("演示：时间来到 %s 下班前，实时预警检查发出黄牌和红牌", last)
        card = self._wait_card(self._case("食品生产许可"))
        self._order_from(card)
        self._finish_joint_case()
        self._conclude_complaint(founded_complaint)
        self._file_complaint("citizen1", {"case_id": self._case("商品房预售许可").case_id, "title": "审核进度缓慢",
                                          "content": "商品房预售许可申请已受理多日，审核环节一直没有进展，请督促办理。"})

        self.clock.move_to(_at(next_first, 8, 30))
        log.info("演示：时间来到 %s 08:30，关闭 %s 月度考核并公示排名", next_first, self.report.closed_period)
        self._close_month()
        for case in self.fresh:
            self._apply(case)
        self._drive(self.fresh, 4)
        log.info("演示：今日新收 %d 件申请，已受理 %d 件", len(self.fresh), sum(1 for c in self.fresh if c.steps(4)))
        self._penalty_heard_and_closed(next_first)
        inspector = self.people("inspector")
        self.report.cards = sum(1 for c in self.cases for w in inspector.get(f"/cases/{c.case_id}/warnings")
                                if w["level"] in ("yellow", "red"))
        self.report.seconds = round(time.monotonic() - started, 1)
        return self.report

    def _inspections(self, day: date) -> None:
        """双随机、一公开: the market leader's plan draws 3 of 8 food businesses and two officers each;
        the three cases end 合格, 责令整改→整改到位, and 移送立案 (opening a penalty case); all are 公示."""
        leader = self.people("market.leader")
        subjects = [{"name": name, "id_number": f"91420700MA4K{n:04d}0{n % 10}", "address": f"鄂州市鄂城区{street}",
                     "phone": f"1380713{n:04d}"}
                    for n, (name, street) in enumerate([
                        ("鄂州市百味餐饮有限公司", "南浦路18号"), ("鄂州市鲜丰超市有限公司", "寿昌大道66号"),
                        ("鄂州市湖鲜酒楼有限公司", "滨江路9号"), ("鄂州市乐家便利店有限公司", "古楼街120号"),
                        ("鄂州市好客来快餐有限公司", "吴都大道35号"), ("鄂州市金谷粮油商行有限公司", "凤凰路52号"),
                        ("鄂州市甜心烘焙有限公司", "明塘路7号"), ("鄂州市老街小吃有限公司", "文星路88号")], start=1)]
        officers = [{"name": name, "certificate_number": f"4207{n:04d}"} for n, name in enumerate(["张建军", "李卫东", "王志刚", "刘红梅"], start=101)]
        plan = leader.post("/inspection-plans", {"item_code": "420700-JC-0201", "name": f"{day:%Y年%m月}食品经营者双随机抽查",
                                                 "subjects": subjects, "draw_count": 3, "officers": officers}, key=_key())
        self.report.inspection_plan_id = plan["plan_id"]
        log.info("演示：市场监管局分管领导制定双随机抽查计划，从 8 户食品经营者中随机抽取 3 户，每户随机选派 2 名执法人员")
        deadline = (day + timedelta(days=10)).isoformat()
        results = [
            [("market.leader", "inspect_result", {"action": "qualified", "opinion": "经检查未发现问题。"})],
            [("market.leader", "inspect_result", {"action": "rectify", "opinion": "进货查验记录不全，责令限期整改。",
                                                  "rectification_due_on": deadline}),
             ("market.handler", "rectification", {"action": "rectified", "opinion": "复查：已建立进货查验记录台账。"})],
            [("market.leader", "inspect_result", {"action": "refer", "opinion": "销售超过保质期的食品，涉嫌违反食品安全法第三十四条，移送立案查处。"})],
        ]
        for planned, result in zip(plan["cases"], results, strict=True):
            case_id = planned["case_id"]
            steps = [("market.handler", "inspect", {"action": "inspected", "officers": planned["officers"],
                                                     "opinion": "两名执法人员出示执法证件，现场检查经营场所和进货查验记录。"}),
                     *result, ("market.window", "publicize", {"action": "publish", "opinion": "检查结果已在门户网站公示。"})]
            for username, status, body in steps:
                staff = self.people(username)

                def reached(staff: ApiUser = staff, status: str = status, case_id: str = case_id) -> dict[str, Any] | None:
                    view = staff.get(f"/cases/{case_id}")
                    return view if view["status"] == status and view.get("actionable") else None

                _until(reached, f"检查办件 {case_id} 到达“{status}”")
                staff.post(f"/cases/{case_id}/actions", body, key=_key())
            # Reached 结果公示, so the 移送立案 event (written on leaving 检查结果) is on the timeline.
            linked = [e["details"].get("enforcement_case_id") for e in self.people("market.leader").get(f"/cases/{case_id}")["timeline"]]
            self.report.enforcement_case_id = next((c for c in linked if c), self.report.enforcement_case_id)
        log.info("演示：3 户抽查结果已公示（合格、责令整改并整改到位、移送立案），移送的处罚案件编号 %s", self.report.enforcement_case_id)

    # - 行政处罚 (行政处罚法 2021) -

    def _staff_act(self, username: str, case_id: str, status: str, body: dict[str, Any]) -> None:
        staff = self.people(username)
        _until(lambda: (lambda v: v if v["status"] == status and v.get("actionable") else None)(staff.get(f"/cases/{case_id}")),
               f"案件 {case_id} 到达“{status}”")
        staff.post(f"/cases/{case_id}/actions", body, key=_key())

    def _register(self, window: str, item_code: str, applicant: Applicant) -> tuple[str, str]:
        item = self._item(item_code)
        form = {f["field_id"]: _form_value(f, applicant) for f in item["form_fields"]}
        receipt = self.people(window).post("/window/applications", {
            "item_code": item_code, "form": form,
            "applicant": {"name": applicant.name, "id_number": applicant.id_number, "phone": applicant.phone},
        }, key=_key())
        return receipt["case_id"], receipt["query_code"]

    def _penalties_opened(self, first: date) -> None:
        """立案 → 调查取证 (two officers) → 事先告知; the party finds the case online and asks for a
        hearing; the hearing is notified for 7 working days later (第六十四条). And a 简易程序 case."""
        party = APPLICANTS[4]  # 李明, who signs in as citizen1
        case_id, query_code = self._register("market.window", PENALTY_ITEM, party)
        self.penalty_case = (case_id, query_code)
        self.report.cases["食品安全行政处罚（听证）"] = case_id
        self._staff_act("market.handler", case_id, "investigate", {
            "action": "submit", "opinion": "经现场检查和询问调查，当事人未建立进货查验记录制度，经责令改正拒不改正，事实清楚、证据确凿。",
            "officers": [{"name": "周敏", "certificate_number": "42070020260011"}, {"name": "吴刚", "certificate_number": "42070020260012"}]})
        self._staff_act("market.handler", case_id, "notify", {
            "action": "notify", "intended_penalty_yuan": "8000", "collective_required": True,
            "opinion": "当事人未按规定建立并遵守进货查验记录制度，违反《食品安全法》第五十三条，依据第一百二十六条，拟处罚款8000元。"})
        citizen = self.people("citizen1")
        _until(lambda: citizen.post("/party/claims", {"case_id": case_id, "query_code": query_code, "id_number": party.id_number})
               ["status"] == "statement" or None, "当事人查找案件")
        citizen.post(f"/my/cases/{case_id}/statement", {"action": "request_hearing", "statement": "对违法事实有异议，申请听证。"}, key=_key())
        self.hearing_day = add_working_days(first, 7, self.calendar)
        self._staff_act("market.handler", case_id, "hearing_notice", {
            "action": "schedule_hearing", "hearing_at": _at(self.hearing_day, 9, 30).isoformat(), "hearing_place": "市市场监督管理局第一听证室"})
        log.info("演示：市场监管局对食品安全违法行为立案调查（%s）并事先告知，当事人在线申请听证，定于 %s 举行", case_id, self.hearing_day)

        simple_id, _ = self._register("police.window", SIMPLE_PENALTY_ITEM, APPLICANTS[1])
        self.report.cases["道路交通当场处罚（简易程序）"] = simple_id
        self._staff_act("police.handler", simple_id, "on_spot", {
            "action": "penalize", "penalty_yuan": "50", "opinion": "行人闯红灯，违反《道路交通安全法》第六十二条，依据第八十九条当场处罚款50元。"})
        self._staff_act("police.window", simple_id, "execute", {"action": "paid", "opinion": "当场缴纳罚款"})
        self._staff_act("police.window", simple_id, "complete", {"action": "complete", "opinion": "已结案"})
        log.info("演示：交警对行人闯红灯适用简易程序当场处罚（%s），已结案", simple_id)

    def _penalty_heard_and_closed(self, today: date) -> None:
        """The hearing is held (on or after its day), then 法制审核 (a hearing held requires it,
        第五十八条), 集体讨论, the decision, 送达, payment and 结案."""
        case_id, _ = self.penalty_case
        if today < self.hearing_day:
            log.info("演示：行政处罚案件 %s 的听证定于 %s，尚未举行", case_id, self.hearing_day)
            return
        steps = [
            ("market.handler", "hearing", {"action": "heard", "opinion": "听证会依法公开举行，当事人进行了陈述和申辩，未提出新的证据。"}),
            ("market.reviewer", "legal_review", {"action": "pass", "opinion": "事实清楚，证据确凿，适用依据正确，程序合法，处罚适当。"}),
            ("market.leader", "collective", {"action": "discussed", "opinion": "经局务会集体讨论，决定维持拟处罚意见。"}),
            ("market.leader", "decide", {"action": "penalize", "penalty_yuan": "8000",
                                         "opinion": "依据《食品安全法》第一百二十六条，决定对当事人处罚款8000元。"}),
            ("market.window", "deliver", {"action": "delivered", "opinion": "直接送达当事人，当事人签收送达回证。"}),
            ("market.window", "execute", {"action": "paid", "opinion": "当事人已按期缴纳罚款，缴款凭证号 4207002026000123。"}),
            ("market.window", "complete", {"action": "complete", "opinion": "当事人已履行处罚决定，结案。"}),
        ]
        for username, status, body in steps:
            self._staff_act(username, case_id, status, body)
        log.info("演示：听证后经法制审核、集体讨论作出处罚决定，送达、缴款后结案")

    def _say_if_unconfirmed(self, first: date, last: date) -> None:
        """A year without official 调休 data is never counted in silently (LAW.md, "Counting"): the
        demo asks the running system which of the years its dates reach are not trusted, and says
        so (the cases that reach them carry 日历未确认, the administrator's inbox has a notice)."""
        admin = self.people("admin")
        for year in range(first.year, last.year + 1):
            view = admin.get(f"/calendar/{year}")
            if not view["trusted"]:
                self.report.unconfirmed_years.append(year)
                log.warning("演示：注意，演示时间跨入%d年。%s演示不代为确认：期限计入该年的办件标有“日历未确认”，"
                            "管理员（admin）的“预警与红黄牌”收件箱中有通知，“工作日历”页可录入并确认。", year, view["warning"])

    def _file_complaint(self, citizen: str, body: dict[str, Any]) -> str:
        inspector = self.people("inspector")
        complaint_id = self.people(citizen).post("/complaints", body, key=_key())["complaint_id"]
        inspector.post(f"/complaints/{complaint_id}/actions", {"action": "accept", "note": "予以受理"})
        inspector.post(f"/complaints/{complaint_id}/actions", {"action": "dispatch", "note": "请被投诉部门10个工作日内核查答复"})
        self.report.complaints.append(complaint_id)
        log.info("演示：投诉 %s 已受理并转办：%s", complaint_id, body["title"])
        return complaint_id

    def _conclude_complaint(self, complaint_id: str) -> None:
        self.people("market.leader").post(f"/complaints/{complaint_id}/actions", {
            "action": "answer", "answer": "经调阅窗口记录，情况属实，已对当事人批评教育并在全局通报。"}, key=_key())
        self.people("inspector").post(f"/complaints/{complaint_id}/actions", {
            "action": "conclude", "founded": True, "conclusion": "投诉属实，部门已整改，计入绩效考核。"})
        log.info("演示：投诉 %s 已办结（属实）", complaint_id)

    def _survey(self, opens_on: date, month_after: date) -> None:
        inspector = self.people("inspector")
        survey_id = inspector.post("/surveys", {
            "title": "政务服务中心窗口服务满意度调查", "opens_on": opens_on.isoformat(),
            "closes_on": (month_after + timedelta(days=30)).isoformat(), "questions": [
                {"kind": "single", "title": "您对窗口工作人员的服务态度是否满意？", "options": ["满意", "基本满意", "不满意"]},
                {"kind": "multiple", "title": "您希望改进哪些方面？", "options": ["缩短办理时限", "减少申请材料", "增加自助设备", "延长服务时间"]},
                {"kind": "text", "title": "其他意见和建议", "required": False},
            ]}, key=_key())["survey_id"]
        inspector.post(f"/surveys/{survey_id}/publish")
        self.people("citizen1").post(f"/surveys/{survey_id}/answers", {"answers": {"q1": ["o1"], "q2": ["o1", "o2"], "q3": "建议推行全程网办"}})
        self.people("citizen2").post(f"/surveys/{survey_id}/answers", {"answers": {"q1": ["o2"], "q2": ["o3"]}})
        self.report.survey_id = survey_id
        log.info("演示：网上调查“政务服务中心窗口服务满意度调查”已发布，收到 2 份答卷")

    # - 并联审批 (行政许可法 第二十六条) -

    def _part_id(self, department: str) -> str:
        return f"{self._case(JOINT_LABEL).case_id}_{department}_1"  # sunlight.models.joint.part_case_id, round 1

    def _joint_opinions(self, departments: tuple[str, ...], decision: str, opinion: str) -> None:
        """Each co-department's handler gives its opinion on its own part case, once it waits."""
        for department in departments:
            handler, part_id = self.people(f"{department}.handler"), self._part_id(department)

            def waits(handler: ApiUser = handler, part_id: str = part_id) -> bool:
                view = handler.try_get(f"/cases/{part_id}")
                return view.status_code == 200 and bool(view.json().get("actionable"))

            _until(waits, f"{department} 的会签分件")
            handler.post(f"/cases/{part_id}/actions", {"action": decision, "opinion": opinion}, key=_key())

    def _finish_joint_case(self) -> None:
        """The late co-department got its own card (not the lead); it gives its opinion, and the lead
        decides for all and completes the case."""
        joint = self._case(JOINT_LABEL)
        inspector, part_id = self.people("inspector"), self._part_id(JOINT_LATE)
        cards = _until(lambda: [w for w in inspector.get(f"/cases/{part_id}/warnings") if w["level"] in ("yellow", "red")],
                       "生态环境局会签逾期的黄牌")
        if any(w["level"] in ("yellow", "red") for w in inspector.get(f"/cases/{joint.case_id}/warnings")):
            raise DemoError("并联审批的牵头部门不应因配合部门逾期而受到红黄牌")
        card = next((w for w in cards if w["level"] == "yellow"), cards[0])
        self.report.joint_card = {"case_id": part_id, "department_id": JOINT_LATE, "level": card["level"]}
        self._joint_opinions((JOINT_LATE,), "agree", "建设项目环境影响评价已批复，同意")
        self._drive([joint], JOINT_LEAD_PHASE)
        self._wait_closed(joint)
        self.report.joint_case = joint.case_id
        log.info("演示：生态环境局会签逾期，黄牌发给生态环境局（不发给牵头的住建局）；意见到齐后住建局统一办结并联审批办件")

    def _wait_card(self, case: DemoCase) -> dict[str, Any]:
        inspector = self.people("inspector")
        cards = _until(lambda: [w for w in inspector.get(f"/cases/{case.case_id}/warnings") if w["level"] in ("yellow", "red")],
                       f"{case.label} 的红黄牌")
        return next((w for w in cards if w["level"] == "red"), cards[0])

    def _order_from(self, card: dict[str, Any]) -> None:
        inspector, office = self.people("inspector"), self.people("market.inspector")
        order_id = inspector.post("/supervision-orders", {
            "source_kind": "warning", "source_id": card["warning_id"], "department_id": "market",
            "matter": "食品生产许可申请超过受理时限仍未受理，请查明原因、认定责任并限期整改。", "deadline_days": 5}, key=_key())["order_id"]
        candidates = office.get(f"/supervision-orders/{order_id}/candidates")
        # A finding names a handler or a leader (the API offers no window clerks): the leader in charge.
        leader = next(c for c in candidates if c["username"] == "market.leader")
        actions = f"/supervision-orders/{order_id}/actions"
        office.post(actions, {"action": "establish_responsibility", "staff_user_id": leader["user_id"],
                              "text": "分管领导未督促窗口在时限内受理，负领导责任"})
        office.post(actions, {"action": "answer", "text": "已约谈窗口受理人员，当日完成受理审查并建立超时提醒台账。"})
        self.report.order_id = order_id
        log.info("演示：监察人员依据红黄牌下达督办单 %s，市场监管局监察室已认定责任并答复", order_id)

    def _close_month(self) -> None:
        period = self.report.closed_period
        inspector = self.people("inspector")
        completed = sum(1 for c in self.cases if c.rating)

        def counted() -> bool:  # the fact consumer is asynchronous: close once the month's facts are in
            rows = inspector.get("/statistics", period=period, dimension="department")["rows"]
            return sum(int(r.get("completed") or 0) for r in rows) >= completed

        _until(counted, f"{period} 的考核数据入账")
        closed = self.people("admin").post(f"/evaluation/periods/{period}/close")
        ranked = [d for d in closed["snapshot"]["departments"] if d.get("rank") is not None]
        log.info("演示：%s 月度考核已关闭并公示，%d 个部门参与排名", period, len(ranked))


def run_demo_scenario(system: Any) -> DemoReport:
    """Runs the whole story against a running local system (see the module docstring)."""
    return DemoScenario(system.api_url, system.web_url, system.moto_url, system.outputs["UserPoolClientId"]).run()


def start_demo_thread(system: Any) -> threading.Thread:
    """`python -m infra.local`: the scenario in the background; the system stays up whatever happens."""

    def run() -> None:
        log.info("正在生成演示数据（约一分钟；--no-demo 可跳过）……")
        try:
            report = run_demo_scenario(system)
        except Exception:  # a broken demo must not stop the system
            log.exception("演示数据生成失败，系统仍在运行，可手工操作或重启时加 --no-demo")
            return
        log.info("演示：%d 件办件、%d 张红黄牌、%d 件投诉、督办单 %s、调查 %s；用时 %.1f 秒",
                 len(report.cases), report.cards, len(report.complaints), report.order_id, report.survey_id, report.seconds)
        if report.unconfirmed_years:
            log.warning("演示：%s年的工作日历未确认，相关办件的期限可能变动（见上文）",
                        "、".join(str(year) for year in report.unconfirmed_years))
        log.info("%s：以 inspector 登录查看监察总览、绩效排名（%s）、投诉和督办", READY_LINE, report.closed_period)

    thread = threading.Thread(target=run, name="demo-scenario", daemon=True)
    thread.start()
    return thread
