"""Catalog administration (权力清单维护, 法制办): versioned edits of departments and items, and the
change history (修改记录) that shows who changed what, when."""

from __future__ import annotations

import json
from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .base import DomainModel
from .catalog import CatalogItem, CatalogItemSummary, Category, Department


class ChangeAction(StrEnum):
    CREATE = "create"  # 新增
    UPDATE = "update"  # 修改
    PUBLISH = "publish"  # 发布
    UNPUBLISH = "unpublish"  # 撤销发布

    @property
    def label(self) -> str:
        return CHANGE_ACTION_LABELS[self]


CHANGE_ACTION_LABELS = {
    ChangeAction.CREATE: "新增",
    ChangeAction.UPDATE: "修改",
    ChangeAction.PUBLISH: "发布",
    ChangeAction.UNPUBLISH: "撤销发布",
}

# What the history and the 422 messages call each field (zh-CN).
ITEM_FIELD_LABELS: dict[str, str] = {
    "item_code": "事项编码",
    "name": "名称",
    "category": "权力类别",
    "department_id": "实施部门",
    "legal_basis": "设定依据",
    "conditions": "受理条件",
    "materials": "申请材料",
    "fees": "收费标准",
    "legal_limit_days": "法定时限",
    "promised_limit_days": "承诺时限",
    "step_limit_days": "各环节时限",
    "legal_limit_unit": "法定时限单位",
    "promised_limit_unit": "承诺时限单位",
    "step_limit_units": "各环节时限单位",
    "limit_starts_at": "时限起算",
    "form_fields": "申请表字段",
    "warning_rules": "预警规则",
    "supervision": "电子监察规则",
    "flow": "流程模式",
    "published": "发布状态",
}
DEPARTMENT_FIELD_LABELS: dict[str, str] = {
    "department_id": "部门编码",
    "name": "名称",
    "short_name": "简称",
    "phone": "联系电话",
    "address": "地址",
}
# Labels of nested fields by their path (list indexes left out), for the 422 messages.
CATALOG_PATH_LABELS: dict[str, str] = {
    **ITEM_FIELD_LABELS,
    **DEPARTMENT_FIELD_LABELS,
    "materials.material_id": "材料编号",
    "materials.name": "材料名称",
    "materials.copies": "材料份数",
    "materials.note": "材料说明",
    "materials.required": "是否必交",
    "fees.name": "收费项目",
    "fees.amount_yuan": "收费金额",
    "fees.basis": "收费依据",
    "form_fields.field_id": "字段编号",
    "form_fields.label": "字段名称",
    "form_fields.max_length": "字段长度",
    "form_fields.required": "是否必填",
    "warning_rules.reminder_working_days": "临近时限提醒天数",
    "warning_rules.supervision_working_days": "督办期限",
    "warning_rules.acceptance_working_days": "受理期限",
    "warning_rules.max_extension_days": "延期上限",
    "joint": "并联审批配合部门",
    "joint.co_departments": "配合部门",
    "joint.co_departments.department_id": "配合部门",
    "joint.co_departments.opinion_limit_days": "会签意见时限",
    "upper_department_id": "上级审批部门",
    "warning_rules.supplement_wait_working_days": "补正等待期限",
    "supervision.enabled_rules": "启用的异常规则",
    "refers_to_item_code": "移送立案的处罚事项编码",
    "supervision.office_hours": "办公时间",
    "supervision.office_hours.start": "办公开始时间",
    "supervision.office_hours.end": "办公结束时间",
    "supervision.discretion": "自由裁量范围",
    "supervision.discretion.min_yuan": "罚款下限",
    "supervision.discretion.max_yuan": "罚款上限",
    "supervision.discretion.basis": "裁量基准依据",
    "supervision.risk_points": "风险点",
    "supervision.risk_points.step": "风险点所在环节",
    "supervision.risk_points.control_material_id": "控制文书编号",
    "supervision.risk_points.name": "风险点名称",
    "supervision.risk_points.document_name": "控制文书名称",
    "version": "版本号",
}


