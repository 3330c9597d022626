"""The catalog of powers (权力清单): departments and the items citizens apply for."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from pydantic import ConfigDict, Field, StrictBool, field_validator, model_validator

from .base import DomainModel
from .clock import LimitStart, LimitUnit, WarningRules
from .flow import FlowPattern, Step, staff_steps_of
from .flow_chart import FlowChart, flow_chart_of
from .joint import JOINT_LEGAL_LIMIT_DAYS, JOINT_MAX_EXTENSION_DAYS, JointRules
from .levels import CITY_GOVERNMENT_ID, Government, GovernmentLevel
from .reported import LOWER_REVIEW_STEPS, PRELIMINARY_LIMIT_DAYS, UPPER_LEGAL_LIMIT_DAYS, UPPER_STEPS
from .supervision import SupervisionRules

CENT = Decimal("0.01")


class Category(StrEnum):
    """The 12 classes of administrative power."""

    LICENSING = "行政许可"
    NON_LICENSING_APPROVAL = "非许可审批"
    PENALTY = "行政处罚"
    COERCION = "行政强制"
    LEVY = "行政征收"
    CONFIRMATION = "行政确认"
    ADJUDICATION = "行政裁决"
    INSPECTION = "行政检查"
    BENEFIT = "行政给付"
    REQUISITION = "行政征用"
    REWARD = "行政奖励"
    OTHER = "其他"

    @property
    def on_application(self) -> bool:
        """依申请: the applicant starts the case (online or at the window). Penalties, coercive
        measures, levies, inspections and requisitions are 依职权: the department opens them
        itself (立案, registered by its window) and nobody applies for them online."""
        return self not in EX_OFFICIO_CATEGORIES

    @property
    def flows(self) -> frozenset[FlowPattern]:
        """The flow patterns an item of this class may use."""
        if self is Category.PENALTY:
            return frozenset({FlowPattern.PENALTY, FlowPattern.PENALTY_SIMPLE})
        if self is Category.INSPECTION:
            return frozenset({FlowPattern.INSPECTION})
        if self.on_application:
            return frozenset({FlowPattern.INSTANT, FlowPattern.STANDARD, FlowPattern.JOINT, FlowPattern.REPORTED})
        # 行政强制、征收、征用: registered at the window (立案) and handled through the fixed flow.
        return frozenset({FlowPattern.STANDARD})


EX_OFFICIO_CATEGORIES = frozenset(
    {Category.PENALTY, Category.COERCION, Category.LEVY, Category.INSPECTION, Category.REQUISITION}
)


class Department(DomainModel):
    model_config = ConfigDict(frozen=True)

    department_id: str = Field(pattern=r"^[a-z][a-z0-9-]{1,39}$", description="Stable id, e.g. 'market'")
    name: str = Field(min_length=2, max_length=40, description="e.g. 市市场监督管理局")
    short_name: str = Field(min_length=1, max_length=12)
    phone: str = Field(default="", max_length=40)
    address: str = Field(default="", max_length=120)
    government_id: str = Field(default=CITY_GOVERNMENT_ID, pattern=r"^\d{6}(\d{3}){0,2}$", description="所属政府（行政区划代码）")


class PublicDepartment(Department):
    """GET /departments: a department with its government's name and level (行政层级)."""

    government_name: str = Field(description="所属政府，如 鄂城区")
    level: GovernmentLevel | None = None
    level_label: str = Field(description="如 县（市、区）级")

    @classmethod
    def of(cls, department: Department, government: Government | None) -> PublicDepartment:
        # A government not (yet) in the catalog is shown by its code: the listing never fails on it.
        return cls(
            **department.model_dump(),
            government_name=government.name if government else department.government_id,
            level=government.level if government else None,
            level_label=government.level.label if government else "",
        )


