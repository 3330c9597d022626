"""The catalog repository on the Catalog table (see infra/constants.py and the README).

Key design, one item per record:

| record     | pk             | sk     | listing_pk   | listing_sk               |
| ---------- | -------------- | ------ | ------------ | ------------------------ |
| department | DEPT#{id}      | DEPT   | DEPARTMENT   | {id}                     |
| item       | ITEM#{code}    | ITEM   | ITEM         | {department_id}#{code}   |

Gets use the table key; listings query the `listing` GSI (never Scan), a department's items
with `begins_with(listing_sk, "{department_id}#")`.
"""

from __future__ import annotations

from typing import Any

from boto3.dynamodb.conditions import Key
from botocore.exceptions import ClientError

from sunlight.adapters.dynamodb_codec import RETRYABLE_ERRORS, from_attributes, to_attributes
from sunlight.models.catalog import CatalogItem, Department
from sunlight.services.errors import InvalidInput, Unavailable
from sunlight.services.ports import StartKey

LISTING_INDEX = "listing"  # infra.constants.CATALOG_LISTING_INDEX (the layer cannot import infra)

DEPARTMENT_SK = "DEPT"
ITEM_SK = "ITEM"
DEPARTMENT_LISTING = "DEPARTMENT"
ITEM_LISTING = "ITEM"
KEY_ATTRIBUTES = ("pk", "sk", "listing_pk", "listing_sk")

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
        record = {
            **to_attributes(department),
            **department_key(department.department_id),
            "listing_pk": DEPARTMENT_LISTING,
            "listing_sk": department.department_id,
        }
        self._put(record)

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
        record = {
            **to_attributes(item),
            **item_key(item.item_code),
            "listing_pk": ITEM_LISTING,
            "listing_sk": f"{item.department_id}#{item.item_code}",
        }
        self._put(record)

    # -- DynamoDB ------------------------------------------------------------------------------

    def _get(self, key: dict[str, str]) -> dict[str, Any] | None:
        try:
            return self._table.get_item(Key=key).get("Item")
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
