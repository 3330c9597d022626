"""The city calendar over HTTP through the local system (real Cognito tokens, the local gateway)."""

from __future__ import annotations

# A far-away day: the local system is shared by the session's e2e tests, whose deadlines must not move.
DAY = "2099-06-01"


def test_admin_edits_the_calendar_and_others_may_not(login):
    admin, window, citizen = login("admin"), login("market.window"), login("citizen1")
    view = admin.get("/calendar/2099")
    assert view.status_code == 200, view.text
    assert view.json()["trusted"] is False and view.json()["warning"].startswith("2099年的法定节假日和调休安排尚未录入")
    assert window.get("/calendar/2099").status_code == 200
    assert citizen.get("/calendar/2099").status_code == 403

    assert window.call("PUT", f"/calendar/days/{DAY}", json={"working": False, "reason": "台风停工"}).status_code == 403
    changed = admin.call("PUT", f"/calendar/days/{DAY}", json={"working": False, "reason": "台风停工"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["effective_working"] is False and changed.json()["recompute"] in ("queued", "completed")
    assert [o["date"] for o in admin.get("/calendar/2099").json()["overrides"]] == [DAY]

    removed = admin.call("DELETE", f"/calendar/days/{DAY}")
    assert removed.status_code == 200 and removed.json()["effective_working"] is True
    assert admin.call("DELETE", f"/calendar/days/{DAY}").status_code == 404
    assert admin.get("/calendar/2099").json()["overrides"] == []