class Material(DomainModel):
    """A document the applicant must provide."""

    model_config = ConfigDict(frozen=True, extra="forbid")  # a catalog editor's unknown field is refused, not dropped

    material_id: str = Field(pattern=r"^[a-z0-9-]{1,40}$")
    name: str = Field(min_length=2, max_length=80)
    required: StrictBool = True
    copies: str = Field(default="原件1份", max_length=40)
    note: str = Field(default="", max_length=200)


class Fee(DomainModel):
    model_config = ConfigDict(frozen=True, extra="forbid")  # a catalog editor's unknown field is refused, not dropped

    name: str = Field(min_length=2, max_length=60)
    amount_yuan: Decimal = Field(ge=0, le=Decimal("100000000"), decimal_places=2, description="收费金额（元）")
    basis: str = Field(min_length=2, max_length=200, description="收费依据")

    @field_validator("amount_yuan")
    @classmethod
    def _in_fen(cls, value: Decimal) -> Decimal:
        # Always two places ("80.00"), whether it came from JSON, a form or DynamoDB ("80").
        return value.quantize(CENT)


class FormField(DomainModel):
    """A field of the online application form."""

    model_config = ConfigDict(frozen=True, extra="forbid")  # a catalog editor's unknown field is refused, not dropped

    field_id: str = Field(pattern=r"^[a-zA-Z][a-zA-Z0-9_]{0,39}$")
    label: str = Field(min_length=1, max_length=40)
    required: StrictBool = True
    max_length: int = Field(default=200, ge=1, le=2000)


