"""The inspector log (监察日志) and inspector flags in the Supervision table.

| item | pk | sk | index keys |
| --- | --- | --- | --- |
| log record | `INSPLOG` | `SEQ#{seq:012d}` | listing: `INSPLOG` / `{at}#{seq}`; owner: `INSPLOG#{user id}` / `{at}#{seq}` |
| chain head | `INSPLOG` | `HEAD` | — (`seq`, `hash` of the last record) |
| flag | `INSPFLAG#{day}#{user id}` | `FLAG` | listing: `INSPFLAG` / `{day}#{raised}#{user id}` |
| verification run | `LOGVERIFY#{run id}` | `RUN` | — (`doc`, `version`) |
| current run | `LOGVERIFY` | `CURRENT` | — (`run_id` of the latest run started) |

All records sit in one ordered partition. An append writes the record (only if its sequence
number is free) and moves the head (only if the head is still the one the record was chained
after) in one transaction, so two concurrent appends cannot fork the chain: the loser re-reads
the head and chains again. The record's fields are stored as canonical JSON in `doc`, exactly
what its hash covers, so the verifier reads what was hashed.

The sort key `SEQ#{seq:012d}` orders records by sequence number, so a range of sequence numbers
is one Query on the table's own key (no index): a verification reads its segments that way.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from botocore.exceptions import ClientError

from ..models.inspector_log import InspectorFlag, LogEntry, LogRecord, LogVerificationRun
from ..rules import hashchain
from ..services.ports import ConcurrentModification, HeadState
from .dynamodb_cases import utc_key

LOG_PK = "INSPLOG"
HEAD_SK = "HEAD"
FLAG_LISTING = "INSPFLAG"
APPEND_ATTEMPTS = 8


def _s(value: str) -> dict[str, str]:
    return {"S": value}


SEQ_PREFIX = "SEQ#"
AFTER_SEQ_KEYS = "SEQ$"  # sorts after every "SEQ#…" key
READ_PAGE = 1000
RUN_SK = "RUN"
CURRENT_RUN_KEY = {"pk": {"S": "LOGVERIFY"}, "sk": {"S": "CURRENT"}}


def seq_sk(seq: int) -> str:
    return f"SEQ#{seq:012d}"


def seq_bound(seq: int) -> str:
    """Where the keys of sequence number `seq` and after begin. The first record's bound is the
    bare prefix, so a stray key sorting before SEQ#000000000001 is read with the first record,
    as a read of the whole chain (begins_with SEQ#) would read it."""
    return SEQ_PREFIX if seq <= hashchain.FIRST_SEQ else seq_sk(seq)


def _raw_record(item: dict[str, Any]) -> dict[str, Any]:
    try:
        return json.loads(item["doc"]["S"])
    except (KeyError, ValueError):  # an edited item must still be read to be reported
        return {"seq": None, "unreadable": item.get("sk", {}).get("S")}


class DynamoInspectorLog:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def head(self) -> HeadState:
        item = self._client.get_item(TableName=self._table, Key={"pk": _s(LOG_PK), "sk": _s(HEAD_SK)}, ConsistentRead=True).get("Item")
        if not item:
            return HeadState(seq=hashchain.EMPTY.seq, hash=hashchain.EMPTY.hash)
        return HeadState(seq=int(item["seq"]["N"]), hash=item["hash"]["S"])

    def append(self, entry: LogEntry) -> LogRecord:
        for attempt in range(APPEND_ATTEMPTS):
            head = self.head()
            record = hashchain.chain(entry.fields(), seq=head.seq + 1, prev_hash=head.hash)
            sort = f"{utc_key(entry.at)}#{record['seq']:012d}"
            head_condition = (
                {"ConditionExpression": "attribute_not_exists(pk)"} if head.seq == hashchain.EMPTY.seq
                else {"ConditionExpression": "seq = :prev", "ExpressionAttributeValues": {":prev": {"N": str(head.seq)}}}
            )
            try:
                self._client.transact_write_items(TransactItems=[
                    {"Put": {"TableName": self._table, "ConditionExpression": "attribute_not_exists(pk)", "Item": {
                        "pk": _s(LOG_PK), "sk": _s(seq_sk(record["seq"])), "doc": _s(hashchain.canonical_json(record)),
                        "listing_pk": _s(LOG_PK), "listing_sk": _s(sort),
                        "owner_pk": _s(f"{LOG_PK}#{entry.user_id}"), "owner_sk": _s(sort)}}},
                    {"Put": {"TableName": self._table, "Item": {
                        "pk": _s(LOG_PK), "sk": _s(HEAD_SK), "seq": {"N": str(record["seq"])}, "hash": _s(record["hash"])},
                        **head_condition}},
                ])
            except ClientError as error:
                if error.response["Error"]["Code"] not in ("TransactionCanceledException", "ConditionalCheckFailedException"):
                    raise
                time.sleep(random.uniform(0, 0.02 * (attempt + 1)))  # another append won: chain after it
                continue
            return LogRecord.model_validate(record)
        raise ConcurrentModification(LOG_PK)

    def stored_records(self, from_seq: int, to_seq: int | None, *, page_size: int | None = None) -> Iterator[dict[str, Any]]:
        """Records under the keys [seq_bound(from_seq), seq_bound(to_seq)), or to the last
        SEQ# key, in key order, raw: one consistent Query per page on the table's own key. By
        default a page is the whole range and the bound after it (DynamoDB still stops a page at
        1 MB), so an intact segment of up to ~2,000 records is one Query."""
        if to_seq is not None and to_seq <= from_seq:
            return
        upper = seq_bound(to_seq) if to_seq is not None else AFTER_SEQ_KEYS
        limit = page_size or (to_seq - from_seq + 1 if to_seq is not None else READ_PAGE)
        kwargs: dict[str, Any] = {
            "TableName": self._table, "ConsistentRead": True, "Limit": limit,
            "KeyConditionExpression": "pk = :pk AND sk BETWEEN :lower AND :upper",
            "ExpressionAttributeValues": {":pk": _s(LOG_PK), ":lower": _s(seq_bound(from_seq)), ":upper": _s(upper)},
        }
        while True:
            response = self._client.query(**kwargs)
            for item in response["Items"]:
                if item["sk"]["S"] == upper:  # BETWEEN includes the bound; it opens the next range
                    return
                yield _raw_record(item)
            if "LastEvaluatedKey" not in response:
                return
            kwargs["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    def newest(self, *, user_id: str | None, since: datetime | None, until: datetime | None, limit: int,
               start_key: dict | None) -> tuple[list[LogRecord], dict | None]:
        index, key, value = ("owner", "owner_pk", f"{LOG_PK}#{user_id}") if user_id else ("listing", "listing_pk", LOG_PK)
        sort_key = f"{index}_sk"
        condition = f"{key} = :k"
        values: dict[str, Any] = {":k": _s(value)}
        if since and until:
            condition += f" AND {sort_key} BETWEEN :since AND :until"
        elif since:
            condition += f" AND {sort_key} >= :since"
        elif until:
            condition += f" AND {sort_key} < :until"
        if since:
            values[":since"] = _s(utc_key(since))
        if until:
            values[":until"] = _s(utc_key(until))  # "{until}#…" sorts after it: excluded
        kwargs: dict[str, Any] = {"TableName": self._table, "IndexName": index, "ScanIndexForward": False, "Limit": limit,
                                  "KeyConditionExpression": condition, "ExpressionAttributeValues": values}
        if start_key:
            kwargs["ExclusiveStartKey"] = {k: _s(str(v)) for k, v in start_key.items()}
        response = self._client.query(**kwargs)
        last = response.get("LastEvaluatedKey")
        return [LogRecord.model_validate_json(i["doc"]["S"]) for i in response["Items"]], ({k: v["S"] for k, v in last.items()} if last else None)

    def last_action_of(self, user_id: str) -> datetime | None:
        response = self._client.query(
            TableName=self._table, IndexName="owner", ScanIndexForward=False, Limit=1,
            KeyConditionExpression="owner_pk = :k", ExpressionAttributeValues={":k": _s(f"{LOG_PK}#{user_id}")},
        )
        items = response["Items"]
        return LogRecord.model_validate_json(items[0]["doc"]["S"]).at if items else None


class DynamoFlagRepository:
    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def raise_flag(self, flag: InspectorFlag) -> bool:
        try:
            self._client.put_item(TableName=self._table, ConditionExpression="attribute_not_exists(pk)", Item={
                "pk": _s(f"INSPFLAG#{flag.day.isoformat()}#{flag.user_id}"), "sk": _s("FLAG"), "doc": _s(flag.model_dump_json()),
                "listing_pk": _s(FLAG_LISTING), "listing_sk": _s(f"{flag.day.isoformat()}#{utc_key(flag.raised_at)}#{flag.user_id}"),
            })
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def recent(self, *, limit: int, start_key: dict | None) -> tuple[list[InspectorFlag], dict | None]:
        kwargs: dict[str, Any] = {
            "TableName": self._table, "IndexName": "listing", "ScanIndexForward": False, "Limit": limit,
            "KeyConditionExpression": "listing_pk = :k", "ExpressionAttributeValues": {":k": _s(FLAG_LISTING)},
        }
        if start_key:
            kwargs["ExclusiveStartKey"] = {k: _s(str(v)) for k, v in start_key.items()}
        response = self._client.query(**kwargs)
        last = response.get("LastEvaluatedKey")
        return [InspectorFlag.model_validate_json(i["doc"]["S"]) for i in response["Items"]], ({k: v["S"] for k, v in last.items()} if last else None)


class DynamoVerificationRuns:
    """Verification runs of the chain, and a pointer to the current one, so that one run goes at
    a time: a start replaces the pointer only if it still names the run the starter saw."""

    def __init__(self, client: Any, table_name: str) -> None:
        self._client = client
        self._table = table_name

    def current(self) -> LogVerificationRun | None:
        item = self._client.get_item(TableName=self._table, Key=CURRENT_RUN_KEY, ConsistentRead=True).get("Item")
        return self.get(item["run_id"]["S"]) if item else None

    def get(self, run_id: str) -> LogVerificationRun | None:
        item = self._client.get_item(TableName=self._table, Key=self._key(run_id), ConsistentRead=True).get("Item")
        return LogVerificationRun.model_validate_json(item["doc"]["S"]) if item else None

    def start(self, run: LogVerificationRun, *, replacing: str | None) -> None:
        pointer_condition = (
            {"ConditionExpression": "attribute_not_exists(pk)"} if replacing is None
            else {"ConditionExpression": "run_id = :replacing", "ExpressionAttributeValues": {":replacing": _s(replacing)}}
        )
        try:
            self._client.transact_write_items(TransactItems=[
                {"Put": {"TableName": self._table, "Item": self._item(run), "ConditionExpression": "attribute_not_exists(pk)"}},
                {"Put": {"TableName": self._table, "Item": {**CURRENT_RUN_KEY, "run_id": _s(run.run_id)}, **pointer_condition}},
            ])
        except ClientError as error:
            if error.response["Error"]["Code"] == "TransactionCanceledException":
                raise ConcurrentModification(run.run_id) from error
            raise

    def save(self, run: LogVerificationRun, *, expected_version: int) -> None:
        try:
            self._client.put_item(TableName=self._table, Item=self._item(run), ConditionExpression="version = :expected",
                                  ExpressionAttributeValues={":expected": {"N": str(expected_version)}})
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                raise ConcurrentModification(run.run_id) from error
            raise

    @staticmethod
    def _key(run_id: str) -> dict[str, Any]:
        return {"pk": _s(f"LOGVERIFY#{run_id}"), "sk": _s(RUN_SK)}

    def _item(self, run: LogVerificationRun) -> dict[str, Any]:
        return {**self._key(run.run_id), "doc": _s(run.model_dump_json()), "version": {"N": str(run.version)}}
