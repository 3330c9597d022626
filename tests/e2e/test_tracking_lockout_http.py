"""Public tracking over HTTP: a case number is locked after 5 wrong query codes (429 with when to
retry and the way back), even for the right code; the applicant still reads the case signed in."""

from __future__ import annotations

from tests.e2e.test_api_flow import apply


def test_five_wrong_codes_lock_the_case_number_even_for_the_right_code(public, login):
    citizen = login("citizen1")
    receipt = apply(citizen, public)
    case_id, code = receipt["case_id"], receipt["query_code"]
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    answers = [public.post("/track", {"case_id": case_id, "query_code": wrong}) for _ in range(5)]
    assert [a.status_code for a in answers] == [404, 404, 404, 404, 429]

    locked = public.post("/track", {"case_id": case_id, "query_code": code})
    assert locked.status_code == 429
    assert 1 <= int(locked.headers["Retry-After"]) <= 30 * 60
    message = locked.json()["message"]
    assert "后再试" in message and "我的办件" in message and "办事窗口" in message
    assert citizen.get(f"/my/cases/{case_id}").status_code == 200  # the way back


def test_an_unknown_case_number_locks_alike(public):
    unknown = "SL20991231ZZZZZZ"
    answers = [public.post("/track", {"case_id": unknown, "query_code": "123456"}).status_code for _ in range(6)]
    assert answers == [404, 404, 404, 404, 429, 429]
