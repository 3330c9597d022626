"""Small corrections to moto where it differs from AWS in ways our code depends on.

- Cognito: an app client without ReadAttributes can read every attribute, so real ID tokens
  carry the user's standard attributes (name, email, phone_number...). moto only copies
  attributes listed in ReadAttributes; here a client without the list reads them all.
- S3 presigned POST: S3 checks the upload against the signed policy (expiration,
  content-length-range, exact and starts-with conditions); moto stores any upload. Here the
  policy is enforced with S3's error codes, so attachment limits behave as deployed. And moto
  sends the upload's ObjectCreated notification before it sets the object's Content-Type: here
  the notification waits until the object is stored with its metadata, as in S3.
- DynamoDB: moto runs a transaction by deep-copying its tables first and, when any condition
  fails, putting the copies back, so every write other threads made in between is lost (and the
  copy itself can fail while another thread writes). Each DynamoDB call here holds one lock, so a
  transaction is isolated from the calls around it, as DynamoDB's are.
- SQS (speed, not behaviour): moto checks each message's visibility with two datetime computations
  and counts a queue's messages (ApproximateNumberOf…) on every SendMessage, several times over, to
  read one flag: with thousands of messages queued (a burst to the exchange) each send cost tens of
  milliseconds of the runner's one interpreter. Here a message's visibility is read off the clock
  directly, and the three counts are made in one pass, reused for up to COUNTS_REUSE_SECONDS while the
  queue's messages are the same (they are approximate in SQS too).
- DynamoDB (speed, not behaviour): moto answers a query on a secondary index by sorting every item
  of the table (comparing typed keys) before it filters them by the index's key, and sorts the few
  matches again: ~0.3 s a query at 10,000 items, under the lock above. Here an index query is handed
  the items unsorted and already narrowed to its partition key's value (a plain comparison, which
  moto then repeats); the matches are sorted by the index as before (the order and paging of the
  answer do not change; a scan still sees the items sorted).
"""

from __future__ import annotations

import base64
import json
import threading
import time
from datetime import datetime
from typing import Any

from infra.local.engine.s3_notifications import held_until_stored

# Standard attributes of a user pool (OIDC claims) that Cognito puts into ID tokens.
STANDARD_ATTRIBUTES = (
    "address", "birthdate", "email", "email_verified", "family_name", "gender", "given_name", "locale",
    "middle_name", "name", "nickname", "phone_number", "phone_number_verified", "picture",
    "preferred_username", "profile", "updated_at", "website", "zoneinfo",
)

_originals: dict[str, Any] = {}
_dynamodb_calls = threading.RLock()
COUNTS_REUSE_SECONDS = 0.05
_index_query = threading.local()  # set while this thread runs a query on a secondary index


def _visible(message: Any) -> bool:
    return time.time() * 1000 > message.visible_at


def _delayed(message: Any) -> bool:
    return time.time() * 1000 < message.delayed_until


def _counts(queue: Any) -> tuple[int, int, int]:
    """(visible and not delayed, not visible, delayed): moto's three counts in one pass."""
    messages = queue._messages
    key = (id(messages), len(messages), len(queue._pending_messages))
    cached = getattr(queue, "_sunlight_counts", None)
    if cached is not None and cached[0] == key and time.monotonic() < cached[1]:
        return cached[2]
    now = time.time() * 1000
    available = not_visible = delayed = 0
    for message in list(messages):
        is_delayed = now < message.delayed_until
        is_visible = now > message.visible_at
        available += is_visible and not is_delayed
        not_visible += not is_visible
        delayed += is_delayed
    counts = (available, not_visible, delayed)
    queue._sunlight_counts = (key, time.monotonic() + COUNTS_REUSE_SECONDS, counts)
    return counts


