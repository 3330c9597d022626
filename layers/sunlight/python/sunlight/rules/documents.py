"""Which recorded transition issues which document (文书), and what the document says.

The mapping is keyed on the plain strings a timeline event records (its `action`, a decision
value, and its `to_state`), not on the flow enums, so that the steps and decisions of every flow
pattern (issue 12's design note) map here whether or not their enum members exist yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from ..models.case import Case
from ..models.documents import DocumentKind, DocumentText
from .workdays import CHINA_TZ

_REVIEW_AND_SUIT = ("如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，"
                    "或者自收到本决定书之日起六个月内依法向人民法院提起行政诉讼。")


@dataclass(frozen=True)
class IssuingRule:
    action: str
    kind: DocumentKind
    to_states: frozenset[str] | None = None  # None: whichever state the decision leads to


# A decision issues its document only where it takes effect: a co-department's 补正 request in a
# joint case gathers into the lead case's one notice (to_state "supplement" there), and
# "approve" issues the licence only when the case goes on to 办结 (or ends completed, 即办件).
ISSUING_RULES: tuple[IssuingRule, ...] = (
    IssuingRule("accept", DocumentKind.ACCEPTANCE),
    IssuingRule("reject", DocumentKind.REJECTION, frozenset({"rejected"})),
    IssuingRule("request_supplement", DocumentKind.SUPPLEMENT_NOTICE, frozenset({"supplement"})),
    IssuingRule("approve", DocumentKind.LICENCE_GRANTED, frozenset({"complete", "completed"})),
    IssuingRule("deny", DocumentKind.LICENCE_DENIED, frozenset({"denied"})),
    IssuingRule("notify", DocumentKind.PENALTY_PRIOR_NOTICE),
    IssuingRule("schedule_hearing", DocumentKind.HEARING_NOTICE),
    IssuingRule("penalize", DocumentKind.PENALTY_DECISION),
    IssuingRule("delivered", DocumentKind.SERVICE_RECEIPT),
    IssuingRule("rectify", DocumentKind.RECTIFICATION_ORDER),
)


def document_for(action: str, to_state: str) -> DocumentKind | None:
    """The document a transition issues, if any."""
    for rule in ISSUING_RULES:
        if rule.action == action and (rule.to_states is None or to_state in rule.to_states):
            return rule.kind
    return None


def document_year(issued_at: datetime) -> int:
    """The year of the 文号: the city's calendar year of the issuing decision."""
    return issued_at.astimezone(CHINA_TZ).year


def chinese_date(moment: datetime | date) -> str:
    day = moment.astimezone(CHINA_TZ).date() if isinstance(moment, datetime) else moment
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class IssuingEvent:
    """What the document needs of the transition that issued it."""

    seq: int
    action: str
    occurred_at: datetime
    opinion: str | None
    details: dict[str, Any]


