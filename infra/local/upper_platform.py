"""A local higher-level platform (上级电子监察平台): the receiver of the outbound exchange, started by
the local runner (its URL is in the state file as `upper_platform_url`; the sender's endpoint is its
/exchange/v1/messages).

It does what the province's receiver does: checks the HMAC signature (X-Sunlight-* headers, the
shared key) and the message against its JSON Schema (events/exchange/schemas/v1/), records each
message once and acknowledges it: 200 {"message_id", "status": "accepted"}, or "duplicate" when the
id was received before (nothing is recorded twice).

    GET  /                 what it received, as a page (Chinese)
    GET  /messages         the same as JSON: {"messages": [...], "deliveries": n, "duplicates": n, "rejected": [...]}
    GET  /stats            only the counts: {"received": n, "deliveries": n, "duplicates": n, "rejected": n}
    POST /_faults          {"mode": "refuse"|"error"|"timeout"|"double_ack"|"down", "count": n} or {..., "seconds": s}
                           {"mode": "none"} clears; the fault applies to the next n deliveries or for s seconds
    POST /_reset           forgets everything received (tests)

Faults: refuse = 403 without recording; error = 500 without recording; timeout = records, then
answers only after the sender's timeout (the acknowledgement is lost, the retry is a duplicate);
double_ack = records, then acknowledges the previous message again instead of this one (an ack that
does not match); down = closes the connection without an answer.
"""

from __future__ import annotations

import html
import json
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import jsonschema

from sunlight.models.exchange import HEADER_KEY_ID, HEADER_SIGNATURE, HEADER_TIMESTAMP, MESSAGE_TYPE_LABELS, MessageType
from sunlight.rules.exchange_signing import signature_is_valid

log = logging.getLogger(__name__)

SCHEMAS_DIR = Path(__file__).resolve().parents[2] / "events" / "exchange" / "schemas" / "v1"
MESSAGES_PATH = "/exchange/v1/messages"
FAULT_MODES = ("refuse", "error", "timeout", "double_ack", "down")


@dataclass
class Fault:
    mode: str = "none"
    remaining: int | None = None  # deliveries left, or None
    until: float | None = None  # monotonic deadline, or None

    def active(self) -> bool:
        if self.mode == "none":
            return False
        if self.until is not None:
            return time.monotonic() < self.until
        return self.remaining is None or self.remaining > 0


@dataclass
class Received:
    message: dict[str, Any]
    received_at: str
    deliveries: int = 1


@dataclass
class UpperPlatform:
    keys: dict[str, bytes]
    timeout_sleep_seconds: float = 3.0
    messages: dict[str, Received] = field(default_factory=dict)  # insertion order = arrival order
    rejected: list[dict[str, Any]] = field(default_factory=list)
    deliveries: int = 0
    duplicates: int = 0
    faults_applied: dict[str, int] = field(default_factory=dict)
    fault: Fault = field(default_factory=Fault)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _validators: dict[str, jsonschema.Draft202012Validator] = field(default_factory=dict)
    _last_id: str | None = None

    def validator(self, message_type: str) -> jsonschema.Draft202012Validator | None:
        if message_type not in self._validators:
            path = SCHEMAS_DIR / f"{message_type}.schema.json"
            if not path.is_file():
                return None
            schema = json.loads(path.read_text(encoding="utf-8"))
            self._validators[message_type] = jsonschema.Draft202012Validator(
                schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)
        return self._validators[message_type]

    def set_fault(self, spec: dict[str, Any]) -> dict[str, Any]:
        mode = str(spec.get("mode", "none"))
        if mode not in (*FAULT_MODES, "none"):
            raise ValueError(f"unknown fault mode {mode!r}")
        with self.lock:
            seconds = spec.get("seconds")
            count = spec.get("count")
            self.fault = Fault(mode, remaining=int(count) if count is not None else None,
                               until=time.monotonic() + float(seconds) if seconds is not None else None)
        return self.describe_fault()

    def describe_fault(self) -> dict[str, Any]:
        fault = self.fault
        return {"mode": fault.mode if fault.active() else "none", "remaining": fault.remaining,
                "seconds_left": max(0.0, fault.until - time.monotonic()) if fault.until else None}

    def take_fault(self) -> str:
        with self.lock:
            if not self.fault.active():
                return "none"
            if self.fault.remaining is not None:
                self.fault.remaining -= 1
            self.faults_applied[self.fault.mode] = self.faults_applied.get(self.fault.mode, 0) + 1
            return self.fault.mode

    def reset(self) -> None:
        with self.lock:
            self.messages.clear()
            self.rejected.clear()
            self.deliveries = self.duplicates = 0
            self.faults_applied.clear()
            self.fault = Fault()
            self._last_id = None

    def check(self, headers: Any, body: bytes) -> tuple[int, str, dict[str, Any] | None]:
        """(status, reason, message): 401 for a bad signature, 400/422 for a bad message."""
        key = self.keys.get(headers.get(HEADER_KEY_ID, ""))
        if key is None or not signature_is_valid(key, headers.get(HEADER_TIMESTAMP, ""), body,
                                                 headers.get(HEADER_SIGNATURE, ""), now=int(time.time())):
            return 401, "签名无效", None
        try:
            message = json.loads(body)
        except ValueError:
            return 400, "不是 JSON", None
        validator = self.validator(str(message.get("message_type"))) if isinstance(message, dict) else None
        if validator is None:
            return 422, "未知的消息类型", None
        errors = sorted(validator.iter_errors(message), key=lambda e: list(e.path))
        if errors:
            return 422, "; ".join(f"{'/'.join(map(str, e.path)) or '(root)'}: {e.message}" for e in errors[:5]), None
        return 200, "", message

    def record(self, message: dict[str, Any]) -> tuple[str, str | None]:
        """('accepted' | 'duplicate', the previously recorded message id)."""
        with self.lock:
            self.deliveries += 1
            previous = self._last_id
            existing = self.messages.get(message["message_id"])
            if existing is not None:
                existing.deliveries += 1
                self.duplicates += 1
                if existing.message != message:  # never expected: one id, one body
                    self.rejected.append({"message_id": message["message_id"], "reason": "同一编号的内容不同"})
                return "duplicate", previous
            self.messages[message["message_id"]] = Received(message, datetime.now(UTC).isoformat())
            self._last_id = message["message_id"]
            return "accepted", previous

    def stats(self) -> dict[str, int]:
        """The counts alone: cheap to ask for often (a benchmark waiting for thousands of messages)."""
        with self.lock:
            return {"received": len(self.messages), "deliveries": self.deliveries, "duplicates": self.duplicates,
                    "rejected": len(self.rejected)}

    def snapshot(self) -> dict[str, Any]:
        with self.lock:
            return {
                "messages": [{**r.message, "received_at": r.received_at, "deliveries": r.deliveries} for r in self.messages.values()],
                "deliveries": self.deliveries, "duplicates": self.duplicates, "rejected": list(self.rejected),
                "faults_applied": dict(self.faults_applied), "fault": self.describe_fault(),
            }


