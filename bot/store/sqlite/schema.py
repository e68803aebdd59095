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
    # 2: the counsellor handoff (staff accounts, sessions, notes, meetings, canned replies)
    """
    ALTER TABLE tickets ADD COLUMN queued_at REAL;
    CREATE INDEX tickets_assigned ON tickets (assigned_to, status);
    CREATE TABLE staff (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        email TEXT NOT NULL UNIQUE,
        display_name TEXT NOT NULL,
        role TEXT NOT NULL CHECK (role IN ('counsellor', 'coordinator')),
        territory TEXT,
        password_hash TEXT NOT NULL,
        active INTEGER NOT NULL DEFAULT 1,
        created_at REAL NOT NULL,
        disabled_at REAL
    );
    CREATE TABLE staff_sessions (
        id_hash TEXT PRIMARY KEY,
        staff_id INTEGER NOT NULL REFERENCES staff (id),
        csrf_token TEXT NOT NULL,
        created_at REAL NOT NULL,
        last_seen_at REAL NOT NULL
    );
    CREATE INDEX staff_sessions_staff ON staff_sessions (staff_id);
    CREATE TABLE login_failures (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        key TEXT NOT NULL,
        at REAL NOT NULL
    );
    CREATE INDEX login_failures_key ON login_failures (key, at);
    CREATE TABLE setup_tokens (
        token_hash TEXT PRIMARY KEY,
        created_at REAL NOT NULL,
        expires_at REAL NOT NULL,
        used_at REAL
    );
    CREATE TABLE ticket_notes (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ticket_id INTEGER NOT NULL,
        staff_id INTEGER NOT NULL,
        text TEXT NOT NULL,
        created_at REAL NOT NULL
    );
    CREATE INDEX ticket_notes_ticket ON ticket_notes (ticket_id, id);
    CREATE TABLE meetings (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ticket_id INTEGER NOT NULL,
        staff_id INTEGER NOT NULL,
        day TEXT NOT NULL,
        time TEXT NOT NULL,
        place TEXT NOT NULL,
        message_id INTEGER,
        created_at REAL NOT NULL
    );
    CREATE INDEX meetings_ticket ON meetings (ticket_id, id);
    CREATE TABLE canned_replies (
        position INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        text TEXT NOT NULL
    );
    CREATE INDEX audit_target ON audit (target, at);
    """,
    # 3: the store re-cut: opaque ticket ids, the flow's scratch values, leases
    """
    CREATE TABLE ticket_ids (old INTEGER PRIMARY KEY, new TEXT NOT NULL UNIQUE);
    INSERT INTO ticket_ids SELECT id, lower(hex(randomblob(12))) FROM tickets;
    CREATE TABLE tickets_v3 (
        id TEXT PRIMARY KEY,
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
        alerted_at REAL,
        queued_at REAL
    );
    INSERT INTO tickets_v3 SELECT m.new, t.conversation_id, t.status, t.priority, t.reason,
        t.snapshot, t.channel, t.source, t.territory, t.created_at, t.claimed_at, t.assigned_to,
        t.first_reply_at, t.closed_at, t.outcome, t.acked, t.alerted_at,
        COALESCE(t.queued_at, t.created_at)
        FROM tickets t JOIN ticket_ids m ON m.old = t.id;
    DROP TABLE tickets;
    ALTER TABLE tickets_v3 RENAME TO tickets;
    CREATE INDEX tickets_status ON tickets (status, priority, queued_at);
    CREATE INDEX tickets_assigned ON tickets (assigned_to, status);
    CREATE INDEX tickets_conversation ON tickets (conversation_id, created_at);
    CREATE TABLE conversations_v3 (
        id TEXT PRIMARY KEY,
        channel TEXT NOT NULL,
        user_id TEXT NOT NULL,
        mode TEXT NOT NULL DEFAULT 'bot',
        state TEXT NOT NULL DEFAULT 'new',
        profile TEXT NOT NULL DEFAULT '{}',
        scratch TEXT NOT NULL DEFAULT '{}',
        source TEXT,
        misses INTEGER NOT NULL DEFAULT 0,
        consent_at REAL,
        consent_version TEXT,
        ticket_id TEXT,
        last_inbound_at REAL,
        created_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        version INTEGER NOT NULL DEFAULT 0,
        lease_owner TEXT,
        lease_until REAL,
        UNIQUE (channel, user_id)
    );
    INSERT INTO conversations_v3 (id, channel, user_id, mode, state, profile, source, misses,
        consent_at, consent_version, ticket_id, last_inbound_at, created_at, updated_at, version)
        SELECT c.id, c.channel, c.user_id, c.mode, c.state, c.profile, c.source, c.misses,
        c.consent_at, c.consent_version, m.new, c.last_inbound_at, c.created_at, c.updated_at,
        c.version FROM conversations c LEFT JOIN ticket_ids m ON m.old = c.ticket_id;
    DROP TABLE conversations;
    ALTER TABLE conversations_v3 RENAME TO conversations;
    CREATE TABLE messages_v3 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        conversation_id TEXT NOT NULL,
        ticket_id TEXT,
        direction TEXT NOT NULL,
        author TEXT NOT NULL,
        staff_id INTEGER,
        text TEXT NOT NULL,
        buttons TEXT NOT NULL DEFAULT '[]',
        status TEXT,
        error TEXT,
        created_at REAL NOT NULL
    );
    INSERT INTO messages_v3 SELECT x.id, x.conversation_id, m.new, x.direction, x.author,
        x.staff_id, x.text, x.buttons, x.status, x.error, x.created_at
        FROM messages x LEFT JOIN ticket_ids m ON m.old = x.ticket_id;
    DROP TABLE messages;
    ALTER TABLE messages_v3 RENAME TO messages;
    CREATE INDEX messages_conversation ON messages (conversation_id, id);
    CREATE TABLE ticket_notes_v3 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ticket_id TEXT NOT NULL,
        staff_id INTEGER NOT NULL,
        text TEXT NOT NULL,
        created_at REAL NOT NULL
    );
    INSERT INTO ticket_notes_v3 SELECT x.id, m.new, x.staff_id, x.text, x.created_at
        FROM ticket_notes x JOIN ticket_ids m ON m.old = x.ticket_id;
    DROP TABLE ticket_notes;
    ALTER TABLE ticket_notes_v3 RENAME TO ticket_notes;
    CREATE INDEX ticket_notes_ticket ON ticket_notes (ticket_id, id);
    CREATE TABLE meetings_v3 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        ticket_id TEXT NOT NULL,
        staff_id INTEGER NOT NULL,
        day TEXT NOT NULL,
        time TEXT NOT NULL,
        place TEXT NOT NULL,
        message_id INTEGER,
        created_at REAL NOT NULL
    );
    INSERT INTO meetings_v3 SELECT x.id, m.new, x.staff_id, x.day, x.time, x.place,
        x.message_id, x.created_at FROM meetings x JOIN ticket_ids m ON m.old = x.ticket_id;
    DROP TABLE meetings;
    ALTER TABLE meetings_v3 RENAME TO meetings;
    CREATE INDEX meetings_ticket ON meetings (ticket_id, id);
    UPDATE audit SET target = 'ticket:' || (SELECT new FROM ticket_ids
        WHERE 'ticket:' || old = audit.target) WHERE target IN
        (SELECT 'ticket:' || old FROM ticket_ids);
    DROP TABLE ticket_ids;
    ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
    ALTER TABLE outbox ADD COLUMN lease_until REAL;
    CREATE TABLE leases (
        name TEXT PRIMARY KEY,
        owner TEXT NOT NULL,
        until REAL NOT NULL
    );
    """,
    # 4: finding stalled intakes for their one reminder
    """
    CREATE INDEX conversations_stalled ON conversations (mode, last_inbound_at);
    """,
    # 5: search. One full-text document per youth or counsellor line, staff note and ticket
    # card (rowid = source id * 4 + kind), kept by triggers inside the writing transaction and
    # deleted with what it indexes; an erased card ('{}') indexes nothing. Words are stored as
    # digests (search_words, bot/store/sqlite/words.py): FTS5 here has no secure-delete, and
    # the pages of a deleted row stay in the index until its segments merge.
    """
    CREATE VIRTUAL TABLE search_index USING fts5(
        body, conversation_id UNINDEXED, tokenize = 'unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER search_message_added AFTER INSERT ON messages
        WHEN NEW.author IN ('youth', 'counsellor') BEGIN
        INSERT INTO search_index (rowid, body, conversation_id)
            VALUES (NEW.id * 4, search_words(NEW.text), NEW.conversation_id);
    END;
    CREATE TRIGGER search_message_removed AFTER DELETE ON messages BEGIN
        DELETE FROM search_index WHERE rowid = OLD.id * 4;
    END;
    CREATE TRIGGER search_message_edited AFTER UPDATE OF text ON messages
        WHEN NEW.author IN ('youth', 'counsellor') BEGIN
        DELETE FROM search_index WHERE rowid = OLD.id * 4;
        INSERT INTO search_index (rowid, body, conversation_id)
            VALUES (NEW.id * 4, search_words(NEW.text), NEW.conversation_id);
    END;
    CREATE TRIGGER search_note_added AFTER INSERT ON ticket_notes BEGIN
        INSERT INTO search_index (rowid, body, conversation_id) VALUES (NEW.id * 4 + 1,
            search_words(NEW.text),
            (SELECT conversation_id FROM tickets WHERE id = NEW.ticket_id));
    END;
    CREATE TRIGGER search_note_removed AFTER DELETE ON ticket_notes BEGIN
        DELETE FROM search_index WHERE rowid = OLD.id * 4 + 1;
    END;
    CREATE TRIGGER search_card_added AFTER INSERT ON tickets WHEN NEW.snapshot != '{}' BEGIN
        INSERT INTO search_index (rowid, body, conversation_id) VALUES (NEW.rowid * 4 + 2,
            search_words(COALESCE(json_extract(NEW.snapshot, '$.first_name'), '') || ' '
            || COALESCE(json_extract(NEW.snapshot, '$.phone'), '') || ' '
            || COALESCE(json_extract(NEW.snapshot, '$.email'), '') || ' '
            || COALESCE(json_extract(NEW.snapshot, '$.commune'), '') || ' '
            || COALESCE(json_extract(NEW.snapshot, '$.need_text'), '') || ' '
            || COALESCE(NEW.source, '')), NEW.conversation_id);
    END;
    CREATE TRIGGER search_card_changed AFTER UPDATE OF snapshot, source ON tickets BEGIN
        DELETE FROM search_index WHERE rowid = OLD.rowid * 4 + 2;
        INSERT INTO search_index (rowid, body, conversation_id) SELECT NEW.rowid * 4 + 2,
            search_words(COALESCE(json_extract(NEW.snapshot, '$.first_name'), '') || ' '
            || COALESCE(json_extract(NEW.snapshot, '$.phone'), '') || ' '
            || COALESCE(json_extract(NEW.snapshot, '$.email'), '') || ' '
            || COALESCE(json_extract(NEW.snapshot, '$.commune'), '') || ' '
            || COALESCE(json_extract(NEW.snapshot, '$.need_text'), '') || ' '
            || COALESCE(NEW.source, '')), NEW.conversation_id WHERE NEW.snapshot != '{}';
    END;
    CREATE TRIGGER search_card_removed AFTER DELETE ON tickets BEGIN
        DELETE FROM search_index WHERE rowid = OLD.rowid * 4 + 2;
    END;
    INSERT INTO search_index (rowid, body, conversation_id) SELECT id * 4, search_words(text),
        conversation_id
        FROM messages WHERE author IN ('youth', 'counsellor');
    INSERT INTO search_index (rowid, body, conversation_id) SELECT n.id * 4 + 1,
        search_words(n.text), t.conversation_id FROM ticket_notes n JOIN tickets t ON t.id = n.ticket_id;
    INSERT INTO search_index (rowid, body, conversation_id) SELECT t.rowid * 4 + 2,
        search_words(COALESCE(json_extract(t.snapshot, '$.first_name'), '') || ' '
            || COALESCE(json_extract(t.snapshot, '$.phone'), '') || ' '
            || COALESCE(json_extract(t.snapshot, '$.email'), '') || ' '
            || COALESCE(json_extract(t.snapshot, '$.commune'), '') || ' '
            || COALESCE(json_extract(t.snapshot, '$.need_text'), '') || ' '
            || COALESCE(t.source, '')), t.conversation_id
        FROM tickets t WHERE t.snapshot != '{}';
    CREATE INDEX tickets_created ON tickets (created_at);
    """,
    # 6: the dashboard lists as range scans in their own order (no sort of a whole status), and
    # the sender's heads from the unsettled replies only (not a scan of every reply ever sent).
    """
    CREATE INDEX tickets_waiting_order ON tickets
        (status, CASE priority WHEN 'urgent' THEN 0 ELSE 1 END, queued_at, created_at, id);
    CREATE INDEX tickets_claimed_order ON tickets (status, claimed_at, id);
    CREATE INDEX tickets_closed_order ON tickets (status, closed_at, id);
    CREATE INDEX outbox_unsettled ON outbox (conversation_id, id)
        WHERE status IN ('pending', 'sending');
    """,
    # 7: the coordinator's sources, and the periods the figures read
    """
    CREATE TABLE sources (
        code TEXT PRIMARY KEY,
        label TEXT NOT NULL,
        kind TEXT NOT NULL,
        commune TEXT NOT NULL,
        contact TEXT,
        archived INTEGER NOT NULL DEFAULT 0,
        created_at REAL NOT NULL
    );
    CREATE INDEX sources_created ON sources (created_at);
    CREATE INDEX conversations_created ON conversations (created_at);
    """,
    # presence: how far each youth has read (Messenger/Instagram read events)
    """
    CREATE TABLE IF NOT EXISTS presence_seen (
        conversation_id TEXT PRIMARY KEY,
        watermark REAL NOT NULL
    );
    """,
    # settings pages: one-time password-reset links, canned replies with stable ids, and the
    # audit log read by actor or action, newest first
    """
    CREATE TABLE IF NOT EXISTS staff_reset_tokens (
        token_hash TEXT PRIMARY KEY,
        staff_id INTEGER NOT NULL,
        created_at REAL NOT NULL,
        expires_at REAL NOT NULL,
        used_at REAL
    );
    CREATE INDEX IF NOT EXISTS staff_reset_tokens_staff ON staff_reset_tokens (staff_id);
    ALTER TABLE canned_replies ADD COLUMN uid TEXT;
    UPDATE canned_replies SET uid = lower(hex(randomblob(8))) WHERE uid IS NULL;
    CREATE UNIQUE INDEX IF NOT EXISTS canned_replies_uid ON canned_replies (uid);
    CREATE TRIGGER IF NOT EXISTS canned_replies_uid_given AFTER INSERT ON canned_replies
        WHEN NEW.uid IS NULL BEGIN
        UPDATE canned_replies SET uid = lower(hex(randomblob(8))) WHERE position = NEW.position;
    END;
    CREATE INDEX IF NOT EXISTS audit_actor ON audit (actor, id);
    CREATE INDEX IF NOT EXISTS audit_action ON audit (action, id);
    """,
    # the structures of the network, the areas each serves (one owner per area), their staff;
    # tickets by structure: the structure-first queue and the figures' filter
    """
    CREATE TABLE IF NOT EXISTS structures (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        contact TEXT NOT NULL DEFAULT '',
        seeded INTEGER NOT NULL DEFAULT 0,
        updated_at REAL NOT NULL
    );
    CREATE TABLE IF NOT EXISTS structures_areas (
        kind TEXT NOT NULL,
        code TEXT NOT NULL,
        structure_id TEXT NOT NULL,
        PRIMARY KEY (kind, code)
    );
    CREATE INDEX IF NOT EXISTS structures_areas_owner ON structures_areas (structure_id);
    CREATE TABLE IF NOT EXISTS structures_members (
        staff_id INTEGER PRIMARY KEY,
        structure_id TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS structures_members_owner ON structures_members (structure_id);
    CREATE INDEX IF NOT EXISTS structures_tickets ON tickets
        (json_extract(snapshot, '$.structure'), status, created_at);
    """,
    # alerts: unanswered held tickets' alert steps, staff away records, Web Push, linked
    # conversations (self-contained: it may be renumbered)
    """
    CREATE TABLE IF NOT EXISTS watch_marks (
        ticket_id TEXT NOT NULL,
        step TEXT NOT NULL,
        since REAL NOT NULL,
        at REAL NOT NULL,
        PRIMARY KEY (ticket_id, step, since)
    );
    CREATE TABLE IF NOT EXISTS staff_away (
        staff_id INTEGER PRIMARY KEY,
        absent INTEGER NOT NULL DEFAULT 0,
        since REAL
    );
    CREATE TABLE IF NOT EXISTS push_keys (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        private_key TEXT NOT NULL,
        public_key TEXT NOT NULL,
        created_at REAL NOT NULL
    );
    CREATE TABLE IF NOT EXISTS push_subscriptions (
        endpoint TEXT PRIMARY KEY,
        staff_id INTEGER NOT NULL,
        p256dh TEXT NOT NULL,
        auth TEXT NOT NULL,
        created_at REAL NOT NULL
    );
    CREATE INDEX IF NOT EXISTS push_subscriptions_staff ON push_subscriptions (staff_id);
    CREATE TABLE IF NOT EXISTS conversation_links (
        a TEXT NOT NULL,
        b TEXT NOT NULL,
        staff_id INTEGER NOT NULL,
        created_at REAL NOT NULL,
        PRIMARY KEY (a, b)
    );
    CREATE INDEX IF NOT EXISTS conversation_links_b ON conversation_links (b);
    """,
    # the coordinator's edits of the bot texts, one row per version
    """
    CREATE TABLE IF NOT EXISTS text_versions (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL,
        version INTEGER NOT NULL,
        text TEXT,
        author_id INTEGER,
        created_at REAL NOT NULL
    );
    CREATE UNIQUE INDEX IF NOT EXISTS text_versions_key ON text_versions (key, version);
    """,
    # media: inbound attachments to fetch and files sent, bytes in the row (see sqlite/media.py)
    """
    CREATE TABLE IF NOT EXISTS media (
        id TEXT PRIMARY KEY,
        conversation_id TEXT NOT NULL,
        message_id INTEGER,
        direction TEXT NOT NULL,
        channel TEXT NOT NULL,
        kind TEXT NOT NULL,
        status TEXT NOT NULL,
        mime TEXT,
        size INTEGER,
        name TEXT,
        ref TEXT,
        error TEXT,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at REAL NOT NULL DEFAULT 0,
        lease_owner TEXT,
        lease_until REAL,
        created_at REAL NOT NULL,
        content BLOB
    );
    CREATE INDEX IF NOT EXISTS media_conversation ON media (conversation_id, created_at);
    CREATE INDEX IF NOT EXISTS media_pending ON media (next_at) WHERE status = 'pending';
    """,
    # figures: each ticket's time to claim and to first reply, raw and in office hours, stored
    # beside the claim and reply they were computed for (sqlite/waits.py); conversations
    # counted per UTC day and traits, kept by triggers in the writes' own transactions
    # (sqlite/figures.py)
    """
    ALTER TABLE tickets ADD COLUMN claim_at REAL;
    ALTER TABLE tickets ADD COLUMN claim_raw REAL;
    ALTER TABLE tickets ADD COLUMN claim_office REAL;
    ALTER TABLE tickets ADD COLUMN reply_at REAL;
    ALTER TABLE tickets ADD COLUMN reply_raw REAL;
    ALTER TABLE tickets ADD COLUMN reply_office REAL;
    CREATE INDEX IF NOT EXISTS tickets_claim_raw ON tickets (claim_raw, created_at, territory);
    CREATE INDEX IF NOT EXISTS tickets_claim_office
        ON tickets (claim_office, created_at, territory);
    CREATE INDEX IF NOT EXISTS tickets_reply_raw ON tickets (reply_raw, created_at, territory);
    CREATE INDEX IF NOT EXISTS tickets_reply_office
        ON tickets (reply_office, created_at, territory);
    CREATE INDEX IF NOT EXISTS tickets_waits_to_store ON tickets (created_at)
        WHERE claim_at IS NOT claimed_at OR reply_at IS NOT first_reply_at;
    CREATE INDEX IF NOT EXISTS tickets_funnel ON tickets (
        created_at, territory, reason, claimed_at, first_reply_at, closed_at, outcome,
        claim_raw, claim_office, reply_raw, reply_office
    );
    CREATE TABLE IF NOT EXISTS conversation_days (
        day INTEGER NOT NULL,
        territory NOT NULL,
        channel NOT NULL,
        source NOT NULL,
        commune NOT NULL,
        need NOT NULL,
        age NOT NULL,
        consented INTEGER NOT NULL,
        count INTEGER NOT NULL,
        PRIMARY KEY (day, territory, channel, source, commune, need, age, consented)
    ) WITHOUT ROWID;
    INSERT INTO conversation_days
        SELECT
            CAST(c.created_at / 86400 AS INTEGER),
            ifnull(json_extract(c.profile, '$.territory'), ''),
            c.channel,
            ifnull(c.source, ''),
            ifnull(json_extract(c.profile, '$.commune'), ''),
            ifnull(json_extract(c.profile, '$.need'), ''),
            ifnull(json_extract(c.profile, '$.age'), ''),
            c.consent_at IS NOT NULL,
            COUNT(*)
        FROM conversations c GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;
    CREATE TRIGGER IF NOT EXISTS conversation_days_insert AFTER INSERT ON conversations BEGIN
        INSERT INTO conversation_days VALUES (
            CAST(new.created_at / 86400 AS INTEGER),
            ifnull(json_extract(new.profile, '$.territory'), ''),
            new.channel,
            ifnull(new.source, ''),
            ifnull(json_extract(new.profile, '$.commune'), ''),
            ifnull(json_extract(new.profile, '$.need'), ''),
            ifnull(json_extract(new.profile, '$.age'), ''),
            new.consent_at IS NOT NULL,
            1
        )
        ON CONFLICT (day, territory, channel, source, commune, need, age, consented)
        DO UPDATE SET count = count + 1;
    END;
    CREATE TRIGGER IF NOT EXISTS conversation_days_update
    AFTER UPDATE OF channel, source, profile, consent_at, created_at ON conversations
    WHEN old.channel IS NOT new.channel OR old.source IS NOT new.source
        OR (old.consent_at IS NULL) != (new.consent_at IS NULL)
        OR CAST(old.created_at / 86400 AS INTEGER) != CAST(new.created_at / 86400 AS INTEGER)
        OR (old.profile IS NOT new.profile AND (
            json_extract(old.profile, '$.territory')
                IS NOT json_extract(new.profile, '$.territory')
            OR json_extract(old.profile, '$.commune') IS NOT json_extract(new.profile, '$.commune')
            OR json_extract(old.profile, '$.need') IS NOT json_extract(new.profile, '$.need')
            OR json_extract(old.profile, '$.age') IS NOT json_extract(new.profile, '$.age')))
    BEGIN
        UPDATE conversation_days SET count = count - 1
        WHERE (day, territory, channel, source, commune, need, age, consented) = (
            CAST(old.created_at / 86400 AS INTEGER),
            ifnull(json_extract(old.profile, '$.territory'), ''),
            old.channel,
            ifnull(old.source, ''),
            ifnull(json_extract(old.profile, '$.commune'), ''),
            ifnull(json_extract(old.profile, '$.need'), ''),
            ifnull(json_extract(old.profile, '$.age'), ''),
            old.consent_at IS NOT NULL
        );
        INSERT INTO conversation_days VALUES (
            CAST(new.created_at / 86400 AS INTEGER),
            ifnull(json_extract(new.profile, '$.territory'), ''),
            new.channel,
            ifnull(new.source, ''),
            ifnull(json_extract(new.profile, '$.commune'), ''),
            ifnull(json_extract(new.profile, '$.need'), ''),
            ifnull(json_extract(new.profile, '$.age'), ''),
            new.consent_at IS NOT NULL,
            1
        )
        ON CONFLICT (day, territory, channel, source, commune, need, age, consented)
        DO UPDATE SET count = count + 1;
    END;
    CREATE TRIGGER IF NOT EXISTS conversation_days_delete AFTER DELETE ON conversations BEGIN
        UPDATE conversation_days SET count = count - 1
        WHERE (day, territory, channel, source, commune, need, age, consented) = (
            CAST(old.created_at / 86400 AS INTEGER),
            ifnull(json_extract(old.profile, '$.territory'), ''),
            old.channel,
            ifnull(old.source, ''),
            ifnull(json_extract(old.profile, '$.commune'), ''),
            ifnull(json_extract(old.profile, '$.need'), ''),
            ifnull(json_extract(old.profile, '$.age'), ''),
            old.consent_at IS NOT NULL
        );
    END;
    """,
]
