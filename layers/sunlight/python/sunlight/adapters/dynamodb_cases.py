"""Cases and their timelines in the Cases table.

Keys (see infra/constants.py):
- case:        pk="CASE#{id}"  sk="CASE"        (+ worklist_* while a staff step waits, applicant_*,
               department_* while open: department_pk="{dept}", department_sk="{step due, UTC}#{id}",
               NO_DUE for a case without a step limit; extension_requested="1" while a 延期 awaits the leader)
- event:       pk="CASE#{id}"  sk="EVT#{seq:06}" (one Query returns the case and its timeline)
- idempotency: pk="IDEM#{owner}#{key}" sk="IDEM"
The case is stored as a JSON document beside the attributes that keys, indexes and conditions use.
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime
from typing import Any

from botocore.exceptions import ClientError

from ..models.case import Case, TimelineEvent
from ..models.clock import ExtensionStatus
from ..models.flow import STEP_ROLE, Step
from ..models.roles import Role
from ..services.ports import ConcurrentModification, DepartmentCaseQuery, DuplicateRequest, IdempotencyRecord
from .dynamodb_paging import query_page

CASE_SK = "CASE"
IDEM_SK = "IDEM"
WORKLIST_INDEX = "worklist"
APPLICANT_INDEX = "by-applicant"
ALARM_INDEX = "alarms"
DEPARTMENT_INDEX = "department"
ALARM_SHARDS = 8
# Open cases with no alarm due (paused, or every level issued) sort after any real time.
NO_ALARM = "9999-12-31T23:59:59Z"


def case_pk(case_id: str) -> str:
    return f"CASE#{case_id}"


def event_sk(seq: int) -> str:
    return f"EVT#{seq:06d}"


def worklist_pk(department_id: str, role: Role) -> str:
    return f"{department_id}#{role.value}"


def alarm_shard(case_id: str) -> int:
    return zlib.crc32(case_id.encode()) % ALARM_SHARDS


def alarm_pk(shard: int) -> str:
    return f"ALARM#{shard}"


def utc_key(moment: datetime) -> str:
    """Sortable UTC timestamps, so string order is time order across time zones."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class DynamoCaseRepository:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    # --- reads -----------------------------------------------------------------------------

    def get(self, case_id: str) -> Case | None:
        response = self._client.get_item(
            TableName=self._table, Key={"pk": {"S": case_pk(case_id)}, "sk": {"S": CASE_SK}}, ConsistentRead=True
        )
        item = response.get("Item")
        return Case.model_validate_json(item["doc"]["S"]) if item else None

    def get_with_timeline(self, case_id: str) -> tuple[Case, list[TimelineEvent]] | None:
        items: list[dict] = []
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": case_pk(case_id)}},
            "ConsistentRead": True,
        }
        while True:
            response = self._client.query(**kwargs)
            items.extend(response["Items"])
            if "LastEvaluatedKey" not in response:
                break
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]
        case_items = [i for i in items if i["sk"]["S"] == CASE_SK]
        if not case_items:
            return None
        events = [TimelineEvent.model_validate_json(i["doc"]["S"]) for i in items if i["sk"]["S"].startswith("EVT#")]
        return Case.model_validate_json(case_items[0]["doc"]["S"]), events

    def worklist(
        self, department_id: str, role: Role, *, step: Step | None, limit: int, start_key: dict | None
    ) -> tuple[list[Case], dict | None]:
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": WORKLIST_INDEX,
            "KeyConditionExpression": "worklist_pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": worklist_pk(department_id, role)}},
            "Limit": limit,
        }
        if step is not None:
            kwargs["FilterExpression"] = "step = :step"
            kwargs["ExpressionAttributeValues"][":step"] = {"S": step.value}
        return self._page(kwargs, start_key)

    def by_applicant(self, user_id: str, *, limit: int, start_key: dict | None) -> tuple[list[Case], dict | None]:
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": APPLICANT_INDEX,
            "KeyConditionExpression": "applicant_pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": user_id}},
            "ScanIndexForward": False,
            "Limit": limit,
        }
        return self._page(kwargs, start_key)

    def department_cases(
        self, department_id: str, query: DepartmentCaseQuery, *, limit: int, start_key: dict | None
    ) -> tuple[list[Case], dict | None]:
        """Open cases of the department, earliest step limit first (cases without one last); the due
        window is a key range, status/step/extension are filters (pages are filled: dynamodb_paging)."""
        values: dict[str, Any] = {":pk": {"S": department_id}}
        condition = "department_pk = :pk"
        if query.without_due:
            condition += " AND begins_with(department_sk, :none)"
            values[":none"] = {"S": NO_ALARM}
        elif query.due_from or query.due_before:
            # Exclusive upper bound: "{due}#" sorts before "{due}#{id}"; the lower bound is inclusive.
            values[":from"] = {"S": utc_key(query.due_from) if query.due_from else "0"}
            values[":before"] = {"S": utc_key(query.due_before) if query.due_before else NO_ALARM}
            condition += " AND department_sk BETWEEN :from AND :before"
        filters, names = [], {}
        if query.status is not None:
            filters.append("#status = :status")
            names["#status"] = "status"
            values[":status"] = {"S": query.status.value}
        if query.step is not None:
            filters.append("step = :step")
            values[":step"] = {"S": query.step.value}
        if query.extension_requested:
            filters.append("attribute_exists(extension_requested)")
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": DEPARTMENT_INDEX,
            "KeyConditionExpression": condition,
            "ExpressionAttributeValues": values,
            "Limit": limit,
        }
        if filters:
            kwargs["FilterExpression"] = " AND ".join(filters)
        if names:
            kwargs["ExpressionAttributeNames"] = names
        return self._page(kwargs, start_key)

    def alarm_shards(self) -> int:
        return ALARM_SHARDS

    def due_alarms(self, shard: int, now: datetime, *, limit: int) -> list[str]:
        response = self._client.query(
            TableName=self._table,
            IndexName=ALARM_INDEX,
            KeyConditionExpression="alarm_pk = :pk AND alarm_sk <= :now",
            ExpressionAttributeValues={":pk": {"S": alarm_pk(shard)}, ":now": {"S": utc_key(now) + "#~"}},
            ProjectionExpression="pk",
            Limit=limit,
        )
        return [item["pk"]["S"].removeprefix("CASE#") for item in response["Items"]]

    def open_cases(self, shard: int, *, limit: int, start_key: dict | None) -> tuple[list[str], dict | None]:
        kwargs: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": ALARM_INDEX,
            "KeyConditionExpression": "alarm_pk = :pk",
            "ExpressionAttributeValues": {":pk": {"S": alarm_pk(shard)}},
            "ProjectionExpression": "pk, sk, alarm_pk, alarm_sk",
            "Limit": limit,
        }
        if start_key:
            kwargs["ExclusiveStartKey"] = {k: {"S": str(v)} for k, v in start_key.items()}
        response = self._client.query(**kwargs)
        last = response.get("LastEvaluatedKey")
        ids = [item["pk"]["S"].removeprefix("CASE#") for item in response["Items"]]
        return ids, ({k: v["S"] for k, v in last.items()} if last else None)

    def _page(self, kwargs: dict[str, Any], start_key: dict | None) -> tuple[list[Case], dict | None]:
        items, key = query_page(self._client, kwargs, start_key)  # filtered pages are filled
        return [Case.model_validate_json(i["doc"]["S"]) for i in items], key

    # --- writes ----------------------------------------------------------------------------

    def create(self, case: Case, event: TimelineEvent, idempotency: IdempotencyRecord | None) -> None:
        operations = [
            {"Put": {"TableName": self._table, "Item": _case_item(case), "ConditionExpression": "attribute_not_exists(pk)"}},
            {"Put": {"TableName": self._table, "Item": _event_item(event), "ConditionExpression": "attribute_not_exists(pk)"}},
        ]
        if idempotency:
            operations.append(
                {"Put": {"TableName": self._table, "Item": _idempotency_item(idempotency), "ConditionExpression": "attribute_not_exists(pk)"}}
            )
        try:
            self._client.transact_write_items(TransactItems=operations)
        except ClientError as error:
            if idempotency:
                existing = self._client.get_item(TableName=self._table, Key=_idempotency_key(idempotency), ConsistentRead=True).get("Item")
                if existing and existing["case_id"]["S"] != case.case_id:
                    raise DuplicateRequest(existing["case_id"]["S"], existing["fingerprint"]["S"]) from error
            raise _concurrent_or_raise(error) from error

    def save(self, case: Case, *, expected_version: int, events: tuple[TimelineEvent, ...] = ()) -> None:
        condition = {
            "ConditionExpression": "version = :expected",
            "ExpressionAttributeValues": {":expected": {"N": str(expected_version)}},
        }
        try:
            if not events:
                self._client.put_item(TableName=self._table, Item=_case_item(case), **condition)
                return
            operations = [{"Put": {"TableName": self._table, "Item": _case_item(case), **condition}}]
            operations += [
                {"Put": {"TableName": self._table, "Item": _event_item(e), "ConditionExpression": "attribute_not_exists(pk)"}}
                for e in events
            ]
            self._client.transact_write_items(TransactItems=operations)
        except ClientError as error:
            raise _concurrent_or_raise(error) from error

    def delete_new(self, case: Case, idempotency: IdempotencyRecord | None) -> None:
        operations = [
            {
                "Delete": {
                    "TableName": self._table,
                    "Key": {"pk": {"S": case_pk(case.case_id)}, "sk": {"S": CASE_SK}},
                    "ConditionExpression": "version = :v",
                    "ExpressionAttributeValues": {":v": {"N": str(case.version)}},
                }
            },
            {"Delete": {"TableName": self._table, "Key": {"pk": {"S": case_pk(case.case_id)}, "sk": {"S": event_sk(1)}}}},
        ]
        if idempotency:
            operations.append({"Delete": {"TableName": self._table, "Key": _idempotency_key(idempotency)}})
        self._client.transact_write_items(TransactItems=operations)


