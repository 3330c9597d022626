"""A whole case over HTTP through the local system: citizen and staff, and the bad inputs."""

from __future__ import annotations

import requests

from tests.e2e.conftest import Client, demo_user, new_key, wait_for_status

APPLICANT = {"name": "李华", "id_type": "resident_id", "id_number": "11010519491231002X", "phone": "13800138000"}


def market_item(client: Client) -> dict:
    """The department's first item that takes online applications (its penalties do not) through
    the standard flow (受理 → 承办 → 审核 → 批准 → 办结)."""
    page = client.get("/catalog", params={"department": "market", "limit": 50}).json()
    return next(item for item in page["items"] if item["online_application"] and item["flow"] == "standard")


def application_for(item_detail: dict, upload_ids: list[str]) -> dict:
    form = {f["field_id"]: f"测试{f['label']}" for f in item_detail["form_fields"]}
    return {"item_code": item_detail["item_code"], "applicant": APPLICANT, "form": form, "upload_ids": upload_ids}


def upload(citizen: Client, name: str = "申请书.pdf", content: bytes = b"%PDF-1.4 e2e") -> str:
    ticket = citizen.post("/uploads", {"file_name": name, "content_type": "application/pdf", "size_bytes": len(content)})
    assert ticket.status_code == 201, ticket.text
    ticket = ticket.json()
    stored = requests.post(ticket["url"], data=ticket["fields"], files={"file": (name, content, "application/pdf")}, timeout=30)
    assert stored.status_code in (200, 204), stored.text
    return ticket["upload_id"]


def apply(citizen: Client, public: Client, key: str | None = None) -> dict:
    item = market_item(public)
    detail = public.get(f"/catalog/{item['item_code']}").json()
    response = citizen.post("/applications", application_for(detail, [upload(citizen)]), key=key or new_key())
    assert response.status_code == 201, response.text
    return response.json()


def act(client: Client, case_id: str, **body) -> requests.Response:
    return client.post(f"/cases/{case_id}/actions", body)


def test_catalog_and_openapi_are_public(public):
    catalog = public.get("/catalog").json()
    assert len(catalog["items"]) == 20 and catalog["next_cursor"]
    departments = public.get("/departments").json()
    assert len(departments) >= 8 and any(d["name"] == "市市场监督管理局" for d in departments)
    assert public.get("/catalog/000000-XX-0000").status_code == 404
    spec = public.get("/openapi.json").json()
    assert "/cases/{caseId}/actions" in spec["paths"] and spec["info"]["title"] == "阳光政务 API"


def test_whole_case_through_every_step(public, login):
    citizen = login("citizen1")
    receipt = apply(citizen, public)
    case_id, code = receipt["case_id"], receipt["query_code"]
    window, handler, reviewer, leader = (login(f"market.{r}") for r in ("window", "handler", "reviewer", "leader"))

    wait_for_status(window, case_id, "accept")
    assert case_id in [c["case_id"] for c in window.get("/worklist").json()["items"]]
    assert act(window, case_id, action="accept", opinion="材料齐全，予以受理").status_code == 200
    wait_for_status(handler, case_id, "handle")
    assert act(handler, case_id, action="submit", opinion="经核查符合条件").status_code == 200
    wait_for_status(reviewer, case_id, "review")
    assert act(reviewer, case_id, action="return", opinion="请补充现场核查记录").status_code == 200
    wait_for_status(handler, case_id, "handle")
    assert act(handler, case_id, action="submit", opinion="已补充现场核查记录").status_code == 200
    wait_for_status(reviewer, case_id, "review")
    assert act(reviewer, case_id, action="pass").status_code == 200
    wait_for_status(leader, case_id, "approve")
    assert act(leader, case_id, action="approve", opinion="准予许可").status_code == 200
    wait_for_status(window, case_id, "complete")
    assert act(window, case_id, action="complete", opinion="证书编号 JY13301000001，已送达").status_code == 200
    final = wait_for_status(window, case_id, "completed")

    assert final["decision_text"] == "准予许可" and final["result_text"].startswith("证书编号")
    assert [(e["action"], e["to_state"]) for e in final["timeline"]] == [
        ("apply", "submitted"), ("dispatch", "accept"), ("accept", "handle"), ("submit", "review"),
        ("return", "handle"), ("submit", "review"), ("pass", "approve"), ("approve", "complete"),
        ("complete", "completed"),
    ]
    assert final["timeline"][2]["actor_name"] == demo_user("market.window")["name"]

    tracked = public.post("/track", {"case_id": case_id, "query_code": code})
    assert tracked.status_code == 200 and tracked.json()["status_label"] == "已办结"
    assert "经办人员" in {e["actor_name"] for e in tracked.json()["timeline"]}  # no clerk names in public
    mine = citizen.get(f"/my/cases/{case_id}").json()
    assert mine["query_code"] == code and mine["result_text"].startswith("证书编号")
    link = window.get(f"/cases/{case_id}/attachments/{mine['attachments'][0]['attachment_id']}")
    assert requests.get(link.json()["url"], timeout=10).content == b"%PDF-1.4 e2e"


