"""Read events of Messenger and Instagram: how far a youth has read, as (user id, seconds).

Messenger sends `read.watermark` (every message sent before it was read); Instagram's
`messaging_seen` field sends `read.mid` (the last message read) with the event's `timestamp`,
so there the watermark is the moment of reading (some payloads carry `messaging_seen.watermark`
instead). All come under `entry[].messaging[]`.
"""

from __future__ import annotations

from typing import Any

MAX_READS = 1000  # per POST, as Meta batches them at most


def reads_of(entries: Any) -> list[tuple[str, float]]:
    """Each read event of a webhook POST, latest per youth, in epoch seconds."""
    latest: dict[str, float] = {}
    for entry in entries if isinstance(entries, list) else ():
        items = entry.get("messaging") if isinstance(entry, dict) else None
        for item in items if isinstance(items, list) else ():
            found = _read(item)
            if found is not None and len(latest) < MAX_READS:
                user, at = found
                latest[user] = max(at, latest.get(user, at))
    return list(latest.items())


def _read(item: Any) -> tuple[str, float] | None:
    read = item.get("read", item.get("messaging_seen")) if isinstance(item, dict) else None
    if not isinstance(read, dict):
        return None
    sender = item.get("sender")
    user = sender.get("id") if isinstance(sender, dict) else None
    mark = read.get("watermark", item.get("timestamp"))
    if (
        not isinstance(user, str | int)
        or isinstance(mark, bool)
        or not isinstance(mark, int | float)
    ):
        return None
    if not 0 < mark < 10**14:  # milliseconds since 1970, before the year 5138
        return None
    return str(user)[:64], mark / 1000