class CatalogItem(DomainModel):
    """An approval item (事项) of the catalog."""

    model_config = ConfigDict(frozen=True)

    item_code: str = Field(pattern=r"^[0-9A-Z-]{6,40}$", description="权力编码")
    name: str = Field(min_length=2, max_length=80)
    category: Category
    department_id: str
    legal_basis: str = Field(min_length=4, max_length=1000, description="设定依据")
    conditions: str = Field(min_length=4, max_length=1000, description="受理条件")
    materials: tuple[Material, ...] = Field(min_length=1)
    fees: tuple[Fee, ...] = ()
    legal_limit_days: int = Field(ge=1, le=365, description="法定时限（天数，单位见 legal_limit_unit）")
    promised_limit_days: int = Field(ge=0, le=365, description="承诺时限（天数，单位见 promised_limit_unit；即办件为0，即当场办结）")
    step_limit_days: dict[Step, int] = Field(description="各环节时限（天数，单位见 step_limit_units；即办件的当场办理为0，即受理当日）")
    # Each limit counts working or calendar days (行政处罚法 第八十五条); missing: working days, the
    # licensing law's unit (行政许可法 第八十二条), so items stored before units existed stay valid.
    legal_limit_unit: LimitUnit = Field(default=LimitUnit.WORKING_DAYS, description="法定时限单位")
    promised_limit_unit: LimitUnit = Field(default=LimitUnit.WORKING_DAYS, description="承诺时限单位")
    step_limit_units: dict[Step, LimitUnit] = Field(default_factory=dict, description="各环节时限单位（未列出的环节按工作日）")
    limit_starts_at: LimitStart = Field(
        default=LimitStart.ACCEPTANCE, description="承诺时限和法定时限的起算事件（行政许可法 第四十二条：自受理之日起）"
    )
    form_fields: tuple[FormField, ...] = ()
    warning_rules: WarningRules = Field(default_factory=WarningRules, description="预警规则")
    supervision: SupervisionRules = Field(default_factory=SupervisionRules, description="电子监察规则（异常预警）")
    flow: FlowPattern = Field(default=FlowPattern.STANDARD, description="流程模式")
    # 行政检查: the department's penalty item a 移送立案 opens its enforcement case of.
    refers_to_item_code: str | None = Field(default=None, pattern=r"^[0-9A-Z-]{6,40}$", description="移送立案的行政处罚事项编码")
    # 并联审批: the lead department is department_id; these give their opinions (第二十六条).
    joint: JointRules | None = Field(default=None, description="并联审批：配合部门及其会签意见时限")
    # 上报件: department_id receives and reviews first; this department, one level up, decides (第三十五条).
    upper_department_id: str | None = Field(
        default=None, pattern=r"^[a-z][a-z0-9-]{1,39}$", description="上报件：作出决定的上级部门"
    )
    published: bool = True

    @model_validator(mode="after")
    def _every_staff_step_of_the_flow_has_a_limit(self) -> CatalogItem:
        steps = staff_steps_of(self.flow)
        missing = [step.label for step in steps if step not in self.step_limit_days]
        if missing:
            raise ValueError(f"缺少环节时限：{'、'.join(missing)}")
        foreign = [step.label for step in self.step_limit_days if step not in steps]
        if foreign:
            raise ValueError(f"“{self.flow.label}”流程没有这些环节：{'、'.join(foreign)}")
        for step, days in self.step_limit_days.items():
            # 即办件: decided on the day of receipt (行政许可法 第三十四条), a limit of 0 days.
            least = 0 if step is Step.INSTANT else 1
            if days < least:
                raise ValueError(f"“{step.label}”环节时限至少为{least}个工作日")
        if self.promised_limit_days == 0 and self.flow is not FlowPattern.INSTANT:
            raise ValueError("只有即办件的承诺时限可以为0（当场办结）")
        if self.flow not in self.category.flows:
            raise ValueError(f"{self.category.value}事项不能使用“{self.flow.label}”流程")
        return self

    @model_validator(mode="after")
    def _a_joint_item_names_its_co_departments(self) -> CatalogItem:
        if (self.joint is not None) != (self.flow is FlowPattern.JOINT):
            raise ValueError("并联审批事项须且只须列明配合部门")
        if self.joint is not None:
            self.joint.check_against(self.department_id, self.step_limit_days.get(Step.OPINION, 0))
            # 行政许可法 第四十二条: 45 working days, extended by at most 15 (by the government's leader).
            if self.legal_limit_days > JOINT_LEGAL_LIMIT_DAYS:
                raise ValueError(f"并联审批的法定时限不能超过{JOINT_LEGAL_LIMIT_DAYS}个工作日（行政许可法第四十二条）")
            if self.warning_rules.max_extension_days > JOINT_MAX_EXTENSION_DAYS:
                raise ValueError(f"并联审批的延期不能超过{JOINT_MAX_EXTENSION_DAYS}个工作日（行政许可法第四十二条）")
        return self

    @model_validator(mode="after")
    def _a_reported_item_names_its_upper_department(self) -> CatalogItem:
        if (self.upper_department_id is not None) != (self.flow is FlowPattern.REPORTED):
            raise ValueError("上报件事项须且只须列明上级审批部门")
        if self.upper_department_id is None:
            return self
        if self.upper_department_id == self.department_id:
            raise ValueError("上级审批部门不能是受理初审部门")
        # 行政许可法 第四十三条: the lower organ reviews and reports within 20 days of acceptance.
        if sum(self.step_limit_days.get(step, 0) for step in LOWER_REVIEW_STEPS) > PRELIMINARY_LIMIT_DAYS:
            raise ValueError(f"“初审”和“上报”环节时限之和不能超过{PRELIMINARY_LIMIT_DAYS}个工作日（行政许可法第四十三条）")
        if sum(self.step_limit_days.get(step, 0) for step in UPPER_STEPS) > UPPER_LEGAL_LIMIT_DAYS:
            raise ValueError(f"上级审批部门的“承办”“审核”“批准”环节时限之和不能超过{UPPER_LEGAL_LIMIT_DAYS}个工作日（行政许可法第四十二条）")
        lower_or_upper = (*LOWER_REVIEW_STEPS, *UPPER_STEPS)
        if any(self.step_limit_unit(step) is not LimitUnit.WORKING_DAYS for step in lower_or_upper if step in self.step_limit_days):
            raise ValueError("上报件的环节时限按工作日计算（行政许可法第八十二条）")
        return self

    @model_validator(mode="after")
    def _units_only_for_limited_steps(self) -> CatalogItem:
        unlimited = [step.label for step in self.step_limit_units if step not in self.step_limit_days]
        if unlimited:
            raise ValueError(f"只能为有时限的环节设置时限单位：{'、'.join(unlimited)}")
        return self

    def step_limit_unit(self, step: Step) -> LimitUnit:
        return self.step_limit_units.get(step, LimitUnit.WORKING_DAYS)

    @model_validator(mode="after")
    def _limits_are_consistent(self) -> CatalogItem:
        # Like with like: days of different units are not comparable (N working days are at least N
        # calendar days, but by how much depends on the dates), so each check takes only the limits
        # counted in the same unit; a subset of the steps already over the promised limit is too much.
        if self.promised_limit_unit is self.legal_limit_unit and self.promised_limit_days > self.legal_limit_days:
            raise ValueError("承诺时限不能超过法定时限")
        staff_days = sum(days for step, days in self.step_limit_days.items() if self.step_limit_unit(step) is self.promised_limit_unit)
        if self.flow is not FlowPattern.JOINT and staff_days > self.promised_limit_days:
            # A joint case's co-departments give their opinions in parallel: their days overlap.
            raise ValueError("各环节时限之和不能超过承诺时限")
        if self.refers_to_item_code is not None and self.flow is not FlowPattern.INSPECTION:
            raise ValueError("只有行政检查事项可以设置移送立案的处罚事项")
        if self.supervision.discretion is not None and self.category is not Category.PENALTY:
            raise ValueError("只有行政处罚事项可以设置自由裁量范围")
        return self

    @property
    def total_fee_yuan(self) -> Decimal:
        return sum((fee.amount_yuan for fee in self.fees), Decimal("0"))


