"""Schema migrations, applied in order, each in its own transaction.

Append new migrations to ``MIGRATIONS``; never edit a released one. The store refuses to
open a database whose schema is newer than the newest migration it knows.
"""

from __future__ import annotations

MIGRATIONS: list[tuple[int, str, str]] = [
    (
        1,
        "versioned list store: snapshots, entry versions, membership",
        """
        CREATE TABLE snapshots (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            source      TEXT NOT NULL,
            format      TEXT NOT NULL,
            fetched_at  TEXT NOT NULL,
            published   TEXT,
            sha256      TEXT NOT NULL,
            entry_count INTEGER NOT NULL,
            origin      TEXT,
            parent_id   INTEGER REFERENCES snapshots(id)
        );
        CREATE INDEX snapshots_source ON snapshots(source, id);

        -- One row per distinct content of an entry; content_hash covers the id too.
        CREATE TABLE entry_versions (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            entry_id     TEXT NOT NULL,
            source       TEXT NOT NULL,
            list         TEXT NOT NULL,
            primary_name TEXT NOT NULL,
            content_hash TEXT NOT NULL UNIQUE,
            data         TEXT NOT NULL
        );
        CREATE INDEX entry_versions_entry ON entry_versions(entry_id);

        -- Which version of which entry each snapshot holds.
        CREATE TABLE snapshot_entries (
            snapshot_id INTEGER NOT NULL REFERENCES snapshots(id),
            version_id  INTEGER NOT NULL REFERENCES entry_versions(id),
            PRIMARY KEY (snapshot_id, version_id)
        ) WITHOUT ROWID;
        CREATE INDEX snapshot_entries_version ON snapshot_entries(version_id);
        """,
    ),
    (
        2,
        "ownership edges (owner -> owned, share), replaced per import source",
        """
        -- owner_id / owned_id: an entry id ("us_ofac_sdn:12345") or any id the user's file
        -- gives; names are kept for display and for resolving unnamed ids to entries.
        CREATE TABLE ownership_edges (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            source      TEXT NOT NULL,
            owner_id    TEXT NOT NULL,
            owner_name  TEXT,
            owned_id    TEXT NOT NULL,
            owned_name  TEXT,
            share       REAL,
            since       TEXT,
            imported_at TEXT NOT NULL
        );
        CREATE INDEX ownership_edges_owned ON ownership_edges(owned_id);
        CREATE INDEX ownership_edges_source ON ownership_edges(source);
        """,
    ),
    (
        3,
        "append-only, hash-chained audit log (see store/audit.py)",
        """
        CREATE TABLE audit_log (
            seq       INTEGER PRIMARY KEY,
            at        TEXT NOT NULL,
            kind      TEXT NOT NULL,
            data      TEXT NOT NULL,
            prev_hash TEXT NOT NULL,
            hash      TEXT NOT NULL
        );
        CREATE INDEX audit_log_at ON audit_log(at);
        CREATE TABLE audit_head (
            id      INTEGER PRIMARY KEY CHECK (id = 1),
            records INTEGER NOT NULL,
            head    TEXT NOT NULL
        );
        -- Append-only by construction: the store never updates or deletes a record. The
        -- triggers stop accidents; verification (the hash chain) catches everything else.
        CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
        CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
        BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
        """,
    ),
    (
        4,
        "monitoring: party registry, alerts, decisions, monitor state",
        """
        -- A party keeps the user's own id; data is its canonical JSON, content_hash its
        -- sha256; screened_hash the content last screened by `monitor`.
        CREATE TABLE parties (
            id            TEXT PRIMARY KEY,
            name          TEXT NOT NULL,
            data          TEXT NOT NULL,
            content_hash  TEXT NOT NULL,
            screened_hash TEXT,
            created_at    TEXT NOT NULL,
            updated_at    TEXT NOT NULL
        );
        CREATE TABLE party_changes (
            id       INTEGER PRIMARY KEY AUTOINCREMENT,
            party_id TEXT NOT NULL,
            at       TEXT NOT NULL,
            change   TEXT NOT NULL,
            fields   TEXT NOT NULL,
            old_hash TEXT
        );
        CREATE INDEX party_changes_party ON party_changes(party_id);
        -- One alert per (party, entry), ever: a re-match updates or re-opens it.
        CREATE TABLE alerts (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            party_id     TEXT NOT NULL,
            entry_id     TEXT NOT NULL,
            status       TEXT NOT NULL,
            score        REAL NOT NULL,
            list         TEXT NOT NULL,
            listed_name  TEXT NOT NULL,
            matched_name TEXT NOT NULL,
            explanation  TEXT NOT NULL,
            verdict      TEXT NOT NULL,
            party_hash   TEXT NOT NULL,
            entry_hash   TEXT NOT NULL,
            reason       TEXT NOT NULL,
            created_at   TEXT NOT NULL,
            updated_at   TEXT NOT NULL,
            UNIQUE (party_id, entry_id)
        );
        CREATE INDEX alerts_status ON alerts(status);
        CREATE TABLE decisions (
            id         INTEGER PRIMARY KEY AUTOINCREMENT,
            alert_id   INTEGER NOT NULL REFERENCES alerts(id),
            verdict    TEXT NOT NULL,
            reason     TEXT NOT NULL,
            decided_by TEXT NOT NULL,
            at         TEXT NOT NULL,
            party_hash TEXT NOT NULL,
            entry_hash TEXT NOT NULL
        );
        CREATE INDEX decisions_alert ON decisions(alert_id);
        CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions
        BEGIN SELECT RAISE(ABORT, 'decisions are never changed'); END;
        CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions
        BEGIN SELECT RAISE(ABORT, 'decisions are never deleted'); END;
        -- The snapshot of each source that `monitor` last screened against.
        CREATE TABLE monitor_state (
            source      TEXT PRIMARY KEY,
            snapshot_id INTEGER NOT NULL
        );
        """,
    ),
    (
        5,
        "API keys (hashed) and batch jobs of the HTTP API",
        """
        CREATE TABLE api_keys (
            id         INTEGER PRIMARY KEY AUTOINCREMENT,
            name       TEXT NOT NULL,
            role       TEXT NOT NULL,
            key_hash   TEXT NOT NULL UNIQUE,
            created_at TEXT NOT NULL,
            revoked_at TEXT
        );
        CREATE TABLE batch_jobs (
            id          TEXT PRIMARY KEY,
            status      TEXT NOT NULL,
            rows        INTEGER NOT NULL DEFAULT 0,
            output_rows INTEGER NOT NULL DEFAULT 0,
            message     TEXT,
            created_at  TEXT NOT NULL,
            updated_at  TEXT NOT NULL
        );
        """,
    ),
    (
        6,
        "snapshots: how an unstated publication date was found (published_basis)",
        """
        -- NULL: the file states its date (or states none and nothing was inferred: then
        -- published is NULL too); otherwise e.g. 'inferred: newest start_date in the file'.
        ALTER TABLE snapshots ADD COLUMN published_basis TEXT;
        """,
    ),
    (
        7,
        "data versions: a counter bumped by every ownership import (see data_version)",
        """
        -- A running server compares these (with the current snapshots) on every request to
        -- know whether its cached view of the lists is still the store's.
        CREATE TABLE data_versions (
            name    TEXT PRIMARY KEY,
            version INTEGER NOT NULL
        );
        INSERT INTO data_versions(name, version) VALUES ('ownership', 0);
        """,
    ),
    (
        8,
        "decisions: the authenticated actor; a baseline audit record of alert state",
        """
        -- JSON of the Actor (kind, id, name, role) authenticated when the decision was made;
        -- NULL for decisions made before. decided_by stays, as a free-text note.
        -- After this script, SqlStore._migrate writes the state_baseline audit record
        -- (store/audit_state.py): the alerts and decisions found, which the log then covers.
        ALTER TABLE decisions ADD COLUMN actor TEXT;
        """,
    ),
    (
        9,
        "web UI sessions (hashed tokens); batch jobs owned by the key that created them",
        """
        -- The UI's cookie holds a random session token, never the API key; only its sha256
        -- is stored. A session ends at expires_at, at logout, or when its key is revoked.
        CREATE TABLE sessions (
            token_hash TEXT PRIMARY KEY,
            key_id     INTEGER NOT NULL REFERENCES api_keys(id),
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL
        );
        CREATE INDEX sessions_key ON sessions(key_id);
        -- NULL for jobs created before this migration: only analysts see those.
        ALTER TABLE batch_jobs ADD COLUMN key_id INTEGER REFERENCES api_keys(id);
        """,
    ),
    (
        10,
        "ownership edges: the owner's country, when the owners file states it",
        """
        -- ISO code; an owner resolved by name must agree with the listed entry's country.
        ALTER TABLE ownership_edges ADD COLUMN owner_country TEXT;
        """,
    ),
]

#: The migration after whose script the alert/decision baseline record is written.
BASELINE_VERSION = 8

LATEST_VERSION = MIGRATIONS[-1][0]
