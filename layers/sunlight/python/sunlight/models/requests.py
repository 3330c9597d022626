"""Bodies the API accepts. Validated at the edge; field descriptions become the OpenAPI docs
and the 422 messages name these fields."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, StringConstraints, field_validator

from .base import DomainModel
from .case import Applicant, IdType, resident_id_is_valid

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
    | AgreeAction
    | DisagreeAction,
    Field(discriminator="action"),
]


# --- window intake (窗口代办): a clerk registers the application of a walk-in applicant ----------


class WalkInApplicant(_Body):
    """The person at the counter; identified by a resident id card (GB 11643 checksum checked)."""

    name: str = Field(min_length=2, max_length=50, description="申请人姓名")
    id_number: str = Field(min_length=18, max_length=18, description="居民身份证号码")
    phone: str = Field(pattern=r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$", description="联系电话")
    address: str = Field(default="", max_length=120, description="联系地址")

    @field_validator("id_number", mode="after")
    @classmethod
    def _checksum(cls, value: str) -> str:
        number = value.upper()
        if not resident_id_is_valid(number):
            raise ValueError("居民身份证号码有误（校验位不符），请核对证件后重新输入18位号码，末位可为X")
        return number

    def to_applicant(self) -> Applicant:
        return Applicant(name=self.name, id_type=IdType.RESIDENT_ID, id_number=self.id_number, phone=self.phone, address=self.address)


class WindowApplicationRequest(_Body):
    item_code: str = Field(min_length=6, max_length=40, description="事项编码")
    applicant: WalkInApplicant
    form: dict[str, str] = Field(default_factory=dict, description="申请表内容")
    upload_ids: list[UploadId] = Field(default_factory=list, max_length=30, description="已上传附件")
