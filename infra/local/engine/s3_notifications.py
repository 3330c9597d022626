"""S3 bucket notifications to Lambda and to EventBridge, as AWS delivers them.

CDK writes a bucket's notification configuration with a deploy-time custom resource
(`Custom::S3BucketNotifications`), which the local provisioner does not run. Here (a) every such
resource of the template is applied to its bucket in moto with its own resolved
NotificationConfiguration (so events, prefix filters and targets come from the template), and
(b) moto's in-line Lambda call for a matching object is replaced by an asynchronous delivery
(InvocationType Event) through the same `TargetDelivery` the bus's rules use, since S3 invokes
its targets asynchronously and never inside the upload request. A bucket with EventBridge
notifications on (`EventBridgeConfiguration`) sends its events through moto to the rules of the
buses, whose Lambda targets events.py delivers; those events wait for the stored object too.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from infra.local.engine.template import Template

log = logging.getLogger(__name__)

NOTIFICATIONS_TYPE = "Custom::S3BucketNotifications"
_installed: dict[str, Any] = {}
_held = threading.local()  # Lambda notifications of a request still storing its object (see held_until_stored)


@contextmanager
def held_until_stored() -> Iterator[None]:
    """Holds this thread's Lambda notifications until the block ends. moto's presigned POST
    notifies before it sets the object's metadata (Content-Type), while S3 stores object and
    metadata at once; a function reading the object on its ObjectCreated event must see both."""
    held: list[Callable[[], None]] = []
    _held.events = held
    try:
        yield
    finally:
        _held.events = None
        for deliver in held:
            deliver()


class Delivery(Protocol):
    def deliver(self, target_arn: str, payload: str, source: str) -> None: ...


class _Resolver(Protocol):
    def is_active(self, logical_id: str) -> bool: ...

    def resolve(self, value: Any) -> Any: ...


def apply_bucket_notifications(template: Template, resolver: _Resolver, s3_client: Any) -> dict[str, dict[str, Any]]:
    """Puts each template bucket-notification resource's configuration on its bucket; returns
    bucket name → configuration applied."""
    applied = {}
    for logical_id, resource in template.resources_of_type(NOTIFICATIONS_TYPE).items():
        if not resolver.is_active(logical_id):
            continue
        properties = resolver.resolve(resource.get("Properties", {}))
        bucket, configuration = properties["BucketName"], properties.get("NotificationConfiguration") or {}
        s3_client.put_bucket_notification_configuration(
            Bucket=bucket, NotificationConfiguration=configuration, SkipDestinationValidation=True
        )
        applied[bucket] = configuration
        log.info("bucket %s notifies %s", bucket, ", ".join(
            c.get("LambdaFunctionArn") or c.get("QueueArn") or c.get("TopicArn") or "?"
            for kind in ("LambdaFunctionConfigurations", "QueueConfigurations", "TopicConfigurations")
            for c in configuration.get(kind, [])
        ) + (" EventBridge" if "EventBridgeConfiguration" in configuration else ""))
    return applied


def install_lambda_notifications(delivery: Delivery) -> None:
    from moto.s3 import notifications

    if _installed:
        raise RuntimeError("S3 notification delivery is already installed")

    def invoke_async(account_id: str, event_body: Any, fn_arn: str, region_name: str) -> None:
        body = json.dumps(event_body)
        held = getattr(_held, "events", None)
        if held is not None:
            held.append(lambda: delivery.deliver(fn_arn, body, "s3 notification"))
        else:
            delivery.deliver(fn_arn, body, "s3 notification")

    original_event_bridge = notifications._send_event_bridge_message

    def send_to_event_bridge(account_id: str, bucket: Any, event_name: str, key: Any) -> None:
        held = getattr(_held, "events", None)
        if held is not None:
            held.append(lambda: original_event_bridge(account_id, bucket, event_name, key))
        else:
            original_event_bridge(account_id, bucket, event_name, key)

    _installed.update(original=notifications._invoke_awslambda, original_event_bridge=original_event_bridge)
    notifications._invoke_awslambda = invoke_async
    notifications._send_event_bridge_message = send_to_event_bridge


def uninstall_lambda_notifications() -> None:
    from moto.s3 import notifications

    if _installed:
        notifications._invoke_awslambda = _installed.pop("original")
        notifications._send_event_bridge_message = _installed.pop("original_event_bridge")
