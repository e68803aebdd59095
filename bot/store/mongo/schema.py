"""The MongoDB schema: collections and their indexes, created explicitly at start.

Documents use plain numbers for instants (epoch seconds, as the records do); the few
collections with a TTL index also carry a BSON date, since TTL only reads dates.
"""

from __future__ import annotations

from typing import Any

from pymongo import ASCENDING, DESCENDING, TEXT, IndexModel
from pymongo.asynchronous.database import AsyncDatabase

CONVERSATIONS = "conversations"
INBOX = "inbox"
THREAD = "thread"
OUTBOX = "outbox"
TICKETS = "tickets"
AUDIT = "audit"
STAFF = "staff"
SESSIONS = "staff_sessions"
LOGIN_FAILURES = "login_failures"
SETUP_TOKENS = "setup_tokens"
NOTES = "ticket_notes"
MEETINGS = "meetings"
SETTINGS = "settings"  # small singleton documents: canned replies
LEASES = "leases"
COUNTERS = "counters"  # integer id sequences, one document per collection
EVENTS = "live_events"  # live dashboard events relayed between instances
SOURCES = "sources"  # partners and places handing out link codes
PRESENCE_SEEN = "presence_seen"  # read watermarks, keyed by conversation id
RESET_TOKENS = "staff_reset_tokens"  # one-time password-reset links, hashed
STRUCTURES = "structures"  # the network's structures (territories)
STRUCTURE_AREAS = "structure_areas"  # one document per commune or EPCI served, `kind:code`
STRUCTURE_MEMBERS = "structure_members"  # staff id -> structure id
WATCH_MARKS = "watch_marks"  # alert steps taken on unanswered held tickets
STAFF_AWAY = "staff_away"  # counsellors marked absent or seen away
PUSH_KEYS = "push_keys"  # the VAPID key pair
PUSH_SUBSCRIPTIONS = "push_subscriptions"  # one per staff device, by endpoint
CONVERSATION_LINKS = "conversation_links"  # two conversations of the same youth
TEXT_VERSIONS = "text_versions"  # the coordinator's edits of the bot texts
MEDIA = "media"  # files youths and counsellors sent (see bot/store/mongo/media.py)
MEDIA_CHUNKS = "media_chunks"

# A live event only matters to dashboards connected now; an hour covers any reconnect.
EVENTS_TTL_SECONDS = 3600
# Login failures count within minutes; a day is a generous backstop to the explicit purge.
LOGIN_FAILURES_TTL_SECONDS = 86_400

# Integer ids are also stored as `seq`, which orders and indexes them: nx-27017 (the test
# server) can neither index `_id` with other keys nor sort integer `_id`s as numbers.
# Search (bot/store/mongo/search.py): one text index per collection, words not stemmed.
_CARD = ("first_name", "phone", "email", "commune", "need_text")
SEARCH_INDEXES: dict[str, IndexModel] = {
    THREAD: IndexModel([("text", TEXT)], default_language="none", name="search"),
    NOTES: IndexModel([("text", TEXT)], default_language="none", name="search"),
    TICKETS: IndexModel(
        [*((f"snapshot.{f}", TEXT) for f in _CARD), ("source", TEXT)],
        default_language="none",
        name="search",
    ),
}

