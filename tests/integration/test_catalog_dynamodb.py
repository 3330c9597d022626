"""DynamoCatalogRepository on a moto Catalog table built with the stack's key design."""

from __future__ import annotations

import json
from decimal import Decimal

import boto3
import pytest
from moto import mock_aws

from infra import constants
from infra.seed import load_catalog, load_users, seed_all
from sunlight.adapters.dynamodb_catalog import DynamoCatalogRepository
from sunlight.models.catalog import PublicCatalogItem
from sunlight.models.clock import LimitStart, LimitUnit
from sunlight.models.flow import Step
from sunlight.models.levels import Government, GovernmentLevel
from sunlight.services.catalog import CatalogService
from sunlight.services.errors import InvalidInput
from sunlight.services.pagination import encode_cursor
from tests.fakes.catalog import InMemoryCatalogRepository, make_department, make_item

REGION = "ap-southeast-1"  # moto has no Cognito in the aws-cn partition


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


def test_limit_units_and_start_event_round_trip(dynamo_repo):
    limits = {"investigate": 30, "notify": 3, "hearing_notice": 3, "hearing": 10, "legal_review": 5, "collective": 3,
              "decide": 5, "deliver": 7, "execute": 15, "complete": 2}
    item = make_item("420700-CF-0099", category="行政处罚", flow="penalty", step_limit_days=limits, legal_limit_days=90,
                     promised_limit_days=60, legal_limit_unit="calendar_days", promised_limit_unit="calendar_days",
                     step_limit_units={"execute": "calendar_days"}, limit_starts_at="registration")
    dynamo_repo.put_item(item)
    stored = dynamo_repo.get_item(item.item_code)
    assert stored == item and stored.step_limit_unit(Step.EXECUTE) is LimitUnit.CALENDAR_DAYS
    assert stored.step_limit_unit(Step.DELIVER) is LimitUnit.WORKING_DAYS
    assert (stored.legal_limit_unit, stored.limit_starts_at) == (LimitUnit.CALENDAR_DAYS, LimitStart.REGISTRATION)


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


def test_contract_governments(any_repo):
    """Governments sit beside departments: listed in code order (a district before its
    townships), got by code, absent ones None; a department names its government."""
    tree = [
        Government(government_id="420704001", name="凤凰街道", level=GovernmentLevel.TOWNSHIP, parent_id="420704"),
        Government(government_id="420700", name="鄂州市", level=GovernmentLevel.CITY),
        Government(government_id="420704", name="鄂城区", level=GovernmentLevel.COUNTY, parent_id="420700"),
        Government(government_id="420703", name="华容区", level=GovernmentLevel.COUNTY, parent_id="420700"),
    ]
    for government in tree:
        any_repo.put_government(government)
    assert [g.government_id for g in any_repo.list_governments()] == ["420700", "420703", "420704", "420704001"]
    assert any_repo.get_government("420704001") == tree[0]
    assert any_repo.get_government("420799") is None
    any_repo.put_department(make_department("echeng-market", "鄂城区市场监督管理局", government_id="420704"))
    assert any_repo.get_department("echeng-market").government_id == "420704"
    assert any_repo.get_department("market").government_id == "420700"
    assert "echeng-market" in [d.department_id for d in any_repo.list_departments()]


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


# -- seeding a stack: the catalog table and the user pool ----------------------------------------


