"""The demo catalog and demo accounts are valid, consistent and complete."""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import Decimal

import pytest

from infra.seed import CATALOG_FILE, USERS_FILE, CatalogSeed, load_catalog, load_users, read_stack_outputs
from sunlight.models.catalog import CatalogItem, Category, Department
from sunlight.models.flow import staff_steps_of
from sunlight.models.levels import CITY_GOVERNMENT_ID, GovernmentLevel
from sunlight.models.roles import STAFF_ROLES, Role

RAW_CATALOG = json.loads(CATALOG_FILE.read_text(encoding="utf-8"))
RAW_ITEMS = RAW_CATALOG["items"]
CATEGORY_CODES = {
    Category.LICENSING: "XK",
    Category.CONFIRMATION: "QR",
    Category.BENEFIT: "JF",
    Category.OTHER: "QT",
    Category.PENALTY: "CF",
    Category.COERCION: "QZ",
    Category.LEVY: "ZS",
    Category.ADJUDICATION: "CJ",
    Category.INSPECTION: "JC",
    Category.REWARD: "JL",
    Category.REQUISITION: "ZY",
    Category.NON_LICENSING_APPROVAL: "FX",
}


@pytest.mark.parametrize("raw", RAW_ITEMS, ids=[raw["item_code"] for raw in RAW_ITEMS])
def test_every_item_validates(raw):
    item = CatalogItem.model_validate(raw)
    assert 2 <= len(item.materials) <= 6
    assert item.promised_limit_days <= item.legal_limit_days
    assert set(item.step_limit_days) == set(staff_steps_of(item.flow))
    assert item.form_fields, "applicants need a form"
    assert len({f.field_id for f in item.form_fields}) == len(item.form_fields)
    assert len({m.material_id for m in item.materials}) == len(item.materials)
    assert "《" in item.legal_basis, "the legal basis cites a law or regulation"


@pytest.mark.parametrize("raw", RAW_CATALOG["departments"], ids=[d["department_id"] for d in RAW_CATALOG["departments"]])
def test_every_department_validates(raw):
    Department.model_validate(raw)


def test_catalog_size_and_spread():
    catalog = load_catalog()
    assert len(catalog.items) >= 30
    assert len(catalog.departments) >= 10
    per_department = Counter(item.department_id for item in catalog.items)
    assert set(per_department) == {d.department_id for d in catalog.departments}, "every department has items"
    assert len({item.category for item in catalog.items}) >= 4
    assert any(item.fees for item in catalog.items) and any(not item.fees for item in catalog.items)


def test_every_items_department_exists_and_codes_are_unique():
    catalog = load_catalog()  # CatalogSeed checks both; spelled out here as well
    ids = {d.department_id for d in catalog.departments}
    assert all(item.department_id in ids for item in catalog.items)
    codes = [item.item_code for item in catalog.items]
    assert len(codes) == len(set(codes))


def test_codes_follow_one_scheme():
    # {administrative division of the department's government}-{category}-{department block}{number},
    # e.g. 420700-XK-0201 (the city's), 420704-XK-0252 (鄂城区's)
    catalog = load_catalog()
    government_of = {d.department_id: d.government_id for d in catalog.departments}
    blocks: dict[str, tuple[str, str]] = {}
    for item in catalog.items:
        match = re.fullmatch(r"(\d{6}(?:\d{3}){0,2})-([A-Z]{2})-(\d{2})(\d{2})", item.item_code)
        assert match, item.item_code
        assert match[1] == government_of[item.department_id], item.item_code
        assert match[2] == CATEGORY_CODES[item.category], item.item_code
        block = (match[1], match[3])
        assert blocks.setdefault(item.department_id, block) == block, item.item_code
    assert len(set(blocks.values())) == len(blocks), "one block per department within its government"


def test_every_level_has_departments_and_items():
    """The demo has the city, two districts, two townships and a village, each level with items."""
    catalog = load_catalog()
    tree = {g.government_id: g for g in catalog.governments}
    assert [g.government_id for g in catalog.governments if g.parent_id == CITY_GOVERNMENT_ID] == ["420704", "420703"]
    government_of = {d.department_id: d.government_id for d in catalog.departments}
    levels_with_items = {tree[government_of[item.department_id]].level for item in catalog.items}
    assert levels_with_items == set(GovernmentLevel)
    assert {d.department_id: d.government_id for d in catalog.departments if d.government_id != CITY_GOVERNMENT_ID} == {
        "echeng-market": "420704", "huarong-market": "420703", "fenghuang-center": "420704001",
        "huarongzhen-center": "420703100", "binhu-station": "420704001001",
    }


