"""Canonical JSON and the SHA-256 chain of the run log (RUNLOG_FORMAT.md, "Records").

The canonical form of a record is its JSON with the keys sorted, no spaces, UTF-8
(not ASCII-escaped), no NaN or infinity. A record's ``hash`` is the SHA-256 (hex) of the
canonical JSON of the record without ``hash``; each line of the file *is* the canonical
JSON of the full record, so that any change of a byte either breaks the JSON, changes a
value (and so a hash) or makes the line non-canonical.
"""

from __future__ import annotations

import enum
import hashlib
import json
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

__all__ = ["canonical_bytes", "jsonable", "record_hash"]


def canonical_bytes(value: Any) -> bytes:
    """The canonical JSON of ``value`` (JSON types only), as UTF-8 bytes.

    Raises ValueError for NaN/infinity and for text that is not valid Unicode (a lone
    surrogate), TypeError for a value that is not JSON.
    """
    text = json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"not valid Unicode text: {exc.reason}") from None


def record_hash(record: Mapping[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of ``record`` without its ``hash`` field."""
    body = {key: value for key, value in record.items() if key != "hash"}
    return hashlib.sha256(canonical_bytes(body)).hexdigest()


def jsonable(value: Any) -> Any:
    """``value`` with pydantic models, decimals, dates, durations, enums and tuples turned
    into JSON types (decimals as strings, so that amounts keep their cents exactly)."""
    if isinstance(value, BaseModel):
        return jsonable(value.model_dump(mode="json", by_alias=True))
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return jsonable(value.value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
        return int(seconds) if seconds.is_integer() else seconds
    if isinstance(value, Mapping):
        return {str(key): jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [jsonable(item) for item in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    raise TypeError(f"not a JSON value: {type(value).__name__}")
