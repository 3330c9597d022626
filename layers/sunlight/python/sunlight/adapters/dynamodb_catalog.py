"""The catalog repository on the Catalog table (see infra/constants.py and the README).

Key design, one item per record:

| record     | pk             | sk     | listing_pk   | listing_sk               |
| ---------- | -------------- | ------ | ------------ | ------------------------ |
| department | DEPT#{id}      | DEPT   | DEPARTMENT   | {id}                     |
| item       | ITEM#{code}    | ITEM   | ITEM         | {department_id}#{code}   |
| government | GOV#{id}       | GOVERNMENT | GOVERNMENT | {id}                     |

Gets use the table key; listings query the `listing` GSI (never Scan), a department's items
with `begins_with(listing_sk, "{department_id}#")`.

Catalog administration (services/catalog_admin.py) versions the records and keeps their change
history in the record's own partition, so one Query returns a record's history and the record
and its history entry are written in one transaction:

| record                | pk             | sk                 | attributes                               |
| --------------------- | -------------- | ------------------ | ---------------------------------------- |
| department / item     | (as above)     | DEPT / ITEM        | + version, updated_at, updated_by(_name) |
| change (修改记录)      | DEPT#{id} / ITEM#{code} | HIST#{version:08d} | the CatalogChange (no listing key) |

A record without `version` was written by the seed and counts as version 0.
"""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from sunlight.adapters.dynamodb_codec import RETRYABLE_ERRORS, from_attributes, to_attributes
from sunlight.models.catalog import CatalogItem, Department
from sunlight.models.catalog_admin import CatalogChange, Revision
from sunlight.models.levels import Government
from sunlight.services.errors import InvalidInput, Unavailable
from sunlight.services.ports import ConcurrentModification, StartKey

LISTING_INDEX = "listing"  # infra.constants.CATALOG_LISTING_INDEX (the layer cannot import infra)

DEPARTMENT_SK = "DEPT"
ITEM_SK = "ITEM"
DEPARTMENT_LISTING = "DEPARTMENT"
ITEM_LISTING = "ITEM"
GOVERNMENT_SK = "GOVERNMENT"
GOVERNMENT_LISTING = "GOVERNMENT"
KEY_ATTRIBUTES = ("pk", "sk", "listing_pk", "listing_sk")
HISTORY_PREFIX = "HIST#"
REVISION_ATTRIBUTES = ("version", "updated_at", "updated_by", "updated_by_name")

_BAD_START_KEY = "翻页参数无效，请从第一页重新查询。"
_UNAVAILABLE = "事项目录暂时无法访问，请稍后重试。"


def department_key(department_id: str) -> dict[str, str]:
    return {"pk": f"DEPT#{department_id}", "sk": DEPARTMENT_SK}


def item_key(item_code: str) -> dict[str, str]:
    return {"pk": f"ITEM#{item_code}", "sk": ITEM_SK}


