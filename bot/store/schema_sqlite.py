"""SQLite schema, as ordered migrations; `PRAGMA user_version` records how far a file went."""

MIGRATIONS: list[str] = [
    # 1: the bot pipeline and tickets
    """
    CREATE TABLE conversations (
        id TEXT PRIMARY KEY,
        channel TEXT NOT NULL,
        user_id TEXT NOT NULL,
        mode TEXT NOT NULL DEFAULT 'bot',
        state TEXT NOT NULL DEFAULT 'new',
        profile TEXT NOT NULL DEFAULT '{}',
        source TEXT,
        misses INTEGER NOT NULL DEFAULT 0,
        consent_at REAL,
        consent_version TEXT,
        ticket_id INTEGER,
        last_inbound_at REAL,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        version INTEGER NOT NULL DEFAULT 0,
        UNIQUE (channel, user_id)
    );
    CREATE TABLE inbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        channel TEXT NOT NULL,
        event_id TEXT NOT NULL,
        conversation_id TEXT NOT NULL,
        event TEXT,
        status TEXT NOT NULL DEFAULT 'pending',
        received_at REAL NOT NULL,
        processed_at REAL,
        UNIQUE (channel, event_id)
    );
    CREATE INDEX inbox_pending ON inbox (conversation_id, id) WHERE status = 'pending';
    CREATE TABLE messages (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        conversation_id TEXT NOT NULL,
        ticket_id INTEGER,
        direction TEXT NOT NULL,
        author TEXT NOT NULL,
        staff_id INTEGER,
        text TEXT NOT NULL,
        buttons TEXT NOT NULL DEFAULT '[]',
        status TEXT,
        error TEXT,
        created_at REAL NOT NULL
    );
    CREATE INDEX messages_conversation ON messages (conversation_id, id);
    CREATE TABLE outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        conversation_id TEXT NOT NULL,
        message_id INTEGER,
        channel TEXT NOT NULL,
        user_id TEXT NOT NULL,
        reply TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'pending',
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at REAL NOT NULL,
        last_error TEXT,
        created_at REAL NOT NULL,
        sent_at REAL
    );
    CREATE INDEX outbox_pending ON outbox (conversation_id, id) WHERE status = 'pending';
    CREATE TABLE tickets (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        conversation_id TEXT NOT NULL,
        status TEXT NOT NULL DEFAULT 'waiting',
        priority TEXT NOT NULL DEFAULT 'normal',
        reason TEXT NOT NULL,
        snapshot TEXT NOT NULL DEFAULT '{}',
        channel TEXT NOT NULL,
        source TEXT,
        territory TEXT,
        created_at REAL NOT NULL,
        claimed_at REAL,
        assigned_to INTEGER,
        first_reply_at REAL,
        closed_at REAL,
        outcome TEXT,
        acked INTEGER NOT NULL DEFAULT 0,
        alerted_at REAL
    );
    CREATE INDEX tickets_status ON tickets (status, priority, created_at);
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at REAL NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT,
        details TEXT NOT NULL DEFAULT '{}'
    );
    """,
]