# --- requests ----------------------------------------------------------------------------------


class VersionRequest(DomainModel):
    """The version the editor last read: a stale one is refused (409)."""

    model_config = ConfigDict(extra="forbid")

    version: int = Field(ge=0, description="版本号")


class CatalogItemUpdate(CatalogItem):
    """An item as the editor sends it: every field, the version it read; `published` is changed by
    publish/unpublish only, so it is not accepted here."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    version: int = Field(ge=0, description="版本号")
    published: bool = Field(default=False, exclude=True)

    def item(self, *, published: bool) -> CatalogItem:
        return CatalogItem.model_validate({**self.model_dump(exclude={"version", "published"}), "published": published})


class CatalogItemCreate(CatalogItem):
    """A new item; it starts unpublished, so the legal office can check it before citizens see it."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    published: bool = Field(default=False, exclude=True)

    def item(self) -> CatalogItem:
        return CatalogItem.model_validate({**self.model_dump(exclude={"published"}), "published": False})


class DepartmentUpdate(DomainModel):
    """A department's fields; `version` null creates it, a number edits that version."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=2, max_length=40, description="名称")
    short_name: str = Field(min_length=1, max_length=12, description="简称")
    phone: str = Field(default="", max_length=40, description="联系电话")
    address: str = Field(default="", max_length=120, description="地址")
    version: int | None = Field(default=None, ge=0, description="版本号；新建部门时不填")


# --- stored ------------------------------------------------------------------------------------


class Revision(DomainModel):
    """Who wrote the current version of a record, and when."""

    model_config = ConfigDict(frozen=True)

    version: int = Field(ge=0, description="0: loaded by the seed, never edited here")
    updated_at: datetime | None = None
    updated_by: str | None = None  # user id
    updated_by_name: str | None = None


class FieldChange(DomainModel):
    """One field's value before and after, as JSON text (null: the field did not exist)."""

    model_config = ConfigDict(frozen=True)

    field: str
    label: str
    before: str | None
    after: str | None


class CatalogChange(DomainModel):
    """One entry of the change history (修改记录) of an item or a department."""

    model_config = ConfigDict(frozen=True)

    subject: str = Field(description="ITEM#{code} or DEPT#{id}")
    version: int = Field(ge=1, description="the version this change produced")
    action: ChangeAction
    action_label: str = ""
    changed_by: str
    changed_by_name: str
    changed_at: datetime
    changes: tuple[FieldChange, ...] = ()


def field_changes(before: BaseModel | None, after: BaseModel, labels: dict[str, str]) -> tuple[FieldChange, ...]:
    """The top-level fields whose values differ, in the model's field order."""
    old = before.model_dump(mode="json") if before is not None else {}
    new = after.model_dump(mode="json")
    changes = []
    for name in type(after).model_fields:
        if name in new and old.get(name) != new[name]:
            changes.append(
                FieldChange(
                    field=name,
                    label=labels.get(name, name),
                    before=_text(old[name]) if name in old else None,
                    after=_text(new[name]),
                )
            )
    return tuple(changes)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)


# --- views -------------------------------------------------------------------------------------


class AdminCatalogItem(DomainModel):
    """An item as the administrator edits it: published or not, with its version."""

    item: CatalogItem
    revision: Revision


class AdminItemSummary(CatalogItemSummary):
    published: bool
    version: int
    updated_at: datetime | None = None
    updated_by_name: str | None = None


class AdminDepartment(DomainModel):
    department: Department
    revision: Revision


__all__ = [
    "AdminCatalogItem",
    "AdminDepartment",
    "AdminItemSummary",
    "CATALOG_PATH_LABELS",
    "CatalogChange",
    "CatalogItemCreate",
    "CatalogItemUpdate",
    "Category",
    "ChangeAction",
    "DepartmentUpdate",
    "FieldChange",
    "Revision",
    "VersionRequest",
    "field_changes",
]