class DynamoCatalogRepository:
    """Implements `sunlight.services.ports.CatalogRepository` on a boto3 Table resource."""

    def __init__(self, table: Any) -> None:
        self._table = table

    # -- departments ---------------------------------------------------------------------------

    def get_department(self, department_id: str) -> Department | None:
        record = self._get(department_key(department_id))
        return None if record is None else from_attributes(Department, record, drop=KEY_ATTRIBUTES)

    def list_departments(self) -> list[Department]:
        departments: list[Department] = []
        start_key: StartKey | None = None
        while True:
            records, start_key = self._query(Key("listing_pk").eq(DEPARTMENT_LISTING), 100, start_key)
            departments.extend(from_attributes(Department, r, drop=KEY_ATTRIBUTES) for r in records)
            if start_key is None:
                return departments

    def put_department(self, department: Department) -> None:
        self._put(_department_record(department))

    # -- governments (levels: 市、县（市、区）、乡镇（街道）、村（社区）) -------------------------

    def get_government(self, government_id: str) -> Government | None:
        record = self._get({"pk": f"GOV#{government_id}", "sk": GOVERNMENT_SK})
        return None if record is None else from_attributes(Government, record, drop=KEY_ATTRIBUTES)

    def list_governments(self) -> list[Government]:
        governments: list[Government] = []
        start_key: StartKey | None = None
        while True:
            records, start_key = self._query(Key("listing_pk").eq(GOVERNMENT_LISTING), 100, start_key)
            governments.extend(from_attributes(Government, r, drop=KEY_ATTRIBUTES) for r in records)
            if start_key is None:
                return governments

    def put_government(self, government: Government) -> None:
        self._put({
            **to_attributes(government),
            "pk": f"GOV#{government.government_id}",
            "sk": GOVERNMENT_SK,
            "listing_pk": GOVERNMENT_LISTING,
            "listing_sk": government.government_id,
        })

    # -- items ---------------------------------------------------------------------------------

    def get_item(self, item_code: str) -> CatalogItem | None:
        record = self._get(item_key(item_code))
        return None if record is None else from_attributes(CatalogItem, record, drop=KEY_ATTRIBUTES)

    def list_items(
        self, department_id: str | None, limit: int, start_key: StartKey | None = None
    ) -> tuple[list[CatalogItem], StartKey | None]:
        condition = Key("listing_pk").eq(ITEM_LISTING)
        prefix = ""
        if department_id is not None:
            prefix = f"{department_id}#"
            condition = condition & Key("listing_sk").begins_with(prefix)
        if start_key is not None:
            _check_item_start_key(start_key, prefix)
        records, last_key = self._query(condition, limit, start_key)
        return [from_attributes(CatalogItem, r, drop=KEY_ATTRIBUTES) for r in records], last_key

    def put_item(self, item: CatalogItem) -> None:
        self._put(_item_record(item))

    # -- administration: versions and history (CatalogAdminRepository) --------------------------

    def get_item_revision(self, item_code: str) -> tuple[CatalogItem, Revision] | None:
        record = self._get(item_key(item_code), consistent=True)
        return None if record is None else (_item_of(record), _revision_of(record))

    def list_item_revisions(
        self, department_id: str | None, limit: int, start_key: StartKey | None = None
    ) -> tuple[list[tuple[CatalogItem, Revision]], StartKey | None]:
        condition = Key("listing_pk").eq(ITEM_LISTING)
        prefix = ""
        if department_id is not None:
            prefix = f"{department_id}#"
            condition = condition & Key("listing_sk").begins_with(prefix)
        if start_key is not None:
            _check_item_start_key(start_key, prefix)
        records, last_key = self._query(condition, limit, start_key)
        return [(_item_of(r), _revision_of(r)) for r in records], last_key

    def save_item(self, item: CatalogItem, change: CatalogChange, *, expected_version: int | None) -> None:
        self._save_versioned(_item_record(item), change, expected_version)

    def get_department_revision(self, department_id: str) -> tuple[Department, Revision] | None:
        record = self._get(department_key(department_id), consistent=True)
        return None if record is None else (_department_of(record), _revision_of(record))

    def list_department_revisions(self) -> list[tuple[Department, Revision]]:
        found: list[tuple[Department, Revision]] = []
        start_key: StartKey | None = None
        while True:
            records, start_key = self._query(Key("listing_pk").eq(DEPARTMENT_LISTING), 100, start_key)
            found.extend((_department_of(r), _revision_of(r)) for r in records)
            if start_key is None:
                return found

    def save_department(self, department: Department, change: CatalogChange, *, expected_version: int | None) -> None:
        self._save_versioned(_department_record(department), change, expected_version)

    def history(self, subject: str, limit: int, start_key: StartKey | None = None) -> tuple[list[CatalogChange], StartKey | None]:
        params: dict[str, Any] = {
            "KeyConditionExpression": Key("pk").eq(subject) & Key("sk").begins_with(HISTORY_PREFIX),
            "ScanIndexForward": False,
            "Limit": limit,
        }
        if start_key is not None:
            if set(start_key) != {"pk", "sk"} or start_key.get("pk") != subject or not str(start_key.get("sk", "")).startswith(HISTORY_PREFIX):
                raise InvalidInput(_BAD_START_KEY)
            params["ExclusiveStartKey"] = start_key
        try:
            response = self._table.query(**params)
        except ClientError as error:
            raise _translate(error) from error
        changes = [from_attributes(CatalogChange, r, drop=("pk", "sk")) for r in response.get("Items", [])]
        return changes, response.get("LastEvaluatedKey")

    def _save_versioned(self, record: dict[str, Any], change: CatalogChange, expected_version: int | None) -> None:
        record = {
            **record,
            "version": change.version,
            "updated_at": change.changed_at.isoformat(),
            "updated_by": change.changed_by,
            "updated_by_name": change.changed_by_name,
        }
        if expected_version is None:
            condition: dict[str, Any] = {"ConditionExpression": "attribute_not_exists(pk)"}
        elif expected_version == 0:
            condition = {"ConditionExpression": "attribute_exists(pk) AND attribute_not_exists(version)"}
        else:
            condition = {
                "ConditionExpression": "version = :expected",
                "ExpressionAttributeValues": {":expected": expected_version},
            }
        history = {
            **to_attributes(change),
            "pk": record["pk"],
            "sk": f"{HISTORY_PREFIX}{change.version:08d}",
        }
        operations = [
            {"Put": {"TableName": self._table.name, "Item": record, **condition}},
            {
                "Put": {
                    "TableName": self._table.name,
                    "Item": history,
                    "ConditionExpression": "attribute_not_exists(sk)",
                }
            },
        ]
        try:
            # The resource's client (de)serializes attribute values itself: plain values here.
            self._table.meta.client.transact_write_items(TransactItems=operations)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("TransactionCanceledException", "ConditionalCheckFailedException"):
                reasons = error.response.get("CancellationReasons", [])
                if not reasons or any(r.get("Code") == "ConditionalCheckFailed" for r in reasons):
                    raise ConcurrentModification(record["pk"]) from error
            raise _translate(error) from error

    # -- DynamoDB ------------------------------------------------------------------------------

    def _get(self, key: dict[str, str], consistent: bool = False) -> dict[str, Any] | None:
        try:
            return self._table.get_item(Key=key, ConsistentRead=consistent).get("Item")
        except ClientError as error:
            raise _translate(error) from error

    def _put(self, record: dict[str, Any]) -> None:
        try:
            self._table.put_item(Item=record)
        except ClientError as error:
            raise _translate(error) from error

    def _query(
        self, condition: Any, limit: int, start_key: StartKey | None
    ) -> tuple[list[dict[str, Any]], StartKey | None]:
        params: dict[str, Any] = {"IndexName": LISTING_INDEX, "KeyConditionExpression": condition, "Limit": limit}
        if start_key is not None:
            params["ExclusiveStartKey"] = start_key
        try:
            response = self._table.query(**params)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == "ValidationException" and start_key is not None:
                raise InvalidInput(_BAD_START_KEY) from error
            raise _translate(error) from error
        return response.get("Items", []), response.get("LastEvaluatedKey")


