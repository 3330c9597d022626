"""Stand-in for flow_step.handler: records task tokens, finalizes, or fails on request."""

import os
import time

import boto3


def handler(event, context):
    if "detail-type" in event:  # delivered by an EventBridge rule
        table = boto3.resource("dynamodb").Table(os.environ["CASES_TABLE_NAME"])
        table.put_item(Item={"pk": f"EVENT#{event['id']}", "sk": event["detail-type"], "source": event["source"]})
        return None
    kind = event.get("kind")
    if kind == "enter_step":
        table = boto3.resource("dynamodb").Table(os.environ["CASES_TABLE_NAME"])
        table.put_item(Item={"pk": f"CASE#{event['caseId']}", "sk": "TOKEN", "step": event["step"],
                             "token": event["taskToken"], "function": context.function_name})
        return {"recorded": event["step"]}
    if kind == "finalize":
        return {"outcome": event["outcome"], "remaining_ms": context.get_remaining_time_in_millis()}
    if kind == "scheduled":  # delivered by an EventBridge Scheduler schedule
        table = boto3.resource("dynamodb").Table(os.environ["CASES_TABLE_NAME"])
        table.put_item(Item={"pk": f"SCHEDULED#{event['id']}", "sk": "FIRED"})
        return None
    if kind == "sleep":
        time.sleep(event["seconds"])
        return {"slept": event["seconds"]}
    if kind == "environment":
        return {key: os.environ.get(key) for key in event["keys"]}
    if kind == "boom":
        raise ValueError("boom requested")
    return {"echo": event, "service": os.environ.get("POWERTOOLS_SERVICE_NAME")}
