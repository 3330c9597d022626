"""The inspector log's external anchors in the anchors bucket (S3 Object Lock, compliance mode,
default retention: infra/constructs/data.py), one JSON object per anchor under
`anchors/{YYYY}/{MM}/{DD}/{YYYYMMDDTHHMMSSZ}-{seq}.json` (rules/log_anchors.py).

A write is conditional (`If-None-Match: *`), so an anchor is never replaced by a new version
under its key; the bucket's default retention locks every version written, so none can be
deleted either, not even by the account's administrators, until the retention period ends.

Reads go by versions, not by the current objects: Object Lock does not stop a plain DELETE from
adding a delete marker (hiding the object from a listing) nor an unconditional PUT from adding a
newer version, so each anchor is the first version written under its key, delete markers or not.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

from botocore.exceptions import ClientError
from pydantic import ValidationError

from ..models.inspector_log import InspectorLogAnchoredV1
from ..rules.log_anchors import KEY_PREFIX, seq_of_key

READERS = 8  # anchors are small: read several at once
LIST_PAGE = 1000  # S3's most per listing
ALREADY_THERE = ("PreconditionFailed", "ConditionalRequestConflict")


class S3LogAnchors:
    def __init__(self, client: Any, bucket: str) -> None:
        self._client = client
        self._bucket = bucket

    def write(self, anchor: InspectorLogAnchoredV1) -> bool:
        try:
            # Object Lock needs a checksum on every write; If-None-Match makes the write a create.
            self._client.put_object(Bucket=self._bucket, Key=anchor.anchor_key, Body=anchor.model_dump_json().encode("utf-8"),
                                    ContentType="application/json", ChecksumAlgorithm="SHA256", IfNoneMatch="*")
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ALREADY_THERE:
                return False
            raise
        return True

    def page(self, after: str | None, limit: int) -> tuple[list[InspectorLogAnchoredV1], str | None]:
        first_versions = self._first_versions(after, limit)
        keys = sorted(first_versions)
        more = len(keys) > limit
        keys = keys[:limit]
        with ThreadPoolExecutor(max_workers=READERS) as pool:
            read = list(pool.map(self._read, [(key, first_versions[key]) for key in keys]))
        return [anchor for anchor in read if anchor is not None], (keys[-1] if more else None)

    def all(self) -> list[InspectorLogAnchoredV1]:
        anchors: list[InspectorLogAnchoredV1] = []
        after: str | None = None
        while True:
            page, after = self.page(after, LIST_PAGE)
            anchors += page
            if after is None:
                return anchors

    def _first_versions(self, after: str | None, limit: int) -> dict[str, str]:
        """Key → its oldest version, for the anchor keys after `after`: `limit` of them complete,
        and one more if there is one (S3 lists a key's versions newest first, so a key is complete
        once the listing has moved past it)."""
        found: dict[str, str] = {}
        markers = {"KeyMarker": after} if after else {}
        while True:
            listing = self._client.list_object_versions(Bucket=self._bucket, Prefix=KEY_PREFIX, MaxKeys=LIST_PAGE, **markers)
            for version in listing.get("Versions", []):
                if seq_of_key(version["Key"]) is None or (after is not None and version["Key"] <= after):
                    continue  # not an anchor; or the marker's own key, which moto lists again (S3 does not)
                if version["Key"] not in found and len(found) > limit:
                    return found
                found[version["Key"]] = version["VersionId"]
            if not listing.get("IsTruncated"):
                return found
            markers = {"KeyMarker": listing["NextKeyMarker"], "VersionIdMarker": listing["NextVersionIdMarker"]}

    def _read(self, key_version: tuple[str, str]) -> InspectorLogAnchoredV1 | None:
        key, version_id = key_version
        body = self._client.get_object(Bucket=self._bucket, Key=key, VersionId=version_id)["Body"].read()
        try:
            anchor = InspectorLogAnchoredV1.model_validate_json(body)
        except ValidationError:
            return None
        # The key is part of what was anchored: a body naming another key or sequence is not an anchor.
        return anchor if anchor.anchor_key == key and seq_of_key(key) == anchor.head_sequence else None