def document_text(
    kind: DocumentKind, *, case: Case, event: IssuingEvent, number_text: str, issuer: str
) -> DocumentText:
    """The text of a document (the law it cites is in each paragraph)."""
    applied = f"你（单位）于{chinese_date(case.submitted_at)}提出的“{case.item_name}”申请（办件编号：{case.case_id}）"
    opinion = (event.opinion or "").strip()
    paragraphs: tuple[str, ...]
    items: tuple[str, ...] = ()
    footer: tuple[str, ...] = ()
    if kind is DocumentKind.ACCEPTANCE:
        paragraphs = (
            f"{applied}，经审查，申请材料齐全、符合法定形式，根据《中华人民共和国行政许可法》第三十二条第一款第（五）项的规定，决定予以受理。",
            f"本机关将在法定期限内作出决定，承诺于{chinese_date(case.promised_due_on)}前办结。",
        )
    elif kind is DocumentKind.REJECTION:
        reason = opinion or "该申请事项依法不需要取得行政许可或者不属于本机关职权范围"
        paragraphs = (
            f"{applied}，经审查：{reason}。根据《中华人民共和国行政许可法》第三十二条第一款的规定，决定不予受理。",
            _REVIEW_AND_SUIT,
        )
    elif kind is DocumentKind.SUPPLEMENT_NOTICE:
        missing = tuple(str(m) for m in event.details.get("missing_materials", ()) or case.missing_materials)
        items = tuple(f"{index}. {name}" for index, name in enumerate(missing, start=1))
        due = f"请于{chinese_date(case.supplement_due_at)}前" if case.supplement_due_at and case.supplement_due_at > event.occurred_at else "请在规定期限内"
        paragraphs = (
            f"{applied}，申请材料不齐全或者不符合法定形式。根据《中华人民共和国行政许可法》第三十二条第一款第（四）项的规定，"
            f"现一次性告知你（单位）需要补正的全部内容（共{len(items)}项）：",
        )
        footer = ((f"说明：{opinion}",) if opinion else ()) + (
            f"{due}提交补正材料，补正材料齐全之日起受理期限重新计算；逾期未补正的，视为撤回申请。",
        )
    elif kind is DocumentKind.LICENCE_GRANTED:
        paragraphs = (
            f"{applied}，经审查，符合法定条件、标准。根据《中华人民共和国行政许可法》第三十八条第一款的规定，决定准予行政许可。",
            *((f"审批意见：{opinion}",) if opinion else ()),
            "请凭本决定书及有效身份证件领取许可证件。",
        )
    elif kind is DocumentKind.LICENCE_DENIED:
        reason = opinion or "不符合法定条件、标准"
        paragraphs = (
            f"{applied}，经审查：{reason}。根据《中华人民共和国行政许可法》第三十八条第二款的规定，决定不予行政许可。",
            _REVIEW_AND_SUIT,
        )
    elif kind is DocumentKind.PENALTY_PRIOR_NOTICE:
        intended = opinion or _penalty(event.details) or "依法给予行政处罚"
        paragraphs = (
            f"经调查，本机关拟对你（单位）作出如下行政处罚：{intended}。",
            "根据《中华人民共和国行政处罚法》第四十四条、第四十五条的规定，你（单位）有权进行陈述和申辩；"
            "根据第六十三条、第六十四条的规定，你（单位）有权要求听证。",
            "请于收到本告知书之日起五个工作日内提出陈述、申辩或者听证要求，逾期视为放弃上述权利。",
        )
    elif kind is DocumentKind.HEARING_NOTICE:
        when = str(event.details.get("hearing_at") or "").strip()
        place = str(event.details.get("hearing_place") or "").strip()
        paragraphs = (
            "根据你（单位）的听证要求，依照《中华人民共和国行政处罚法》第六十四条的规定，本机关决定举行听证。",
            *((f"听证时间：{when}",) if when else ()),
            *((f"听证地点：{place}",) if place else ()),
            *((f"说明：{opinion}",) if opinion else ()),
            "你（单位）可以亲自参加听证，也可以委托一至二人代理；无正当理由拒不出席听证的，视为放弃听证权利。",
        )
    elif kind is DocumentKind.PENALTY_DECISION:
        penalty = _penalty(event.details)
        paragraphs = (
            f"经查：{opinion or '你（单位）的违法事实清楚，证据确凿'}。",
            "根据《中华人民共和国行政处罚法》第五十九条的规定，本机关决定给予如下行政处罚："
            + (penalty or "警告") + "。",
            *(("请自收到本决定书之日起十五日内缴纳罚款（《中华人民共和国行政处罚法》第六十七条）；"
               "逾期不缴纳的，每日按罚款数额的百分之三加处罚款。",) if penalty and "罚款" in penalty else ()),
            _REVIEW_AND_SUIT,
        )
    elif kind is DocumentKind.SERVICE_RECEIPT:
        method = str(event.details.get("delivery_method") or "直接送达")
        paragraphs = (
            "送达文书：行政处罚决定书",
            f"受送达人：{case.applicant.name}",
            f"送达时间：{chinese_date(event.occurred_at)}",
            f"送达方式：{method}（《中华人民共和国行政处罚法》第六十一条）",
            *((f"备注：{opinion}",) if opinion else ()),
        )
    else:  # DocumentKind.RECTIFICATION_ORDER
        due_on = event.details.get("rectification_due_on")  # recorded by 责令整改 as an ISO date
        deadline = chinese_date(date.fromisoformat(str(due_on)[:10])) if due_on else ""
        paragraphs = (
            f"经检查，发现你（单位）存在以下问题：{opinion or '不符合相关规定'}。",
            f"现责令你（单位）{'于' + deadline + '前' if deadline else '在规定期限内'}整改完毕，本机关将进行复查；"
            "逾期不整改或者整改不合格的，依法移送立案查处。",
        )
    return DocumentText(
        title=kind.label,
        number_text=number_text,
        addressee=f"{case.applicant.name}：",
        paragraphs=paragraphs,
        items=items,
        issuer=issuer,
        date_text=chinese_date(event.occurred_at),
        footer=footer,
    )


def _penalty(details: dict[str, Any]) -> str:
    amount = details.get("penalty_yuan")
    return f"罚款人民币{amount}元" if amount not in (None, "", "0", "0.00") else ""

