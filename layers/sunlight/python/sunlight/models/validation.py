"""Turn pydantic's validation errors into messages a citizen can act on (zh-CN), one per field."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel

from . import calendar as calendar_models
from . import complaints as complaint_models
from . import evaluation as evaluation_models
from . import office as office_models
from . import orders as order_models
from . import requests as request_models
from . import satisfaction as satisfaction_models
from . import supervision as warning_models
from . import surveys as survey_models
from .case import Applicant
from .catalog_admin import CATALOG_PATH_LABELS
from .inspection import INSPECTION_PATH_LABELS
from .levels import GovernmentLevel
from .requests import ALLOWED_UPLOAD_TYPES
from .users import USER_FIELD_LABELS
from .warnings import WarningLevel


def _labels(models: Iterable[type[BaseModel]]) -> dict[str, str]:
    labels: dict[str, str] = {}
    for model in models:
        for name, field in model.model_fields.items():
            if field.description:
                labels.setdefault(name, field.description.split("：")[0].split("（")[0])
    return labels


def _models_of(*modules: Any) -> list[type[BaseModel]]:
    return [obj for module in modules for obj in vars(module).values()
            if isinstance(obj, type) and issubclass(obj, BaseModel) and obj.__module__ == module.__name__]


# The request bodies of every route, case requests first (their labels win where names repeat).
_REQUEST_MODELS = [*_models_of(request_models), *_models_of(
    calendar_models, complaint_models, evaluation_models, office_models, order_models, satisfaction_models,
    survey_models, warning_models)]
FIELD_LABELS = _labels([Applicant, *_REQUEST_MODELS]) | {
    "body": "请求内容", "opinion": "意见", "upload_ids": "附件", "applicant": "申请人",
    # list filters in query strings
    "level": "预警类别", "status": "状态",
} | {
    # query and path parameters of the routes (functions/http_api), and the bodies defined there
    "cursor": "翻页标记", "limit": "每页条数", "q": "关键词", "department": "部门", "departmentId": "部门",
    "box": "收件箱类别", "due": "时限状态", "role": "岗位", "dimension": "统计维度", "format": "导出格式",
    "granularity": "考核周期", "metric": "考核指标", "period": "考核期间", "question": "问题", "since": "开始时间",
    "until": "结束时间", "user": "用户", "year": "年份", "date": "日期", "caseId": "办件编号",
    "attachmentId": "附件", "documentId": "文书", "complaintId": "投诉编号", "extensionId": "延期申请", "itemCode": "事项编码",
    "notificationId": "通知", "orderId": "督办单", "runId": "校验任务", "surveyId": "调查", "warningId": "预警",
    "days": "延期工作日数", "approve": "是否批准", "planId": "抽查计划", "government": "所属政府", "view": "查看内容",
}


def field_path(loc: Sequence[Any]) -> str:
    """`("body", "applicant", "phone")` → "applicant.phone"; union tags are dropped."""
    parts = [str(p) for p in loc if p not in ("body", "query", "header", "path")]
    # A discriminated union puts the tag (e.g. "reject") in the location: drop it.
    return ".".join(p for i, p in enumerate(parts) if not (i == 0 and p in _ACTION_TAGS and len(parts) > 1))


_ACTION_TAGS = {"accept", "reject", "request_supplement", "submit", "pass", "return", "approve", "deny", "complete",
                "inspected", "qualified", "rectify", "refer", "rectified", "publish", "agree", "disagree"}
_ACTION_TAGS |= {"drop", "notify", "schedule_hearing", "heard", "discussed", "penalize", "no_penalty", "delivered", "paid", "enforce"}


# Labels by a field's whole path (list indexes left out), for bodies whose field names repeat
# with other meanings (an item's "name" is not an applicant's); checked before FIELD_LABELS.
PATH_LABELS = CATALOG_PATH_LABELS | USER_FIELD_LABELS | INSPECTION_PATH_LABELS


def _label(path: str) -> str:
    whole = ".".join(p for p in path.split(".") if not p.isdigit())
    if whole in PATH_LABELS:
        return PATH_LABELS[whole]
    last = next((p for p in reversed(path.split(".")) if not p.isdigit()), path) if path else "body"
    return FIELD_LABELS.get(last, last)


# A query name with two meanings (`level`: a card's class in the warnings filter, a government's
# level in the rankings): an invalid choice is labelled by the enumeration it was checked against.
ENUM_LABELS = {frozenset(WarningLevel): "预警类别", frozenset(GovernmentLevel): "行政层级"}


def _enum_label(expected: str, label: str) -> str:
    return ENUM_LABELS.get(frozenset(re.findall(r"'([^']*)'", expected)), label)


def _choices(expected: str) -> str:
    """pydantic's "'a', 'b' or 'c'" as "a、b、c"."""
    values = re.findall(r"'([^']*)'", expected)
    return "、".join(values) if values else expected


def describe(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    label = _label(field_path(error.get("loc", ())))
    messages = {
        "missing": f"请填写{label}",
        "string_too_short": f"{label}至少需要{ctx.get('min_length')}个字符",
        "string_too_long": f"{label}不能超过{ctx.get('max_length')}个字符",
        "string_pattern_mismatch": f"{label}的格式不正确",
        "string_type": f"{label}应为文字",
        "too_short": f"{label}至少需要{ctx.get('min_length')}项",
        "too_long": f"{label}最多{ctx.get('max_length')}项",
        "greater_than": f"{label}必须大于{ctx.get('gt')}",
        "less_than_equal": f"{label}不能大于{ctx.get('le')}",
        "int_parsing": f"{label}应为整数",
        "int_type": f"{label}应为整数",
        "enum": f"{_enum_label(ctx.get('expected', ''), label)}的取值无效，可选：{_choices(ctx.get('expected', ''))}",
        "literal_error": f"{label}的取值无效，可选：{_choices(ctx.get('expected', ''))}",
        "union_tag_invalid": f"操作类型无效，可选：{ctx.get('expected_tags', '')}",
        "union_tag_not_found": "请指明操作类型（action）",
        "extra_forbidden": f"不支持的字段：{label}",
        "json_invalid": "请求内容不是有效的 JSON",
        "model_attributes_type": "请求内容应为 JSON 对象",
        "dict_type": f"{label}应为对象",
        "list_type": f"{label}应为列表",
        "unsafe_text": f"{label}{ctx.get('problem', '含有无效的字符')}",  # rules/text.py, checked before the models
        "bool_type": f"{label}应为 true 或 false",
        "bool_parsing": f"{label}应为 true 或 false",
    }
    if kind == "value_error":
        return str(error.get("msg", "")).removeprefix("Value error, ")
    return messages.get(kind, f"{label}无效")


def to_field_errors(errors: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    return [{"field": field_path(e.get("loc", ())) or "body", "message": describe(e)} for e in errors]


def upload_type_message() -> str:
    return "仅支持上传 " + "、".join(ALLOWED_UPLOAD_TYPES.values()) + " 格式的文件"