def test_a_department_of_an_unknown_government_is_refused():
    raw = {**RAW_CATALOG, "departments": [*RAW_CATALOG["departments"], {**RAW_CATALOG["departments"][0], "department_id": "stray", "government_id": "420799"}]}
    with pytest.raises(ValueError, match="unknown governments"):
        CatalogSeed.model_validate(raw)


def test_fees_have_a_basis_and_whole_fen():
    for item in load_catalog().items:
        for fee in item.fees:
            assert fee.amount_yuan > 0 and fee.amount_yuan == fee.amount_yuan.quantize(Decimal("0.01"))
            assert "《" in fee.basis


# -- users ---------------------------------------------------------------------------------------


def test_staff_roles_are_covered_for_at_least_four_departments_including_market_and_planning():
    users = load_users().users
    roles_by_department: dict[str, set[Role]] = {}
    for user in users:
        if user.department_id:
            roles_by_department.setdefault(user.department_id, set()).update(user.groups)
    complete = {dept for dept, roles in roles_by_department.items() if STAFF_ROLES <= roles}
    assert len(complete) >= 4
    assert {"market", "planning"} <= complete


def test_users_departments_exist_and_usernames_are_unique():
    departments = {d.department_id for d in load_catalog().departments}
    users = load_users().users
    assert all(user.department_id in departments for user in users if user.department_id)
    names = [user.username for user in users]
    assert len(names) == len(set(names))


def test_special_accounts():
    by_name = {user.username: user for user in load_users().users}
    assert by_name["inspector"].groups == (Role.INSPECTOR,)
    assert by_name["admin"].groups == (Role.ADMIN,)
    for citizen in ("citizen1", "citizen2"):
        assert by_name[citizen].groups == (Role.CITIZEN,)
        assert by_name[citizen].department_id is None
    assert by_name["market.window"].groups == (Role.WINDOW,)


def test_staff_usernames_are_department_dot_role():
    for user in load_users().users:
        if user.department_id:
            assert user.username == f"{user.department_id}.{user.groups[0].value}"


def test_password_meets_the_pool_policy():
    # infra: min 12, lower, upper, digit, symbol
    password = load_users().password
    assert len(password) >= 12
    assert re.search(r"[a-z]", password) and re.search(r"[A-Z]", password)
    assert re.search(r"\d", password) and re.search(r"[^A-Za-z0-9]", password)


def test_users_file_is_the_only_place_with_the_password():
    assert json.loads(USERS_FILE.read_text(encoding="utf-8"))["password"] == load_users().password


# -- stack outputs file --------------------------------------------------------------------------


def test_read_stack_outputs(tmp_path):
    nested = tmp_path / "outputs.json"
    nested.write_text(json.dumps({"Sunlight": {"CatalogTableName": "t", "UserPoolId": "p"}, "Other": {}}))
    assert read_stack_outputs(nested) == {"CatalogTableName": "t", "UserPoolId": "p"}
    flat = tmp_path / "flat.json"
    flat.write_text(json.dumps({"CatalogTableName": "t", "UserPoolId": "p"}))
    assert read_stack_outputs(flat)["UserPoolId"] == "p"
    two = tmp_path / "two.json"
    two.write_text(json.dumps({"A": {"x": "1"}, "B": {"x": "2"}}))
    with pytest.raises(ValueError, match="--stack"):
        read_stack_outputs(two)
    assert read_stack_outputs(two, "B") == {"x": "2"}
    # `cdk deploy --all --outputs-file`: the outputs of every stack of the app, together.
    app = tmp_path / "app.json"
    app.write_text(json.dumps({"SunlightData": {"UserPoolId": "p"}, "SunlightApi": {"ApiUrl": "u"}, "Other": {"x": "1"}}))
    assert read_stack_outputs(app) == {"UserPoolId": "p", "ApiUrl": "u"}
    assert read_stack_outputs(app, "SunlightApi") == {"ApiUrl": "u"}


def test_supervision_demo_data():
    from sunlight.models.supervision import AnomalyRule

    items = load_catalog().items
    assert all(set(item.supervision.enabled_rules) == set(AnomalyRule) for item in items)
    with_risk_points = [item for item in items if item.supervision.risk_points]
    assert len(with_risk_points) >= 3
    penalties = [item for item in items if item.supervision.discretion is not None]
    assert {item.category for item in penalties} == {Category.PENALTY}
    by_flow = {item.flow.value: item for item in penalties}
    assert by_flow["penalty"].department_id == "market" and by_flow["penalty"].supervision.discretion.min_yuan == Decimal("5000.00")
    # 简易程序 (行政处罚法 第五十一条): the range stays within the citizen's bound of 200 yuan.
    assert by_flow["penalty_simple"].supervision.discretion.max_yuan <= Decimal("200")