class UpperPlatformHandler(BaseHTTPRequestHandler):
    server: UpperPlatformServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("upper platform: " + format, *args)

    def _send(self, status: int, body: bytes, content_type: str = "application/json; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, value: Any) -> None:
        self._send(status, json.dumps(value, ensure_ascii=False).encode("utf-8"))

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def do_GET(self) -> None:
        platform = self.server.platform
        if self.path.split("?")[0] == "/messages":
            self._json(200, platform.snapshot())
        elif self.path.split("?")[0] == "/stats":
            self._json(200, platform.stats())
        elif self.path.split("?")[0] == "/":
            self._send(200, render_page(platform.snapshot()).encode("utf-8"), "text/html; charset=utf-8")
        else:
            self._json(404, {"error": "not found"})

    def do_POST(self) -> None:
        platform = self.server.platform
        path = self.path.split("?")[0]
        body = self._body()
        if path == "/_faults":
            try:
                self._json(200, platform.set_fault(json.loads(body or b"{}")))
            except (ValueError, TypeError) as error:
                self._json(400, {"error": str(error)})
            return
        if path == "/_reset":
            platform.reset()
            self._json(200, {"reset": True})
            return
        if path != MESSAGES_PATH:
            self._json(404, {"error": "not found"})
            return
        fault = platform.take_fault()
        if fault == "down":
            self.close_connection = True
            self.connection.shutdown(2)  # no answer at all: the sender sees the connection drop
            return
        if fault == "refuse":
            self._json(403, {"error": "refused"})
            return
        if fault == "error":
            self._json(500, {"error": "internal error"})
            return
        status, reason, message = platform.check(self.headers, body)
        if message is None:
            with platform.lock:
                platform.rejected.append({"message_id": self.headers.get("X-Sunlight-Message-Id"), "status": status, "reason": reason})
            self._json(status, {"error": reason})
            return
        outcome, previous = platform.record(message)
        if fault == "timeout":
            time.sleep(platform.timeout_sleep_seconds)  # recorded, but the answer comes too late
        if fault == "double_ack" and previous is not None:
            self._json(200, {"message_id": previous, "status": "duplicate"})
            return
        self._json(200, {"message_id": message["message_id"], "status": outcome})


class UpperPlatformServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], platform: UpperPlatform) -> None:
        super().__init__(address, UpperPlatformHandler)
        self.platform = platform

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def endpoint(self) -> str:
        return self.url + MESSAGES_PATH


def render_page(snapshot: dict[str, Any]) -> str:
    labels = {t.value: MESSAGE_TYPE_LABELS[t] for t in MessageType}
    rows = "\n".join(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>".format(
            html.escape(m["received_at"][:19].replace("T", " ")), html.escape(labels.get(m["message_type"], m["message_type"])),
            html.escape(m["entity_id"]), m["sequence"], html.escape(m["government_id"]), m["deliveries"])
        for m in reversed(snapshot["messages"][-500:]))
    rejected = "".join(f"<li>{html.escape(str(r.get('reason')))}</li>" for r in snapshot["rejected"][-50:])
    return f"""<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>上级电子监察平台（本地模拟）</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:4px 8px}}</style>
</head><body><h1>上级电子监察平台（本地模拟）</h1>
<p>已接收消息 {len(snapshot["messages"])} 条；投递 {snapshot["deliveries"]} 次，其中重复投递 {snapshot["duplicates"]} 次；
拒收 {len(snapshot["rejected"])} 次。当前故障模拟：{html.escape(snapshot["fault"]["mode"])}。</p>
<table><thead><tr><th>接收时间（UTC）</th><th>消息类型</th><th>对象编号</th><th>序号</th><th>行政区划</th><th>投递次数</th></tr></thead>
<tbody>{rows}</tbody></table>
<h2>拒收记录</h2><ul>{rejected}</ul></body></html>"""


def start_upper_platform(keys: dict[str, bytes], host: str = "127.0.0.1", port: int = 0,
                         timeout_sleep_seconds: float = 3.0) -> tuple[UpperPlatformServer, threading.Thread]:
    server = UpperPlatformServer((host, port), UpperPlatform(keys, timeout_sleep_seconds=timeout_sleep_seconds))
    thread = threading.Thread(target=server.serve_forever, name="upper-platform", daemon=True)
    thread.start()
    return server, thread
