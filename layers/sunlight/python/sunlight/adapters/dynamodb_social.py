"""Social interaction (社会互动) in the Supervision table: complaints, notifications, satisfaction
ratings and surveys. Records are JSON documents (`doc`) under these keys:

| record | pk | sk | listing (listing_pk, listing_sk) | owner (owner_pk, owner_sk) |
| --- | --- | --- | --- | --- |
| complaint | `COMPLAINT#{id}` | `COMPLAINT` | `COMPLAINT#{status}`, `{due}#{id}` | `COMPLAINT#{citizen}`, `{filed}#{id}` |
| complaint queue entry (copy) | `COMPLAINTQ#city` or `COMPLAINTQ#{dept}` | `{due}#{id}` | — | — |
| idempotency key | `IDEM#{kind}#{user}#{key}` | `IDEM` | — | — |
| notification | `NOTIFY#{user}` | `{notification id}` (starts with its time) | — | — |
| satisfaction rating | `RATING#{case}` | `RATING` | — | `RATING#{dept}`, `{rated}#{case}` |
| survey | `SURVEY#{id}` | `SURVEY` | `SURVEY#{status}`, `{closes_on}#{id}` | — |
| survey counters | `SURVEY#{id}` | `COUNTS` (`answers`, `{question}_{option}`) | — | — |
| survey answer marker | `SURVEY#{id}` | `ANSWER#{user}` | — | — |
| survey text answer | `SURVEYTEXT#{id}#{question}` | `{answered}#{answer hash}` | — | — |

A complaint's queue entries (every complaint in the city's queue; dispatched ones also in their
department's) are copies rewritten in the same transaction as the complaint, so each queue is
one Query sorted by due date. `{due}` is the current step's due date, or `9999-12-31` once closed.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

from botocore.exceptions import ClientError

from ..models.complaints import DEPARTMENT_VISIBLE, Complaint, Notification
from ..models.satisfaction import SatisfactionRating
from ..models.surveys import Survey, TextAnswer
from ..services.ports import ConcurrentModification, DuplicateRequest, IdempotencyRecord
from .dynamodb_cases import utc_key

LISTING_INDEX = "listing"
OWNER_INDEX = "owner"
CLOSED_DUE = "9999-12-31"
_CONDITION_FAILED = ("TransactionCanceledException", "ConditionalCheckFailedException")


def _s(value: str) -> dict[str, str]:
    return {"S": value}


def _failed(error: ClientError) -> bool:
    return error.response["Error"]["Code"] in _CONDITION_FAILED


class _Table:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def _get_doc(self, pk: str, sk: str) -> dict | None:
        return self._client.get_item(TableName=self._table, Key={"pk": _s(pk), "sk": _s(sk)}, ConsistentRead=True).get("Item")

    def _query(self, kwargs: dict[str, Any], start_key: dict | None) -> tuple[list[dict], dict | None]:
        kwargs = {"TableName": self._table, **kwargs}
        if start_key:
            kwargs["ExclusiveStartKey"] = {k: _s(str(v)) for k, v in start_key.items()}
        response = self._client.query(**kwargs)
        last = response.get("LastEvaluatedKey")
        return response["Items"], ({k: v["S"] for k, v in last.items()} if last else None)

    def _idempotency_put(self, kind: str, record: IdempotencyRecord) -> dict:
        return {"Put": {"TableName": self._table, "ConditionExpression": "attribute_not_exists(pk)", "Item": {
            "pk": _s(f"IDEM#{kind}#{record.owner_id}#{record.key}"), "sk": _s("IDEM"),
            "target_id": _s(record.case_id), "fingerprint": _s(record.fingerprint),
        }}}

    def _raise_if_duplicate(self, kind: str, record: IdempotencyRecord | None) -> None:
        if record is None:
            return
        item = self._get_doc(f"IDEM#{kind}#{record.owner_id}#{record.key}", "IDEM")
        if item is not None:
            raise DuplicateRequest(item["target_id"]["S"], item["fingerprint"]["S"])


# --- complaints and notifications ---------------------------------------------------------------


def _due_key(complaint: Complaint) -> str:
    return f"{complaint.due_on.isoformat() if complaint.due_on else CLOSED_DUE}#{complaint.complaint_id}"


def _queue_keys(complaint: Complaint) -> list[dict[str, Any]]:
    scopes = ["city"] + ([complaint.department_id] if complaint.status in DEPARTMENT_VISIBLE else [])
    return [{"pk": _s(f"COMPLAINTQ#{scope}"), "sk": _s(_due_key(complaint))} for scope in scopes]


def _complaint_item(complaint: Complaint) -> dict[str, Any]:
    return {
        "pk": _s(f"COMPLAINT#{complaint.complaint_id}"), "sk": _s("COMPLAINT"),
        "doc": _s(complaint.model_dump_json()), "version": {"N": str(complaint.version)},
        "listing_pk": _s(f"COMPLAINT#{complaint.status.value}"), "listing_sk": _s(_due_key(complaint)),
        "owner_pk": _s(f"COMPLAINT#{complaint.complainant_id}"),
        "owner_sk": _s(f"{utc_key(complaint.filed_at)}#{complaint.complaint_id}"),
    }


def _notification_item(notification: Notification) -> dict[str, Any]:
    return {"pk": _s(f"NOTIFY#{notification.user_id}"), "sk": _s(notification.notification_id), "doc": _s(notification.model_dump_json())}


def _complaint(item: dict) -> Complaint:
    return Complaint.model_validate_json(item["doc"]["S"])


class DynamoComplaintRepository(_Table):
    def create(self, complaint: Complaint, notification: Notification, idempotency: IdempotencyRecord | None) -> None:
        operations = [
            {"Put": {"TableName": self._table, "Item": _complaint_item(complaint), "ConditionExpression": "attribute_not_exists(pk)"}},
            {"Put": {"TableName": self._table, "Item": _notification_item(notification)}},
            *self._queue_puts(complaint),
        ]
        if idempotency:
            operations.append(self._idempotency_put("COMPLAINT", idempotency))
        try:
            self._client.transact_write_items(TransactItems=operations)
        except ClientError as error:
            if _failed(error):
                self._raise_if_duplicate("COMPLAINT", idempotency)
                raise ConcurrentModification(complaint.complaint_id) from error
            raise

    def get(self, complaint_id: str) -> Complaint | None:
        item = self._get_doc(f"COMPLAINT#{complaint_id}", "COMPLAINT")
        return _complaint(item) if item else None

    def save(self, complaint: Complaint, *, expected_version: int, previous: Complaint, notification: Notification | None) -> None:
        new_keys = {(k["pk"]["S"], k["sk"]["S"]) for k in _queue_keys(complaint)}
        operations: list[dict] = [{"Put": {
            "TableName": self._table, "Item": _complaint_item(complaint), "ConditionExpression": "version = :v",
            "ExpressionAttributeValues": {":v": {"N": str(expected_version)}},
        }}]
        operations += [
            {"Delete": {"TableName": self._table, "Key": key}}
            for key in _queue_keys(previous)
            if (key["pk"]["S"], key["sk"]["S"]) not in new_keys
        ]
        operations += self._queue_puts(complaint)
        if notification:
            operations.append({"Put": {"TableName": self._table, "Item": _notification_item(notification)}})
        try:
            self._client.transact_write_items(TransactItems=operations)
        except ClientError as error:
            if _failed(error):
                raise ConcurrentModification(complaint.complaint_id) from error
            raise

    def by_complainant(self, user_id: str, *, limit: int, start_key: dict | None) -> tuple[list[Complaint], dict | None]:
        items, last = self._query({
            "IndexName": OWNER_INDEX, "KeyConditionExpression": "owner_pk = :o", "ScanIndexForward": False, "Limit": limit,
            "ExpressionAttributeValues": {":o": _s(f"COMPLAINT#{user_id}")},
        }, start_key)
        return [_complaint(i) for i in items], last

    def queue(self, scope: str, *, limit: int, start_key: dict | None) -> tuple[list[Complaint], dict | None]:
        items, last = self._query({
            "KeyConditionExpression": "pk = :p", "Limit": limit, "ExpressionAttributeValues": {":p": _s(f"COMPLAINTQ#{scope}")},
        }, start_key)
        return [_complaint(i) for i in items], last

    def by_status(self, status: str, *, limit: int, start_key: dict | None) -> tuple[list[Complaint], dict | None]:
        items, last = self._query({
            "IndexName": LISTING_INDEX, "KeyConditionExpression": "listing_pk = :l", "Limit": limit,
            "ExpressionAttributeValues": {":l": _s(f"COMPLAINT#{status}")},
        }, start_key)
        return [_complaint(i) for i in items], last

    def _queue_puts(self, complaint: Complaint) -> list[dict]:
        doc = _s(complaint.model_dump_json())
        return [{"Put": {"TableName": self._table, "Item": {**key, "doc": doc}}} for key in _queue_keys(complaint)]


class DynamoNotificationRepository(_Table):
    def for_user(self, user_id: str, *, limit: int, start_key: dict | None) -> tuple[list[Notification], dict | None]:
        items, last = self._query({
            "KeyConditionExpression": "pk = :p", "ScanIndexForward": False, "Limit": limit,
            "ExpressionAttributeValues": {":p": _s(f"NOTIFY#{user_id}")},
        }, start_key)
        return [self._notification(i) for i in items], last

    def add(self, notification: Notification) -> None:
        """Once per id (a retried grant does not notify twice)."""
        try:
            self._client.put_item(TableName=self._table, Item=_notification_item(notification), ConditionExpression="attribute_not_exists(pk)")
        except ClientError as error:
            if not _failed(error):
                raise

    def mark_read(self, user_id: str, notification_id: str) -> Notification | None:
        try:
            response = self._client.update_item(
                TableName=self._table, Key={"pk": _s(f"NOTIFY#{user_id}"), "sk": _s(notification_id)},
                UpdateExpression="SET is_read = :t", ConditionExpression="attribute_exists(pk)",
                ExpressionAttributeValues={":t": {"BOOL": True}}, ReturnValues="ALL_NEW",
            )
        except ClientError as error:
            if _failed(error):
                return None
            raise
        return self._notification(response["Attributes"])

    @staticmethod
    def _notification(item: dict) -> Notification:
        notification = Notification.model_validate_json(item["doc"]["S"])
        return notification.model_copy(update={"read": item.get("is_read", {}).get("BOOL", False)})


# --- satisfaction ratings -----------------------------------------------------------------------


class DynamoRatingRepository(_Table):
    def get(self, case_id: str) -> SatisfactionRating | None:
        item = self._get_doc(f"RATING#{case_id}", "RATING")
        return SatisfactionRating.model_validate_json(item["doc"]["S"]) if item else None

    def add(self, rating: SatisfactionRating) -> bool:
        try:
            self._client.put_item(TableName=self._table, ConditionExpression="attribute_not_exists(pk)", Item={
                "pk": _s(f"RATING#{rating.case_id}"), "sk": _s("RATING"), "doc": _s(rating.model_dump_json()),
                "owner_pk": _s(f"RATING#{rating.department_id}"), "owner_sk": _s(f"{utc_key(rating.rated_at)}#{rating.case_id}"),
            })
        except ClientError as error:
            if _failed(error):
                return False
            raise
        return True


# --- surveys ----------------------------------------------------------------------------------


def _survey_item(survey: Survey) -> dict[str, Any]:
    return {
        "pk": _s(f"SURVEY#{survey.survey_id}"), "sk": _s("SURVEY"), "doc": _s(survey.model_dump_json()),
        "version": {"N": str(survey.version)}, "survey_status": _s(survey.status.value),
        "listing_pk": _s(f"SURVEY#{survey.status.value}"), "listing_sk": _s(f"{survey.closes_on.isoformat()}#{survey.survey_id}"),
    }


class DynamoSurveyRepository(_Table):
    def create(self, survey: Survey, idempotency: IdempotencyRecord | None) -> None:
        operations = [{"Put": {"TableName": self._table, "Item": _survey_item(survey), "ConditionExpression": "attribute_not_exists(pk)"}}]
        if idempotency:
            operations.append(self._idempotency_put("SURVEY", idempotency))
        try:
            self._client.transact_write_items(TransactItems=operations)
        except ClientError as error:
            if _failed(error):
                self._raise_if_duplicate("SURVEY", idempotency)
                raise ConcurrentModification(survey.survey_id) from error
            raise

    def get(self, survey_id: str) -> Survey | None:
        item = self._get_doc(f"SURVEY#{survey_id}", "SURVEY")
        return Survey.model_validate_json(item["doc"]["S"]) if item else None

    def save(self, survey: Survey, *, expected_version: int, previous_status: str) -> None:
        try:
            self._client.put_item(
                TableName=self._table, Item=_survey_item(survey), ConditionExpression="version = :v",
                ExpressionAttributeValues={":v": {"N": str(expected_version)}},
            )
        except ClientError as error:
            if _failed(error):
                raise ConcurrentModification(survey.survey_id) from error
            raise

    def by_status(self, status: str, *, closing_from: date | None, limit: int, start_key: dict | None) -> tuple[list[Survey], dict | None]:
        condition, values = "listing_pk = :l", {":l": _s(f"SURVEY#{status}")}
        if closing_from is not None:
            condition += " AND listing_sk >= :from"
            values[":from"] = _s(closing_from.isoformat())
        items, last = self._query({
            "IndexName": LISTING_INDEX, "KeyConditionExpression": condition, "Limit": limit, "ExpressionAttributeValues": values,
        }, start_key)
        return [Survey.model_validate_json(i["doc"]["S"]) for i in items], last

    def add_answer(self, survey: Survey, user_id: str, counters: list[str], texts: list[TextAnswer], at: datetime) -> bool:
        pk = _s(f"SURVEY#{survey.survey_id}")
        names = {f"#c{n}": name for n, name in enumerate(["answers", *counters])}
        operations: list[dict] = [
            {"ConditionCheck": {
                "TableName": self._table, "Key": {"pk": pk, "sk": _s("SURVEY")},
                "ConditionExpression": "survey_status = :published", "ExpressionAttributeValues": {":published": _s("published")},
            }},
            {"Put": {
                "TableName": self._table, "ConditionExpression": "attribute_not_exists(pk)",
                "Item": {"pk": pk, "sk": _s(f"ANSWER#{user_id}"), "answered_at": _s(utc_key(at))},
            }},
            {"Update": {
                "TableName": self._table, "Key": {"pk": pk, "sk": _s("COUNTS")},
                "UpdateExpression": "ADD " + ", ".join(f"{placeholder} :one" for placeholder in names),
                "ExpressionAttributeNames": names, "ExpressionAttributeValues": {":one": {"N": "1"}},
            }},
        ]
        # Text answers carry no identity: the sort key hashes the user only to stay unique.
        anonymous = hashlib.sha256(f"{survey.survey_id}:{user_id}".encode()).hexdigest()[:16]
        for answer in texts:
            operations.append({"Put": {"TableName": self._table, "Item": {
                "pk": _s(f"SURVEYTEXT#{survey.survey_id}#{answer.question_id}"), "sk": _s(f"{utc_key(at)}#{anonymous}"),
                "doc": _s(answer.model_dump_json()),
            }}})
        try:
            self._client.transact_write_items(TransactItems=operations)
        except ClientError as error:
            if not _failed(error):
                raise
            reasons = [r.get("Code") for r in error.response.get("CancellationReasons", [])]
            if reasons and reasons[0] == "ConditionalCheckFailed":
                raise ConcurrentModification(survey.survey_id) from error
            if self._get_doc(f"SURVEY#{survey.survey_id}", f"ANSWER#{user_id}") is not None:
                return False
            raise ConcurrentModification(survey.survey_id) from error
        return True

    def counters(self, survey_id: str) -> dict[str, int]:
        item = self._get_doc(f"SURVEY#{survey_id}", "COUNTS") or {}
        return {name: int(value["N"]) for name, value in item.items() if "N" in value}

    def text_answers(self, survey_id: str, question_id: str, *, limit: int, start_key: dict | None) -> tuple[list[TextAnswer], dict | None]:
        items, last = self._query({
            "KeyConditionExpression": "pk = :p", "ScanIndexForward": False, "Limit": limit,
            "ExpressionAttributeValues": {":p": _s(f"SURVEYTEXT#{survey_id}#{question_id}")},
        }, start_key)
        return [TextAnswer.model_validate_json(i["doc"]["S"]) for i in items], last