def create_user_pool(session: boto3.Session) -> tuple[str, str]:
    """A pool like the stack's: username sign-in, custom:department, strong passwords, one group
    per role, and a client allowing USER_PASSWORD_AUTH."""
    cognito = session.client("cognito-idp")
    pool_id = cognito.create_user_pool(
        PoolName="Sunlight",
        Policies={
            "PasswordPolicy": {
                "MinimumLength": 12,
                "RequireUppercase": True,
                "RequireLowercase": True,
                "RequireNumbers": True,
                "RequireSymbols": True,
            }
        },
        Schema=[
            {
                "Name": constants.DEPARTMENT_ATTRIBUTE,
                "AttributeDataType": "String",
                "Mutable": True,
                "StringAttributeConstraints": {"MinLength": "1", "MaxLength": "64"},
            },
            {
                "Name": constants.GOVERNMENT_ATTRIBUTE,
                "AttributeDataType": "String",
                "Mutable": True,
                "StringAttributeConstraints": {"MinLength": "6", "MaxLength": "12"},
            },
        ],
    )["UserPool"]["Id"]
    for group in constants.USER_GROUPS:
        cognito.create_group(UserPoolId=pool_id, GroupName=group)
    client_id = cognito.create_user_pool_client(
        UserPoolId=pool_id,
        ClientName="web",
        ExplicitAuthFlows=["ALLOW_USER_PASSWORD_AUTH", "ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
    )["UserPoolClient"]["ClientId"]
    return pool_id, client_id


@pytest.fixture
def stack(session):
    table = create_catalog_table(session, "Sunlight-CatalogTable")
    pool_id, client_id = create_user_pool(session)
    outputs = {"CatalogTableName": table.name, "UserPoolId": pool_id}
    return {"outputs": outputs, "table": table, "client_id": client_id}


def groups_of(cognito, pool_id: str, username: str) -> set[str]:
    return {g["GroupName"] for g in cognito.admin_list_groups_for_user(UserPoolId=pool_id, Username=username)["Groups"]}


def test_seed_all_loads_the_catalog(session, stack):
    report = seed_all(stack["outputs"], session)
    catalog = load_catalog()
    assert (report.departments, report.items) == (len(catalog.departments), len(catalog.items))
    repo = DynamoCatalogRepository(stack["table"])
    assert len(repo.list_departments()) == len(catalog.departments)
    service = CatalogService(repo)
    market = service.list_items(department_id="market", limit=100)
    assert {s.item_code for s in market.items} == {i.item_code for i in catalog.items if i.department_id == "market"}
    assert all(s.department_name == "市市场监督管理局" for s in market.items)
    first = service.list_items(limit=10)
    second = service.list_items(limit=10, cursor=first.next_cursor)
    assert len(first.items) == len(second.items) == 10
    assert not {s.item_code for s in first.items} & {s.item_code for s in second.items}
    sample = catalog.items[0]
    assert service.get_item(sample.item_code) == PublicCatalogItem.of(sample)


def test_seed_all_creates_users_in_groups_who_can_sign_in(session, stack):
    pool_id = stack["outputs"]["UserPoolId"]
    report = seed_all(stack["outputs"], session)
    demo = load_users()
    assert report.users_created == len(demo.users) and report.users_existing == 0
    assert report.password == demo.password
    by_name = {user.username: user for user in report.users}
    assert by_name["market.window"].department_name == "市市场监督管理局"
    assert by_name["market.window"].role_labels == "窗口受理人员"
    assert by_name["inspector"].department_name == "市纪委监委"
    assert "market.window" in report.render() and demo.password in report.render()

    cognito = session.client("cognito-idp")
    user = cognito.admin_get_user(UserPoolId=pool_id, Username="planning.leader")
    attributes = {a["Name"]: a["Value"] for a in user["UserAttributes"]}
    assert attributes["name"] == by_name["planning.leader"].display_name
    assert attributes["custom:department"] == "planning"
    assert user["UserStatus"] == "CONFIRMED"
    citizen = cognito.admin_get_user(UserPoolId=pool_id, Username="citizen1")
    assert "custom:department" not in {a["Name"] for a in citizen["UserAttributes"]}
    for username, government in (("inspector", "420700"), ("inspector.chief", "420700"), ("echeng.inspector", "420704")):
        seeded = cognito.admin_get_user(UserPoolId=pool_id, Username=username)["UserAttributes"]
        assert {a["Name"]: a["Value"] for a in seeded}["custom:government"] == government

    for demo_user in demo.users:
        assert groups_of(cognito, pool_id, demo_user.username) == {g.value for g in demo_user.groups}

    tokens = cognito.initiate_auth(
        ClientId=stack["client_id"],
        AuthFlow="USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "market.window", "PASSWORD": demo.password},
    )["AuthenticationResult"]
    assert tokens["IdToken"] and tokens["AccessToken"]
    admin_tokens = cognito.admin_initiate_auth(
        UserPoolId=pool_id,
        ClientId=stack["client_id"],
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={"USERNAME": "inspector", "PASSWORD": demo.password},
    )["AuthenticationResult"]
    assert admin_tokens["IdToken"]


def test_seed_all_twice_is_fine(session, stack):
    first = seed_all(stack["outputs"], session)
    second = seed_all(stack["outputs"], session)
    assert second.users_created == 0 and second.users_existing == len(first.users)
    assert (second.departments, second.items) == (first.departments, first.items)
    repo = DynamoCatalogRepository(stack["table"])
    items, _ = repo.list_items(None, 1000)
    assert len(items) == first.items
    cognito = session.client("cognito-idp")
    assert groups_of(cognito, stack["outputs"]["UserPoolId"], "housing.reviewer") == {"reviewer"}


def test_seed_all_gives_an_inspector_seeded_before_levels_its_government(session, stack):
    pool_id = stack["outputs"]["UserPoolId"]
    seed_all(stack["outputs"], session)
    cognito = session.client("cognito-idp")
    cognito.admin_delete_user_attributes(UserPoolId=pool_id, Username="inspector", UserAttributeNames=["custom:government"])
    seed_all(stack["outputs"], session)
    attributes = {a["Name"]: a["Value"] for a in cognito.admin_get_user(UserPoolId=pool_id, Username="inspector")["UserAttributes"]}
    assert attributes["custom:government"] == "420700"
    assert len(DynamoCatalogRepository(stack["table"]).list_governments()) == len(load_catalog().governments)


def test_seed_all_completes_a_half_created_user(session, stack):
    pool_id = stack["outputs"]["UserPoolId"]
    cognito = session.client("cognito-idp")
    cognito.admin_create_user(UserPoolId=pool_id, Username="market.handler", MessageAction="SUPPRESS")
    report = seed_all(stack["outputs"], session)
    handler = next(user for user in report.users if user.username == "market.handler")
    assert not handler.created
    assert cognito.admin_get_user(UserPoolId=pool_id, Username="market.handler")["UserStatus"] == "CONFIRMED"
    assert groups_of(cognito, pool_id, "market.handler") == {"handler"}


def test_seed_all_needs_the_outputs(session):
    with pytest.raises(ValueError, match="UserPoolId"):
        seed_all({"CatalogTableName": "x"}, session)


@pytest.fixture
def outputs_file(stack, tmp_path, monkeypatch):
    """The stack's outputs as `cdk deploy --outputs-file` writes them; the command line uses the
    default session, so it is pointed at the mocked region."""
    path = tmp_path / "outputs.json"
    path.write_text(json.dumps({"Sunlight": stack["outputs"]}))
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.delenv("AWS_REGION", raising=False)
    return path


def test_command_line_seeds_from_an_outputs_file(session, outputs_file, tmp_path, capsys):
    from infra.seed.__main__ import main

    assert main(["--stack-outputs", str(outputs_file)]) == 0
    printed = capsys.readouterr().out
    assert "market.window" in printed and load_users().password in printed
    assert main(["--stack-outputs", str(tmp_path / "missing.json")]) == 2


def test_a_real_deployment_starts_with_one_admin_who_must_choose_a_password(session, stack, outputs_file, capsys):
    from infra.seed.__main__ import main

    assert main(["--stack-outputs", str(outputs_file), "--first-admin", "Zhang.Admin", "--name", "张管理"]) == 0
    printed = capsys.readouterr().out
    password = printed.split("(shown once): ")[1].split()[0]
    pool_id = stack["outputs"]["UserPoolId"]
    cognito = session.client("cognito-idp")
    user = cognito.admin_get_user(UserPoolId=pool_id, Username="zhang.admin")
    assert user["UserStatus"] == "FORCE_CHANGE_PASSWORD"
    assert {a["Name"]: a["Value"] for a in user["UserAttributes"]}["name"] == "张管理"
    assert groups_of(cognito, pool_id, "zhang.admin") == {"admin"}
    client_id = stack["client_id"]
    challenge = cognito.initiate_auth(ClientId=client_id, AuthFlow="USER_PASSWORD_AUTH",
                                      AuthParameters={"USERNAME": "zhang.admin", "PASSWORD": password})
    assert challenge["ChallengeName"] == "NEW_PASSWORD_REQUIRED"
    # Nothing else was seeded, and a second run refuses to touch the existing account.
    assert not any(u["Username"] == "market.window" for u in cognito.list_users(UserPoolId=pool_id)["Users"])
    assert main(["--stack-outputs", str(outputs_file), "--first-admin", "zhang.admin"]) == 1


def test_contract_government_listing(any_repo, request):
    """The government tree (models/levels.py): listed through the `listing` GSI, by code."""
    from sunlight.models.levels import Government, GovernmentLevel

    assert any_repo.list_governments() == []
    governments = [
        Government(government_id="420704001", name="凤凰街道", level=GovernmentLevel.TOWNSHIP, parent_id="420704"),
        Government(government_id="420700", name="鄂州市", level=GovernmentLevel.CITY),
        Government(government_id="420704", name="鄂城区", level=GovernmentLevel.COUNTY, parent_id="420700"),
    ]
    for government in governments:
        any_repo.put_government(government)
    assert [g.government_id for g in any_repo.list_governments()] == ["420700", "420704", "420704001"]
    assert any_repo.list_governments()[2] == governments[0]
    assert [d.department_id for d in any_repo.list_departments()] == ["market", "planning", "police"]  # not mixed in
    if isinstance(any_repo, DynamoCatalogRepository):
        table = request.getfixturevalue("session").resource("dynamodb").Table(any_repo._table.name)
        record = table.get_item(Key={"pk": "GOV#420704", "sk": "GOVERNMENT"})["Item"]
        assert (record["listing_pk"], record["listing_sk"], record["parent_id"]) == ("GOVERNMENT", "420704", "420700")
