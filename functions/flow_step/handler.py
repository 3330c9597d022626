"""Tasks of the approval state machines: a human step was entered (with its task token), the
flow ended, or a step waited past its hard limit; and the joint flow's (并联审批) forwarding to the
co-departments, closing of a co-department's part, and gathering of their opinions; the 上报件's
report up to the upper department and its decision back down."""

from __future__ import annotations

from typing import Annotated, Literal

from aws_lambda_powertools import Logger
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from sunlight.bootstrap import container
from sunlight.config import FlowStepSettings, require_environment
from sunlight.models.flow import FlowPattern, Outcome, Step
from sunlight.models.joint import JointPart
from sunlight.models.reported import UpperPart
from sunlight.observability import handler_metrics

logger = Logger()
SETTINGS = FlowStepSettings  # what its environment must hold, checked on its first invocation
metrics = handler_metrics()  # namespace read at flush time (sunlight/observability.py)


class _Task(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    case_id: str = Field(alias="caseId")


class EnterStep(_Task):
    kind: Literal["enter_step"]
    step: Step
    task_token: str = Field(alias="taskToken")
    part: JointPart | None = None  # a co-department's part of a joint case: created on entering 会签意见
    upper: UpperPart | None = None  # 上报件: the upper department's part, created on entering its 承办


class Finalize(_Task):
    kind: Literal["finalize"]
    outcome: Outcome


class Suspend(_Task):
    kind: Literal["suspend"]


class Route(_Task):
    kind: Literal["route"]


class Forward(_Task):
    kind: Literal["forward"]


class ClosePart(_Task):
    kind: Literal["close_part"]


class Gather(_Task):
    kind: Literal["gather"]


class ReportUp(_Task):
    kind: Literal["report_up"]


class ReportBack(_Task):
    kind: Literal["report_back"]


FlowTask = TypeAdapter(
    Annotated[
        EnterStep | Finalize | Suspend | Route | Forward | ClosePart | Gather | ReportUp | ReportBack,
        Field(discriminator="kind"),
    ]
)


@logger.inject_lambda_context
@metrics.log_metrics
def handler(event: dict, context: LambdaContext) -> dict:
    require_environment(SETTINGS)
    task = FlowTask.validate_python(event)
    logger.append_keys(case_id=task.case_id, kind=task.kind)
    flow = container().flow
    if isinstance(task, Route):
        route = flow.route(task.case_id)
        return {"caseId": task.case_id, "legalReview": route.legal_review, "collective": route.collective}
    if isinstance(task, Forward):
        parts = flow.forward(task.case_id)
        return {"caseId": task.case_id, "parts": [part.as_item() for part in parts]}
    if isinstance(task, Gather):
        supplement = flow.gather(task.case_id)
        return {"caseId": task.case_id, "next": "supplement" if supplement else "handle"}
    if isinstance(task, ClosePart):
        transition = flow.close_part(task.case_id)
        part = transition.case
        return {"caseId": part.case_id, "departmentId": part.department_id, "decision": part.last_decision}
    if isinstance(task, ReportUp):
        return flow.report_up(task.case_id).as_item()  # caseId: the upper part's, which the upper steps run on
    if isinstance(task, ReportBack):
        return {"caseId": task.case_id, "decision": flow.report_back(task.case_id).value}
    if isinstance(task, EnterStep):
        transition = flow.enter_step(task.case_id, task.step, task.task_token, task.part, task.upper)
    elif isinstance(task, Finalize):
        transition = flow.finalize(task.case_id, task.outcome)
        if transition.case.flow is FlowPattern.INSPECTION:
            container().inspections.record_result(task.case_id)  # 公示: every result is made public
        metrics.add_metric(name=f"Cases{task.outcome.value.capitalize()}", unit=MetricUnit.Count, value=1)
    else:
        transition = flow.suspend(task.case_id)
        metrics.add_metric(name="CasesSuspended", unit=MetricUnit.Count, value=1)
    return {"caseId": task.case_id, "status": transition.case.status.value, "outcome": transition.case.status.value}
