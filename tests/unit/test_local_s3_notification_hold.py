"""The local S3's Lambda notifications of a presigned POST wait until the object is stored with its
metadata (moto notifies before it sets Content-Type; S3 stores both at once), so the upload check
never reads an object without its declared type."""

from __future__ import annotations

from moto.s3 import notifications

from infra.local.engine.s3_notifications import (
    held_until_stored,
    install_lambda_notifications,
    uninstall_lambda_notifications,
)


class Recorder:
    def __init__(self) -> None:
        self.delivered: list[str] = []

    def deliver(self, target_arn: str, body: str, source: str) -> None:
        self.delivered.append(target_arn)


def test_notifications_inside_a_store_are_delivered_when_it_ends_and_others_at_once():
    recorder = Recorder()
    install_lambda_notifications(recorder)
    try:
        with held_until_stored():
            notifications._invoke_awslambda("123456789012", {"Records": []}, "arn:held", "cn-north-1")
            assert recorder.delivered == []  # the object's metadata is not set yet
        assert recorder.delivered == ["arn:held"]
        notifications._invoke_awslambda("123456789012", {"Records": []}, "arn:direct", "cn-north-1")
        assert recorder.delivered == ["arn:held", "arn:direct"]
    finally:
        uninstall_lambda_notifications()

