"""The outbound exchange's other side: the FIFO queue (SQS), the HTTP POST and the signing key."""

from __future__ import annotations

import http.client
import json
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from typing import Any

from ..models.exchange import ExchangeMessage
from ..services.ports.exchange import DeliveryFailed


class SqsExchangeQueue:
    def __init__(self, client: Any, queue_url: str) -> None:
        self.client = client
        self.queue_url = queue_url

    def enqueue(self, message: ExchangeMessage, body: str) -> None:
        self.client.send_message(QueueUrl=self.queue_url, MessageBody=body, MessageGroupId=message.entity_id,
                                 MessageDeduplicationId=message.message_id)

    def retry_later(self, receipt_handle: str, delay_seconds: int) -> None:
        self.client.change_message_visibility(QueueUrl=self.queue_url, ReceiptHandle=receipt_handle,
                                              VisibilityTimeout=max(0, min(delay_seconds, 43_200)))


class HttpTransport:
    """POST with a timeout (urllib: no extra package in the layer)."""

    def post(self, url: str, body: bytes, headers: Mapping[str, str], timeout_seconds: float) -> tuple[int, bytes]:
        request = urllib.request.Request(url, data=body, headers=dict(headers), method="POST")
        try:
            with urllib.request.urlopen(request, timeout=timeout_seconds) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()
        except (urllib.error.URLError, http.client.HTTPException, OSError) as error:  # refused, reset, timed out
            raise DeliveryFailed(f"no answer: {error}") from None


class SecretsSigningKey:
    """The shared HMAC key from Secrets Manager: {"key_id": "...", "key": "..."} (or a bare string,
    key id "default"), read on first use and again after `refresh_seconds` (a rotated key is picked
    up without a redeploy)."""

    def __init__(self, client: Any, secret_id: str, refresh_seconds: float = 300.0) -> None:
        self.client = client
        self.secret_id = secret_id
        self.refresh_seconds = refresh_seconds
        self._cached: tuple[float, tuple[str, bytes]] | None = None
        self._lock = threading.Lock()

    def current(self) -> tuple[str, bytes]:
        with self._lock:
            if self._cached is None or time.monotonic() - self._cached[0] > self.refresh_seconds:
                from .secrets import read_secret_string

                self._cached = (time.monotonic(), parse_signing_secret(read_secret_string(self.client, self.secret_id)))
            return self._cached[1]


def parse_signing_secret(text: str) -> tuple[str, bytes]:
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if isinstance(value, dict) and value.get("key"):
        return str(value.get("key_id") or "default"), str(value["key"]).encode("utf-8")
    return "default", text.encode("utf-8")
