"""Documents (文书) in the SPA in headless Chromium: the applicant's timeline links the 受理通知书
the acceptance issued (下载《受理通知书》 with its 文号), the case's 办件文书 list shows it, and the
link saves the PDF under its title and 文号."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import expect, wait_for_status
from tests.e2e.test_api_flow import act, apply
from tests.e2e.test_upload_check_http import poll
from tests.e2e.test_web import login as sign_in_page


def test_the_applicant_downloads_the_acceptance_notice_from_the_timeline(page, web, public, login):
    citizen, window = login("citizen1"), login("market.window")
    case_id = apply(citizen, public)["case_id"]
    wait_for_status(window, case_id, "accept")
    assert act(window, case_id, action="accept", opinion="材料齐全，予以受理").status_code == 200
    listing = poll(lambda: citizen.get(f"/my/cases/{case_id}/documents").json(), lambda found: bool(found.get("items")))
    [acceptance] = listing["items"]

    sign_in_page(page, web, "citizen1")
    page.goto(f"{web}/my/cases/{case_id}")
    link = page.locator(f"[data-test=timeline-document-{acceptance['document_id']}]")
    expect(link).to_have_text("下载《受理通知书》")
    expect(page.locator("[data-test=timeline-document]")).to_contain_text(acceptance["number_text"])
    expect(page.locator("[data-test=case-documents] [data-test=document-number]")).to_have_text(acceptance["number_text"])
    with page.expect_download() as download:
        link.click()
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    assert download.value.suggested_filename == f"受理通知书（{acceptance['number_text']}）.pdf"
