def test_repro(login):
    admin = login("admin")
    item = admin.get("/admin/catalog/items/420700-XK-0202").json()
    body = {k: v for k, v in item["item"].items() if k != "published"} | {"version": 0, "promised_limit_days": 9}
    r = admin.call("PUT", "/admin/catalog/items/420700-XK-0202", json=body)
    print("PUT", r.status_code, r.text[:200])
    r = admin.post("/admin/catalog/items/420700-XK-0202/unpublish", {"version": 1})
    print("UNPUB", r.status_code, r.text[:200])
    r = admin.get("/admin/catalog/items/420700-XK-0202/history", params={"limit": 10})
    print("HIST", r.status_code, r.text[:200])
    r = admin.get("/admin/users", params={"limit": 20})
    print("STATUS", r.status_code, r.text[:300])
