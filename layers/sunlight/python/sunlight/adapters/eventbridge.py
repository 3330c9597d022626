"""Domain events go to the EventBridge bus, detail-type and schema version included."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from ..models.events import CASE_TRANSITIONED, CaseTransitionedV1

MAX_ENTRIES_PER_CALL = 10


class PublishFailed(Exception):
    pass


class EventBridgePublisher:
    def __init__(self, client: Any, bus_name: str, source: str) -> None:
        self._client = client
        self._bus = bus_name
        self._source = source

    def publish(self, events: list[CaseTransitionedV1]) -> None:
        for start in range(0, len(events), MAX_ENTRIES_PER_CALL):
            batch = events[start : start + MAX_ENTRIES_PER_CALL]
            response = self._client.put_events(
                Entries=[
                    {
                        "EventBusName": self._bus,
                        "Source": self._source,
                        "DetailType": CASE_TRANSITIONED,
                        "Detail": event.model_dump_json(),
                        "Resources": [f"case/{event.case_id}"],
                    }
                    for event in batch
                ]
            )
            if response.get("FailedEntryCount"):
                # Raise so the caller (a state machine task) is retried; consumers de-duplicate on event_id.
                raise PublishFailed(str([e for e in response["Entries"] if "ErrorCode" in e]))

    def publish_detail(self, detail_type: str, detail: BaseModel, *, resources: Sequence[str] = ()) -> None:
        """Publishes one event of any detail-type (e.g. CalendarChanged) on the domain bus."""
        entry: dict[str, Any] = {"EventBusName": self._bus, "Source": self._source, "DetailType": detail_type, "Detail": detail.model_dump_json()}
        if resources:
            entry["Resources"] = list(resources)
        response = self._client.put_events(Entries=[entry])
        if response.get("FailedEntryCount"):
            raise PublishFailed(str([e for e in response["Entries"] if "ErrorCode" in e]))
