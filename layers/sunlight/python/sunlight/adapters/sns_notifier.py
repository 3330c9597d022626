"""Warnings go out through SNS: one topic per level; subscribers (e-mail, SMS) filter on the
`department` message attribute, so a department's people get only their department's warnings."""

from __future__ import annotations

from typing import Any

from ..models.warnings import Warning, WarningLevel


class SnsNotifier:
    def __init__(self, client: Any, topics: dict[WarningLevel, str]) -> None:
        self._client = client
        self._topics = topics

    def notify(self, warning: Warning) -> None:
        topic = self._topics.get(warning.level)
        if not topic:
            return
        self._client.publish(
            TopicArn=topic,
            Subject=f"【{warning.level.label}】{warning.item_name}"[:100],
            Message=f"{warning.title}\n{warning.message}\n办件编号：{warning.case_id}",
            MessageAttributes={
                "department": {"DataType": "String", "StringValue": warning.department_id},
                "level": {"DataType": "String", "StringValue": warning.level.value},
            },
        )
