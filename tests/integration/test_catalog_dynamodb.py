"""DynamoCatalogRepository on a moto Catalog table built with the stack's key design."""

from __future__ import annotations

from decimal import Decimal

import boto3
import pytest
from moto import mock_aws

from infra import constants
from sunlight.adapters.dynamodb_catalog import DynamoCatalogRepository
from sunlight.services.catalog import CatalogService
from sunlight.services.errors import InvalidInput
from sunlight.services.pagination import encode_cursor
from tests.fakes.catalog import InMemoryCatalogRepository, make_department, make_item

REGION = "cn-north-1"


def make_session() -> boto3.Session:
    return boto3.Session(aws_access_key_id="testing", aws_secret_access_key="testing", region_name=REGION)


def create_catalog_table(session: boto3.Session, name: str = "Catalog"):
    """The Catalog table as the stack defines it: pk/sk, GSI `listing` on listing_pk/listing_sk."""
    return session.resource("dynamodb").create_table(
        TableName=name,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": attribute, "AttributeType": "S"}
            for attribute in ("pk", "sk", "listing_pk", "listing_sk")
        ],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[
            {
                "IndexName": constants.CATALOG_LISTING_INDEX,
                "KeySchema": [
                    {"AttributeName": "listing_pk", "KeyType": "HASH"},
                    {"AttributeName": "listing_sk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
        ],
    )


@pytest.fixture
def session():
    with mock_aws():
        yield make_session()


@pytest.fixture
def table(session):
    return create_catalog_table(session)


@pytest.fixture
def dynamo_repo(table) -> DynamoCatalogRepository:
    return DynamoCatalogRepository(table)


DEPARTMENTS = [
    make_department("market", "市市场监督管理局", phone="12345", address="市民之家二楼"),
    make_department("planning", "市自然资源和规划局"),
    make_department("police", "市公安局"),
]
ITEMS = [
    make_item("420700-XK-0001", "market", name="食品经营许可"),
    make_item("420700-XK-0002", "market", name="食品生产许可"),
    make_item("420700-XK-0003", "market", name="药品零售企业经营许可", published=False),
    make_item("420700-XK-0101", "planning", name="建设工程规划许可证核发"),
    make_item(
        "420700-XK-0201",
        "police",
        name="普通护照签发",
        fees=[{"name": "普通护照", "amount_yuan": "120", "basis": "发改价格〔2019〕914号"}],
        form_fields=[{"field_id": "applicant_name", "label": "姓名", "max_length": 40}],
    ),
    make_item(
        "420700-QR-0101",
        "planning",
        name="不动产转移登记（住宅）",
        category="行政确认",
        fees=[
            {"name": "不动产登记费", "amount_yuan": "80.00", "basis": "发改价格规〔2016〕2559号"},
            {"name": "证书工本费", "amount_yuan": "10.5", "basis": "发改价格规〔2016〕2559号"},
        ],
    ),
]


def fill(repo) -> None:
    for department in DEPARTMENTS:
        repo.put_department(department)
    for item in ITEMS:
        repo.put_item(item)


# -- the adapter's own contract ------------------------------------------------------------------


def test_constants_agree():
    from sunlight.adapters import dynamodb_catalog

    assert dynamodb_catalog.LISTING_INDEX == constants.CATALOG_LISTING_INDEX


def test_records_follow_the_key_design(dynamo_repo, table):
    fill(dynamo_repo)
    department = table.get_item(Key={"pk": "DEPT#market", "sk": "DEPT"})["Item"]
    assert (department["listing_pk"], department["listing_sk"]) == ("DEPARTMENT", "market")
    item = table.get_item(Key={"pk": "ITEM#420700-QR-0101", "sk": "ITEM"})["Item"]
    assert (item["listing_pk"], item["listing_sk"]) == ("ITEM", "planning#420700-QR-0101")
    # Numbers are DynamoDB numbers, not strings or floats.
    assert item["fees"][0]["amount_yuan"] == Decimal("80")
    assert isinstance(item["fees"][1]["amount_yuan"], Decimal)
    assert item["legal_limit_days"] == 20
    assert item["step_limit_days"] == {"accept": 1, "handle": 5, "review": 2, "approve": 1, "complete": 1}
    assert item["category"] == "行政确认"


def test_round_trip_is_lossless(dynamo_repo):
    fill(dynamo_repo)
    for department in DEPARTMENTS:
        assert dynamo_repo.get_department(department.department_id) == department
    for item in ITEMS:
        stored = dynamo_repo.get_item(item.item_code)
        assert stored == item
        assert stored.model_dump(mode="json") == item.model_dump(mode="json")
    assert str(dynamo_repo.get_item("420700-QR-0101").total_fee_yuan) == "90.50"


def test_absent_records_are_none(dynamo_repo):
    assert dynamo_repo.get_department("nope") is None
    assert dynamo_repo.get_item("420700-XK-9999") is None


def test_put_replaces_and_moves_an_item_between_departments(dynamo_repo):
    fill(dynamo_repo)
    dynamo_repo.put_item(make_item("420700-XK-0001", "planning", name="改划给规划局的事项"))
    market, _ = dynamo_repo.list_items("market", 10)
    planning, _ = dynamo_repo.list_items("planning", 10)
    assert "420700-XK-0001" not in [i.item_code for i in market]
    assert "420700-XK-0001" in [i.item_code for i in planning]


def test_start_key_from_another_department_is_refused(dynamo_repo):
    fill(dynamo_repo)
    _, key = dynamo_repo.list_items("market", 1)
    with pytest.raises(InvalidInput):
        dynamo_repo.list_items("planning", 1, key)
    with pytest.raises(InvalidInput):
        dynamo_repo.list_items(None, 1, {"pk": "ITEM#X", "sk": "ITEM"})


def test_listing_never_scans(dynamo_repo, table, monkeypatch):
    fill(dynamo_repo)
    monkeypatch.setattr(table, "scan", lambda **_: pytest.fail("Scan"), raising=False)
    CatalogService(dynamo_repo).list_items(query="许可")
    dynamo_repo.list_departments()


def test_list_departments_reads_every_page(session):
    table = create_catalog_table(session, "ManyDepartments")
    repo = DynamoCatalogRepository(table)
    for n in range(130):
        repo.put_department(make_department(f"dept-{n:03d}", f"市第{n}局"))
    ids = [d.department_id for d in repo.list_departments()]
    assert ids == [f"dept-{n:03d}" for n in range(130)]


# -- the same behaviour from the fake and from DynamoDB ------------------------------------------


@pytest.fixture(params=["fake", "dynamodb"])
def any_repo(request):
    if request.param == "fake":
        repo = InMemoryCatalogRepository()
    else:
        repo = DynamoCatalogRepository(create_catalog_table(request.getfixturevalue("session")))
    fill(repo)
    return repo


def test_contract_department_listing(any_repo):
    assert [d.department_id for d in any_repo.list_departments()] == ["market", "planning", "police"]


def test_contract_item_pages(any_repo):
    seen, key, pages = [], None, 0
    while True:
        items, key = any_repo.list_items(None, 2, key)
        seen.extend(i.item_code for i in items)
        pages += 1
        if key is None:
            break
    # Unpublished items are listed too: publishing is the service's business.
    assert seen == [
        "420700-XK-0001",
        "420700-XK-0002",
        "420700-XK-0003",
        "420700-QR-0101",
        "420700-XK-0101",
        "420700-XK-0201",
    ]
    assert pages >= 3


def test_contract_department_filter(any_repo):
    items, _ = any_repo.list_items("planning", 10)
    assert [i.item_code for i in items] == ["420700-QR-0101", "420700-XK-0101"]
    items, key = any_repo.list_items("market", 2)
    assert [i.item_code for i in items] == ["420700-XK-0001", "420700-XK-0002"]
    items, _ = any_repo.list_items("market", 2, key)
    assert [i.item_code for i in items] == ["420700-XK-0003"]


def test_service_on_dynamodb_paginates_with_filters(session):
    repo = DynamoCatalogRepository(create_catalog_table(session))
    fill(repo)
    service = CatalogService(repo)
    first = service.list_items(category="行政许可", limit=2)
    assert [s.item_code for s in first.items] == ["420700-XK-0001", "420700-XK-0002"]
    second = service.list_items(category="行政许可", limit=2, cursor=first.next_cursor)
    # The unpublished market item and the 行政确认 one are skipped; the page is still full.
    assert [s.item_code for s in second.items] == ["420700-XK-0101", "420700-XK-0201"]
    assert second.items[1].department_name == "市公安局"
    assert str(second.items[1].total_fee_yuan) == "120.00"
    rest = service.list_items(category="行政许可", limit=2, cursor=second.next_cursor) if second.next_cursor else None
    assert rest is None or rest.items == []
    bad = encode_cursor({"k": {"pk": "x"}, "f": [None, "行政许可", None]})
    with pytest.raises(InvalidInput):
        service.list_items(category="行政许可", cursor=bad)
