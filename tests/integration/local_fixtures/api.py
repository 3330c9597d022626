"""Stand-in for http_api.handler: echoes what the gateway sent, and can call another function."""

import base64
import json
import os

import boto3

SERVICE_AT_IMPORT = os.environ.get("POWERTOOLS_SERVICE_NAME")


def handler(event, context):
    if event["path"].endswith("/invoke-flow-step"):
        # A synchronous handler-to-handler call through moto: must not deadlock.
        response = boto3.client("lambda").invoke(
            FunctionName=os.environ["FLOW_STEP_FUNCTION_NAME"],
            Payload=json.dumps({"kind": "echo", "from": "api"}).encode())
        return {"statusCode": 200, "body": response["Payload"].read().decode()}
    if event["path"].endswith("/binary"):
        return {"statusCode": 200, "headers": {"Content-Type": "application/octet-stream"},
                "body": base64.b64encode(b"\x00\x01\x02").decode(), "isBase64Encoded": True}
    if event["path"].endswith("/fail"):
        raise RuntimeError("handler failed")
    return {
        "statusCode": 200,
        "headers": {"Content-Type": "application/json", "X-Function": context.function_name},
        "multiValueHeaders": {"Set-Cookie": ["a=1", "b=2"]},
        "body": json.dumps({
            "event": event,
            "service_at_import": SERVICE_AT_IMPORT,
            "cases_table": os.environ.get("CASES_TABLE_NAME"),
        }),
    }
