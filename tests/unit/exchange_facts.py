"""One bus fact per outbound message type: events/exchange/samples/ are the messages they make."""

from __future__ import annotations

T = "2026-12-07T02:15:00Z"
# A case's published facts are gap-free from its dispatch (seq 2; seq 1, the application, is not published).
case = {"event_id": "EV-SAMPLE-0001", "case_id": "SL20261207ABC123", "seq": 2, "item_code": "420704-XK-0301",
        "item_name": "食品经营许可（新办）", "department_id": "echeng-market", "action": "dispatch",
        "actor": {"user_id": "system", "name": "系统", "role": "system"}, "from_state": "submitted", "to_state": "accept",
        "opinion": None, "occurred_at": T, "recorded_at": T, "step_due_at": "2026-12-08T10:00:00Z",
        "promised_due_on": "2026-12-21", "details": {}, "government_id": "420704"}
facts = {
 "case_received": ("CaseTransitioned", case),
 "case_transitioned": ("CaseTransitioned", {**case, "event_id": "EV-SAMPLE-0002", "seq": 3, "action": "accept",
     "actor": {"user_id": "u2", "name": "窗口", "role": "window"}, "from_state": "accept", "to_state": "handle", "opinion": "材料齐全，予以受理"}),
 "case_decided": ("CaseTransitioned", {**case, "event_id": "EV-SAMPLE-0004", "seq": 4, "action": "approve",
     "actor": {"user_id": "u4", "name": "领导", "role": "leader"}, "from_state": "approve", "to_state": "complete", "opinion": "同意"}),
 "case_completed": ("CaseTransitioned", {**case, "event_id": "EV-SAMPLE-0005", "seq": 5, "action": "complete",
     "actor": {"user_id": "u2", "name": "窗口", "role": "window"}, "from_state": "complete", "to_state": "completed", "occurred_at": "2026-12-15T06:00:00Z"}),
 "warning_issued": ("WarningIssued", {"event_id": "EV-SAMPLE-0006", "department_id": "echeng-market", "warning_id": "W-SAMPLE-1",
     "case_id": "SL20261207ABC123", "level": "yellow", "issued_at": "2026-12-10T01:00:00Z", "item_code": "420704-XK-0301"}),
 "order_issued": ("SupervisionOrderIssued", {"event_id": "EV-SAMPLE-0007", "department_id": "echeng-market", "order_id": "DB20261210A1B2C3",
     "source_kind": "warning", "source_id": "W-SAMPLE-1", "issued_at": "2026-12-10T02:00:00Z", "due_at": "2026-12-17T10:00:00Z"}),
 "order_answered": ("SupervisionOrderAnswered", {"event_id": "EV-SAMPLE-0008", "department_id": "echeng-market", "order_id": "DB20261210A1B2C3",
     "issued_at": "2026-12-10T02:00:00Z", "due_at": "2026-12-17T10:00:00Z", "answered_at": "2026-12-14T03:00:00Z",
     "working_days_to_answer": 2, "on_time": True, "upstream_order_id": "HB-DB-2026-0042",
     "answer": "已责令承办人限期办结并通报批评。"}),
 "order_concluded": ("SupervisionOrderConcluded", {"event_id": "EV-SAMPLE-0009", "department_id": "echeng-market", "order_id": "DB20261210A1B2C3",
     "conclusion": "corrected", "issued_at": "2026-12-10T02:00:00Z", "concluded_at": "2026-12-15T03:00:00Z"}),
 "complaint_concluded": ("ComplaintConcluded", {"event_id": "EV-SAMPLE-0010", "department_id": "echeng-market", "complaint_id": "TS20261208X1",
     "case_id": "SL20261207ABC123", "founded": False, "filed_at": "2026-12-08T01:00:00Z", "concluded_at": "2026-12-12T01:00:00Z"}),
 "evaluation_snapshot": ("EvaluationSnapshotTaken", {"event_id": "EV-SAMPLE-0011", "period": "2026-11", "closed_at": "2026-11-30T16:30:00Z",
     "scores": [{"department_id": "echeng-market", "score": 96.5, "rank": 1}, {"department_id": "huarong-market", "score": 91.0, "rank": 2}]}),
 "log_head": ("InspectorLogAnchored", {"event_id": "EV-SAMPLE-0012", "head_sequence": 1284, "head_hash": "9f" * 32,
     "anchored_at": "2026-12-07T16:00:00Z", "anchor_key": "anchors/2026/12/07/000001284.json"}),
}