def test_supplement_loop_then_rejection(public, login):
    citizen = login("citizen1")
    case_id = apply(citizen, public)["case_id"]
    window = login("market.window")
    wait_for_status(window, case_id, "accept")
    response = act(window, case_id, action="request_supplement", missing_materials=["营业执照副本", "场所平面图"])
    assert response.status_code == 200
    waiting = wait_for_status(citizen, case_id, "supplement", path="/my/cases/{}")
    assert waiting["missing_materials"] == ["营业执照副本", "场所平面图"]
    resubmitted = citizen.post(f"/my/cases/{case_id}/supplement", {"upload_ids": [upload(citizen, "营业执照副本.pdf")]})
    assert resubmitted.status_code == 200, resubmitted.text
    wait_for_status(window, case_id, "accept")
    assert act(window, case_id, action="reject", opinion="经营场所不符合要求").status_code == 200
    rejected = wait_for_status(window, case_id, "rejected")
    assert rejected["decision_text"] == "经营场所不符合要求" and len(rejected["attachments"]) == 2


def test_bad_inputs_get_clear_errors_and_change_nothing(public, login, system):
    citizen, other = login("citizen1"), login("citizen2")
    window, handler = login("market.window"), login("market.handler")
    foreign = login("planning.window")
    receipt = apply(citizen, public)
    case_id = receipt["case_id"]
    wait_for_status(window, case_id, "accept")

    invalid = citizen.post("/applications", {"item_code": "x", "applicant": {"name": "李", "phone": "1"}})
    assert invalid.status_code == 422
    fields = {e["field"]: e["message"] for e in invalid.json()["errors"]}
    assert fields["item_code"] == "事项编码至少需要6个字符" and fields["applicant.id_type"] == "请填写证件类型"

    assert public.post("/track", {"case_id": case_id, "query_code": "000000"}).status_code == 404
    assert public.post("/track", {"case_id": "SL20990101ZZZZZZ", "query_code": receipt["query_code"]}).status_code == 404
    assert public.get("/my/cases").status_code == 401
    assert other.get(f"/my/cases/{case_id}").status_code == 403
    assert foreign.post(f"/cases/{case_id}/actions", {"action": "accept"}).status_code == 403
    assert act(handler, case_id, action="accept").status_code == 403
    assert act(window, case_id, action="approve", opinion="越级批准").status_code == 409

    before = window.get(f"/cases/{case_id}").json()
    assert act(window, case_id, action="accept").status_code == 200
    assert act(window, case_id, action="accept").status_code == 409  # repeated
    after = wait_for_status(handler, case_id, "handle")
    assert len(after["timeline"]) == len(before["timeline"]) + 1

    wrong_type = citizen.post("/uploads", {"file_name": "病毒.exe", "content_type": "application/x-msdownload", "size_bytes": 10})
    assert wrong_type.status_code == 422 and "仅支持上传" in wrong_type.json()["message"]
    oversize = citizen.post("/uploads", {"file_name": "大文件.pdf", "content_type": "application/pdf", "size_bytes": 50 * 1024 * 1024})
    assert oversize.status_code == 422
    # S3 itself refuses a body larger than the presigned policy allows.
    ticket = citizen.post("/uploads", {"file_name": "a.pdf", "content_type": "application/pdf", "size_bytes": 10}).json()
    too_big = requests.post(ticket["url"], data=ticket["fields"], files={"file": ("a.pdf", b"0" * (ticket["max_bytes"] + 1))}, timeout=30)
    assert too_big.status_code >= 400


def test_retried_application_creates_one_case(public, login):
    citizen = login("citizen2")
    item = market_item(public)
    body = application_for(public.get(f"/catalog/{item['item_code']}").json(), [upload(citizen)])
    key = new_key()
    first = citizen.post("/applications", body, key=key)
    again = citizen.post("/applications", body, key=key)  # e.g. the network dropped the first answer
    assert first.status_code == again.status_code == 201
    assert first.json()["case_id"] == again.json()["case_id"]
    mine = [c["case_id"] for c in citizen.get("/my/cases", params={"limit": 100}).json()["items"]]
    assert mine.count(first.json()["case_id"]) == 1

    changed = citizen.post("/applications", body | {"applicant": APPLICANT | {"phone": "13900139000"}}, key=key)
    assert changed.status_code == 422 and "幂等键" in changed.json()["message"]
    assert [c["case_id"] for c in citizen.get("/my/cases", params={"limit": 100}).json()["items"]] == mine
