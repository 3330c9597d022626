"""Documents (文书) over HTTP on the local system: the window's 补正 request and acceptance reach the
documents function through the domain bus (the template's rule); the applicant lists their 补正告知书
and 受理通知书 with their 文号, downloads each PDF through its short-lived link and reads what it
says; another citizen can neither list nor download them."""

from __future__ import annotations

import io
import re

import requests
from pypdf import PdfReader

from tests.e2e.conftest import wait_for_status
from tests.e2e.test_api_flow import act, apply, upload
from tests.e2e.test_upload_check_http import poll


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).replace("\n", "")


def test_the_applicant_downloads_their_notices_and_another_citizen_cannot(public, login):
    citizen, other, window = login("citizen1"), login("citizen2"), login("market.window")
    receipt = apply(citizen, public)
    case_id = receipt["case_id"]
    wait_for_status(window, case_id, "accept")
    assert act(window, case_id, action="request_supplement", missing_materials=["营业执照副本", "场所平面图"],
               opinion="复印件须加盖公章").status_code == 200
    wait_for_status(citizen, case_id, "supplement", path="/my/cases/{}")
    assert citizen.post(f"/my/cases/{case_id}/supplement", {"upload_ids": [upload(citizen, "营业执照副本.pdf")]}).status_code == 200
    wait_for_status(window, case_id, "accept")
    assert act(window, case_id, action="accept", opinion="材料齐全，予以受理").status_code == 200
    wait_for_status(citizen, case_id, "handle", path="/my/cases/{}")

    listing = poll(lambda: citizen.get(f"/my/cases/{case_id}/documents").json(), lambda found: len(found.get("items", [])) == 2)
    notice, acceptance = listing["items"]
    assert (notice["title"], acceptance["title"]) == ("补正告知书", "受理通知书")
    assert re.fullmatch(r"市场监管局补字〔\d{4}〕第\d+号", notice["number_text"])
    assert re.fullmatch(r"市场监管局受字〔\d{4}〕第\d+号", acceptance["number_text"])
    timeline = citizen.get(f"/my/cases/{case_id}").json()["timeline"]
    assert [e["action"] for e in timeline if e["seq"] in (notice["seq"], acceptance["seq"])] == ["request_supplement", "accept"]

    texts = {}
    for document in (notice, acceptance):
        link = citizen.get(f"/my/cases/{case_id}/documents/{document['document_id']}")
        assert link.status_code == 200, link.text
        downloaded = requests.get(link.json()["url"], timeout=10)
        assert downloaded.status_code == 200 and downloaded.content.startswith(b"%PDF-")
        texts[document["title"]] = pdf_text(downloaded.content)
    assert all(s in texts["补正告知书"] for s in (notice["number_text"], "李华", "1. 营业执照副本", "2. 场所平面图", "复印件须加盖公章", "一次性告知"))
    assert all(s in texts["受理通知书"] for s in (acceptance["number_text"], "李华", case_id, "决定予以受理"))

    # The department's window reads the same list; another citizen reads nothing of it.
    assert window.get(f"/cases/{case_id}/documents").json() == listing
    assert other.get(f"/my/cases/{case_id}/documents").status_code == 403
    assert other.get(f"/my/cases/{case_id}/documents/{acceptance['document_id']}").status_code == 403
    assert other.get(f"/cases/{case_id}/documents/{acceptance['document_id']}").status_code == 403
