"""The local higher-level platform's counts (GET /stats): what a benchmark polls while it waits for
thousands of messages, without the whole list of what was received."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import requests

from infra.local.upper_platform import MESSAGES_PATH, start_upper_platform
from sunlight.rules.exchange_signing import signed_headers

KEY = b"stats-key"
SAMPLE = Path(__file__).resolve().parents[2] / "events" / "exchange" / "samples" / "case_received.json"


@pytest.fixture
def platform():
    server, thread = start_upper_platform({"k1": KEY})
    yield server
    server.shutdown()
    server.server_close()
    thread.join()


def _post(platform, body: bytes, message_id: str, key: bytes = KEY) -> int:
    headers = signed_headers(message_id, "k1", key, int(time.time()), body)
    return requests.post(platform.url + MESSAGES_PATH, data=body, headers=headers, timeout=10).status_code


def test_stats_count_messages_deliveries_duplicates_and_rejections(platform):
    message = json.loads(SAMPLE.read_text(encoding="utf-8"))
    body = json.dumps(message, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    assert requests.get(platform.url + "/stats", timeout=10).json() == {"received": 0, "deliveries": 0, "duplicates": 0, "rejected": 0}

    assert _post(platform, body, message["message_id"]) == 200
    assert _post(platform, body, message["message_id"]) == 200  # the same message again: a duplicate
    assert _post(platform, body, message["message_id"], key=b"another key") == 401

    assert requests.get(platform.url + "/stats", timeout=10).json() == {"received": 1, "deliveries": 2, "duplicates": 1, "rejected": 1}