class PublicCatalogItem(CatalogItem):
    """An item as the public catalog shows it (事项详情): with whether it takes online applications and
    its flow chart, drawn from the state machine that runs it with the item's own step limits."""

    online_application: bool = Field(description="是否接受网上申请（依申请事项）；依职权事项由部门立案办理")
    flow_chart: FlowChart | None = Field(default=None, description="办理流程（由该事项流程的状态机生成，含本事项各环节时限）")

    @classmethod
    def of(cls, item: CatalogItem) -> PublicCatalogItem:
        return cls.model_construct(**dict(item), online_application=item.category.on_application, flow_chart=flow_chart_of(item))


class CatalogItemSummary(DomainModel):
    """One line of the public catalog listing (事项列表)."""

    model_config = ConfigDict(frozen=True)

    item_code: str
    name: str
    category: Category
    department_id: str
    department_name: str
    legal_limit_days: int
    promised_limit_days: int
    legal_limit_unit: LimitUnit = LimitUnit.WORKING_DAYS
    promised_limit_unit: LimitUnit = LimitUnit.WORKING_DAYS
    total_fee_yuan: Decimal = Field(description="0 means 不收费")
    online_application: bool = Field(default=True, description="是否接受网上申请（依申请事项）")
    flow: FlowPattern = Field(default=FlowPattern.STANDARD, description="办理流程类型（即办件、承诺件、并联审批……）")

    @classmethod
    def of(cls, item: CatalogItem, department_name: str) -> CatalogItemSummary:
        return cls(
            item_code=item.item_code,
            name=item.name,
            category=item.category,
            department_id=item.department_id,
            department_name=department_name,
            legal_limit_days=item.legal_limit_days,
            promised_limit_days=item.promised_limit_days,
            legal_limit_unit=item.legal_limit_unit,
            promised_limit_unit=item.promised_limit_unit,
            total_fee_yuan=item.total_fee_yuan.quantize(CENT),
            online_application=item.category.on_application,
            flow=item.flow,
        )