def _item_record(item: CatalogItem) -> dict[str, Any]:
    return {
        **to_attributes(item),
        **item_key(item.item_code),
        "listing_pk": ITEM_LISTING,
        "listing_sk": f"{item.department_id}#{item.item_code}",
    }


def _department_record(department: Department) -> dict[str, Any]:
    return {
        **to_attributes(department),
        **department_key(department.department_id),
        "listing_pk": DEPARTMENT_LISTING,
        "listing_sk": department.department_id,
    }


def _item_of(record: dict[str, Any]) -> CatalogItem:
    return from_attributes(CatalogItem, record, drop=KEY_ATTRIBUTES + REVISION_ATTRIBUTES)


def _department_of(record: dict[str, Any]) -> Department:
    return from_attributes(Department, record, drop=KEY_ATTRIBUTES + REVISION_ATTRIBUTES)


def _revision_of(record: dict[str, Any]) -> Revision:
    return Revision.model_validate({name: record[name] for name in REVISION_ATTRIBUTES if name in record} | {"version": record.get("version", 0)})


def _check_item_start_key(start_key: StartKey, prefix: str) -> None:
    """A start key must be one this repository handed out for the same department filter."""
    valid = (
        set(start_key) == set(KEY_ATTRIBUTES)
        and all(isinstance(start_key[name], str) for name in KEY_ATTRIBUTES)
        and start_key["sk"] == ITEM_SK
        and start_key["listing_pk"] == ITEM_LISTING
        and start_key["listing_sk"].startswith(prefix)
        and start_key["pk"] == f"ITEM#{start_key['listing_sk'].partition('#')[2]}"
    )
    if not valid:
        raise InvalidInput(_BAD_START_KEY)


def _translate(error: ClientError) -> Exception:
    if error.response.get("Error", {}).get("Code") in RETRYABLE_ERRORS:
        return Unavailable(_UNAVAILABLE)
    return error
