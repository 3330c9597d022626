"""Bodies the API accepts. Validated at the edge; field descriptions become the OpenAPI docs
and the 422 messages name these fields."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AwareDatetime, ConfigDict, Field, StrictBool, StringConstraints, ValidationInfo, field_validator

from .base import DomainModel
from .case import CREDIT_CODE_PATTERN, Applicant, IdType, resident_id_is_valid
from .inspection import Officer

ALLOWED_UPLOAD_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPG",
    "image/png": "PNG",
}

ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Opinion = Annotated[str, StringConstraints(strip_whitespace=True, min_length=2, max_length=2000)]
UploadId = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{32}$")]
Yuan = Annotated[Decimal, Field(ge=0, le=Decimal("100000000"), decimal_places=2)]


class _Body(DomainModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class UploadRequest(_Body):
    file_name: str = Field(min_length=1, max_length=120, description="文件名")
    content_type: str = Field(description="文件类型：application/pdf、image/jpeg 或 image/png")
    size_bytes: int = Field(gt=0, description="文件大小（字节）")
    material_id: str | None = Field(default=None, max_length=40, description="对应的申请材料")


class ApplicantInput(Applicant):
    """The applicant as sent: a field the form does not have is refused (422), not dropped."""

    model_config = ConfigDict(extra="forbid")


class ApplicationRequest(_Body):
    item_code: str = Field(min_length=6, max_length=40, description="事项编码")
    applicant: ApplicantInput
    form: dict[str, str] = Field(default_factory=dict, description="申请表内容")
    upload_ids: list[UploadId] = Field(default_factory=list, max_length=30, description="已上传附件")


class PartyStatementRequest(_Body):
    """The party of a penalty case, online, within the statement window (行政处罚法 第四十四条、第六十四条)."""

    action: Literal["request_hearing", "submit_statement", "waive"] = Field(description="陈述申辩方式")
    statement: str | None = Field(default=None, max_length=5000, description="陈述、申辩意见")
    upload_ids: list[UploadId] = Field(default_factory=list, max_length=30, description="证据材料")


class ClaimCaseRequest(_Body):
    """The party finds a case registered against them: the case number and query code of the
    notice, and their own id number as registered."""

    case_id: str = Field(min_length=6, max_length=40, description="案件编号")
    query_code: str = Field(pattern=r"^\d{6}$", description="6位查询码")
    id_number: str = Field(min_length=5, max_length=18, description="当事人证件号码")


class TrackRequest(_Body):
    case_id: str = Field(min_length=6, max_length=40, description="办件编号")
    query_code: str = Field(pattern=r"^\d{6}$", description="6位查询码")


class SupplementRequest(_Body):
    upload_ids: list[UploadId] = Field(min_length=1, max_length=30, description="补正的附件")
    note: str | None = Field(default=None, max_length=500, description="补正说明")


class _StaffActionBody(_Body):
    attachment_ids: list[UploadId] = Field(
        default_factory=list,
        max_length=30,
        description="本次办理附带的文书（如风险点的控制文书），先通过 POST /uploads 上传，并在上传时注明材料编号",
    )


class AcceptAction(_StaffActionBody):
    action: Literal["accept"]
    opinion: str | None = Field(default=None, max_length=2000, description="受理意见")


class RejectAction(_StaffActionBody):
    action: Literal["reject"]
    opinion: Opinion = Field(description="不予受理的理由")


class RequestSupplementAction(_StaffActionBody):
    action: Literal["request_supplement"]
    missing_materials: list[ShortText] = Field(min_length=1, max_length=30, description="需补正的全部材料（一次性告知）")
    opinion: str | None = Field(default=None, max_length=2000, description="补正说明")


class SubmitAction(_StaffActionBody):
    action: Literal["submit"]
    opinion: Opinion = Field(description="承办意见")
    officers: list[Officer] = Field(
        default_factory=list, max_length=10, description="执法人员（行政处罚调查取证须至少两名持证执法人员）",
    )


class PassAction(_StaffActionBody):
    action: Literal["pass"]
    opinion: str | None = Field(default=None, max_length=2000, description="审核意见")


class ReturnAction(_StaffActionBody):
    action: Literal["return"]
    opinion: Opinion = Field(description="退回理由")


class ApproveAction(_StaffActionBody):
    action: Literal["approve"]
    opinion: Opinion = Field(description="批准决定")
    penalty_yuan: Yuan | None = Field(default=None, description="罚款金额（元），行政处罚事项填写")


class DenyAction(_StaffActionBody):
    action: Literal["deny"]
    opinion: Opinion = Field(description="不予批准的决定和理由")
    penalty_yuan: Yuan | None = Field(default=None, description="罚款金额（元），行政处罚事项填写")


class CompleteAction(_StaffActionBody):
    action: Literal["complete"]
    opinion: Opinion = Field(description="办结结果（如证照编号、送达方式）")
    fee_charged_yuan: Yuan | None = Field(default=None, description="实际收取的费用（元），不收费的填0")


# --- 行政检查 (inspection flow) ---------------------------------------------------------------


class InspectedAction(_StaffActionBody):
    action: Literal["inspected"]
    officers: list[Officer] = Field(
        min_length=1, max_length=10, description="实施检查的执法人员（不得少于两人；仅一人检查的，电子监察记为异常）"
    )
    opinion: Opinion = Field(description="检查情况（现场检查发现的问题）")


class QualifiedAction(_StaffActionBody):
    action: Literal["qualified"]
    opinion: str | None = Field(default=None, max_length=2000, description="检查结论")


class RectifyAction(_StaffActionBody):
    action: Literal["rectify"]
    opinion: Opinion = Field(description="责令整改的问题和要求")
    rectification_due_on: date = Field(description="整改期限（须在此日期前整改完毕）")


class ReferAction(_StaffActionBody):
    action: Literal["refer"]
    opinion: Opinion = Field(description="涉嫌违法的事实和移送立案的理由")


class RectifiedAction(_StaffActionBody):
    action: Literal["rectified"]
    opinion: Opinion = Field(description="整改复查情况")


class PublishAction(_StaffActionBody):
    action: Literal["publish"]
    opinion: str | None = Field(default=None, max_length=500, description="公示说明")


class ReportAction(_StaffActionBody):
    """上报件: the lower leader signs the preliminary opinion and sends it up with all materials
    (行政许可法 第三十五条)."""

    action: Literal["report"]
    opinion: Opinion = Field(description="上报意见（领导签署的初审意见）")


# --- 行政处罚 (行政处罚法 2021) ------------------------------------------------------------------


class DropAction(_StaffActionBody):
    action: Literal["drop"]
    opinion: Opinion = Field(description="撤销立案的理由")


class NotifyAction(_StaffActionBody):
    """事先告知 (第四十四条); the handler marks whether 法制审核 (第五十八条) and 集体讨论 (第五十七条) apply."""

    action: Literal["notify"]
    opinion: Opinion = Field(description="拟作出处罚的事实、理由和依据")
    intended_penalty_yuan: Yuan | None = Field(default=None, description="拟罚款金额（元），仅拟警告的不填")
    legal_review_required: StrictBool = Field(default=False, description="是否须法制审核")
    collective_required: StrictBool = Field(default=False, description="是否须集体讨论")


class ScheduleHearingAction(_StaffActionBody):
    action: Literal["schedule_hearing"]
    hearing_at: AwareDatetime = Field(description="听证时间")
    hearing_place: ShortText = Field(description="听证地点")
    opinion: str | None = Field(default=None, max_length=2000, description="听证通知说明")


class HeardAction(_StaffActionBody):
    action: Literal["heard"]
    opinion: Opinion = Field(description="听证笔录摘要")


class DiscussedAction(_StaffActionBody):
    action: Literal["discussed"]
    opinion: Opinion = Field(description="集体讨论决定")


class PenalizeAction(_StaffActionBody):
    action: Literal["penalize"]
    opinion: Opinion = Field(description="处罚决定（违法事实、依据和处罚内容）")
    penalty_yuan: Yuan = Field(description="罚款金额（元），仅警告的填0")


class NoPenaltyAction(_StaffActionBody):
    action: Literal["no_penalty"]
    opinion: Opinion = Field(description="不予行政处罚的理由")


class DeliveredAction(_StaffActionBody):
    action: Literal["delivered"]
    opinion: str | None = Field(default=None, max_length=2000, description="送达方式和送达日期")


class PaidAction(_StaffActionBody):
    action: Literal["paid"]
    opinion: str | None = Field(default=None, max_length=2000, description="履行情况（如缴款凭证号）")


class EnforceAction(_StaffActionBody):
    action: Literal["enforce"]
    opinion: Opinion = Field(description="申请强制执行的情况")


class AgreeAction(_StaffActionBody):
    action: Literal["agree"]
    opinion: str | None = Field(default=None, max_length=2000, description="会签意见（同意）")


class DisagreeAction(_StaffActionBody):
    action: Literal["disagree"]
    opinion: Opinion = Field(description="不同意的理由和依据（由牵头部门统一决定）")


StaffAction = Annotated[
    AcceptAction
    | RejectAction
    | RequestSupplementAction
    | SubmitAction
    | PassAction
    | ReturnAction
    | ApproveAction
    | DenyAction
    | CompleteAction
    | InspectedAction
    | QualifiedAction
    | RectifyAction
    | ReferAction
    | RectifiedAction
    | PublishAction
    | DropAction
    | NotifyAction
    | ScheduleHearingAction
    | HeardAction
    | DiscussedAction
    | PenalizeAction
    | NoPenaltyAction
    | DeliveredAction
    | PaidAction
    | EnforceAction
    | AgreeAction
    | DisagreeAction
    | ReportAction,
    Field(discriminator="action"),
]


# --- window intake (窗口代办): a clerk registers the application of a walk-in applicant ----------


class WalkInApplicant(_Body):
    """The person at the counter; identified by a resident id card (GB 11643 checksum checked).
    The party of a case opened ex officio (立案) may be an organisation, by its credit code: the
    simple procedure's bound depends on it (行政处罚法 第五十一条)."""

    name: str = Field(min_length=2, max_length=50, description="申请人姓名")
    id_type: Literal[IdType.RESIDENT_ID, IdType.CREDIT_CODE] = Field(default=IdType.RESIDENT_ID, description="证件类型")
    id_number: str = Field(min_length=18, max_length=18, description="居民身份证号码")
    phone: str = Field(pattern=r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$", description="联系电话")
    address: str = Field(default="", max_length=120, description="联系地址")

    @field_validator("id_number", mode="after")
    @classmethod
    def _checksum(cls, value: str, info: ValidationInfo) -> str:
        number = value.upper()
        if info.data.get("id_type") is IdType.CREDIT_CODE:
            if not CREDIT_CODE_PATTERN.match(number):
                raise ValueError("统一社会信用代码有误，请核对营业执照后重新输入18位代码")
            return number
        if not resident_id_is_valid(number):
            raise ValueError("居民身份证号码有误（校验位不符），请核对证件后重新输入18位号码，末位可为X")
        return number

    def to_applicant(self) -> Applicant:
        return Applicant(name=self.name, id_type=self.id_type, id_number=self.id_number, phone=self.phone, address=self.address)


class WindowApplicationRequest(_Body):
    item_code: str = Field(min_length=6, max_length=40, description="事项编码")
    applicant: WalkInApplicant
    form: dict[str, str] = Field(default_factory=dict, description="申请表内容")
    upload_ids: list[UploadId] = Field(default_factory=list, max_length=30, description="已上传附件")
