"""JSON from strangers: nesting and size bounded, a clear None instead of an exception."""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 32  # no webhook, API body or chat frame nests anywhere near this


def depth_ok(value: Any, limit: int = MAX_DEPTH) -> bool:
    """True when no container nests deeper than `limit` (walked without recursion)."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return False
        stack.extend((child, depth + 1) for child in children)
    return True


def loads_limited(raw: str | bytes, limit: int = MAX_DEPTH) -> Any | None:
    """The parsed document, or None for invalid, too deep or undecodable input."""
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError, UnicodeDecodeError):
        return None
    return data if depth_ok(data, limit) else None