def _case_item(case: Case) -> dict[str, Any]:
    item: dict[str, Any] = {
        "pk": {"S": case_pk(case.case_id)},
        "sk": {"S": CASE_SK},
        "doc": {"S": case.model_dump_json()},
        "version": {"N": str(case.version)},
        "status": {"S": case.status.value},
        "department_id": {"S": case.department_id},
        "item_code": {"S": case.item_code},
    }
    if case.parent_case_id is None:
        # A joint case's parts are the co-departments' own: the applicant lists only the lead case.
        item["applicant_pk"] = {"S": case.applicant_user_id}
        item["applicant_sk"] = {"S": f"{case.submitted_at.isoformat()}#{case.case_id}"}
    if case.step is not None:
        item["step"] = {"S": case.step.value}
    if not case.status.is_closed:
        # Sparse alarm index: every open case, keyed by when the deadline check must look at it.
        alarm = case.next_alarm_at
        item["alarm_pk"] = {"S": alarm_pk(alarm_shard(case.case_id))}
        item["alarm_sk"] = {"S": f"{utc_key(alarm) if alarm else NO_ALARM}#{case.case_id}"}
    if not case.status.is_closed:
        # Sparse department index (leaders' view of every open case), ordered by the step limit.
        item["department_pk"] = {"S": case.department_id}
        item["department_sk"] = {"S": f"{utc_key(case.step_due_at) if case.step_due_at else NO_ALARM}#{case.case_id}"}
        if any(e.status is ExtensionStatus.REQUESTED for e in case.extensions):
            item["extension_requested"] = {"S": "1"}
    if case.awaiting_staff and case.step is not None:
        # Sparse index: only cases waiting on a person of the department are in a worklist.
        due = (case.step_due_at or case.updated_at).isoformat()
        item["worklist_pk"] = {"S": worklist_pk(case.department_id, STEP_ROLE[case.step])}
        item["worklist_sk"] = {"S": f"{due}#{case.case_id}"}
    return item


def _event_item(event: TimelineEvent) -> dict[str, Any]:
    return {
        "pk": {"S": case_pk(event.case_id)},
        "sk": {"S": event_sk(event.seq)},
        "doc": {"S": event.model_dump_json()},
    }


def _idempotency_key(record: IdempotencyRecord) -> dict[str, Any]:
    return {"pk": {"S": f"IDEM#{record.owner_id}#{record.key}"}, "sk": {"S": IDEM_SK}}


def _idempotency_item(record: IdempotencyRecord) -> dict[str, Any]:
    return {**_idempotency_key(record), "case_id": {"S": record.case_id}, "fingerprint": {"S": record.fingerprint}}


def _concurrent_or_raise(error: ClientError) -> Exception:
    code = error.response.get("Error", {}).get("Code")
    if code in ("ConditionalCheckFailedException", "TransactionCanceledException"):
        reasons = error.response.get("CancellationReasons") or []
        if code == "ConditionalCheckFailedException" or any(r.get("Code") == "ConditionalCheckFailed" for r in reasons):
            return ConcurrentModification(str(error))
    return error