def install_moto_fixes() -> None:
    from moto.cognitoidp.models import CognitoIdpUserPoolClient
    from moto.dynamodb.models.table import Table
    from moto.dynamodb.responses import DynamoHandler
    from moto.s3.responses import S3Response
    from moto.sqs.models import Message, Queue

    if _originals:
        return
    _originals.update(readable=CognitoIdpUserPoolClient.get_readable_fields,
                      post=S3Response._bucket_response_post,
                      dynamodb=DynamoHandler.call_action, table_query=Table.query, all_items=Table.all_items,
                      sqs={name: getattr(Queue if name.startswith("approximate") else Message, name) for name in _SQS_PROPERTIES})

    def dynamodb_call(handler: Any) -> Any:
        with _dynamodb_calls:
            return _originals["dynamodb"](handler)

    def table_query(table: Any, *args: Any, **kwargs: Any) -> Any:
        index_name = kwargs.get("index_name", args[7] if len(args) > 7 else None)
        _index_query.conditions = list(kwargs.get("hash_key_conditions") or []) if index_name else None
        try:
            return _originals["table_query"](table, *args, **kwargs)
        finally:
            _index_query.conditions = None

    def all_items(table: Any) -> Any:
        conditions = getattr(_index_query, "conditions", None)
        if conditions is None:
            return _originals["all_items"](table)
        # The index query checks these again and sorts the matches by the index's keys itself.
        items = [item for hash_set in table.items.values() for item in hash_set.values()] if table.range_key_attr \
            else list(table.items.values())
        for name, expected in conditions:
            items = [item for item in items if (value := item.attrs.get(name)) is not None
                     and value.type == expected.type and value.value == expected.value]
        return items

    def get_readable_fields(client: Any) -> list[str]:
        return client.extended_config.get("ReadAttributes") or list(STANDARD_ATTRIBUTES)

    def bucket_response_post(response: Any, request: Any, bucket_name: str) -> Any:
        fields = {k: v[0] for k, v in response.querystring.items() if v}
        if "policy" in fields and not response.is_delete_keys():
            violation = post_policy_violation(fields, len(response.body or b""))
            if violation:
                code, message = violation
                status = 403 if code == "AccessDenied" else 400
                body = f"<Error><Code>{code}</Code><Message>{message}</Message></Error>"
                return status, {"Content-Type": "application/xml"}, body
        with held_until_stored():
            return _originals["post"](response, request, bucket_name)

    CognitoIdpUserPoolClient.get_readable_fields = get_readable_fields  # type: ignore[assignment]  # same call, looser types
    S3Response._bucket_response_post = bucket_response_post  # type: ignore[assignment]  # same call, looser types
    DynamoHandler.call_action = dynamodb_call  # the same call, under the lock
    Table.query = table_query  # type: ignore[assignment]  # the same call
    Table.all_items = all_items  # type: ignore[assignment]  # the same items, unsorted for an index query
    Message.visible = property(_visible)  # type: ignore[assignment]  # a property for a property
    Message.delayed = property(_delayed)  # type: ignore[assignment]  # a property for a property
    Queue.approximate_number_of_messages = property(lambda queue: _counts(queue)[0])  # type: ignore[assignment]  # a property for a property
    Queue.approximate_number_of_messages_not_visible = property(lambda queue: _counts(queue)[1])  # type: ignore[assignment]  # a property for a property
    Queue.approximate_number_of_messages_delayed = property(lambda queue: _counts(queue)[2])  # type: ignore[assignment]  # a property for a property


_SQS_PROPERTIES = ("visible", "delayed", "approximate_number_of_messages", "approximate_number_of_messages_not_visible",
                   "approximate_number_of_messages_delayed")


def uninstall_moto_fixes() -> None:
    from moto.cognitoidp.models import CognitoIdpUserPoolClient
    from moto.dynamodb.models.table import Table
    from moto.dynamodb.responses import DynamoHandler
    from moto.s3.responses import S3Response
    from moto.sqs.models import Message, Queue

    if _originals:
        CognitoIdpUserPoolClient.get_readable_fields = _originals.pop("readable")
        S3Response._bucket_response_post = _originals.pop("post")
        DynamoHandler.call_action = _originals.pop("dynamodb")
        Table.query = _originals.pop("table_query")
        Table.all_items = _originals.pop("all_items")
        for name, original in _originals.pop("sqs").items():
            setattr(Queue if name.startswith("approximate") else Message, name, original)


def post_policy_violation(fields: dict[str, str], size: int) -> tuple[str, str] | None:
    """(S3 error code, message) when a POST upload breaks its policy, else None."""
    try:
        policy = json.loads(base64.b64decode(fields["policy"]))
    except ValueError:
        return "InvalidPolicyDocument", "Invalid Policy: Invalid JSON."
    expiration = policy.get("expiration")
    if expiration and datetime.fromisoformat(expiration.replace("Z", "+00:00")).timestamp() < time.time():
        return "AccessDenied", "Invalid according to Policy: Policy expired."
    lowered = {k.lower(): v for k, v in fields.items()}
    for condition in policy.get("conditions", []):
        if isinstance(condition, dict):
            condition = ["eq", *next(iter(condition.items()))]
            condition[1] = "$" + condition[1]
        operator = str(condition[0]).lower()
        if operator == "content-length-range":
            low, high = int(condition[1]), int(condition[2])
            if size > high:
                return "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size"
            if size < low:
                return "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed size"
            continue
        name = str(condition[1]).lstrip("$").lower()
        if name == "bucket":  # the bucket comes from the URL, not from a form field
            continue
        value = lowered.get(name, "")
        if (operator == "eq" and value != condition[2]) or (
                operator == "starts-with" and not value.startswith(condition[2])):
            return "AccessDenied", f'Invalid according to Policy: Policy Condition failed: {json.dumps(condition)}'
    return None
