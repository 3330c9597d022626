"""Write the JSON Schema of each outbound exchange message from its pydantic models
(sunlight/models/exchange.py) into events/exchange/schemas/v1/<type>.schema.json:

    python -m infra.tools.exchange_schemas          # `make schemas`; then commit the written files
    python -m infra.tools.exchange_schemas --check  # fails when a committed schema is stale

Each schema is the envelope (ExchangeMessage) with `message_type` fixed to the type and `body`
replaced by that type's body model. The receiver validates deliveries against these files (the local
higher-level platform does: infra/local/upper_platform.py).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from sunlight.models.exchange import BODY_MODELS, ExchangeMessage, MessageType

ROOT = Path(__file__).resolve().parents[2]
EXCHANGE_DIR = ROOT / "events" / "exchange"
SCHEMAS_DIR = EXCHANGE_DIR / "schemas" / "v1"
SAMPLES_DIR = EXCHANGE_DIR / "samples"
SCHEMA_ID_BASE = "https://sunlight.example/exchange/schemas/v1/"


def schema_of(message_type: MessageType) -> dict[str, Any]:
    envelope = ExchangeMessage.model_json_schema()
    body = BODY_MODELS[message_type].model_json_schema(ref_template="#/$defs/{model}")
    definitions = {**envelope.pop("$defs", {}), **body.pop("$defs", {})}
    definitions.pop("MessageType", None)
    properties = envelope["properties"]
    properties["message_type"] = {"const": message_type.value, "title": "Message Type", "type": "string"}
    properties["body"] = {"$ref": f"#/$defs/{body['title']}"}
    definitions[body["title"]] = body
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{SCHEMA_ID_BASE}{message_type.value}.schema.json",
        "title": f"{message_type.value} ({message_type.label})",
        "description": (envelope.get("description") or "").strip(),
        **{k: v for k, v in envelope.items() if k not in ("title", "description")},
        "additionalProperties": False,
        "$defs": dict(sorted(definitions.items())),
    }


def rendered(message_type: MessageType) -> str:
    return json.dumps(schema_of(message_type), ensure_ascii=False, indent=2) + "\n"


def schema_path(message_type: MessageType) -> Path:
    return SCHEMAS_DIR / f"{message_type.value}.schema.json"


def stale() -> list[Path]:
    expected = {schema_path(t): rendered(t) for t in MessageType}
    extra = [p for p in SCHEMAS_DIR.glob("*.schema.json") if p not in expected]
    return [p for p, text in expected.items() if not p.is_file() or p.read_text(encoding="utf-8") != text] + extra


def write() -> None:
    SCHEMAS_DIR.mkdir(parents=True, exist_ok=True)
    for message_type in MessageType:
        schema_path(message_type).write_text(rendered(message_type), encoding="utf-8")


def main(argv: list[str]) -> int:
    if "--check" in argv:
        paths = stale()
        for path in paths:
            print(f"stale: {path.relative_to(ROOT)} (run `make schemas` and commit)", file=sys.stderr)
        return 1 if paths else 0
    write()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