INDEXES: dict[str, list[IndexModel]] = {
    CONVERSATIONS: [
        IndexModel([("channel", ASCENDING), ("user_id", ASCENDING)], unique=True),
        IndexModel([("ticket_id", ASCENDING)]),
        IndexModel([("updated_at", ASCENDING)]),
        IndexModel([("mode", ASCENDING), ("last_inbound_at", ASCENDING)]),  # stalled intakes
        IndexModel([("created_at", ASCENDING)]),  # the figures read a period
    ],
    INBOX: [
        # Dedup of redelivered webhooks: the platform's own event id, per channel.
        IndexModel([("channel", ASCENDING), ("event_id", ASCENDING)], unique=True),
        IndexModel([("status", ASCENDING), ("conversation_id", ASCENDING), ("seq", ASCENDING)]),
    ],
    THREAD: [IndexModel([("conversation_id", ASCENDING), ("seq", ASCENDING)])],
    OUTBOX: [
        # Queue order: each conversation's replies in id order, heads by due time.
        IndexModel([("status", ASCENDING), ("conversation_id", ASCENDING), ("seq", ASCENDING)]),
        IndexModel([("status", ASCENDING), ("next_attempt_at", ASCENDING)]),
        IndexModel([("conversation_id", ASCENDING)]),
    ],
    TICKETS: [
        IndexModel([("status", ASCENDING), ("priority", DESCENDING), ("queued_at", ASCENDING)]),
        IndexModel([("assigned_to", ASCENDING), ("status", ASCENDING)]),
        IndexModel([("conversation_id", ASCENDING), ("seq", ASCENDING)]),
        IndexModel([("status", ASCENDING), ("closed_at", ASCENDING)]),
        # The dashboard lists' own orders: a range scan, not a sort of a whole status.
        IndexModel([("status", ASCENDING), ("claimed_at", DESCENDING), ("seq", DESCENDING)]),
        IndexModel([("status", ASCENDING), ("closed_at", DESCENDING), ("seq", DESCENDING)]),
        IndexModel([("created_at", ASCENDING)]),  # the figures read a period
        IndexModel([("snapshot.structure", ASCENDING), ("status", ASCENDING)]),  # by structure
        # Stored waits (mongo/waits.py): percentiles walk each wait in order.
        *(
            IndexModel([(f, ASCENDING), ("created_at", ASCENDING)])
            for f in ("claim_raw", "claim_office", "reply_raw", "reply_office")
        ),
    ],
    AUDIT: [
        IndexModel([("target", ASCENDING), ("seq", ASCENDING)]),
        IndexModel([("seq", DESCENDING)]),  # the audit log page, newest first
        IndexModel([("actor", ASCENDING), ("seq", DESCENDING)]),
        IndexModel([("action", ASCENDING), ("seq", DESCENDING)]),
    ],
    STAFF: [IndexModel([("email", ASCENDING)], unique=True)],
    SESSIONS: [
        IndexModel([("staff_id", ASCENDING)]),
        IndexModel([("last_seen_at", ASCENDING)]),
    ],
    LOGIN_FAILURES: [
        IndexModel([("key", ASCENDING), ("at", ASCENDING)]),
        IndexModel([("expire_at", ASCENDING)], expireAfterSeconds=LOGIN_FAILURES_TTL_SECONDS),
    ],
    NOTES: [IndexModel([("ticket_id", ASCENDING), ("seq", ASCENDING)])],
    MEETINGS: [IndexModel([("ticket_id", ASCENDING), ("seq", ASCENDING)])],
    EVENTS: [
        IndexModel([("at_date", ASCENDING)], expireAfterSeconds=EVENTS_TTL_SECONDS),
        IndexModel([("at", ASCENDING)]),  # polling, where change streams are refused
    ],
    SOURCES: [IndexModel([("created_at", DESCENDING), ("code", ASCENDING)])],
    RESET_TOKENS: [IndexModel([("staff_id", ASCENDING)])],
    STRUCTURES: [IndexModel([("name", ASCENDING)])],  # created at start, not in a transaction
    STRUCTURE_AREAS: [IndexModel([("structure_id", ASCENDING)])],
    STRUCTURE_MEMBERS: [IndexModel([("structure_id", ASCENDING)])],
    PUSH_SUBSCRIPTIONS: [IndexModel([("staff_id", ASCENDING)])],
    CONVERSATION_LINKS: [IndexModel([("a", ASCENDING)]), IndexModel([("b", ASCENDING)])],
    TEXT_VERSIONS: [IndexModel([("key", ASCENDING), ("version", ASCENDING)], unique=True)],
    MEDIA: [
        IndexModel([("conversation_id", ASCENDING), ("created_at", ASCENDING)]),
        IndexModel([("status", ASCENDING), ("next_at", ASCENDING)]),
    ],
    MEDIA_CHUNKS: [
        IndexModel([("media_id", ASCENDING), ("n", ASCENDING)]),
        IndexModel([("conversation_id", ASCENDING)]),
    ],
}


async def create_indexes(db: AsyncDatabase[dict[str, Any]]) -> None:
    """Create every collection's indexes (a no-op for those that exist)."""
    for name, indexes in INDEXES.items():
        await db[name].create_indexes(indexes)
    for name, index in SEARCH_INDEXES.items():
        await db[name].create_indexes([index])
